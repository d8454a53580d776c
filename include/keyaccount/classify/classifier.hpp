#pragma once
/// \file
/// The classifier: a policy's tiers and criteria (Art. 4–5) compiled into CEL programs, deciding
/// a customer's tier and explaining why (and why not).
///
///     keyaccount::classifier c(keyaccount::default_policy());
///     keyaccount::record_parser parser(keyaccount::default_policy());
///     auto record = parser.from_json_text(R"({"id": "C1", ...})");
///     keyaccount::decision d = c.classify(record, *keyaccount::date::parse("2026-06-30"));
///     std::string tier = c.tier_id(d);
///     keyaccount::explanation e = c.explain(record, as_of);   // every criterion, with why-not
///
/// No clock, I/O or global state is used while evaluating: the caller passes `as_of`.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/classify/record.hpp"
#include "keyaccount/core/error.hpp"
#include "keyaccount/expr/program.hpp"
#include "keyaccount/policy/date.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// A policy's criterion or explanation expression failed to compile (the policy was not
/// validated by the loader, or refers to an unknown criterion). Misuse of the API.
class classifier_error : public error {
 public:
  explicit classifier_error(const std::string& message)
      : error(error_kind::classifier, {}, message) {}
};

/// The outcome of one criterion for one customer.
enum class outcome : std::uint8_t {
  not_evaluated,  ///< skipped by short-circuit evaluation (never in an explanation)
  met,
  not_met,
  error,  ///< the condition evaluated to a CEL error (e.g. a field the data lacks)
};

/// "met", "not_met", "error" or "not_evaluated".
[[nodiscard]] std::string_view to_string(outcome o) noexcept;

/// The tier of one customer. A small value type.
struct decision {
  static constexpr std::uint32_t no_tier = std::numeric_limits<std::uint32_t>::max();
  /// Index of the tier in policy order, or no_tier when a criterion evaluated to an error.
  std::uint32_t tier = no_tier;
  /// The criterion whose condition failed to evaluate, when tier == no_tier.
  std::uint32_t error_criterion = no_tier;
  [[nodiscard]] bool ok() const noexcept { return tier != no_tier; }
};

/// One criterion's result with what was observed, what was required and, when not met, what
/// would meet it.
struct criterion_report {
  std::string id;
  std::string article;
  localized_name name;
  outcome result = outcome::not_evaluated;
  bool leaf = true;
  /// Rendered observed value ("380", "government"); empty when the criterion has no `explain`.
  std::string observed;
  std::optional<double> observed_number;  ///< the observed value when numeric
  std::string target;                     ///< rendered target, empty when none
  std::optional<double> target_number;    ///< the target when numeric
  localized_name requirement;             ///< free-text requirement (e.g. Art. 4.1)
  localized_name unit;
  bool strict = false;  ///< observed must be strictly above the target
  /// observed − target when both are numeric: how far above (positive) or below the threshold.
  std::optional<double> margin;
  /// For a criterion not met, how much more is needed (target − observed, never negative).
  std::optional<double> gap;
  bool precondition_failed = false;  ///< the explain block's precondition does not hold
  /// Why not (and what would meet it), English and Chinese; empty when met.
  localized_name why_not;
  /// When result == error: why. A leaf's CEL error; a combination's names the first part that
  /// is an error and its cause ("art-5.1: index 11 out of range ..."), so it is never empty.
  std::string error;
};

/// Which policy made a decision, and when (issue 20 item 5): enough for an auditor to replay it
/// with the same policy. `policy_hash` is the policy's content hash (policy::content_hash:
/// SHA-256 of its canonical JSON, keyaccount/policy/identity.hpp).
struct decision_provenance {
  std::string policy_id;       ///< document.id
  std::string policy_version;  ///< document.version
  std::string policy_hash;     ///< 64 hex digits; empty for a policy built in code
  date as_of;                  ///< the evaluation date
  std::string keyaccount_version;
};

/// A decision with a report for every criterion (evaluated without short-circuit).
struct explanation {
  decision result;
  std::string tier;          ///< tier id (empty when !result.ok())
  localized_name tier_name;  ///< tier names
  /// The criteria that decided: for a tier won, the met criteria that make its rule hold; for
  /// the fallback tier, the unmet criteria that kept the customer out of the higher tiers.
  std::vector<std::string> deciding;
  /// One report per criterion, in policy order.
  std::vector<criterion_report> criteria;
  /// When !result.ok(): the id of the criterion whose condition failed to evaluate and its
  /// CEL error (the cause), e.g. "art-5.1" and "index 11 out of range for a list of size 2".
  std::string error_criterion;
  std::string error;
  /// The policy and the day that made the decision (shared by the explanations of one batch).
  std::shared_ptr<const decision_provenance> provenance;
  /// The report of criterion `id`, or nullptr.
  [[nodiscard]] const criterion_report* find(std::string_view id) const noexcept;
};

/// Variable bindings reused across evaluations on one thread (avoids allocating per customer).
/// Not thread-safe: one per thread. Create with classifier::make_scratch().
class classify_scratch {
 public:
  classify_scratch() = default;

 private:
  friend class classifier;
  expr::activation vars_;
};

namespace detail {
struct compiled_policy;
struct classifier_access;
}  // namespace detail

/// A policy's tiers and criteria compiled to CEL programs. Immutable and thread-safe: any
/// number of threads may classify with one classifier at once (each with its own scratch).
/// Copies share the compiled programs.
class classifier {
 public:
  /// Compiles every criterion, tier rule and explanation expression of `p` with
  /// customer_declarations(p). Throws classifier_error when one does not compile.
  explicit classifier(const policy& p);

  /// The tier of `record` on `as_of`: tiers in order, the first whose rule holds wins; criteria
  /// are evaluated lazily and short-circuit as their combination allows. Throws input_error
  /// naming the field when a date of the record is after `as_of` (check_dates_not_after): the
  /// record contradicts the day, so no tier is decided. The same for explain().
  [[nodiscard]] decision classify(const customer_record& record, date as_of) const;
  /// The same, reusing `scratch` (no allocation per call).
  [[nodiscard]] decision classify(const customer_record& record, date as_of,
                                  classify_scratch& scratch) const;
  /// The decision with a report on every criterion (all evaluated, so the why-not is complete).
  [[nodiscard]] explanation explain(const customer_record& record, date as_of) const;

  /// Scratch space for classify() on one thread.
  [[nodiscard]] classify_scratch make_scratch() const;

  /// Tier ids and names, in policy order.
  [[nodiscard]] std::size_t tier_count() const noexcept;
  [[nodiscard]] const std::string& tier_id(std::size_t index) const;
  [[nodiscard]] const localized_name& tier_name(std::size_t index) const;
  /// The tier id of a decision, or "" when it failed.
  [[nodiscard]] std::string_view tier_id(const decision& d) const noexcept;
  /// The index of tier `id`, if any.
  [[nodiscard]] std::optional<std::size_t> tier_index(std::string_view id) const noexcept;
  /// Criterion ids, in policy order.
  [[nodiscard]] std::size_t criterion_count() const noexcept;
  [[nodiscard]] const std::string& criterion_id(std::size_t index) const;
  /// The parser for records of this policy's customer schema.
  [[nodiscard]] const record_parser& parser() const noexcept;
  /// The policy this classifier was compiled from (a copy it owns).
  [[nodiscard]] const policy& source_policy() const noexcept;
  /// The provenance of a decision made by this classifier on `as_of`.
  [[nodiscard]] decision_provenance provenance(date as_of) const;

  /// Per customer field (schema order): whether a criterion or explanation expression names it.
  [[nodiscard]] const std::vector<bool>& fields_used() const noexcept;

 private:
  // The interpreter's members (decide, outcomes, bind, ... on bound variables) are the library's
  // own: src/classify/detail/classifier_internals.hpp, for its batch, impact and care code.
  friend struct detail::classifier_access;
  std::shared_ptr<const detail::compiled_policy> impl_;
};

}  // namespace keyaccount
