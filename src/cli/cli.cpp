#include "cli.hpp"

#include <CLI/CLI.hpp>
#include <exception>
#include <ostream>

#include "commands.hpp"
#include "keyaccount/version.hpp"

namespace keyaccount::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"keyaccount: key-customer relationship maintenance policy as executable rules",
               "keyaccount"};
  app.set_version_flag("--version", std::string(keyaccount::version()));
  app.require_subcommand(0, 1);

  context ctx{out, err};
  add_validate_command(app, ctx);
  add_describe_command(app, ctx);
  add_eval_command(app, ctx);
  add_workflow_command(app, ctx);
  add_classify_command(app, ctx);
  add_diff_command(app, ctx);
  add_amend_command(app, ctx);
  add_test_command(app, ctx);
  add_plan_command(app, ctx);
  add_compliance_command(app, ctx);
  add_allocate_command(app, ctx);
  add_symposium_command(app, ctx);
  add_supply_command(app, ctx);
  add_schema_command(app, ctx);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed list
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << keyaccount::version() << '\n';
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    err << "keyaccount: " << e.what() << "\nRun with --help for more information.\n";
    return exit_usage;
  } catch (const std::exception& e) {
    // A command must report its own errors; this is the last line of defence.
    err << "keyaccount: internal error: " << e.what() << '\n';
    return exit_usage;
  }
  if (app.get_subcommands().empty()) {
    out << app.help();
    return exit_ok;
  }
  return ctx.exit_code;
}

}  // namespace keyaccount::cli
