// keyaccount test [--policy FILE] [--format text|json|junit] [--coverage-threshold PCT] FILE...
#include <memory>
#include <optional>

#include "cli.hpp"
#include "commands.hpp"
#include "policy_option.hpp"
#include "test_report.hpp"

namespace keyaccount::cli {
namespace {

struct test_options {
  std::string policy;
  std::string format = "text";
  std::optional<double> threshold;
  std::vector<std::string> files;
};

int run_test(const test_options& o, context& ctx) {
  auto pol = load_policy_option(o.policy, ctx);
  if (!pol) return ctx.exit_code;
  io::test_run run;
  try {
    run = io::run_policy_test_files(*pol, o.policy.empty() ? "<default policy>" : o.policy, o.files,
                                    o.threshold);
  } catch (const io::test_file_error& e) {
    ctx.err << e.diagnostic() << '\n';
    return exit_usage;
  }
  if (o.format == "json") {
    ctx.out << io::to_json(run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            << '\n';
  } else if (o.format == "junit") {
    print_test_junit(run, ctx.out);
  } else {
    print_test_text(run, ctx.out);
  }
  return run.ok() ? exit_ok : exit_failure;
}

}  // namespace
void add_test_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<test_options>();
  CLI::App* sub = app.add_subcommand(
      "test", "Run table-driven policy tests (customer, as_of, expected tier and criteria)");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--format", o->format, "Output: text, json or junit (JUnit XML)")
      ->check(CLI::IsMember({"text", "json", "junit"}));
  sub->add_option("--coverage-threshold", o->threshold,
                  "Fail (exit 1) when fewer than PCT percent of the criteria are seen both met "
                  "and not met")
      ->type_name("PCT")
      ->check(CLI::Range(0.0, 100.0));
  sub->add_option("files", o->files, "Test files (JSON)")->required();
  sub->callback([o, &ctx] { ctx.exit_code = run_test(*o, ctx); });
}

}  // namespace keyaccount::cli
