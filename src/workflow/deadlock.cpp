#include "keyaccount/workflow/deadlock.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "keyaccount/org/directory.hpp"
#include "keyaccount/workflow/engine.hpp"

namespace keyaccount::workflows {

namespace {

bool lists(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// As many holders as the workflow could ever ask of a position at once: the requester, and one
// per place of each step it approves at (a quorum's worth for a quorum step). More holders
// could never leave fewer people able to act.
int holders_needed(const workflow& def, const std::string& position) {
  int n = lists(def.initiators, position) ? 1 : 0;
  for (const auto& s : def.steps) {
    if (lists(s.approvers, position))
      n += s.mode == approval_mode::quorum ? std::max(s.quorum, 1) : 1;
  }
  return std::max(n, 1);
}

// Made-up people: each named after their position ("finance_reviewer", or "cr_supervisor#2"
// when the position has several holders), superiors from the policy's reporting line.
std::vector<org::person> made_up_people(const policy& p, const workflow& def) {
  std::vector<org::person> out;
  for (const auto& pos : p.org.positions) {
    int n = holders_needed(def, pos.id);
    if (pos.headcount) n = std::min(n, *pos.headcount);
    for (int k = 1; k <= n; ++k) {
      org::person who;
      who.id = n == 1 ? pos.id : pos.id + "#" + std::to_string(k);
      who.name = who.id;
      who.positions = {pos.id};
      out.push_back(std::move(who));
    }
  }
  return out;
}

// A request the workflow's declared fields accept.
nlohmann::json made_up_request(const workflow& def, const std::string& requester) {
  nlohmann::json r = nlohmann::json::object();
  for (const auto& f : def.request_fields) {
    switch (f.type) {
      case field_type::string_:
        r[f.id] = "x";
        break;
      case field_type::number:
      case field_type::integer:
        r[f.id] = 1;
        break;
      case field_type::boolean:
        r[f.id] = true;
        break;
      case field_type::date_:
        r[f.id] = "2026-01-05";
        break;
      case field_type::enumeration:
        if (!f.values.empty()) r[f.id] = f.values.front();
        break;
      case field_type::series:
      case field_type::string_list:
        r[f.id] = nlohmann::json::array();
        break;
      case field_type::person:
        r[f.id] = requester;
        break;
      case field_type::object:
        r[f.id] = nlohmann::json::object();
        break;
    }
  }
  return r;
}

// Conditions that ignore the request: each step condition's text has the value assumed for it,
// an entry condition holds.
condition_compiler assumed(const std::map<std::string, bool, std::less<>>& values) {
  return [values](std::string_view text, const workflow&,
                  const policy&) -> std::variant<condition_fn, std::string> {
    auto it = values.find(text);
    const bool v = it == values.end() || it->second;
    return condition_fn([v](const nlohmann::json&) { return condition_value{v, ""}; });
  };
}

// What distinguishes states for what can happen next (dates only shift the deadlines, which
// are tried at every escalation level anyway).
std::string key_of(const instance& i) {
  std::string k = i.requester + "|" + std::string(to_string(i.state)) + "|" + i.current_step;
  for (const auto& s : i.steps) {
    k += "|" + std::string(to_string(s.status));
    for (const auto& a : s.approvals)
      k += "," + a.person + "/" + a.place + "/" + std::string(to_string(a.via)) + "/" +
           a.on_behalf_of;
  }
  return k;
}

struct node {
  instance inst;
  std::size_t parent;
  std::string action;
};

std::size_t current_index(const workflow& def, const instance& inst) {
  for (std::size_t i = 0; i < def.steps.size(); ++i) {
    if (def.steps[i].id == inst.current_step) return i;
  }
  return def.steps.size();
}

// The days worth trying at the current step: now, and just past each escalation level.
std::vector<date> days_to_try(const workflow_step& step, const instance& inst, int levels) {
  const date last = inst.history.back().on;
  std::vector<date> out{last};
  const auto& rec = *std::find_if(inst.steps.begin(), inst.steps.end(),
                                  [&](const step_record& r) { return r.id == step.id; });
  if (step.escalation != "superior" || step.deadline_days <= 0 || !rec.entered_on) return out;
  for (int level = 1; level <= levels; ++level) {
    date d = rec.entered_on->add_days(static_cast<std::int64_t>(step.deadline_days) * level + 1);
    if (d > last) out.push_back(d);
  }
  return out;
}

std::string describe_approval(const approval& a, const std::string& step) {
  std::string out = a.person + " approves `" + step + "` as " + a.place;
  if (a.via != acting_via::direct) {
    out += " (by " + std::string(to_string(a.via));
    if (!a.on_behalf_of.empty()) out += " for " + a.on_behalf_of;
    out += ")";
  }
  return out;
}

std::optional<stuck_path> explore(const policy& p, const workflow& def, const workflow_set& set,
                                  const org::directory& people, std::size_t max_states) {
  const date start = *date::parse("2026-01-05");
  const int levels = static_cast<int>(p.org.positions.size()) + 1;
  std::vector<node> nodes;
  std::deque<std::size_t> queue;
  std::set<std::string> seen;
  for (const auto& position : def.initiators) {
    for (const org::person* requester : people.holders(position)) {
      auto started = set.start(def.id,
                               action::make(action_kind::submit, requester->id, start)
                                   .with_request(made_up_request(def, requester->id)),
                               people);
      auto* inst = std::get_if<instance>(&started);
      if (!inst || !seen.insert(key_of(*inst)).second) continue;
      nodes.push_back({std::move(*inst), nodes.size(), requester->id + " submits"});
      queue.push_back(nodes.size() - 1);
    }
  }
  while (!queue.empty()) {
    const std::size_t n = queue.front();
    queue.pop_front();
    if (nodes[n].inst.state != instance_state::in_progress) continue;
    const std::size_t si = current_index(def, nodes[n].inst);
    if (si >= def.steps.size()) continue;
    const workflow_step& step = def.steps[si];
    bool anyone = false;
    for (date on : days_to_try(step, nodes[n].inst, levels)) {
      for (const auto& actor : set.who_may_act(nodes[n].inst, on, people)) {
        anyone = true;
        instance next = nodes[n].inst;
        if (!set.apply(next, action::make(action_kind::approve, actor.person, on), people))
          continue;
        if (!seen.insert(key_of(next)).second) continue;
        if (nodes.size() >= max_states) return std::nullopt;
        std::string what = describe_approval(
            next.steps[si].approvals.empty()
                ? approval{actor.person, actor.place, actor.via, actor.on_behalf_of, on}
                : next.steps[si].approvals.back(),
            step.id);
        nodes.push_back({std::move(next), n, std::move(what)});
        queue.push_back(nodes.size() - 1);
      }
    }
    if (anyone) continue;
    stuck_path out;
    out.step = si;
    for (std::size_t k = n;; k = nodes[k].parent) {
      out.actions.push_back(nodes[k].action);
      if (nodes[k].parent == k) break;
    }
    std::reverse(out.actions.begin(), out.actions.end());
    // Why: what the engine answers the step's own holders.
    const instance& inst = nodes[n].inst;
    for (const auto& position : step.approvers) {
      for (const org::person* h : people.holders(position)) {
        instance copy = inst;
        auto r = set.apply(copy, action::make(action_kind::approve, h->id, inst.history.back().on),
                           people);
        if (!r && out.why.empty()) out.why = r.error().message;
      }
    }
    if (out.why.empty()) out.why = "no active holder of " + step.approvers.front();
    return out;
  }
  return std::nullopt;
}

}  // namespace

std::optional<stuck_path> find_deadlock(const policy& p, const workflow& definition,
                                        std::size_t max_states) {
  std::optional<org::directory> people;
  try {
    people.emplace(p.org, made_up_people(p, definition));
  } catch (const org::input_error&) {
    return std::nullopt;
  }
  // Every combination of the step conditions' values (a condition's text has one value).
  std::vector<std::string> conditions;
  for (const auto& s : definition.steps) {
    if (!s.condition.empty() && !lists(conditions, s.condition)) conditions.push_back(s.condition);
  }
  if (conditions.size() > 8) return std::nullopt;
  for (unsigned mask = 0; mask < (1u << conditions.size()); ++mask) {
    std::map<std::string, bool, std::less<>> values;
    for (std::size_t c = 0; c < conditions.size(); ++c) values[conditions[c]] = (mask >> c) & 1u;
    std::optional<workflow_set> set;
    try {
      set.emplace(workflow_set::compile(p, {.conditions = assumed(values)}));
    } catch (const compile_error&) {
      return std::nullopt;
    }
    if (auto stuck = explore(p, definition, *set, *people, max_states)) {
      for (const auto& [text, value] : values)
        stuck->assumptions.push_back("`" + text + "` is " + (value ? "true" : "false"));
      return stuck;
    }
  }
  return std::nullopt;
}

}  // namespace keyaccount::workflows
