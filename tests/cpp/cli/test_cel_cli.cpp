// `keyaccount eval`: JSON output and exit codes (0 value, 1 evaluation error, 2 usage/compile).
#include <boost/test/unit_test.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace {

keyaccount::testing::cli_result eval(std::vector<std::string> args) {
  args.insert(args.begin(), "eval");
  return keyaccount::testing::run_cli(args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cel_cli)

BOOST_AUTO_TEST_CASE(prints_the_value_as_json) {
  auto r = eval({"[1, 2.5, 'a', null, {'k': true}]"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out == "[1,2.5,\"a\",null,{\"k\":true}]\n");
}

BOOST_AUTO_TEST_CASE(binds_variables) {
  auto r = eval({"s.last(2).all(x, x > 50.0) && name.startsWith('A')", "--var", "s=[1, 60, 70.5]",
                 "--var", "name=\"Acme\""});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out == "true\n");
  r = eval({"d.add_months(1)", "--var", "d:date=\"2024-01-31\""});
  BOOST_TEST(r.out == "\"2024-02-29\"\n");
}

BOOST_AUTO_TEST_CASE(evaluation_error_exits_1) {
  auto r = eval({"1 / 0"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find("division by zero") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(compile_error_exits_2_with_position) {
  auto r = eval({"1 + nope"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("1:5") != std::string::npos);
  BOOST_TEST(r.err.find("undeclared_reference") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_var_exits_2) {
  BOOST_TEST(eval({"x", "--var", "x"}).code == 2);
  BOOST_TEST(eval({"x", "--var", "x=abc"}).code == 2);
  BOOST_TEST(eval({"x", "--var", "x:nosuchtype=1"}).code == 2);
  BOOST_TEST(eval({"x", "--var", "x:date=\"2023-02-29\""}).code == 2);
  BOOST_TEST(eval({"x", "--var", "x=1", "--var", "x=2"}).code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
