#pragma once
/// \file
/// Workflow instances, actions and refusals: the value types of the approval engine
/// (Art. 11–14). An instance is a plain value a CRM may store anywhere (see json.hpp).
///
/// The namespace is `keyaccount::workflows` (plural): `keyaccount::workflow` is already the
/// policy model's struct for a workflow definition.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/policy/date.hpp"

namespace keyaccount::workflows {

/// The format version written into every instance's JSON.
inline constexpr std::string_view instance_format_version = "1";

/// Where an instance stands.
enum class instance_state {
  in_progress,  ///< a step is waiting for approvals
  returned,     ///< sent back to the requester, who may resubmit or withdraw
  approved,     ///< every step that applies is approved (final)
  rejected,     ///< an approver rejected it (final)
  withdrawn,    ///< the requester withdrew it (final)
};

/// What someone does to an instance.
enum class action_kind {
  submit,    ///< the requester starts the workflow, or resubmits it after a return
  approve,   ///< an eligible approver approves the current step
  reject,    ///< an eligible approver rejects: the instance ends
  return_,   ///< an eligible approver sends it back one step (to the requester at the first)
  withdraw,  ///< the requester withdraws it
  delegate,  ///< an approver lets someone act in their place until a date
  comment,   ///< anyone involved adds a comment
};

/// Where a step stands.
enum class step_status { pending, active, approved, skipped };

/// How an approver came to act.
enum class acting_via {
  direct,      ///< holds the position
  delegation,  ///< acts for a delegator (`on_behalf_of`)
  escalation,  ///< superior of an overdue holder (`on_behalf_of`)
};

/// Why an action was refused. Stable: names are part of the JSON, CLI and Python API.
enum class refusal_kind {
  not_authorized,        ///< the actor may not do this here and now
  wrong_state,           ///< the instance is not in a state that allows the action
  separation_of_duties,  ///< own request, or a second place for the same person
  stale_version,         ///< the action was based on an older version of the instance
  unknown_step,          ///< the action names a step the workflow does not have
  unknown_workflow,      ///< no workflow with this id in the policy
  unknown_person,        ///< the actor or delegate is not in the directory
  invalid_request,       ///< the request does not match the workflow's request fields
  invalid_action,        ///< the action itself is malformed (no comment, bad dates, ...)
  duplicate_request,     ///< the request id was used before for a different action
  condition_error,       ///< a step condition could not be evaluated
  policy_mismatch,       ///< the instance belongs to another policy (id or version)
};

/// Stable snake_case names ("in_progress", "return", "not_authorized", ...).
[[nodiscard]] std::string_view to_string(instance_state v) noexcept;
[[nodiscard]] std::string_view to_string(action_kind v) noexcept;
[[nodiscard]] std::string_view to_string(step_status v) noexcept;
[[nodiscard]] std::string_view to_string(acting_via v) noexcept;
[[nodiscard]] std::string_view to_string(refusal_kind v) noexcept;
/// Inverse of to_string; empty for an unknown name.
[[nodiscard]] std::optional<instance_state> parse_instance_state(std::string_view s) noexcept;
[[nodiscard]] std::optional<action_kind> parse_action_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<step_status> parse_step_status(std::string_view s) noexcept;
[[nodiscard]] std::optional<acting_via> parse_acting_via(std::string_view s) noexcept;
[[nodiscard]] std::optional<refusal_kind> parse_refusal_kind(std::string_view s) noexcept;

/// Streams the stable name (for logs and test output).
inline std::ostream& operator<<(std::ostream& os, instance_state v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, action_kind v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, step_status v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, acting_via v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, refusal_kind v) { return os << to_string(v); }

/// One approval given at a step.
struct approval {
  std::string person;  ///< who approved
  std::string place;   ///< the position whose place it fills
  acting_via via = acting_via::direct;
  std::string on_behalf_of;  ///< delegator or overdue holder; empty when direct
  date on;
  friend bool operator==(const approval&, const approval&) = default;
};

/// The progress of one step of the definition.
struct step_record {
  std::string id;
  step_status status = step_status::pending;
  std::optional<date> entered_on;   ///< when it last became active (its deadline counts from it)
  std::vector<approval> approvals;  ///< approvals of the current round
  friend bool operator==(const step_record&, const step_record&) = default;
};

/// `from` lets `to` act in their place on this instance, `since`..`until` inclusive.
struct delegation {
  std::string from;
  std::string to;
  date since;
  date until;
  friend bool operator==(const delegation&, const delegation&) = default;
};

/// One accepted action, as recorded in the history.
struct history_entry {
  std::uint64_t version = 0;  ///< the instance version this action produced
  action_kind action = action_kind::comment;
  std::string actor;
  date on;
  std::string step;  ///< the step acted on; empty when none
  std::string comment;
  std::string request_id;  ///< the caller's idempotency key; empty when none
  acting_via via = acting_via::direct;
  std::string on_behalf_of;
  std::string delegate_to;    ///< delegate: the delegate
  std::optional<date> until;  ///< delegate: last day
  nlohmann::json request;     ///< submit: the request submitted; null otherwise
  friend bool operator==(const history_entry&, const history_entry&) = default;
};

/// A running (or finished) workflow. A value: copy it, store it, compare it.
/// Not synchronised: one writer at a time (the engine's `apply` mutates it).
struct instance {
  std::string format_version{instance_format_version};
  std::string workflow;        ///< workflow id
  std::string policy_id;       ///< policy it started under
  std::string policy_version;  ///< and that policy's version
  std::string requester;       ///< person id
  nlohmann::json request = nlohmann::json::object();
  instance_state state = instance_state::in_progress;
  std::string current_step;   ///< empty unless in progress
  std::uint64_t version = 0;  ///< incremented by every accepted action
  std::vector<step_record> steps;
  std::vector<delegation> delegations;
  std::vector<history_entry> history;
  friend bool operator==(const instance&, const instance&) = default;
};

/// What someone wants to do: `action::make(action_kind::approve, "fay", today).expecting(1)`.
struct action {
  action_kind kind = action_kind::comment;
  std::string actor;
  date on;                                        ///< the caller's as-of date; no clock inside
  std::string request_id;                         ///< idempotency key; empty: none
  std::optional<std::uint64_t> expected_version;  ///< refuse unless the instance is at it
  std::string step;                               ///< optional: the step the actor means
  std::string comment;
  std::string delegate_to;                ///< delegate: who
  std::optional<date> until;              ///< delegate: until when (inclusive)
  std::optional<nlohmann::json> request;  ///< submit: the request (resubmit: replaces it)

  /// An action of `kind` by `actor` on `on`; the `with_*`/`expecting` setters add the rest.
  [[nodiscard]] static action make(action_kind kind, std::string actor, date on) {
    action a;
    a.kind = kind;
    a.actor = std::move(actor);
    a.on = on;
    return a;
  }
  action& with_request_id(std::string id) {
    request_id = std::move(id);
    return *this;
  }
  action& expecting(std::uint64_t version) {
    expected_version = version;
    return *this;
  }
  action& at_step(std::string id) {
    step = std::move(id);
    return *this;
  }
  action& with_comment(std::string text) {
    comment = std::move(text);
    return *this;
  }
  action& delegating_to(std::string person, date last_day) {
    delegate_to = std::move(person);
    until = last_day;
    return *this;
  }
  action& with_request(nlohmann::json r) {
    request = std::move(r);
    return *this;
  }
};

/// A refusal: a kind to branch on and a message that says why.
struct refusal {
  refusal_kind kind = refusal_kind::invalid_action;
  std::string message;
  friend bool operator==(const refusal&, const refusal&) = default;
};

/// The outcome of applying an action: accepted (perhaps as a replay of an earlier request id,
/// in which case nothing changed) or refused. Cheap to return; no exceptions on the hot path.
class [[nodiscard]] result {
 public:
  result() = default;
  static result accepted() { return {}; }
  static result replay() {
    result r;
    r.replayed_ = true;
    return r;
  }
  static result refused(refusal_kind kind, std::string message) {
    result r;
    r.refusal_ = refusal{kind, std::move(message)};
    return r;
  }
  [[nodiscard]] bool ok() const noexcept { return !refusal_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  /// True when the request id had been applied before: the instance is unchanged.
  [[nodiscard]] bool replayed() const noexcept { return replayed_; }
  /// The refusal; only when !ok().
  [[nodiscard]] const refusal& error() const { return refusal_.value(); }

 private:
  std::optional<refusal> refusal_;
  bool replayed_ = false;
};

}  // namespace keyaccount::workflows
