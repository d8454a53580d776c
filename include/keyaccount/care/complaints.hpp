#pragma once
/// \file
/// Complaints (Art. 8.1–8.2): each category of `complaints.categories` sets how many days after
/// the complaint was raised it must be recorded, reported to the superior and resolved.
/// `escalations_due` lists, for a day `as_of`, the escalations to raise now: to whom (the
/// recorder's superior from the org directory), why and under which article. A complaint cannot
/// be closed while an escalation on it is open: `close_complaint` refuses with
/// `complaint_refusal_kind::open_escalation`.
///
/// When a report is due: categories of Art. 8.1 (product appearance, production, transport,
/// after-sales service) are always reported to the superior, from the day they are raised, by
/// `report_within_days`. Categories of Art. 8.2 (other objections) are first explained to the
/// customer; they are reported only when still unresolved `report_within_days` after being
/// raised ("what cannot be resolved is reported"). A missed deadline to record or to resolve
/// is escalated to the superior as well.
///
/// Free functions over value types: thread-safe as long as the arguments are not modified.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "keyaccount/core/error.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// Why an escalation is raised.
enum class escalation_kind {
  report,           ///< the complaint must be reported to the superior (Art. 8.1 / 8.2);
                    ///< `days_overdue` > 0 once `report_within_days` has passed
  record_overdue,   ///< not recorded within `record_within_days`
  resolve_overdue,  ///< not resolved within `resolve_within_days`
};
[[nodiscard]] std::string_view to_string(escalation_kind k) noexcept;
[[nodiscard]] std::optional<escalation_kind> parse_escalation_kind(std::string_view s) noexcept;
/// Streams the stable name.
inline std::ostream& operator<<(std::ostream& os, escalation_kind k) { return os << to_string(k); }

/// An escalation that was raised on a complaint (as the CRM records it).
struct escalation_record {
  escalation_kind kind = escalation_kind::report;
  std::string to;  ///< person id
  date opened_on;
  std::optional<date> closed_on;  ///< empty: still open
  [[nodiscard]] bool open() const noexcept { return !closed_on; }
  friend bool operator==(const escalation_record&, const escalation_record&) = default;
};

/// A customer's complaint or objection.
struct complaint {
  std::string id;
  std::string customer;
  std::string category;  ///< a category id of the policy
  std::string recorder;  ///< person id who records it (the customer's owner)
  std::string summary;
  date raised_on;  ///< the day the customer raised it
  std::optional<date> recorded_on;
  std::optional<date> reported_on;  ///< reported to the superior
  std::optional<date> resolved_on;  ///< the responsible department resolved it
  std::optional<date> closed_on;    ///< closed (final)
  std::vector<escalation_record> escalations;
  friend bool operator==(const complaint&, const complaint&) = default;
};

/// The deadlines of one complaint.
struct complaint_deadlines {
  date record_by;
  date report_by;
  date resolve_by;
};

/// An escalation to raise now.
struct escalation {
  std::string complaint;
  std::string customer;
  std::string category;
  escalation_kind kind = escalation_kind::report;
  std::string from;  ///< the recorder
  std::string to;    ///< person id of the recorder's superior; empty when none is found
  std::string to_name;
  date due_on;           ///< the deadline concerned
  int days_overdue = 0;  ///< as_of − due_on when positive
  std::string article;   ///< art-8.1 or art-8.2 (the category's article)
  std::string reason;
  friend bool operator==(const escalation&, const escalation&) = default;
};

/// A complaint names a category the policy does not have, or its dates are out of order.
/// Kind `error_kind::complaint`.
class complaint_error : public error {
 public:
  explicit complaint_error(std::vector<std::string> problems);
};

/// What check_complaints refuses in one complaint on its own, each as "field: message"
/// (`category: unknown category "golf" (known: ...)`, `recorded_on: ... is before raised_on ...`):
/// for readers that check each record as they read it and can say where it came from.
[[nodiscard]] std::vector<std::string> complaint_problems(const complaint_rules& rules,
                                                          const complaint& c);

/// Checks complaints against the policy's categories: known category, unique id, no date
/// before `raised_on`, closed only if resolved. Throws `complaint_error` listing every problem,
/// located as `complaints[i].field`.
void check_complaints(const complaint_rules& rules, const std::vector<complaint>& complaints);

/// The deadlines of `c` (raised_on + the category's days). Throws complaint_error for an
/// unknown category.
[[nodiscard]] complaint_deadlines deadlines_of(const complaint_rules& rules, const complaint& c);

/// The escalations due on `as_of`, for open (not closed, not resolved) complaints, excluding
/// kinds already raised on the complaint. Ordered by complaint id, then kind. Checks the
/// complaints first (see `check_complaints`). Only what was known on `as_of` counts: a date
/// after it (resolved, reported, an escalation opened...) is ignored and, when `ignored` is
/// given, reported there ("complaint K2: resolved_on: ... ignored"); see known_facts.hpp.
[[nodiscard]] std::vector<escalation> escalations_due(const complaint_rules& rules,
                                                      const std::vector<complaint>& complaints,
                                                      const org::directory& people, date as_of,
                                                      std::vector<std::string>* ignored = nullptr);

/// Why a complaint cannot be closed.
enum class complaint_refusal_kind {
  open_escalation,  ///< an escalation on it is still open
  not_resolved,     ///< the responsible department has not resolved it
  already_closed,   ///< it is closed already
  invalid_date,     ///< the closing day is before it was resolved
};
[[nodiscard]] std::string_view to_string(complaint_refusal_kind k) noexcept;
/// Streams the stable name.
inline std::ostream& operator<<(std::ostream& os, complaint_refusal_kind k) {
  return os << to_string(k);
}

/// A refused close, with the reason in words.
struct complaint_refusal {
  complaint_refusal_kind kind;
  std::string message;
};

/// Closes `c` on `on`: returns the closed complaint, or why it cannot be closed.
[[nodiscard]] std::variant<complaint, complaint_refusal> close_complaint(const complaint& c,
                                                                         date on);

}  // namespace keyaccount::care
