#pragma once
/// \file
/// The approval-workflow engine: a `workflow_set` compiled from a policy applies actions to
/// instances, answers who may act now and when a step is due, and escalates overdue steps to
/// the superiors of the people who should have acted (all against a caller-supplied `as_of`).

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "keyaccount/core/error.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"
#include "keyaccount/workflow/instance.hpp"

namespace keyaccount::workflows {

/// The value of a step condition for one request: true, false, or why it could not be
/// evaluated (then the action that needs it is refused with `condition_error`).
struct condition_value {
  std::optional<bool> value;
  std::string error;
};

/// A compiled step condition: evaluates against the request (a JSON object). Must be
/// thread-safe: a workflow set shares it between threads.
using condition_fn = std::function<condition_value(const nlohmann::json& request)>;

/// Compiles the text of a step condition (CEL over `request` and `params`) for a workflow of a
/// policy. Returns the compiled condition, or a message when the text does not compile.
using condition_compiler = std::function<std::variant<condition_fn, std::string>(
    std::string_view text, const workflow& definition, const policy& p)>;

/// The condition compiler used when none is given: the library's CEL engine when it is built
/// in; otherwise one whose conditions always fail to evaluate with a message saying so (a
/// condition that cannot be evaluated refuses, it never silently passes).
[[nodiscard]] condition_compiler default_condition_compiler();

/// Options of `workflow_set::compile`.
struct compile_options {
  /// Compiles step conditions; empty: `default_condition_compiler()`.
  condition_compiler conditions;
};

/// A policy's workflows cannot be compiled (a condition does not compile, a step names an
/// unknown position, ...). Misuse: policies are validated by the loader first.
/// Kind `error_kind::workflow_compile`.
class compile_error : public error {
 public:
  explicit compile_error(const std::string& message)
      : error(error_kind::workflow_compile, {}, message) {}
};

/// A person who may act on the current step now, and in whose place.
struct eligible_actor {
  std::string person;
  std::string place;  ///< position id whose place they would fill
  acting_via via = acting_via::direct;
  std::string on_behalf_of;
  friend bool operator==(const eligible_actor&, const eligible_actor&) = default;
};

/// The deadline of the current step as of a date.
struct step_deadline {
  std::string step;
  date entered_on;
  std::optional<date> due;   ///< empty: the step has no deadline
  bool overdue = false;      ///< as_of is after `due`
  int escalation_level = 0;  ///< 0: none; n: n deadline periods missed (escalates n up)
  /// Superiors who may now act in the place of the step's holders, by id. Never someone who
  /// approves at a later step of the workflow (they would then be barred from their own step).
  std::vector<std::string> escalated_to;
  /// Everyone the overdue step is reported to (a reminder upwards): the superiors of the step's
  /// holders up to `escalation_level` levels, by id, including those who may not act.
  std::vector<std::string> reported_to;
};

namespace detail {
struct set_data;
}

/// The workflows of one policy, compiled: immutable and shareable across threads (copying it
/// copies a shared pointer). Every member function is const and thread-safe; the instance
/// passed to `apply` must not be used by another thread during the call.
class workflow_set {
 public:
  /// Compiles every workflow of `p`. Throws `compile_error` on an unvalidated policy.
  [[nodiscard]] static workflow_set compile(const policy& p, const compile_options& options = {});

  /// The policy id and version instances record.
  [[nodiscard]] const std::string& policy_id() const noexcept;
  [[nodiscard]] const std::string& policy_version() const noexcept;
  /// The definitions, in policy order.
  [[nodiscard]] const std::vector<workflow>& definitions() const noexcept;
  /// The definition with this id; nullptr when unknown.
  [[nodiscard]] const workflow* find(std::string_view id) const noexcept;

  /// Starts a workflow: `submit` must be a submit action by the requester carrying the request.
  /// Returns the new instance (state in_progress, or approved when no step applies) or why not.
  [[nodiscard]] std::variant<instance, refusal> start(std::string_view workflow_id,
                                                      const action& submit,
                                                      const org::directory& people) const;

  /// Applies `a` to `inst`. On a refusal `inst` is unchanged (strong guarantee); on a replay
  /// (the request id was applied before) it is unchanged too. Never throws for a bad action;
  /// only std::bad_alloc can escape.
  result apply(instance& inst, const action& a, const org::directory& people) const;

  /// Why this set cannot read `inst`: its workflow is unknown here, it started under another
  /// policy id or version, or its steps do not match the definition (the refusals `apply`
  /// gives). Empty when it can.
  [[nodiscard]] std::optional<refusal> check_instance(const instance& inst) const;

  /// `inst` as it stood at the end of `day`: what was known on that day. Actions recorded after
  /// `day` are left out by replaying the history from the submission up to `day` (the
  /// instance itself when nothing is later). Refused when `check_instance` refuses, when the
  /// instance was submitted after `day` (`wrong_state`), or when a replayed action is refused
  /// today (the directory changed since: the refusal names the version).
  [[nodiscard]] std::variant<instance, refusal> as_of(const instance& inst, date day,
                                                      const org::directory& people) const;

  /// Who may act on the current step of `inst` on `as_of`, ordered by person then place:
  /// holders of the step's positions, their delegates, and, once the deadline has passed and
  /// the step escalates, their superiors. Excludes people separation of duties rules out and
  /// places already filled. Answers for the instance as it stood on `as_of` (later actions
  /// are ignored, see `as_of`). Empty unless in progress, and when `as_of(inst, as_of, people)`
  /// refuses: call it to learn why.
  [[nodiscard]] std::vector<eligible_actor> who_may_act(const instance& inst, date as_of,
                                                        const org::directory& people) const;

  /// The current step's deadline on `as_of`, for the instance as it stood on that day; empty
  /// when no step is active then, and when `as_of(inst, as_of, people)` refuses.
  [[nodiscard]] std::optional<step_deadline> deadline(const instance& inst, date as_of,
                                                      const org::directory& people) const;

 private:
  workflow_set() = default;  // only compile() makes one: a set always has its data
  std::shared_ptr<const detail::set_data> data_;
};

}  // namespace keyaccount::workflows
