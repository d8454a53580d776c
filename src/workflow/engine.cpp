#include "keyaccount/workflow/engine.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace keyaccount::workflows {

namespace detail {

struct compiled_workflow {
  condition_fn entry;                    // the entry condition; empty function: none
  std::vector<condition_fn> conditions;  // one per step; empty function: no condition
};

struct set_data {
  std::string policy_id;
  std::string policy_version;
  std::vector<workflow> definitions;
  std::vector<compiled_workflow> compiled;  // parallel to definitions
};

}  // namespace detail

namespace {

using detail::compiled_workflow;

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string list_of(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

int index_of_step(const workflow& def, std::string_view id) {
  for (std::size_t i = 0; i < def.steps.size(); ++i) {
    if (def.steps[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

bool is_final(instance_state s) {
  return s == instance_state::approved || s == instance_state::rejected ||
         s == instance_state::withdrawn;
}

bool step_complete(const workflow_step& step, const step_record& rec) {
  switch (step.mode) {
    case approval_mode::one_of:
      return !rec.approvals.empty();
    case approval_mode::quorum:
      return static_cast<int>(rec.approvals.size()) >= std::max(step.quorum, 1);
    case approval_mode::all_of:
      return std::all_of(step.approvers.begin(), step.approvers.end(), [&](const auto& p) {
        return std::any_of(rec.approvals.begin(), rec.approvals.end(),
                           [&](const approval& a) { return a.place == p; });
      });
  }
  return false;
}

// Escalation level of a step record on `as_of`: how many deadline periods have been missed.
int escalation_level(const workflow_step& step, const step_record& rec, date as_of) {
  if (step.deadline_days <= 0 || !rec.entered_on) return 0;
  date due = rec.entered_on->add_days(step.deadline_days);
  if (as_of <= due) return 0;
  auto late = days_between(due, as_of);
  return static_cast<int>(1 + (late - 1) / step.deadline_days);
}

// One way a person could fill a place at a step, and why it is ruled out (if it is).
struct candidate {
  std::string place;
  acting_via via = acting_via::direct;
  std::string on_behalf_of;
  std::optional<refusal> ruled_out;
};

// Everyone involved in an approval: the approver and whom they acted for.
bool involves(const approval& a, std::string_view person) {
  return a.person == person || (!a.on_behalf_of.empty() && a.on_behalf_of == person);
}

std::vector<const org::person*> vacant_escalation_targets(const org::directory& people,
                                                          std::string_view position_id, int level) {
  std::vector<const org::person*> out;
  const position* pos = people.find_position(position_id);
  for (int l = 0; l < level && pos && pos->reports_to; ++l) {
    auto holders = people.holders(*pos->reports_to);
    out.insert(out.end(), holders.begin(), holders.end());
    pos = people.find_position(*pos->reports_to);
  }
  return out;
}

bool contains_person(const std::vector<const org::person*>& list, std::string_view id) {
  return std::any_of(list.begin(), list.end(), [&](const org::person* p) { return p->id == id; });
}

class evaluator {
 public:
  evaluator(const workflow& def, const instance& inst, const org::directory& people)
      : def_(def), inst_(inst), people_(people) {}

  // Every way `person` could fill a place at step `si` on `as_of`, each checked against fill
  // status and separation of duties.
  std::vector<candidate> candidates(std::size_t si, std::string_view person, date as_of) const {
    const workflow_step& step = def_.steps[si];
    const step_record& rec = inst_.steps[si];
    std::vector<candidate> out;
    const org::person* who = people_.find(person);
    if (!who || !who->active) return out;
    // Directly, by holding a position.
    for (const auto& p : step.approvers) {
      if (people_.holds(person, p)) out.push_back({p, acting_via::direct, "", std::nullopt});
    }
    // For a delegator, within the delegation's period.
    for (const auto& d : inst_.delegations) {
      if (d.to != person || as_of < d.since || as_of > d.until) continue;
      for (const auto& p : step.approvers) {
        if (people_.holds(d.from, p))
          out.push_back({p, acting_via::delegation, d.from, std::nullopt});
      }
    }
    // For an overdue holder, as their superior (n levels up after n missed periods). Every
    // holder is considered, whatever their ids: the superior of the requester may still act
    // in the place of another holder.
    if (step.escalation == "superior") {
      int level = escalation_level(step, rec, as_of);
      if (level > 0) {
        for (const auto& p : step.approvers) {
          auto holders = people_.holders(p);
          if (holders.empty() && vacant_escalation_reaches(p, person, level)) {
            out.push_back({p, acting_via::escalation, "", std::nullopt});
          }
          for (const org::person* h : holders) {
            if (h->id == person) continue;
            auto chain = people_.superiors_of(h->id, level);
            if (std::any_of(chain.begin(), chain.end(),
                            [&](const org::person* s) { return s->id == person; })) {
              out.push_back({p, acting_via::escalation, h->id, std::nullopt});
            }
          }
        }
      }
    }
    for (auto& c : out) c.ruled_out = check(si, person, c);
    return out;
  }

  // Why `person` may take no part at all in step `si` through `c` (approve, reject or return);
  // empty when nothing bars them.
  std::optional<refusal> barred(std::size_t si, std::string_view person, const candidate& c) const {
    if (def_.separation_of_duties &&
        (person == inst_.requester || c.on_behalf_of == inst_.requester)) {
      return refusal{refusal_kind::separation_of_duties,
                     std::string(person) + " cannot approve " +
                         (person == inst_.requester
                              ? "their own request"
                              : "a request for its own requester " + quote(inst_.requester))};
    }
    // Art. 12: the order of the steps is the seed's (Finance reviews, then the General Manager
    // approves). Someone standing in for a holder (by escalation or delegation) who approves at
    // a later step would take an earlier step's place and, under separation of duties, could no
    // longer act at their own step: the request would be stuck for good. They are told
    // (`deadline().reported_to`) but may not act here.
    if (c.via != acting_via::direct) {
      if (auto later = later_step_of(si, person)) {
        return refusal{refusal_kind::not_authorized,
                       std::string(person) + " approves at the later step " +
                           quote(def_.steps[*later].id) + ", so may not take the place of " +
                           c.place + " at step " + quote(def_.steps[si].id) + " by " +
                           std::string(to_string(c.via))};
      }
    }
    return std::nullopt;
  }

  // The first step after `si` at which `person` holds an approver position; empty if none.
  std::optional<std::size_t> later_step_of(std::size_t si, std::string_view person) const {
    for (std::size_t later = si + 1; later < def_.steps.size(); ++later) {
      for (const auto& p : def_.steps[later].approvers) {
        if (people_.holds(person, p)) return later;
      }
    }
    return std::nullopt;
  }

  // Why `person` may not fill `c` at step `si` now; empty when they may.
  std::optional<refusal> check(std::size_t si, std::string_view person, const candidate& c) const {
    const workflow_step& step = def_.steps[si];
    const step_record& rec = inst_.steps[si];
    const bool sod = def_.separation_of_duties;
    if (auto bar = barred(si, person, c)) return bar;
    // Distinct people per place: always for a quorum, and for all_of under separation of duties.
    const bool distinct = step.mode == approval_mode::quorum ||
                          (sod && step.mode == approval_mode::all_of) ||
                          step.mode == approval_mode::one_of;
    if (distinct) {
      for (const auto& a : rec.approvals) {
        if (involves(a, person) || (!c.on_behalf_of.empty() && involves(a, c.on_behalf_of))) {
          std::string who = involves(a, person) ? std::string(person) : c.on_behalf_of;
          return refusal{refusal_kind::separation_of_duties,
                         who + " already fills the place of " + a.place + " at step " +
                             quote(step.id) + "; it needs distinct people"};
        }
      }
    }
    if (step.mode == approval_mode::all_of) {
      for (const auto& a : rec.approvals) {
        if (a.place == c.place) {
          return refusal{refusal_kind::not_authorized, "the place of " + c.place + " at step " +
                                                           quote(step.id) +
                                                           " is already filled by " + a.person};
        }
      }
    }
    if (sod) {
      for (std::size_t other = 0; other < inst_.steps.size(); ++other) {
        if (other == si) continue;
        for (const auto& a : inst_.steps[other].approvals) {
          if (involves(a, person) || (!c.on_behalf_of.empty() && involves(a, c.on_behalf_of))) {
            std::string who = involves(a, person) ? std::string(person) : c.on_behalf_of;
            return refusal{refusal_kind::separation_of_duties,
                           who + " already approved step " + quote(def_.steps[other].id) +
                               "; nobody acts twice on one request"};
          }
        }
      }
    }
    return std::nullopt;
  }

  // A vacant position escalates along the policy's reporting line: holders of the position it
  // reports to, then of that one's, up to `level` positions up.
  bool vacant_escalation_reaches(std::string_view position_id, std::string_view person,
                                 int level) const {
    return contains_person(vacant_escalation_targets(people_, position_id, level), person);
  }

  refusal nobody(std::size_t si, std::string_view person) const {
    const workflow_step& step = def_.steps[si];
    return refusal{refusal_kind::not_authorized,
                   std::string(person) + " may not act at step " + quote(step.id) + ": it needs " +
                       list_of(step.approvers) +
                       ", and they hold none of these positions and act for nobody who does"};
  }

 private:
  const workflow& def_;
  const instance& inst_;
  const org::directory& people_;
};

std::string type_name(field_type t) {
  switch (t) {
    case field_type::string_:
      return "a string";
    case field_type::number:
      return "a number";
    case field_type::integer:
      return "an integer";
    case field_type::boolean:
      return "true or false";
    case field_type::date_:
      return "a date \"YYYY-MM-DD\"";
    case field_type::enumeration:
      return "one of the listed values";
    case field_type::series:
      return "a list of numbers";
    case field_type::string_list:
      return "a list of strings";
    case field_type::person:
      return "a person id (string)";
    case field_type::object:
      return "an object";
  }
  return "a value";
}

bool has_type(const field& f, const nlohmann::json& v) {
  switch (f.type) {
    case field_type::string_:
    case field_type::person:
      return v.is_string();
    case field_type::number:
      return v.is_number();
    case field_type::integer:
      if (v.is_number_integer()) return true;
      if (v.is_number_float()) {
        // Whole and in the range of a 64-bit integer (2^63 itself is not; every double below
        // it and at or above -2^63 is), checked without casting: a cast out of range is
        // undefined behaviour.
        const double d = v.get<double>();
        return std::isfinite(d) && d == std::floor(d) && d >= -9223372036854775808.0 &&
               d < 9223372036854775808.0;
      }
      return false;
    case field_type::boolean:
      return v.is_boolean();
    case field_type::date_:
      return v.is_string() && date::parse(v.get<std::string>()).has_value();
    case field_type::enumeration:
      return v.is_string() && contains(f.values, v.get<std::string>());
    case field_type::series:
      return v.is_array() &&
             std::all_of(v.begin(), v.end(), [](const auto& x) { return x.is_number(); });
    case field_type::string_list:
      return v.is_array() &&
             std::all_of(v.begin(), v.end(), [](const auto& x) { return x.is_string(); });
    case field_type::object:
      return v.is_object();
  }
  return false;
}

std::optional<refusal> validate_request(const workflow& def, const nlohmann::json& req) {
  if (!req.is_object()) {
    return refusal{refusal_kind::invalid_request, "request: expected an object of fields"};
  }
  for (const auto& f : def.request_fields) {
    auto it = req.find(f.id);
    if (it == req.end() || it->is_null()) {
      if (f.required) {
        return refusal{
            refusal_kind::invalid_request,
            "request." + f.id + ": required by workflow " + quote(def.id) + " but missing"};
      }
      continue;
    }
    if (!has_type(f, *it)) {
      std::string expected = type_name(f.type);
      if (f.type == field_type::enumeration) expected = "one of " + list_of(f.values);
      return refusal{refusal_kind::invalid_request,
                     "request." + f.id + ": expected " + expected + ", got " + it->dump()};
    }
  }
  for (const auto& member : req.items()) {
    const std::string& key = member.key();  // named: the lambda captures it (clang < 16)
    bool declared = std::any_of(def.request_fields.begin(), def.request_fields.end(),
                                [&](const field& f) { return f.id == key; });
    if (!declared) {
      std::vector<std::string> names;
      for (const auto& f : def.request_fields) names.push_back(f.id);
      return refusal{refusal_kind::invalid_request,
                     "request." + key + ": workflow " + quote(def.id) +
                         " declares no such field (it has: " + list_of(names) + ")"};
    }
  }
  return std::nullopt;
}

// Whether `req` may start (or resubmit) the workflow: its entry condition holds.
std::optional<refusal> check_entry(const workflow& def, const compiled_workflow& cw,
                                   const nlohmann::json& req) {
  if (!cw.entry) return std::nullopt;
  condition_value v = cw.entry(req);
  if (!v.value) {
    return refusal{refusal_kind::condition_error, "workflow " + quote(def.id) +
                                                      ": entry condition `" + def.entry_condition +
                                                      "` could not be evaluated: " + v.error};
  }
  if (!*v.value) {
    return refusal{refusal_kind::invalid_request,
                   "the request does not meet the entry "
                   "condition of " +
                       quote(def.id) + ": `" + def.entry_condition + "`"};
  }
  return std::nullopt;
}

// Which steps from `from` on apply to `req`: the index of the first that applies (or -1 when
// none does) and the indices skipped before it; or why a condition could not be evaluated.
struct advance_plan {
  int next = -1;
  std::vector<std::size_t> skipped;
};

std::variant<advance_plan, refusal> plan_advance(const workflow& def, const compiled_workflow& cw,
                                                 std::size_t from, const nlohmann::json& req) {
  advance_plan plan;
  for (std::size_t i = from; i < def.steps.size(); ++i) {
    const condition_fn& cond = cw.conditions[i];
    if (cond) {
      condition_value v = cond(req);
      if (!v.value) {
        return refusal{refusal_kind::condition_error, "step " + quote(def.steps[i].id) +
                                                          ": condition `" + def.steps[i].condition +
                                                          "` could not be evaluated: " + v.error};
      }
      if (!*v.value) {
        plan.skipped.push_back(i);
        continue;
      }
    }
    plan.next = static_cast<int>(i);
    break;
  }
  return plan;
}

void enact(instance& inst, const workflow& def, const advance_plan& plan, date on) {
  for (std::size_t i : plan.skipped) {
    inst.steps[i].status = step_status::skipped;
    inst.steps[i].approvals.clear();
    inst.steps[i].entered_on.reset();
  }
  if (plan.next < 0) {
    inst.state = instance_state::approved;
    inst.current_step.clear();
    return;
  }
  auto& rec = inst.steps[static_cast<std::size_t>(plan.next)];
  rec.status = step_status::active;
  rec.entered_on = on;
  rec.approvals.clear();
  inst.state = instance_state::in_progress;
  inst.current_step = def.steps[static_cast<std::size_t>(plan.next)].id;
}

void reset_steps(instance& inst) {
  for (auto& s : inst.steps) {
    s.status = step_status::pending;
    s.entered_on.reset();
    s.approvals.clear();
  }
}

history_entry entry_for(const instance& inst, const action& a) {
  history_entry e;
  e.version = inst.version + 1;
  e.action = a.kind;
  e.actor = a.actor;
  e.on = a.on;
  e.comment = a.comment;
  e.request_id = a.request_id;
  e.request = nullptr;
  return e;
}

// Whether `person` takes part in `def` at all: requester, initiator or approver, or delegate.
bool takes_part(const workflow& def, const instance& inst, const org::directory& people,
                std::string_view person) {
  if (person == inst.requester) return true;
  for (const auto& p : def.initiators) {
    if (people.holds(person, p)) return true;
  }
  for (const auto& s : def.steps) {
    for (const auto& p : s.approvers) {
      if (people.holds(person, p)) return true;
    }
  }
  return std::any_of(inst.delegations.begin(), inst.delegations.end(),
                     [&](const delegation& d) { return d.to == person; });
}

}  // namespace

workflow_set workflow_set::compile(const policy& p, const compile_options& options) {
  auto data = std::make_shared<detail::set_data>();
  data->policy_id = p.document.id;
  data->policy_version = p.document.version;
  data->definitions = p.workflows;
  condition_compiler cc = options.conditions ? options.conditions : default_condition_compiler();
  std::vector<std::string> problems;
  for (const auto& def : p.workflows) {
    compiled_workflow cw;
    std::string at = "workflow " + quote(def.id);
    for (const auto& i : def.initiators) {
      if (!p.find_position(i)) problems.push_back(at + ": unknown initiator position " + quote(i));
    }
    if (!def.entry_condition.empty()) {
      auto compiled = cc(def.entry_condition, def, p);
      if (auto* msg = std::get_if<std::string>(&compiled))
        problems.push_back(at + ": entry condition `" + def.entry_condition +
                           "` does not compile: " + *msg);
      else
        cw.entry = std::get<condition_fn>(std::move(compiled));
    }
    std::set<std::string, std::less<>> ids;
    for (const auto& step : def.steps) {
      std::string sat = at + ", step " + quote(step.id);
      if (!ids.insert(step.id).second) problems.push_back(sat + ": duplicate step id");
      if (step.approvers.empty()) problems.push_back(sat + ": no approver positions");
      for (const auto& a : step.approvers) {
        if (!p.find_position(a)) problems.push_back(sat + ": unknown position " + quote(a));
      }
      if (step.mode == approval_mode::quorum && step.quorum < 1) {
        problems.push_back(sat + ": quorum mode needs a quorum of at least 1");
      }
      if (!step.escalation.empty() && step.escalation != "superior") {
        problems.push_back(sat + ": unknown escalation " + quote(step.escalation));
      }
      if (step.condition.empty()) {
        cw.conditions.emplace_back();
        continue;
      }
      auto compiled = cc(step.condition, def, p);
      if (auto* msg = std::get_if<std::string>(&compiled)) {
        problems.push_back(sat + ": condition `" + step.condition + "` does not compile: " + *msg);
        cw.conditions.emplace_back();
      } else {
        cw.conditions.push_back(std::get<condition_fn>(std::move(compiled)));
      }
    }
    data->compiled.push_back(std::move(cw));
  }
  if (!problems.empty()) {
    std::string text = "cannot compile the policy's workflows:";
    for (const auto& pr : problems) text += "\n  " + pr;
    throw compile_error(text);
  }
  workflow_set set;
  set.data_ = std::move(data);
  return set;
}

const std::string& workflow_set::policy_id() const noexcept { return data_->policy_id; }
const std::string& workflow_set::policy_version() const noexcept { return data_->policy_version; }
const std::vector<workflow>& workflow_set::definitions() const noexcept {
  return data_->definitions;
}
const workflow* workflow_set::find(std::string_view id) const noexcept {
  for (const auto& d : data_->definitions) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

std::variant<instance, refusal> workflow_set::start(std::string_view workflow_id,
                                                    const action& submit,
                                                    const org::directory& people) const {
  const workflow* def = find(workflow_id);
  if (!def) {
    return refusal{refusal_kind::unknown_workflow,
                   "the policy has no workflow " + quote(workflow_id)};
  }
  const auto& cw = data_->compiled[static_cast<std::size_t>(def - data_->definitions.data())];
  if (submit.kind != action_kind::submit) {
    return refusal{refusal_kind::invalid_action, "a workflow starts with a submit action, not " +
                                                     std::string(to_string(submit.kind))};
  }
  const org::person* who = people.find(submit.actor);
  if (!who) return refusal{refusal_kind::unknown_person, "unknown person " + quote(submit.actor)};
  if (!who->active) {
    return refusal{refusal_kind::not_authorized, submit.actor + " is not active"};
  }
  bool initiator = std::any_of(def->initiators.begin(), def->initiators.end(),
                               [&](const auto& p) { return people.holds(submit.actor, p); });
  if (!initiator) {
    return refusal{refusal_kind::not_authorized, submit.actor + " may not start " + quote(def->id) +
                                                     ": it is raised by " +
                                                     list_of(def->initiators)};
  }
  if (!submit.request) {
    return refusal{refusal_kind::invalid_request, "a submit must carry the request"};
  }
  if (auto bad = validate_request(*def, *submit.request)) return *bad;
  if (auto bad = check_entry(*def, cw, *submit.request)) return *bad;
  auto planned = plan_advance(*def, cw, 0, *submit.request);
  if (auto* r = std::get_if<refusal>(&planned)) return *r;

  instance inst;
  inst.workflow = def->id;
  inst.policy_id = data_->policy_id;
  inst.policy_version = data_->policy_version;
  inst.requester = submit.actor;
  inst.request = *submit.request;
  for (const auto& s : def->steps) inst.steps.push_back({s.id, step_status::pending, {}, {}});
  enact(inst, *def, std::get<advance_plan>(planned), submit.on);
  history_entry e = entry_for(inst, submit);
  e.request = inst.request;
  inst.history.push_back(std::move(e));
  inst.version = 1;
  return inst;
}

std::optional<refusal> workflow_set::check_instance(const instance& inst) const {
  const workflow* def = find(inst.workflow);
  if (!def) {
    return refusal{refusal_kind::unknown_workflow,
                   "the policy has no workflow " + quote(inst.workflow)};
  }
  if (inst.policy_id != data_->policy_id || inst.policy_version != data_->policy_version) {
    return refusal{refusal_kind::policy_mismatch,
                   "the instance started under policy " + quote(inst.policy_id) + " version " +
                       quote(inst.policy_version) + ", not " + quote(data_->policy_id) +
                       " version " + quote(data_->policy_version)};
  }
  bool shape_ok = inst.steps.size() == def->steps.size();
  for (std::size_t i = 0; shape_ok && i < def->steps.size(); ++i) {
    shape_ok = inst.steps[i].id == def->steps[i].id;
  }
  if (shape_ok && inst.state == instance_state::in_progress) {
    int cur = index_of_step(*def, inst.current_step);
    shape_ok = cur >= 0 && inst.steps[static_cast<std::size_t>(cur)].status == step_status::active;
  }
  if (!shape_ok) {
    return refusal{refusal_kind::policy_mismatch,
                   "the instance's steps do not match workflow " + quote(def->id)};
  }
  return std::nullopt;
}

namespace {

/// The action that produced history entry `e`, to apply it again.
action action_of(const history_entry& e) {
  action a = action::make(e.action, e.actor, e.on);
  a.step = e.step;
  a.comment = e.comment;
  a.request_id = e.request_id;
  a.delegate_to = e.delegate_to;
  a.until = e.until;
  if (!e.request.is_null()) a.request = e.request;
  return a;
}

}  // namespace

std::variant<instance, refusal> workflow_set::as_of(const instance& inst, date day,
                                                    const org::directory& people) const {
  if (auto bad = check_instance(inst)) return *bad;
  if (inst.history.empty() || inst.history.back().on <= day) return inst;
  const history_entry& first = inst.history.front();
  if (first.on > day) {
    return refusal{refusal_kind::wrong_state, "the instance was submitted on " +
                                                  first.on.to_string() + ", after " +
                                                  day.to_string() + ": not known on that day"};
  }
  auto replayed = start(inst.workflow, action_of(first), people);
  if (auto* r = std::get_if<refusal>(&replayed)) {
    return refusal{r->kind, "replaying version 1 (the submission) is refused today: " + r->message};
  }
  auto& then = std::get<instance>(replayed);
  for (std::size_t i = 1; i < inst.history.size() && inst.history[i].on <= day; ++i) {
    const history_entry& e = inst.history[i];
    result r = apply(then, action_of(e), people);
    if (!r.ok()) {
      return refusal{r.error().kind, "replaying version " + std::to_string(e.version) + " (" +
                                         std::string(to_string(e.action)) + " by " + e.actor +
                                         " on " + e.on.to_string() +
                                         ") is refused today: " + r.error().message};
    }
  }
  return std::move(then);
}

namespace {

/// `recorded` as known on `day`: itself when nothing in it is later (no copy), else its replay
/// kept in `storage`; nullptr when the set cannot read it or the replay is refused.
const instance* known_on(const workflow_set& set, const instance& recorded, date day,
                         const org::directory& people, std::optional<instance>& storage) {
  if (recorded.history.empty() || recorded.history.back().on <= day) {
    return set.check_instance(recorded) ? nullptr : &recorded;
  }
  auto then = set.as_of(recorded, day, people);
  if (std::holds_alternative<refusal>(then)) return nullptr;
  storage = std::get<instance>(std::move(then));
  return &*storage;
}

}  // namespace

result workflow_set::apply(instance& inst, const action& a, const org::directory& people) const {
  if (auto bad = check_instance(inst)) return result::refused(bad->kind, std::move(bad->message));
  const workflow* def = find(inst.workflow);
  const auto& cw = data_->compiled[static_cast<std::size_t>(def - data_->definitions.data())];
  int cur = index_of_step(*def, inst.current_step);
  // A retry of an applied request is answered from the history: safe to repeat.
  if (!a.request_id.empty()) {
    for (const auto& e : inst.history) {
      if (e.request_id != a.request_id) continue;
      if (e.action == a.kind && e.actor == a.actor) return result::replay();
      return result::refused(refusal_kind::duplicate_request,
                             "request id " + quote(a.request_id) + " was used for " +
                                 std::string(to_string(e.action)) + " by " + e.actor +
                                 " (version " + std::to_string(e.version) + ")");
    }
  }
  if (a.expected_version && *a.expected_version != inst.version) {
    return result::refused(refusal_kind::stale_version,
                           "the action expects version " + std::to_string(*a.expected_version) +
                               " but the instance is at version " + std::to_string(inst.version));
  }
  const org::person* who = people.find(a.actor);
  if (!who)
    return result::refused(refusal_kind::unknown_person, "unknown person " + quote(a.actor));
  if (!who->active)
    return result::refused(refusal_kind::not_authorized, a.actor + " is not active");
  if (!inst.history.empty() && a.on < inst.history.back().on) {
    return result::refused(refusal_kind::invalid_action, "the action is dated " + a.on.to_string() +
                                                             ", before the last recorded action (" +
                                                             inst.history.back().on.to_string() +
                                                             ")");
  }
  if (!a.step.empty()) {
    int si = index_of_step(*def, a.step);
    if (si < 0) {
      return result::refused(refusal_kind::unknown_step,
                             "workflow " + quote(def->id) + " has no step " + quote(a.step));
    }
    if (si != cur) {
      return result::refused(refusal_kind::wrong_state,
                             "step " + quote(a.step) + " is not the current step" +
                                 (cur >= 0 ? " (" + quote(inst.current_step) + " is)" : ""));
    }
  }
  const std::string_view state_name = to_string(inst.state);
  auto wrong_state = [&](std::string_view what) {
    return result::refused(
        refusal_kind::wrong_state,
        "cannot " + std::string(what) + " an instance that is " + std::string(state_name));
  };
  evaluator ev(*def, inst, people);

  switch (a.kind) {
    case action_kind::submit: {
      if (inst.state != instance_state::returned) return wrong_state("resubmit");
      if (a.actor != inst.requester) {
        return result::refused(refusal_kind::not_authorized,
                               "only the requester " + inst.requester + " may resubmit");
      }
      const nlohmann::json& req = a.request ? *a.request : inst.request;
      if (auto bad = validate_request(*def, req)) return result::refused(bad->kind, bad->message);
      if (auto bad = check_entry(*def, cw, req)) return result::refused(bad->kind, bad->message);
      auto planned = plan_advance(*def, cw, 0, req);
      if (auto* r = std::get_if<refusal>(&planned)) return result::refused(r->kind, r->message);
      history_entry e = entry_for(inst, a);
      e.request = req;
      if (a.request) inst.request = *a.request;
      reset_steps(inst);
      enact(inst, *def, std::get<advance_plan>(planned), a.on);
      inst.history.push_back(std::move(e));
      break;
    }
    case action_kind::approve:
    case action_kind::reject:
    case action_kind::return_: {
      if (inst.state != instance_state::in_progress) {
        return wrong_state(a.kind == action_kind::approve  ? "approve"
                           : a.kind == action_kind::reject ? "reject"
                                                           : "return");
      }
      const auto si = static_cast<std::size_t>(cur);
      auto cands = ev.candidates(si, a.actor, a.on);
      if (cands.empty()) {
        auto r = ev.nobody(si, a.actor);
        return result::refused(r.kind, r.message);
      }
      const candidate* chosen = nullptr;
      const refusal* why = nullptr;
      for (const auto& c : cands) {
        // Rejecting or returning needs no free place; only what bars a person from the step
        // altogether (the requester rule, a later step's approver) applies to them.
        bool usable = !c.ruled_out ||
                      (a.kind != action_kind::approve && !ev.barred(si, a.actor, c).has_value());
        if (usable) {
          chosen = &c;
          break;
        }
        if (!why || (c.ruled_out->kind == refusal_kind::separation_of_duties &&
                     why->kind != refusal_kind::separation_of_duties)) {
          why = &*c.ruled_out;
        }
      }
      if (!chosen) return result::refused(why->kind, why->message);
      history_entry e = entry_for(inst, a);
      e.step = inst.current_step;
      e.via = chosen->via;
      e.on_behalf_of = chosen->on_behalf_of;
      if (a.kind == action_kind::approve) {
        const workflow_step& step = def->steps[si];
        step_record copy = inst.steps[si];
        copy.approvals.push_back({a.actor, chosen->place, chosen->via, chosen->on_behalf_of, a.on});
        if (step_complete(step, copy)) {
          auto planned = plan_advance(*def, cw, si + 1, inst.request);
          if (auto* r = std::get_if<refusal>(&planned)) return result::refused(r->kind, r->message);
          copy.status = step_status::approved;
          inst.steps[si] = std::move(copy);
          enact(inst, *def, std::get<advance_plan>(planned), a.on);
        } else {
          inst.steps[si] = std::move(copy);
        }
      } else if (a.kind == action_kind::reject) {
        inst.state = instance_state::rejected;
        inst.current_step.clear();
        inst.steps[si].status = step_status::pending;
      } else {
        // Back to the last step that was approved (skipped ones re-evaluate later).
        int prev = -1;
        for (int i = cur - 1; i >= 0; --i) {
          if (inst.steps[static_cast<std::size_t>(i)].status == step_status::approved) {
            prev = i;
            break;
          }
        }
        if (prev < 0) {
          reset_steps(inst);
          inst.state = instance_state::returned;
          inst.current_step.clear();
        } else {
          for (auto i = static_cast<std::size_t>(prev); i < inst.steps.size(); ++i) {
            inst.steps[i].status = step_status::pending;
            inst.steps[i].entered_on.reset();
            inst.steps[i].approvals.clear();
          }
          auto& back = inst.steps[static_cast<std::size_t>(prev)];
          back.status = step_status::active;
          back.entered_on = a.on;
          inst.current_step = back.id;
        }
      }
      inst.history.push_back(std::move(e));
      break;
    }
    case action_kind::withdraw: {
      if (inst.state != instance_state::in_progress && inst.state != instance_state::returned) {
        return wrong_state("withdraw");
      }
      if (a.actor != inst.requester) {
        return result::refused(refusal_kind::not_authorized,
                               "only the requester " + inst.requester + " may withdraw");
      }
      history_entry e = entry_for(inst, a);
      e.step = inst.current_step;
      if (cur >= 0) inst.steps[static_cast<std::size_t>(cur)].status = step_status::pending;
      inst.state = instance_state::withdrawn;
      inst.current_step.clear();
      inst.history.push_back(std::move(e));
      break;
    }
    case action_kind::delegate: {
      if (is_final(inst.state)) return wrong_state("delegate on");
      bool approver = std::any_of(def->steps.begin(), def->steps.end(), [&](const auto& s) {
        return std::any_of(s.approvers.begin(), s.approvers.end(),
                           [&](const auto& p) { return people.holds(a.actor, p); });
      });
      if (!approver) {
        return result::refused(refusal_kind::not_authorized,
                               a.actor + " holds no approver position of " + quote(def->id) +
                                   ", so has nothing to delegate");
      }
      if (a.delegate_to.empty()) {
        return result::refused(refusal_kind::invalid_action, "delegate: name the delegate");
      }
      if (a.delegate_to == a.actor) {
        return result::refused(refusal_kind::invalid_action,
                               "delegate: cannot delegate to oneself");
      }
      const org::person* to = people.find(a.delegate_to);
      if (!to) {
        return result::refused(refusal_kind::unknown_person,
                               "unknown person " + quote(a.delegate_to));
      }
      if (!to->active) {
        return result::refused(refusal_kind::invalid_action,
                               "delegate: " + a.delegate_to + " is not active");
      }
      if (def->separation_of_duties && a.delegate_to == inst.requester) {
        return result::refused(
            refusal_kind::separation_of_duties,
            "delegate: the requester " + inst.requester + " cannot act on their own request");
      }
      if (!a.until || *a.until < a.on) {
        return result::refused(refusal_kind::invalid_action,
                               "delegate: needs an `until` date on or after " + a.on.to_string());
      }
      history_entry e = entry_for(inst, a);
      e.step = inst.current_step;
      e.delegate_to = a.delegate_to;
      e.until = a.until;
      inst.delegations.push_back({a.actor, a.delegate_to, a.on, *a.until});
      inst.history.push_back(std::move(e));
      break;
    }
    case action_kind::comment: {
      if (a.comment.empty()) {
        return result::refused(refusal_kind::invalid_action, "comment: the comment is empty");
      }
      if (!takes_part(*def, inst, people, a.actor)) {
        return result::refused(refusal_kind::not_authorized,
                               a.actor + " takes no part in " + quote(def->id));
      }
      history_entry e = entry_for(inst, a);
      e.step = inst.current_step;
      inst.history.push_back(std::move(e));
      break;
    }
  }
  inst.version += 1;
  return result::accepted();
}

std::vector<eligible_actor> workflow_set::who_may_act(const instance& recorded, date as_of,
                                                      const org::directory& people) const {
  std::vector<eligible_actor> out;
  std::optional<instance> replayed;
  const instance* known = known_on(*this, recorded, as_of, people, replayed);
  if (!known) return out;
  const instance& inst = *known;
  const workflow* def = find(inst.workflow);
  if (!def || inst.state != instance_state::in_progress) return out;
  int cur = index_of_step(*def, inst.current_step);
  if (cur < 0 || inst.steps.size() != def->steps.size()) return out;
  const auto si = static_cast<std::size_t>(cur);
  const workflow_step& step = def->steps[si];
  std::set<std::string, std::less<>> persons;
  for (const auto& p : step.approvers) {
    for (const org::person* s : vacant_escalation_targets(people, p, 64)) persons.insert(s->id);
    for (const org::person* h : people.holders(p)) {
      persons.insert(h->id);
      for (const org::person* s : people.superiors_of(h->id, 64)) persons.insert(s->id);
    }
  }
  for (const auto& d : inst.delegations) persons.insert(d.to);
  evaluator ev(*def, inst, people);
  for (const auto& person : persons) {
    for (auto& c : ev.candidates(si, person, as_of)) {
      if (c.ruled_out) continue;
      eligible_actor e{person, c.place, c.via, c.on_behalf_of};
      // A superior of several overdue holders is listed once per place: in the place of the
      // first holder (by id) they may stand in for, as `apply` would choose.
      bool listed = std::any_of(out.begin(), out.end(), [&](const eligible_actor& o) {
        return o == e || (o.person == e.person && o.place == e.place &&
                          o.via == acting_via::escalation && e.via == acting_via::escalation);
      });
      if (!listed) out.push_back(std::move(e));
    }
  }
  return out;
}

std::optional<step_deadline> workflow_set::deadline(const instance& recorded, date as_of,
                                                    const org::directory& people) const {
  std::optional<instance> replayed;
  const instance* known = known_on(*this, recorded, as_of, people, replayed);
  if (!known) return std::nullopt;
  const instance& inst = *known;
  const workflow* def = find(inst.workflow);
  if (!def || inst.state != instance_state::in_progress) return std::nullopt;
  int cur = index_of_step(*def, inst.current_step);
  if (cur < 0 || inst.steps.size() != def->steps.size()) return std::nullopt;
  const auto& step = def->steps[static_cast<std::size_t>(cur)];
  const auto& rec = inst.steps[static_cast<std::size_t>(cur)];
  step_deadline d;
  d.step = step.id;
  d.entered_on = rec.entered_on.value_or(as_of);
  if (step.deadline_days <= 0) return d;
  d.due = d.entered_on.add_days(step.deadline_days);
  d.overdue = as_of > *d.due;
  if (step.escalation != "superior") return d;
  d.escalation_level = escalation_level(step, rec, as_of);
  if (d.escalation_level > 0) {
    std::set<std::string, std::less<>> targets;
    for (const auto& p : step.approvers) {
      auto holders = people.holders(p);
      if (holders.empty()) {
        for (const org::person* s : vacant_escalation_targets(people, p, d.escalation_level)) {
          targets.insert(s->id);
        }
      }
      for (const org::person* h : holders) {
        for (const org::person* s : people.superiors_of(h->id, d.escalation_level)) {
          targets.insert(s->id);
        }
      }
    }
    d.reported_to.assign(targets.begin(), targets.end());
    // Of those, who may act now by escalation (not a later step's approver, not ruled out by
    // separation of duties or a filled place).
    evaluator ev(*def, inst, people);
    for (const auto& id : d.reported_to) {
      auto cands = ev.candidates(static_cast<std::size_t>(cur), id, as_of);
      if (std::any_of(cands.begin(), cands.end(), [](const candidate& c) {
            return c.via == acting_via::escalation && !c.ruled_out;
          })) {
        d.escalated_to.push_back(id);
      }
    }
  }
  return d;
}

}  // namespace keyaccount::workflows
