#pragma once
// Shared fixtures of the org, ownership and workflow suites: the seed's organisation (Art. 3)
// and people who hold its positions.

#include <string>
#include <vector>

#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/date.hpp"
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
  for (const char* d : {"customer_service", "customer_relations", "sales", "finance",
                        "general_management"}) {
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
