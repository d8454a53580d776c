// Organisation, ownership (Art. 6.2) and approval workflows (Art. 11-14). Values cross the
// boundary as JSON text (actions, people, results), instances as the C++ value itself; the
// Python layer (keyaccount/workflow.py) turns them into dicts and friendly classes. Every
// refusal raises its own exception class (keyaccount/_errors.py), never a RuntimeError.
#include <pybind11/stl.h>

#include <map>
#include <nlohmann/json.hpp>

#include "bindings.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/json/parse.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/org/ownership.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/graph.hpp"
#include "keyaccount/workflow/json.hpp"

namespace py = pybind11;
namespace wf = keyaccount::workflows;
using nlohmann::json;

namespace keyaccount::python {
namespace {

// The Python class of each refusal kind.
const char* error_class(wf::refusal_kind kind) {
  switch (kind) {
    case wf::refusal_kind::not_authorized:
      return "NotAuthorizedError";
    case wf::refusal_kind::wrong_state:
      return "WrongStateError";
    case wf::refusal_kind::separation_of_duties:
      return "SeparationOfDutiesError";
    case wf::refusal_kind::stale_version:
      return "StaleVersionError";
    case wf::refusal_kind::unknown_step:
      return "UnknownStepError";
    case wf::refusal_kind::unknown_workflow:
      return "UnknownWorkflowError";
    case wf::refusal_kind::unknown_person:
      return "UnknownPersonError";
    case wf::refusal_kind::invalid_request:
      return "InvalidRequestError";
    case wf::refusal_kind::invalid_action:
      return "InvalidActionError";
    case wf::refusal_kind::duplicate_request:
      return "DuplicateRequestError";
    case wf::refusal_kind::condition_error:
      return "ConditionError";
    case wf::refusal_kind::policy_mismatch:
      return "PolicyMismatchError";
  }
  return "WorkflowError";
}

[[noreturn]] void raise_refusal(const wf::refusal& r) {
  raise_python_error(error_class(r.kind), py::make_tuple(r.message));
}

json parse_json(const std::string& text, const char* what) {
  try {
    return keyaccount::parse_json(text);
  } catch (const json_error& e) {
    raise_python_error("InputError", py::make_tuple(std::string(what) + ": " + e.what()));
  }
}

wf::action parse_action(const std::string& text) {
  try {
    return wf::action_from_json(parse_json(text, "action"));
  } catch (const wf::format_error& e) {
    raise_python_error("InvalidActionError", py::make_tuple(std::string("action") + e.what()));
  }
}

date parse_day(const std::string& text) {
  auto d = date::parse(text);
  if (!d) {
    raise_python_error("InputError", py::make_tuple("as_of: " + field_check::not_a_date(text)));
  }
  return *d;
}

org::directory make_directory(const policy& p, const std::string& people_json) {
  return org::directory(p.org, org::people_from_json(parse_json(people_json, "people")));
}

std::vector<org::customer_ref> parse_customers(const std::string& text) {
  json j = parse_json(text, "customers");
  std::vector<org::customer_ref> out;
  std::map<std::string, std::size_t> seen;  // id → index where it was first given
  if (!j.is_array()) raise_python_error("InputError", py::make_tuple("customers: expected a list"));
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& c = j[i];
    if (!c.is_object() || !c.contains("id") || !c["id"].is_string() || !c.contains("tier") ||
        !c["tier"].is_string()) {
      raise_python_error("InputError", py::make_tuple("customers[" + std::to_string(i) +
                                                      "]: expected {\"id\": str, \"tier\": str}"));
    }
    // A customer listed twice would count twice towards its owner's load (and be reported
    // twice): refused, naming both places.
    auto [first, fresh] = seen.emplace(c["id"].get<std::string>(), i);
    if (!fresh) {
      raise_python_error("InputError",
                         py::make_tuple("customers[" + std::to_string(i) + "].id: \"" +
                                        first->first + "\" is given twice (first at customers[" +
                                        std::to_string(first->second) + "])"));
    }
    out.push_back({c["id"].get<std::string>(), c["tier"].get<std::string>()});
  }
  return out;
}

std::vector<org::assignment> parse_assignments(const std::string& text) {
  json j = parse_json(text, "assignments");
  std::vector<org::assignment> out;
  if (!j.is_array())
    raise_python_error("InputError", py::make_tuple("assignments: expected a list"));
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& a = j[i];
    if (!a.is_object() || !a.contains("customer") || !a["customer"].is_string() ||
        !a.contains("owner") || !a["owner"].is_string()) {
      raise_python_error("InputError",
                         py::make_tuple("assignments[" + std::to_string(i) +
                                        "]: expected {\"customer\": str, \"owner\": str}"));
    }
    out.push_back({a["customer"].get<std::string>(), a["owner"].get<std::string>()});
  }
  return out;
}

const ownership_rule& rule_of(const policy& p) {
  if (!p.ownership) {
    raise_python_error("InputError", py::make_tuple("the policy has no ownership rule (Art. 6.2)"));
  }
  return *p.ownership;
}

/// `inst` as known on `day` (later actions left out, see workflow_set::as_of) and how many
/// recorded actions were left out; a refusal (another policy, not yet submitted) is raised.
std::pair<wf::instance, std::size_t> known_on(const wf::workflow_set& s, const wf::instance& inst,
                                              const std::string& day,
                                              const org::directory& people) {
  auto then = s.as_of(inst, parse_day(day), people);
  if (auto* r = std::get_if<wf::refusal>(&then)) raise_refusal(*r);
  auto& known = std::get<wf::instance>(then);
  std::size_t ignored = inst.history.size() - known.history.size();
  return {std::move(known), ignored};
}

json assignments_json(const std::vector<org::assignment>& list) {
  json out = json::array();
  for (const auto& a : list) out.push_back({{"customer", a.customer}, {"owner", a.owner}});
  return out;
}

}  // namespace

void bind_workflow(py::module_& m) {
  py::class_<org::directory>(m, "Directory", "People joined with a policy's positions.")
      .def(py::init(&make_directory), py::arg("policy"), py::arg("people_json"))
      .def(
          "holders",
          [](const org::directory& d, const std::string& position) {
            std::vector<std::string> ids;
            for (const auto* p : d.holders(position)) ids.push_back(p->id);
            return ids;
          },
          py::arg("position"))
      .def(
          "superior_of",
          [](const org::directory& d, const std::string& id) -> std::optional<std::string> {
            const auto* p = d.superior_of(id);
            return p ? std::optional<std::string>(p->id) : std::nullopt;
          },
          py::arg("person"))
      .def("people_json", [](const org::directory& d) { return org::to_json(d.people()).dump(); });

  py::class_<wf::instance>(m, "Instance", "A workflow instance (a value).")
      .def_static(
          "from_json_text",
          [](const std::string& text) { return wf::instance_from_json_text(text); },
          py::arg("text"))
      .def(
          "to_json_text",
          [](const wf::instance& i, int indent) { return wf::to_json(i).dump(indent); },
          py::arg("indent") = -1)
      .def_property_readonly("workflow", [](const wf::instance& i) { return i.workflow; })
      .def_property_readonly(
          "state", [](const wf::instance& i) { return std::string(wf::to_string(i.state)); })
      .def_property_readonly("current_step",
                             [](const wf::instance& i) -> std::optional<std::string> {
                               return i.current_step.empty()
                                          ? std::nullopt
                                          : std::optional<std::string>(i.current_step);
                             })
      .def_property_readonly("version", [](const wf::instance& i) { return i.version; })
      .def_property_readonly("requester", [](const wf::instance& i) { return i.requester; })
      .def("__eq__", [](const wf::instance& a, const wf::instance& b) { return a == b; })
      .def("copy", [](const wf::instance& i) { return i; });

  py::class_<wf::workflow_set>(m, "WorkflowSet", "A policy's workflows, compiled (immutable).")
      .def(py::init([](const policy& p) { return wf::workflow_set::compile(p); }),
           py::arg("policy"))
      .def_property_readonly("policy_id", &wf::workflow_set::policy_id)
      .def_property_readonly("policy_version", &wf::workflow_set::policy_version)
      .def_property_readonly("workflow_ids",
                             [](const wf::workflow_set& s) {
                               std::vector<std::string> ids;
                               for (const auto& d : s.definitions()) ids.push_back(d.id);
                               return ids;
                             })
      .def(
          "start",
          [](const wf::workflow_set& s, const std::string& workflow, const std::string& action_json,
             const org::directory& people) {
            auto started = s.start(workflow, parse_action(action_json), people);
            if (auto* r = std::get_if<wf::refusal>(&started)) raise_refusal(*r);
            return std::get<wf::instance>(std::move(started));
          },
          py::arg("workflow"), py::arg("action_json"), py::arg("people"))
      .def(
          "apply",
          [](const wf::workflow_set& s, const wf::instance& inst, const std::string& action_json,
             const org::directory& people) {
            wf::instance next = inst;  // instances are values: the caller's stays as it was
            auto r = s.apply(next, parse_action(action_json), people);
            if (!r.ok()) raise_refusal(r.error());
            return py::make_tuple(std::move(next), r.replayed());
          },
          py::arg("instance"), py::arg("action_json"), py::arg("people"))
      .def(
          "who_may_act",
          [](const wf::workflow_set& s, const wf::instance& inst, const std::string& as_of,
             const org::directory& people) {
            auto [then, ignored] = known_on(s, inst, as_of, people);
            json out = json::array();
            for (const auto& e : s.who_may_act(then, parse_day(as_of), people)) {
              out.push_back({{"person", e.person},
                             {"place", e.place},
                             {"via", wf::to_string(e.via)},
                             {"on_behalf_of",
                              e.on_behalf_of.empty() ? json(nullptr) : json(e.on_behalf_of)}});
            }
            return py::make_tuple(out.dump(), ignored);
          },
          py::arg("instance"), py::arg("as_of"), py::arg("people"))
      .def(
          "as_of",
          [](const wf::workflow_set& s, const wf::instance& inst, const std::string& day,
             const org::directory& people) { return known_on(s, inst, day, people); },
          py::arg("instance"), py::arg("day"), py::arg("people"))
      .def(
          "deadline",
          [](const wf::workflow_set& s, const wf::instance& inst, const std::string& as_of,
             const org::directory& people) -> py::tuple {
            auto [then, ignored] = known_on(s, inst, as_of, people);
            auto d = s.deadline(then, parse_day(as_of), people);
            if (!d) return py::make_tuple(py::none(), ignored);
            return py::make_tuple(json{{"step", d->step},
                                       {"entered_on", d->entered_on.to_string()},
                                       {"due", d->due ? json(d->due->to_string()) : json(nullptr)},
                                       {"overdue", d->overdue},
                                       {"escalation_level", d->escalation_level},
                                       {"escalated_to", d->escalated_to},
                                       {"reported_to", d->reported_to}}
                                      .dump(),
                                  ignored);
          },
          py::arg("instance"), py::arg("as_of"), py::arg("people"))
      .def(
          "draw",
          [](const wf::workflow_set& s, const std::string& workflow, const std::string& format,
             const wf::instance* progress) {
            const keyaccount::workflow* def = s.find(workflow);
            if (!def) {
              raise_python_error("UnknownWorkflowError",
                                 py::make_tuple("the policy has no workflow \"" + workflow + "\""));
            }
            if (format != "mermaid" && format != "dot") {
              throw py::value_error("format must be \"mermaid\" or \"dot\", not \"" + format +
                                    "\"");
            }
            return wf::draw(*def,
                            format == "dot" ? wf::graph_format::dot : wf::graph_format::mermaid,
                            progress);
          },
          py::arg("workflow"), py::arg("format") = "mermaid", py::arg("progress") = nullptr);

  m.def(
      "check_ownership",
      [](const policy& p, const org::directory& people, const std::string& customers,
         const std::string& assignments, std::optional<int> max_accounts) {
        org::ownership_options options;
        options.max_accounts_per_owner = max_accounts;
        auto report = org::check_ownership(rule_of(p), people, parse_customers(customers),
                                           parse_assignments(assignments), options);
        json issues = json::array();
        for (const auto& i : report.issues) {
          issues.push_back({{"kind", org::to_string(i.kind)},
                            {"customer", i.customer.empty() ? json(nullptr) : json(i.customer)},
                            {"owner", i.owner.empty() ? json(nullptr) : json(i.owner)},
                            {"message", i.message}});
        }
        return json{{"ok", report.ok()},
                    {"issues", issues},
                    {"unowned", report.unowned},
                    {"load", report.load}}
            .dump();
      },
      py::arg("policy"), py::arg("people"), py::arg("customers"), py::arg("assignments"),
      py::arg("max_accounts"));
  m.def(
      "propose_owners",
      [](const policy& p, const org::directory& people, const std::string& customers,
         const std::string& assignments, std::optional<int> max_accounts) {
        org::ownership_options options;
        options.max_accounts_per_owner = max_accounts;
        auto proposal = org::propose_owners(rule_of(p), people, parse_customers(customers),
                                            parse_assignments(assignments), options);
        return json{{"proposed", assignments_json(proposal.proposed)},
                    {"unplaceable", proposal.unplaceable},
                    {"load_after", proposal.load_after}}
            .dump();
      },
      py::arg("policy"), py::arg("people"), py::arg("customers"), py::arg("assignments"),
      py::arg("max_accounts"));
}

}  // namespace keyaccount::python
