// The default policy's criteria (policies/key-account-policy.json): every `condition` and
// `explain.observed/target/precondition` compiles against the customer schema, with the
// parameters as a folded `params` constant, and evaluates to the expected results.
#include <boost/test/unit_test.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "keyaccount/expr.hpp"
#include "keyaccount/policy/default_policy.hpp"

namespace ex = keyaccount::expr;
using nlohmann::json;

namespace {

struct policy_fixture {
  json policy = json::parse(keyaccount::default_policy_text());
  ex::declarations decls;
  std::map<std::string, ex::program> programs;  // "<criterion id>.<field>" -> program

  policy_fixture() {
    decls.add_variable("category", ex::type::string());
    decls.add_variable("monthly_shipments", ex::type::list(ex::type::float64()));
    decls.add_variable("cumulative_amount", ex::type::float64());
    decls.add_variable("first_order", ex::type::date());
    decls.add_variable("as_of", ex::type::date());
    std::vector<std::pair<std::string, ex::value>> params;
    for (const auto& p : policy.at("parameters")) {
      params.emplace_back(p.at("id").get<std::string>(), ex::from_json(p.at("value")));
    }
    decls.add_constant("params", ex::value::object("params", std::move(params)));
    for (const auto& c : policy.at("criteria")) {
      std::string id = c.at("id").get<std::string>();
      if (c.contains("condition")) add(id + ".condition", c.at("condition").get<std::string>());
      if (c.contains("explain")) {
        for (const char* field : {"observed", "target", "precondition"}) {
          if (c.at("explain").contains(field))
            add(id + "." + field, c.at("explain").at(field).get<std::string>());
        }
      }
    }
  }

  void add(const std::string& key, const std::string& source) {
    auto r = ex::compile(source, decls);
    BOOST_REQUIRE_MESSAGE(r.ok(),
                          key + ": `" + source + "`: " + ex::format_diagnostics(r.diagnostics));
    programs.emplace(key, *r.program);
  }

  ex::value run(const std::string& key, const ex::activation& vars) {
    auto it = programs.find(key);
    BOOST_REQUIRE_MESSAGE(it != programs.end(), "no expression " + key);
    return it->second.evaluate(vars);
  }
};

ex::activation customer(const ex::declarations& decls, const std::string& category,
                        const std::vector<double>& shipments, double amount,
                        const std::string& first_order, const std::string& as_of) {
  ex::activation vars(decls);
  vars.set("category", ex::value::string(category));
  vars.set("monthly_shipments", ex::value::double_list(shipments));
  vars.set("cumulative_amount", ex::value::float64(amount));
  vars.set("first_order", ex::value::from_date(*ex::date::parse(first_order)));
  vars.set("as_of", ex::value::from_date(*ex::date::parse(as_of)));
  return vars;
}

bool as_bool(const ex::value& v) {
  BOOST_REQUIRE_MESSAGE(v.is_bool(), "expected a bool, got " + v.debug_string());
  return v.as_bool();
}
std::int64_t as_int(const ex::value& v) {
  BOOST_REQUIRE_MESSAGE(v.is_int(), "expected an int, got " + v.debug_string());
  return v.as_int();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(expr_policy, policy_fixture)

BOOST_AUTO_TEST_CASE(every_expression_compiles) {
  // 5 conditions (4.1, 4.2, 5.1, 5.2, 5.3) and their explanations.
  BOOST_TEST(programs.size() >= 12u);
  BOOST_TEST(programs.at("art-4.2.target").result_type().to_string() == "int");
  BOOST_TEST(programs.at("art-5.2.observed").result_type().to_string() == "int");
}

BOOST_AUTO_TEST_CASE(established_strategic_customer) {
  auto vars = customer(decls, "government", std::vector<double>(24, 60.0), 600.0, "2020-01-01",
                       "2025-01-01");
  BOOST_TEST(as_bool(run("art-4.1.condition", vars)));
  BOOST_TEST(as_bool(run("art-4.2.condition", vars)));
  BOOST_TEST(as_bool(run("art-5.1.condition", vars)));
  BOOST_TEST(as_bool(run("art-5.2.condition", vars)));
  BOOST_TEST(!as_bool(run("art-5.3.condition", vars)));  // not new: 60 months
  BOOST_TEST(!as_bool(run("art-5.3.precondition", vars)));
  BOOST_TEST(as_int(run("art-4.2.observed", vars)) == 24);
  BOOST_TEST(as_int(run("art-4.2.target", vars)) == 12);
  BOOST_TEST(run("art-5.1.observed", vars).as_double() == 600.0);
}

BOOST_AUTO_TEST_CASE(new_customer_with_three_good_months) {
  auto vars = customer(decls, "other", {0, 35, 40, 45}, 120.0, "2024-09-15", "2025-01-20");
  BOOST_TEST(!as_bool(run("art-4.1.condition", vars)));
  BOOST_TEST(!as_bool(run("art-4.2.condition", vars)));  // a month without shipments
  BOOST_TEST(!as_bool(run("art-5.1.condition", vars)));
  BOOST_TEST(!as_bool(run("art-5.2.condition", vars)));  // none above 50
  BOOST_TEST(as_bool(run("art-5.3.condition", vars)));   // 4 months old, 3 above 30
  BOOST_TEST(as_bool(run("art-5.3.precondition", vars)));
  BOOST_TEST(as_int(run("art-5.3.observed", vars)) == 3);
  BOOST_TEST(as_int(run("art-5.3.target", vars)) == 3);
  BOOST_TEST(as_int(run("art-4.2.observed", vars)) == 3);
  BOOST_TEST(as_int(run("art-4.2.target", vars)) == 4);  // min([size, 12])
}

BOOST_AUTO_TEST_CASE(customer_without_history) {
  auto vars = customer(decls, "monopoly", {}, 0.0, "2025-01-01", "2025-01-01");
  BOOST_TEST(as_bool(run("art-4.1.condition", vars)));
  BOOST_TEST(!as_bool(run("art-4.2.condition", vars)));
  BOOST_TEST(!as_bool(run("art-5.2.condition", vars)));
  BOOST_TEST(as_int(run("art-4.2.observed", vars)) == 0);
  BOOST_TEST(as_int(run("art-4.2.target", vars)) == 1);  // at least one month is needed
}

BOOST_AUTO_TEST_CASE(boundary_is_strict) {
  auto vars = customer(decls, "other", {51, 51, 50}, 500.0, "2020-01-01", "2025-01-01");
  BOOST_TEST(!as_bool(run("art-5.1.condition", vars)));    // "more than" 500
  BOOST_TEST(as_int(run("art-5.2.observed", vars)) == 0);  // 50 is not above 50
}

BOOST_AUTO_TEST_CASE(parameters_are_folded_into_constants) {
  // A typo in a parameter name is a compile-time error, not a runtime surprise.
  auto r = ex::compile("cumulative_amount > params.cumulative_amount_mni", decls);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.diagnostics[0].code == "undefined_field");
  BOOST_TEST(r.diagnostics[0].column == 28u);  // at the field name
}

BOOST_AUTO_TEST_SUITE_END()
