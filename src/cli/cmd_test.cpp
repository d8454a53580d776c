// keyaccount test [--policy FILE] FILE...
#include <fstream>
#include <memory>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "input_file.hpp"
#include "keyaccount/classify/policy_tests.hpp"
#include "keyaccount/policy/source_document.hpp"  // append_pointer
#include "policy_option.hpp"

namespace keyaccount::cli {
namespace {

struct test_options {
  std::string policy;
  std::vector<std::string> files;
};

std::string join(const std::vector<std::string>& xs) {
  std::string s;
  for (const auto& x : xs) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// "cases[0].expect.tier" → "/cases/0/expect/tier": the paths parse_policy_tests names. (A key
// with dots of its own, a criterion id, splits; it is then located at the enclosing object.)
std::string pointer_of(const std::string& field) {
  std::string pointer, token;
  auto flush = [&] {
    if (!token.empty()) pointer = append_pointer(pointer, token);
    token.clear();
  };
  for (char ch : field) {
    if (ch == '.' || ch == '[' || ch == ']')
      flush();
    else
      token += ch;
  }
  flush();
  return pointer;
}

int run_test(const test_options& o, context& ctx) {
  auto pol = load_policy_option(o.policy, ctx);
  if (!pol) return ctx.exit_code;
  classifier c(*pol);
  std::vector<policy_test_case> all;
  std::size_t passed = 0, failed = 0;
  for (const auto& file : o.files) {
    std::ifstream in;
    if (!open_input_file(file, "test file", in, ctx.err)) return exit_usage;
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<policy_test_case> cases;
    try {
      cases = parse_policy_tests(text.str());
    } catch (const input_error& e) {
      // At the field it names, or at what parse_json refused in the text.
      ctx.err << locate_in_json(file, text.str(), e.field().empty() ? "" : pointer_of(e.field()))
              << ": error[invalid_test_file]: " << e.what() << '\n';
      return exit_usage;
    }
    policy_test_report r = run_policy_tests(c, cases);
    for (const auto& f : r.failures) {
      ctx.out << file << ": FAIL: " << f.name << '\n';
      for (const auto& m : f.mismatches) ctx.out << "    " << m << '\n';
    }
    ctx.out << file << ": " << r.passed << " passed, " << r.failures.size() << " failed\n";
    passed += r.passed;
    failed += r.failures.size();
    all.insert(all.end(), std::make_move_iterator(cases.begin()),
               std::make_move_iterator(cases.end()));
  }
  // Coverage over every file together.
  policy_test_report total = run_policy_tests(c, all);
  if (!total.unexercised.empty())
    ctx.out << "criteria no test exercised: " << join(total.unexercised) << '\n';
  if (!total.never_met.empty())
    ctx.out << "criteria never met in any test: " << join(total.never_met) << '\n';
  if (!total.never_unmet.empty())
    ctx.out << "criteria never unmet in any test: " << join(total.never_unmet) << '\n';
  if (total.unexercised.empty() && total.never_met.empty() && total.never_unmet.empty())
    ctx.out << "coverage: every criterion exercised, both met and not met\n";
  ctx.out << (failed == 0 ? "PASS" : "FAIL") << ": " << passed << " passed, " << failed
          << " failed\n";
  return failed == 0 ? exit_ok : exit_failure;
}

}  // namespace

void add_test_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<test_options>();
  CLI::App* sub = app.add_subcommand(
      "test", "Run table-driven policy tests (customer, as_of, expected tier and criteria)");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("files", o->files, "Test files (JSON)")->required();
  sub->callback([o, &ctx] { ctx.exit_code = run_test(*o, ctx); });
}

}  // namespace keyaccount::cli
