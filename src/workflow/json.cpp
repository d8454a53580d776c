#include "keyaccount/workflow/json.hpp"

#include "keyaccount/core/field_check.hpp"
#include "keyaccount/json/parse.hpp"

#include <cstdio>
#include <set>

namespace keyaccount::workflows {
namespace {

using nlohmann::json;

json opt_string(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json opt_date(const std::optional<date>& d) { return d ? json(d->to_string()) : json(nullptr); }

// Reads fields of one JSON object, tracking the JSON pointer for messages, and refuses fields
// it does not know (a typo must not vanish silently).
class reader {
 public:
  reader(const json& j, std::string path, std::initializer_list<std::string_view> known)
      : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_.empty() ? "/" : path_, "expected an object, got " + kind(j_));
    for (const auto& [key, value] : j_.items()) {
      bool ok = false;
      for (auto k : known) ok = ok || k == key;
      if (!ok) fail(at(key), "unknown field");
    }
  }

  [[noreturn]] static void fail(const std::string& where, const std::string& problem) {
    throw format_error(location{.pointer = where}, problem);
  }
  static std::string kind(const json& v) { return kind_of(v); }
  std::string at(std::string_view key) const { return path_ + "/" + std::string(key); }

  const json* get(std::string_view key, bool required) const {
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) fail(path_.empty() ? "/" : path_, "missing field \"" + std::string(key) + "\"");
      return nullptr;
    }
    return &*it;
  }
  std::string str(std::string_view key, bool required = true, bool nullable = false) const {
    const json* v = get(key, required);
    if (!v || (nullable && v->is_null())) return {};
    if (!v->is_string()) fail(at(key), "expected a string, got " + kind(*v));
    return v->get<std::string>();
  }
  date day(std::string_view key) const {
    auto d = opt_day(key, true);
    return *d;
  }
  std::optional<date> opt_day(std::string_view key, bool required = false) const {
    const json* v = get(key, required);
    if (!v || (!required && v->is_null())) return std::nullopt;
    if (!v->is_string()) fail(at(key), field_check::not_a_date_kind(kind(*v)));
    auto d = date::parse(v->get<std::string>());
    if (!d) fail(at(key), field_check::not_a_date(v->get<std::string>()));
    return d;
  }
  std::uint64_t count(std::string_view key, bool required = true) const {
    const json* v = get(key, required);
    if (!v) return 0;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<std::int64_t>() >= 0)) {
      fail(at(key), field_check::not_a_whole_number(v->dump(), 0));
    }
    return v->get<std::uint64_t>();
  }
  const json& array(std::string_view key) const {
    const json* v = get(key, true);
    if (!v->is_array()) fail(at(key), "expected an array, got " + kind(*v));
    return *v;
  }
  template <class E>
  E enumerated(std::string_view key, std::optional<E> (*parse)(std::string_view),
               std::string_view expected, bool required = true, E fallback = E{}) const {
    const json* v = get(key, required);
    if (!v) return fallback;
    if (!v->is_string()) fail(at(key), "expected one of " + std::string(expected));
    auto e = parse(v->get<std::string>());
    if (!e) fail(at(key), "expected one of " + std::string(expected) + ", got " + v->dump());
    return *e;
  }

 private:
  const json& j_;
  std::string path_;
};

constexpr std::string_view states =
    "\"in_progress\", \"returned\", \"approved\", \"rejected\", \"withdrawn\"";
constexpr std::string_view actions =
    "\"submit\", \"approve\", \"reject\", \"return\", \"withdraw\", \"delegate\", \"comment\"";
constexpr std::string_view statuses = "\"pending\", \"active\", \"approved\", \"skipped\"";
constexpr std::string_view vias = "\"direct\", \"delegation\", \"escalation\"";

json approval_json(const approval& a) {
  return {{"person", a.person},
          {"place", a.place},
          {"via", to_string(a.via)},
          {"on_behalf_of", opt_string(a.on_behalf_of)},
          {"on", a.on.to_string()}};
}

json history_json(const history_entry& e) {
  json j = {{"version", e.version},
            {"action", to_string(e.action)},
            {"actor", e.actor},
            {"on", e.on.to_string()},
            {"step", opt_string(e.step)},
            {"comment", e.comment},
            {"request_id", opt_string(e.request_id)},
            {"via", to_string(e.via)},
            {"on_behalf_of", opt_string(e.on_behalf_of)}};
  if (!e.delegate_to.empty() || e.until) {
    j["delegate_to"] = e.delegate_to;
    j["until"] = opt_date(e.until);
  }
  if (!e.request.is_null()) j["request"] = e.request;
  return j;
}

}  // namespace

json to_json(const instance& inst) {
  json steps = json::array();
  for (const auto& s : inst.steps) {
    json approvals = json::array();
    for (const auto& a : s.approvals) approvals.push_back(approval_json(a));
    steps.push_back({{"id", s.id},
                     {"status", to_string(s.status)},
                     {"entered_on", opt_date(s.entered_on)},
                     {"approvals", std::move(approvals)}});
  }
  json delegations = json::array();
  for (const auto& d : inst.delegations) {
    delegations.push_back({{"from", d.from},
                           {"to", d.to},
                           {"since", d.since.to_string()},
                           {"until", d.until.to_string()}});
  }
  json history = json::array();
  for (const auto& e : inst.history) history.push_back(history_json(e));
  return {{"format_version", inst.format_version},
          {"workflow", inst.workflow},
          {"policy", {{"id", inst.policy_id}, {"version", inst.policy_version}}},
          {"requester", inst.requester},
          {"request", inst.request},
          {"state", to_string(inst.state)},
          {"current_step", opt_string(inst.current_step)},
          {"version", inst.version},
          {"steps", std::move(steps)},
          {"delegations", std::move(delegations)},
          {"history", std::move(history)}};
}

instance instance_from_json(const json& j) {
  reader r(j, "",
           {"format_version", "workflow", "policy", "requester", "request", "state", "current_step",
            "version", "steps", "delegations", "history"});
  instance inst;
  inst.format_version = r.str("format_version");
  if (inst.format_version != instance_format_version) {
    reader::fail("/format_version", "unsupported format version \"" + inst.format_version +
                                        "\" (this library reads \"" +
                                        std::string(instance_format_version) + "\")");
  }
  inst.workflow = r.str("workflow");
  {
    reader p(*r.get("policy", true), "/policy", {"id", "version"});
    inst.policy_id = p.str("id");
    inst.policy_version = p.str("version");
  }
  inst.requester = r.str("requester");
  inst.request = *r.get("request", true);
  if (!inst.request.is_object()) reader::fail("/request", "expected an object");
  inst.state = r.enumerated<instance_state>("state", parse_instance_state, states);
  inst.current_step = r.str("current_step", true, true);
  inst.version = r.count("version");

  const json& steps = r.array("steps");
  std::set<std::string, std::less<>> step_ids;
  int active = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::string path = "/steps/" + std::to_string(i);
    reader s(steps[i], path, {"id", "status", "entered_on", "approvals"});
    step_record rec;
    rec.id = s.str("id");
    if (!step_ids.insert(rec.id).second) reader::fail(path + "/id", "duplicate step id");
    rec.status = s.enumerated<step_status>("status", parse_step_status, statuses);
    if (rec.status == step_status::active) ++active;
    rec.entered_on = s.opt_day("entered_on");
    const json& approvals = s.array("approvals");
    for (std::size_t k = 0; k < approvals.size(); ++k) {
      reader a(approvals[k], path + "/approvals/" + std::to_string(k),
               {"person", "place", "via", "on_behalf_of", "on"});
      rec.approvals.push_back({a.str("person"), a.str("place"),
                               a.enumerated<acting_via>("via", parse_acting_via, vias),
                               a.str("on_behalf_of", false, true), a.day("on")});
    }
    inst.steps.push_back(std::move(rec));
  }
  // The state, the current step and the steps' statuses must agree.
  if (inst.state == instance_state::in_progress) {
    if (inst.current_step.empty())
      reader::fail("/current_step", "an instance in progress needs one");
    if (!step_ids.contains(inst.current_step)) {
      reader::fail("/current_step", "\"" + inst.current_step + "\" is not one of the steps");
    }
    for (std::size_t i = 0; i < inst.steps.size(); ++i) {
      bool is_current = inst.steps[i].id == inst.current_step;
      if (is_current != (inst.steps[i].status == step_status::active)) {
        reader::fail(
            "/steps/" + std::to_string(i) + "/status",
            is_current ? "the current step must be active" : "only the current step may be active");
      }
    }
  } else {
    if (!inst.current_step.empty()) {
      reader::fail("/current_step", "must be null unless the instance is in progress");
    }
    if (active != 0) reader::fail("/steps", "no step may be active unless in progress");
  }

  const json& delegations = r.array("delegations");
  for (std::size_t i = 0; i < delegations.size(); ++i) {
    std::string path = "/delegations/" + std::to_string(i);
    reader d(delegations[i], path, {"from", "to", "since", "until"});
    delegation del{d.str("from"), d.str("to"), d.day("since"), d.day("until")};
    if (del.until < del.since) reader::fail(path + "/until", "is before \"since\"");
    inst.delegations.push_back(std::move(del));
  }

  const json& history = r.array("history");
  std::uint64_t last = 0;
  for (std::size_t i = 0; i < history.size(); ++i) {
    std::string path = "/history/" + std::to_string(i);
    reader h(history[i], path,
             {"version", "action", "actor", "on", "step", "comment", "request_id", "via",
              "on_behalf_of", "delegate_to", "until", "request"});
    history_entry e;
    e.version = h.count("version");
    if (e.version <= last) reader::fail(path + "/version", "versions must increase");
    last = e.version;
    e.action = h.enumerated<action_kind>("action", parse_action_kind, actions);
    e.actor = h.str("actor");
    e.on = h.day("on");
    e.step = h.str("step", false, true);
    e.comment = h.str("comment", false);
    e.request_id = h.str("request_id", false, true);
    e.via = h.enumerated<acting_via>("via", parse_acting_via, vias, false, acting_via::direct);
    e.on_behalf_of = h.str("on_behalf_of", false, true);
    e.delegate_to = h.str("delegate_to", false, true);
    e.until = h.opt_day("until");
    if (const json* req = h.get("request", false)) e.request = *req;
    inst.history.push_back(std::move(e));
  }
  if (last > inst.version) {
    reader::fail("/version", "is " + std::to_string(inst.version) +
                                 " but the history reaches version " + std::to_string(last));
  }
  return inst;
}

instance instance_from_json_text(std::string_view text) {
  json j;
  try {
    j = parse_json(text);
  } catch (const json_error& e) {
    // The message says "at line L, column C" when the text is not JSON at all.
    const std::string what = e.what();
    location where;
    if (auto pos = what.find("at line "); pos != std::string::npos) {
      unsigned long line = 0, column = 0;
      if (std::sscanf(what.c_str() + pos, "at line %lu, column %lu", &line, &column) == 2)
        where.line = line, where.column = column;
    }
    throw format_error(where, "not JSON: " + what);
  }
  return instance_from_json(j);
}

json to_json(const action& a) {
  json j = {{"action", to_string(a.kind)}, {"actor", a.actor}, {"on", a.on.to_string()}};
  if (!a.request_id.empty()) j["request_id"] = a.request_id;
  if (a.expected_version) j["expected_version"] = *a.expected_version;
  if (!a.step.empty()) j["step"] = a.step;
  if (!a.comment.empty()) j["comment"] = a.comment;
  if (!a.delegate_to.empty()) j["delegate_to"] = a.delegate_to;
  if (a.until) j["until"] = a.until->to_string();
  if (a.request) j["request"] = *a.request;
  return j;
}

action action_from_json(const json& j) {
  reader r(j, "",
           {"action", "actor", "on", "request_id", "expected_version", "step", "comment",
            "delegate_to", "until", "request"});
  action a;
  a.kind = r.enumerated<action_kind>("action", parse_action_kind, actions);
  a.actor = r.str("actor");
  a.on = r.day("on");
  a.request_id = r.str("request_id", false, true);
  if (r.get("expected_version", false)) a.expected_version = r.count("expected_version");
  a.step = r.str("step", false, true);
  a.comment = r.str("comment", false, true);
  a.delegate_to = r.str("delegate_to", false, true);
  a.until = r.opt_day("until");
  if (const json* req = r.get("request", false)) a.request = *req;
  return a;
}

json to_json(const refusal& r) { return {{"kind", to_string(r.kind)}, {"message", r.message}}; }

}  // namespace keyaccount::workflows
