#include <boost/test/unit_test.hpp>

#include "keyaccount/org/ownership.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount::org;

namespace {

keyaccount::ownership_rule rule(int max_accounts = 2) {
  keyaccount::ownership_rule r;
  r.article = "art-6.2";
  r.tiers = {"key"};
  r.owner_position = "cr_specialist";
  r.max_accounts_per_owner = max_accounts;
  return r;
}

std::vector<ownership_issue_kind> kinds(const ownership_report& r) {
  std::vector<ownership_issue_kind> out;
  for (const auto& i : r.issues) out.push_back(i.kind);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ownership)

BOOST_AUTO_TEST_CASE(valid_assignments_pass) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  std::vector<customer_ref> customers = {{"c1", "key"}, {"c2", "key"}, {"c3", "ordinary"}};
  auto report = check_ownership(rule(), d, customers, {{"c1", "alice"}, {"c2", "bob"}});
  BOOST_TEST(report.ok());
  BOOST_TEST(report.unowned.empty());
  BOOST_TEST(report.load.at("alice") == 1);
}

BOOST_AUTO_TEST_CASE(a_customer_listed_twice_is_refused_not_counted_twice) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  std::vector<customer_ref> customers = {{"c1", "key"}, {"c2", "key"}, {"c1", "key"}};
  const std::vector<assignment> a = {{"c1", "alice"}, {"c2", "alice"}};
  auto listed_twice = [](const std::invalid_argument& e) {
    return std::string(e.what()) == "customer \"c1\" is listed twice";
  };
  BOOST_CHECK_EXCEPTION((void)check_ownership(rule(), d, customers, a), std::invalid_argument,
                        listed_twice);
  BOOST_CHECK_EXCEPTION((void)propose_owners(rule(), d, customers, a), std::invalid_argument,
                        listed_twice);
  customers.pop_back();
  BOOST_TEST(check_ownership(rule(), d, customers, a).load.at("alice") == 2);
}

BOOST_AUTO_TEST_CASE(every_violation_of_art_6_2_is_reported) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  std::vector<customer_ref> customers = {{"c1", "key"}, {"c2", "key"}, {"c3", "key"},
                                         {"c4", "key"}, {"c5", "key"}, {"c6", "key"},
                                         {"c7", "key"}, {"c8", "key"}, {"c9", "ordinary"}};
  std::vector<assignment> a = {
      {"c2", "alice"},  {"c2", "bob"},                   // several owners
      {"c3", "nobody"},                                  // unknown
      {"c4", "fred"},                                    // inactive
      {"c5", "sue"},                                     // supervisor, not a specialist
      {"c6", "cora"},   {"c7", "cora"}, {"c8", "cora"},  // over the limit of 2
      {"c9", "alice"},                                   // not a key customer: fine, not counted
      {"zz", "alice"},                                   // unknown customer
  };
  auto report = check_ownership(rule(2), d, customers, a);
  using k = ownership_issue_kind;
  BOOST_TEST((kinds(report) == std::vector<k>{k::unknown_customer, k::no_owner, k::several_owners,
                                              k::unknown_owner, k::inactive_owner,
                                              k::wrong_position, k::over_capacity}));
  BOOST_TEST((report.unowned == std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"}));
  BOOST_TEST(report.issues.back().owner == "cora");
  BOOST_TEST(report.issues.back().message == "owner \"cora\" has 3 key accounts; the limit is 2");
  BOOST_TEST(report.issues[5].message.find("art-6.2") != std::string::npos);
  // The limit is configurable.
  auto relaxed = check_ownership(rule(2), d, customers, a, {.max_accounts_per_owner = 3});
  BOOST_TEST(relaxed.issues.size() == report.issues.size() - 1);
}

BOOST_AUTO_TEST_CASE(proposal_balances_load_deterministically) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  std::vector<customer_ref> customers;
  for (int i = 1; i <= 7; ++i) customers.push_back({"c" + std::to_string(i), "key"});
  // alice already has two, bob one; c4 is owned by an inactive person, so it needs a new owner.
  std::vector<assignment> a = {{"c1", "alice"}, {"c2", "alice"}, {"c3", "bob"}, {"c4", "fred"}};
  auto p = propose_owners(rule(3), d, customers, a);
  BOOST_TEST((p.proposed == std::vector<assignment>{
                                {"c4", "cora"}, {"c5", "bob"}, {"c6", "cora"}, {"c7", "alice"}}));
  BOOST_TEST(p.unplaceable.empty());
  BOOST_TEST(p.load_after.at("alice") == 3);
  BOOST_TEST(p.load_after.at("bob") == 2);
  BOOST_TEST(p.load_after.at("cora") == 2);
  // Same input, same output; the order of the input does not matter.
  std::reverse(customers.begin(), customers.end());
  BOOST_TEST((propose_owners(rule(3), d, customers, a).proposed == p.proposed));
  // After applying the proposal, the check passes.
  auto applied = a;
  std::erase_if(applied, [](const assignment& x) { return x.customer == "c4"; });
  applied.insert(applied.end(), p.proposed.begin(), p.proposed.end());
  BOOST_TEST(check_ownership(rule(3), d, customers, applied).ok());
}

BOOST_AUTO_TEST_CASE(proposal_respects_the_limit_and_reports_the_rest) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  std::vector<customer_ref> customers;
  for (int i = 1; i <= 5; ++i) customers.push_back({"c" + std::to_string(i), "key"});
  auto p = propose_owners(rule(1), d, customers, {});
  BOOST_TEST(p.proposed.size() == 3u);  // three specialists, one account each
  BOOST_TEST((p.unplaceable == std::vector<std::string>{"c4", "c5"}));
}

BOOST_AUTO_TEST_SUITE_END()
