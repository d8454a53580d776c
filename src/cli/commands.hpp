#pragma once
// Each subcommand lives in its own cmd_<name>.cpp and registers itself with add_<name>_command.
// A command's callback stores its exit code in context::exit_code.

#include <CLI/CLI.hpp>
#include <iosfwd>

namespace keyaccount::cli {

/// What every subcommand needs from the caller.
struct context {
  std::ostream& out;
  std::ostream& err;
  int exit_code = 0;
};

void add_validate_command(CLI::App& app, context& ctx);  // cmd_validate.cpp (foundation)
void add_describe_command(CLI::App& app, context& ctx);  // cmd_describe.cpp (foundation)
void add_eval_command(CLI::App& app, context& ctx);      // cmd_eval.cpp (CEL engine)
void add_workflow_command(CLI::App& app, context& ctx);  // cmd_workflow.cpp (workflows)
void add_classify_command(CLI::App& app, context& ctx);  // cmd_classify.cpp (classification)
void add_test_command(CLI::App& app, context& ctx);      // cmd_test.cpp (policy tests)
void add_diff_command(CLI::App& app, context& ctx);      // cmd_diff.cpp (diff and impact)
void add_amend_command(CLI::App& app, context& ctx);     // cmd_amend.cpp (amendments)

void add_plan_command(CLI::App& app, context& ctx);        // cmd_plan.cpp (maintenance)
void add_compliance_command(CLI::App& app, context& ctx);  // cmd_compliance.cpp (maintenance)
void add_allocate_command(CLI::App& app, context& ctx);    // cmd_allocate.cpp (maintenance)
void add_symposium_command(CLI::App& app, context& ctx);   // cmd_symposium.cpp (Art. 10)
void add_supply_command(CLI::App& app, context& ctx);      // cmd_supply.cpp (Art. 7.1-7.2)

void add_schema_command(CLI::App& app, context& ctx);  // cmd_schema.cpp (JSON Schemas)

}  // namespace keyaccount::cli
