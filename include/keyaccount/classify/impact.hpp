#pragma once
/// \file
/// The impact of a policy change on customers (issue 20 item 3): each customer classified with
/// the baseline and the candidate policy, the tier transition matrix (from × to) and every
/// customer whose tier changes, with the criteria whose outcome flipped and their old and new
/// why-not.
///
///     keyaccount::impact_builder impact(baseline, candidate, as_of);
///     for (auto& record : records) impact.add(record);      // or compare_batch() on columns
///     nlohmann::json report = to_json(impact.report());

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/classifier.hpp"

namespace keyaccount {

/// A criterion whose outcome differs between the two policies for one customer (a criterion
/// only one policy has is `not_evaluated` on the other side).
struct criterion_flip {
  std::string id;
  std::string article;
  outcome old_result = outcome::not_evaluated;
  outcome new_result = outcome::not_evaluated;
  localized_name old_why_not;
  localized_name new_why_not;
};

/// A customer whose tier changes.
struct tier_change {
  std::size_t row = 0;  ///< position in the input (0-based)
  std::string id;       ///< the customer's id
  std::string old_tier, new_tier;
  std::vector<criterion_flip> flips;
};

/// The impact of a candidate policy against a baseline on a set of customers.
/// A customer of compare_batch() that a policy could not classify (left out of the report).
struct impact_failure {
  std::size_t row = 0;
  std::string policy;     ///< "baseline" or "candidate" (the baseline's when both failed)
  std::string field;      ///< the field of a value that cannot be read, or empty
  std::string criterion;  ///< the criterion that failed to evaluate, or empty
  std::string message;
};

struct impact_report {
  date as_of;
  decision_provenance baseline, candidate;
  std::vector<std::string> old_tiers, new_tiers;  ///< tier ids of each policy, in order
  /// matrix[i][j]: customers in baseline tier i and candidate tier j.
  std::vector<std::vector<std::size_t>> matrix;
  std::size_t customers = 0;  ///< customers classified by both
  std::size_t failed = 0;     ///< customers either policy could not classify (left out)
  /// compare_batch(): why each of those customers failed, in row order (the row-at-a-time
  /// impact_builder leaves this empty: its caller sees each record's failure as it adds it).
  std::vector<impact_failure> failures;
  std::vector<tier_change> changes;  ///< in input order
};

/// The criteria whose outcomes differ between two explanations of one customer, in the
/// candidate's criterion order, then those only the baseline has.
[[nodiscard]] std::vector<criterion_flip> flipped_criteria(const explanation& baseline,
                                                           const explanation& candidate);

/// Builds an impact report one customer at a time (the CLI's path). Not thread-safe.
class impact_builder {
 public:
  /// Both classifiers must read the same customer schema (the records are bound once and
  /// classified by each); throws std::invalid_argument when the schemas differ.
  impact_builder(const classifier& baseline, const classifier& candidate, date as_of);
  /// Classifies `record` with both policies; returns false when either could not (the customer
  /// is counted as failed and left out of the matrix). Throws input_error as classify() does.
  bool add(const customer_record& record);
  [[nodiscard]] const impact_report& report() const noexcept { return report_; }

 private:
  const classifier& a_;
  const classifier& b_;
  classify_scratch sa_, sb_;
  std::size_t row_ = 0;
  impact_report report_;
};

/// The same over a column table with the columnar batch path (both policies, `threads`
/// threads), explaining only the customers whose tier changes. Rows either policy cannot
/// classify are counted as failed. Throws as classify_batch() does.
[[nodiscard]] impact_report compare_batch(const classifier& baseline, const classifier& candidate,
                                          const column_table& table, date as_of,
                                          unsigned threads = 1,
                                          const std::vector<std::string>* ids = nullptr);

/// {"as_of", "baseline": provenance, "candidate": provenance, "customers", "failed",
///  "changed", "matrix": [{"from", "to", "count"}], "changes": [{"row", "id", "old_tier",
///  "new_tier", "criteria": [{"id", "article", "old", "new", "old_why_not", ...}]}]}.
[[nodiscard]] nlohmann::json to_json(const impact_report& r);

/// The transition matrix and the changed customers as text.
[[nodiscard]] std::string to_text(const impact_report& r);

/// The same as Markdown (for a pull-request comment).
[[nodiscard]] std::string to_markdown(const impact_report& r);

}  // namespace keyaccount
