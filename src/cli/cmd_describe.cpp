// keyaccount describe [--policy FILE]: a readable summary of a policy.
#include <memory>

#include "commands.hpp"
#include "keyaccount/policy/summary.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {

void add_describe_command(CLI::App& app, context& ctx) {
  auto path = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "describe", "Print a readable summary: tiers and criteria, positions, workflows, activities");
  sub->add_option("--policy", *path, "Policy file (default: the embedded policy)");
  sub->callback([path, &ctx] {
    auto p = load_policy_option(*path, ctx);
    if (!p) return;
    ctx.out << summarize(*p);
    ctx.exit_code = 0;
  });
}

}  // namespace keyaccount::cli
