// Stable names of the workflow enums (JSON, CLI, Python) and their inverses.
#include <array>
#include <utility>

#include "keyaccount/workflow/instance.hpp"

namespace keyaccount::workflows {
namespace {

template <class E, std::size_t N>
using table = std::array<std::pair<E, std::string_view>, N>;

constexpr table<instance_state, 5> state_names{{{instance_state::in_progress, "in_progress"},
                                                {instance_state::returned, "returned"},
                                                {instance_state::approved, "approved"},
                                                {instance_state::rejected, "rejected"},
                                                {instance_state::withdrawn, "withdrawn"}}};
constexpr table<action_kind, 7> action_names{{{action_kind::submit, "submit"},
                                              {action_kind::approve, "approve"},
                                              {action_kind::reject, "reject"},
                                              {action_kind::return_, "return"},
                                              {action_kind::withdraw, "withdraw"},
                                              {action_kind::delegate, "delegate"},
                                              {action_kind::comment, "comment"}}};
constexpr table<step_status, 4> step_names{{{step_status::pending, "pending"},
                                            {step_status::active, "active"},
                                            {step_status::approved, "approved"},
                                            {step_status::skipped, "skipped"}}};
constexpr table<acting_via, 3> via_names{{{acting_via::direct, "direct"},
                                          {acting_via::delegation, "delegation"},
                                          {acting_via::escalation, "escalation"}}};
constexpr table<refusal_kind, 12> refusal_names{{
    {refusal_kind::not_authorized, "not_authorized"},
    {refusal_kind::wrong_state, "wrong_state"},
    {refusal_kind::separation_of_duties, "separation_of_duties"},
    {refusal_kind::stale_version, "stale_version"},
    {refusal_kind::unknown_step, "unknown_step"},
    {refusal_kind::unknown_workflow, "unknown_workflow"},
    {refusal_kind::unknown_person, "unknown_person"},
    {refusal_kind::invalid_request, "invalid_request"},
    {refusal_kind::invalid_action, "invalid_action"},
    {refusal_kind::duplicate_request, "duplicate_request"},
    {refusal_kind::condition_error, "condition_error"},
    {refusal_kind::policy_mismatch, "policy_mismatch"},
}};

template <class E, std::size_t N>
std::string_view name_of(const table<E, N>& t, E v) noexcept {
  for (const auto& [e, n] : t) {
    if (e == v) return n;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> parse_name(const table<E, N>& t, std::string_view s) noexcept {
  for (const auto& [e, n] : t) {
    if (n == s) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(instance_state v) noexcept { return name_of(state_names, v); }
std::string_view to_string(action_kind v) noexcept { return name_of(action_names, v); }
std::string_view to_string(step_status v) noexcept { return name_of(step_names, v); }
std::string_view to_string(acting_via v) noexcept { return name_of(via_names, v); }
std::string_view to_string(refusal_kind v) noexcept { return name_of(refusal_names, v); }

std::optional<instance_state> parse_instance_state(std::string_view s) noexcept {
  return parse_name(state_names, s);
}
std::optional<action_kind> parse_action_kind(std::string_view s) noexcept {
  return parse_name(action_names, s);
}
std::optional<step_status> parse_step_status(std::string_view s) noexcept {
  return parse_name(step_names, s);
}
std::optional<acting_via> parse_acting_via(std::string_view s) noexcept {
  return parse_name(via_names, s);
}
std::optional<refusal_kind> parse_refusal_kind(std::string_view s) noexcept {
  return parse_name(refusal_names, s);
}

}  // namespace keyaccount::workflows
