#include "cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "keyaccount/version.hpp"

namespace keyaccount::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"keyaccount: key-customer relationship maintenance policy as executable rules",
               "keyaccount"};
  app.set_version_flag("--version", std::string(keyaccount::version()));
  app.require_subcommand(0, 1);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed list
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << keyaccount::version() << '\n';
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    err << "keyaccount: " << e.what() << "\nRun with --help for more information.\n";
    return exit_usage;
  }
  if (app.get_subcommands().empty()) {
    out << app.help();
    return exit_ok;
  }
  return exit_ok;
}

}  // namespace keyaccount::cli
