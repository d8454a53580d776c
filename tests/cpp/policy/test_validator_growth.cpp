// Every check of the policy validator is near-linear in the size of the policy: on the worst
// case of each (bench/worst_case_policies.hpp) at sizes n and 4n, the check's step count
// (counted, not timed: the same on any machine under any load) must grow by no more than
// 4 · log(4n) / log(n), with 10 % to spare. A check that scans a list per item grows 16-fold
// and fails. (A reporting line of 4,000 positions took 55.7 s to validate before.)
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "keyaccount/policy/loader.hpp"
#include "policy/detail/check_steps.hpp"
#include "worst_case_policies.hpp"

namespace {

std::uint64_t steps_of(const keyaccount::detail::check_steps& s, const std::string& check) {
  if (check == "unique_ids") return s.unique_ids;
  if (check == "references") return s.references;
  if (check == "reporting_line") return s.reporting_line;
  if (check == "criteria_graph") return s.criteria_graph;
  if (check == "workflows") return s.workflows;
  if (check == "parameters_used") return s.parameters_used;
  BOOST_FAIL("no such check " << check);
  return 0;
}

// The steps `check` takes to validate `text`.
std::uint64_t count(const std::string& text, const std::string& check) {
  keyaccount::detail::validator_steps() = {};
  auto result = keyaccount::load_policy(text);
  BOOST_TEST((!result.diagnostics.empty() || result.ok()));  // validated, not refused early
  return steps_of(keyaccount::detail::validator_steps(), check);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(validator_growth)

BOOST_AUTO_TEST_CASE(every_check_grows_no_faster_than_n_log_n) {
  constexpr std::size_t n = 1000;
  const double allowed = 4.0 * std::log2(4.0 * n) / std::log2(double(n)) * 1.1;
  for (const auto& g : keyaccount::worst_case::all()) {
    BOOST_TEST_CONTEXT(g.name << " (" << g.check << ")") {
      const double small = double(count(g.make(n), g.check));
      const double large = double(count(g.make(4 * n), g.check));
      BOOST_TEST_MESSAGE(g.name << ": " << small << " → " << large << " steps, ×" << large / small);
      BOOST_TEST(large >= 2.0 * small, "the case does not exercise the check");
      BOOST_TEST(large / small <= allowed, "×" << large / small << " for ×4 the size");
    }
  }
}

BOOST_AUTO_TEST_CASE(the_worst_cases_report_what_they_should) {
  // The generated policies are what they claim: a circle is one reporting_cycle, a chain none,
  // every undefined department is reported (with a suggestion for the first ones only).
  auto codes = [](const std::string& text) {
    std::map<std::string, std::size_t> out;
    for (const auto& d : keyaccount::load_policy(text).diagnostics) ++out[d.code];
    return out;
  };
  BOOST_TEST(codes(keyaccount::worst_case::reporting_circle(50))["reporting_cycle"] == 1u);
  BOOST_TEST(codes(keyaccount::worst_case::reporting_chain(50))["reporting_cycle"] == 0u);
  BOOST_TEST(keyaccount::load_policy(keyaccount::worst_case::criteria_chain(20000)).ok());
  auto undefined = keyaccount::load_policy(keyaccount::worst_case::undefined_references(300));
  std::size_t reported = 0, suggested = 0;
  for (const auto& d : undefined.diagnostics)
    if (d.code == "undefined_department") {
      ++reported;
      suggested += d.message.find("did you mean `dept_") != std::string::npos;
    }
  BOOST_TEST(reported == 300u);
  BOOST_TEST(suggested == 100u);
}

BOOST_AUTO_TEST_SUITE_END()
