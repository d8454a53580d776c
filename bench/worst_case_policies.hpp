#pragma once
// The worst case of each check of the policy validator, at any size: the default policy with
// n generated items added where that check does the most work. Shared by
// bench/bench_validator_growth.cpp (times them at doubling sizes) and
// tests/cpp/policy/test_validator_growth.cpp (counts the checks' steps and fails on super-linear
// growth).

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/policy/default_policy.hpp"

namespace keyaccount::worst_case {

/// One generator: a name and the policy text with `n` items.
struct generator {
  const char* name;
  const char* check;  ///< the check it stresses (a member of detail::check_steps)
  std::function<std::string(std::size_t n)> make;
};

inline nlohmann::json default_json() { return nlohmann::json::parse(default_policy_text()); }

inline std::string id(const char* prefix, std::size_t i) { return prefix + std::to_string(i); }

/// The default policy with n more positions p0..p{n-1} in one department, position i
/// reporting to `reports_to(i)`.
template <class ReportsTo>
std::string with_positions(std::size_t n, ReportsTo reports_to) {
  auto j = default_json();
  auto& positions = j["organization"]["positions"];
  for (std::size_t i = 0; i < n; ++i)
    positions.push_back({{"id", id("p", i)},
                         {"name", "P"},
                         {"department", "customer_relations"},
                         {"reports_to", reports_to(i)}});
  return j.dump();
}

/// A reporting line of n positions, each reporting to the one before (the case: 1.2 /
/// 5.7 / 55.7 s for 1,000 / 2,000 / 4,000 before the check was made linear).
inline std::string reporting_chain(std::size_t n) {
  return with_positions(
      n, [](std::size_t i) { return i == 0 ? std::string("general_manager") : id("p", i - 1); });
}

/// The same line closed into one circle (the first reports to the last): reported once.
inline std::string reporting_circle(std::size_t n) {
  return with_positions(n, [n](std::size_t i) { return id("p", (i + n - 1) % n); });
}

/// A chain of n combined criteria, each `any` of the next, the last a condition; the key tier
/// uses the first (a deep graph: recursion would overflow the stack).
inline std::string criteria_chain(std::size_t n) {
  auto j = default_json();
  auto& criteria = j["criteria"];
  for (std::size_t i = 0; i + 1 < n; ++i)
    criteria.push_back(
        {{"id", id("c", i)}, {"name", "C"}, {"article", "art-5"}, {"any", {id("c", i + 1)}}});
  criteria.push_back({{"id", id("c", n - 1)},
                      {"name", "C"},
                      {"article", "art-5"},
                      {"condition", "cumulative_amount > 1.0"}});
  j["tiers"][0]["rule"]["all"].push_back("c0");
  return j.dump();
}

/// n departments and n positions each naming an undefined department: every reference is
/// looked up, and "did you mean" compares a misspelt id with every declared one.
inline std::string undefined_references(std::size_t n) {
  auto j = default_json();
  auto& departments = j["organization"]["departments"];
  auto& positions = j["organization"]["positions"];
  for (std::size_t i = 0; i < n; ++i) {
    departments.push_back({{"id", id("dept_", i)}, {"name", "D"}});
    positions.push_back({{"id", id("q", i)}, {"name", "Q"}, {"department", id("dpet_", i)}});
  }
  return j.dump();
}

/// One approval step whose approvers (and the workflow's initiators) are n positions with a
/// headcount: each one's headcount is looked up.
inline std::string many_approvers(std::size_t n) {
  auto j = default_json();
  auto& positions = j["organization"]["positions"];
  auto& wf = j["workflows"][0];
  wf["initiators"] = nlohmann::json::array();
  wf["steps"][0]["approvers"] = nlohmann::json::array();
  for (std::size_t i = 0; i < n; ++i) {
    positions.push_back({{"id", id("a", i)},
                         {"name", "A"},
                         {"department", "finance"},
                         {"reports_to", "general_manager"},
                         {"headcount", 1}});
    wf["initiators"].push_back(id("a", i));
    wf["steps"][0]["approvers"].push_back(id("a", i));
  }
  return j.dump();
}

/// n parameters, each used by one of n criteria: every parameter is looked for in the text of
/// every expression.
inline std::string many_parameters(std::size_t n) {
  auto j = default_json();
  for (std::size_t i = 0; i < n; ++i) {
    j["parameters"].push_back({{"id", id("k", i)},
                               {"name", "K"},
                               {"type", "number"},
                               {"value", 1},
                               {"article", "art-5"}});
    j["criteria"].push_back({{"id", id("m", i)},
                             {"name", "M"},
                             {"article", "art-5"},
                             {"condition", "cumulative_amount > params." + id("k", i)}});
    j["tiers"][0]["rule"]["all"].push_back(id("m", i));
  }
  return j.dump();
}

/// Every generator, one per worst case.
inline std::vector<generator> all() {
  return {{"reporting_chain", "reporting_line", reporting_chain},
          {"reporting_circle", "reporting_line", reporting_circle},
          {"criteria_chain", "criteria_graph", criteria_chain},
          {"undefined_references", "references", undefined_references},
          {"many_approvers", "workflows", many_approvers},
          {"many_parameters", "parameters_used", many_parameters}};
}

}  // namespace keyaccount::worst_case
