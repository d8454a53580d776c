#pragma once
// Shared fixtures of the org, ownership and workflow suites: the seed's organisation (Art. 3)
// and people who hold its positions.

#include <string>
#include <vector>

#include "keyaccount/core/date.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace fixtures {

inline keyaccount::date day(const char* text) {
  auto d = keyaccount::date::parse(text);
  if (!d) throw std::invalid_argument(std::string("bad date in test: ") + text);
  return *d;
}

inline keyaccount::position pos(std::string id, std::string dept,
                                std::optional<std::string> reports_to,
                                std::optional<int> headcount = std::nullopt) {
  keyaccount::position p;
  p.id = std::move(id);
  p.department = std::move(dept);
  p.reports_to = std::move(reports_to);
  p.headcount = headcount;
  return p;
}

/// The seed's organisation, as in policies/key-account-policy.json.
inline keyaccount::organization seed_org() {
  keyaccount::organization org;
  org.primary_department = "customer_relations";
  for (const char* d :
       {"customer_service", "customer_relations", "sales", "finance", "general_management"}) {
    org.departments.push_back({d, {d, ""}});
  }
  org.positions = {
      pos("general_manager", "general_management", std::nullopt, 1),
      pos("cs_manager", "customer_service", "general_manager", 1),
      pos("cr_supervisor", "customer_relations", "cs_manager"),
      pos("cr_specialist", "customer_relations", "cr_supervisor"),
      pos("sales_staff", "sales", "general_manager"),
      pos("finance_reviewer", "finance", "general_manager"),
  };
  return org;
}

/// A small company: one GM, one CS manager, two supervisors, three specialists, two sales
/// people, two finance reviewers (one inactive).
inline std::vector<keyaccount::org::person> seed_people() {
  using keyaccount::org::person;
  return {
      {"gina", "Gina (GM)", {"general_manager"}, "", true},
      {"carl", "Carl (CS manager)", {"cs_manager"}, "", true},
      {"sue", "Sue (CR supervisor)", {"cr_supervisor"}, "", true},
      {"sam", "Sam (CR supervisor)", {"cr_supervisor"}, "", true},
      {"alice", "Alice (CR specialist)", {"cr_specialist"}, "sue", true},
      {"bob", "Bob (CR specialist)", {"cr_specialist"}, "sue", true},
      {"cora", "Cora (CR specialist)", {"cr_specialist"}, "sam", true},
      {"sal", "Sal (sales)", {"sales_staff"}, "", true},
      {"sid", "Sid (sales)", {"sales_staff"}, "", true},
      {"fay", "Fay (finance)", {"finance_reviewer"}, "", true},
      {"fred", "Fred (finance, left)", {"finance_reviewer"}, "", false},
  };
}

}  // namespace fixtures

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/engine.hpp"

namespace fixtures {

inline nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return nlohmann::json::parse(
      std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

/// The default policy with parameter values replaced and workflows added, loaded.
inline keyaccount::policy patched_policy(const nlohmann::json& set_parameters,
                                         const nlohmann::json& add_workflows) {
  auto doc = nlohmann::json::parse(keyaccount::default_policy_text());
  if (set_parameters.is_object()) {
    for (auto& p : doc["parameters"]) {
      if (set_parameters.contains(p["id"].get<std::string>()))
        p["value"] = set_parameters[p["id"].get<std::string>()];
    }
  }
  if (add_workflows.is_array()) {
    for (const auto& w : add_workflows) doc["workflows"].push_back(w);
  }
  auto loaded = keyaccount::load_policy(doc.dump());
  if (!loaded.ok()) {
    std::string text = "patched policy does not load:";
    for (const auto& d : loaded.diagnostics) text += "\n  " + d.pointer + ": " + d.message;
    throw std::runtime_error(text);
  }
  return *loaded.value;
}

/// The default policy reading Art. 10 the other way a policy may choose: the symposium as a
/// per-customer activity `annual_symposium` yearly on 12-10 (`yearly_on`), without the
/// `symposium` section (one event a year) the default policy has. The planner's tests of the
/// `yearly_on` cadence use it.
inline keyaccount::policy with_yearly_symposium_activity(keyaccount::policy p) {
  keyaccount::activity a;
  a.id = "annual_symposium";
  a.article = "art-10";
  a.name = {"Annual symposium", "重点客户座谈会"};
  a.tiers = {"key"};
  a.responsible = "cr_supervisor";
  a.when.yearly_on = keyaccount::month_day{12, 10};
  p.symposium.reset();
  p.activities.push_back(std::move(a));
  return p;
}

/// The default policy with Art. 9 read as a fixed cadence instead of by plan: executive_visit
/// every 6 months, its months overridable (Art. 6.3) as the principles then listed. The
/// planner's tests of the `every_months` cadence and of months overrides use it.
inline keyaccount::policy with_fixed_executive_visits(keyaccount::policy p) {
  for (auto& a : p.activities)
    if (a.id == "executive_visit") {
      a.when = {};
      a.when.every_months = 6;
    }
  for (auto& principle : p.principles)
    if (principle.id == "flexible_service")
      principle.overridable.push_back("executive_visit.every_months");
  return p;
}

/// The people of tests/data/workflows/people.json.
inline keyaccount::org::directory scenario_people(const keyaccount::policy& p) {
  auto j = read_json(KEYACCOUNT_TEST_DATA_DIR "/workflows/people.json");
  return keyaccount::org::directory(p.org, keyaccount::org::people_from_json(j));
}

}  // namespace fixtures

namespace fixtures {

/// The conditions the tests compile workflows with: the library's own (CEL).
inline keyaccount::workflows::condition_compiler test_conditions() {
  return keyaccount::workflows::default_condition_compiler();
}

}  // namespace fixtures
