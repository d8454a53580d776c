#pragma once
/// \file
/// Whether a workflow can get stuck: a reachable state of an instance, in progress, on which
/// nobody may act on any later date (not even by escalation). The validator reports one such
/// state per workflow (`workflow_may_deadlock`) with the path that reaches it.

#include <optional>
#include <string>
#include <vector>

#include "keyaccount/policy/model.hpp"

namespace keyaccount::workflows {

/// A stuck state and how it is reached.
struct stuck_path {
  /// The actions that reach it, readably, e.g. "cr_specialist submits",
  /// "general_manager approves `finance_review` (as general_manager)".
  std::vector<std::string> actions;
  std::size_t step = 0;  ///< index of the step nobody may act on
  std::string why;       ///< why its approvers may not act (the engine's refusal)
  /// The values assumed for step conditions, e.g. "`request.amount > ...` is true"; empty
  /// when the workflow has no conditional step.
  std::vector<std::string> assumptions;
};

/// Explores every state an instance of `definition` can reach under `p`'s organisation, played
/// by made-up people: each position has its `headcount` of holders (as many as the workflow
/// could ever ask of it when no headcount is declared, or when that is fewer), the reporting
/// line is the policy's, every step condition is tried both true and false, and overdue steps
/// escalate as far as the line goes. Only approvals are explored: a return leads back to a
/// state already reached, a rejection or withdrawal ends the instance.
///
/// Returns the first stuck state found by a breadth-first search (so one with a shortest path),
/// or empty when there is none. Also empty when the policy's workflows do not compile or the
/// made-up organisation does not fit it (the validator reports those problems), or when the
/// search would exceed `max_states` states.
[[nodiscard]] std::optional<stuck_path> find_deadlock(const policy& p, const workflow& definition,
                                                      std::size_t max_states = 20000);

}  // namespace keyaccount::workflows
