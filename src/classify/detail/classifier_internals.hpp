#pragma once
// The classifier's interpreter, member by member (internal): for the library's own batch,
// impact and care code, which bind variables themselves (whole columns, two policies at once,
// a supply rule evaluated with a customer's fields) and so need more than classify() and
// explain(). Not installed, not public API: these functions take the interpreter's activation
// and outcome vectors, whose layout (customer_declarations() slot order, one outcome per
// criterion) is an implementation detail of the classifier.

#include <cstddef>
#include <span>
#include <vector>

#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/expr/program.hpp"

namespace keyaccount::detail {

/// The decision for variables already bound in customer_declarations() slot order (as_of
/// included). Used by the columnar batch API.
[[nodiscard]] decision decide(const classifier& c, const expr::activation& vars);
/// The condition of criterion `index`, or nullptr for a combination of criteria.
[[nodiscard]] const expr::program* condition(const classifier& c, std::size_t index);
/// The decision from the outcomes of the leaf criteria, `leaves[i]` for criterion i (met or
/// not_met for every criterion with a condition; ignored for combinations). Used by the
/// columnar batch path, which evaluates the conditions over whole columns.
[[nodiscard]] decision decide_outcomes(const classifier& c, std::span<const outcome> leaves);
/// The explanation for bound variables (without provenance: the caller knows the day;
/// classify_batch shares one provenance among its explanations).
[[nodiscard]] explanation explain(const classifier& c, const expr::activation& vars);
/// Every criterion's outcome for bound variables, in policy order, all evaluated (no
/// short-circuit), as explain() sees them.
[[nodiscard]] std::vector<outcome> outcomes(const classifier& c, const expr::activation& vars);
/// The same, with the outcomes already known given in `known` (one per criterion;
/// not_evaluated where unknown), which are not evaluated again: compare_batch passes the
/// baseline's outcomes of the criteria both policies share.
[[nodiscard]] std::vector<outcome> outcomes(const classifier& c, const expr::activation& vars,
                                            std::vector<outcome> known);
/// The report of criterion `index` as explain() writes it, given `memo` = outcomes(vars) (a
/// combination that is an error carries no cause here). Rendering the few reports one needs
/// (the criteria a policy change flips) costs a fraction of a whole explanation.
[[nodiscard]] criterion_report report(const classifier& c, const expr::activation& vars,
                                      std::size_t index, const std::vector<outcome>& memo);
/// report(c, vars, index, memo).why_not, and only what it needs (a criterion not met: its
/// observed value and target are evaluated, the observed value not rendered; any other
/// outcome: empty, nothing evaluated). compare_batch words each flipped criterion with it.
[[nodiscard]] localized_name why_not(const classifier& c, const expr::activation& vars,
                                     std::size_t index, const std::vector<outcome>& memo);
/// Binds `record` and `as_of` into `vars` (borrowing the record's strings and series). Throws
/// input_error as classifier::classify() does for a date after `as_of`.
void bind(const classifier& c, const customer_record& record, date as_of, expr::activation& vars);
/// An empty activation with the slots of customer_declarations().
[[nodiscard]] expr::activation make_activation(const classifier& c);
/// The slot of `as_of` (after the customer fields).
[[nodiscard]] std::size_t as_of_slot(const classifier& c) noexcept;

}  // namespace keyaccount::detail
