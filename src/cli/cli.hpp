#pragma once
// The keyaccount command line, as a function: the `keyaccount` executable and the Python
// package's `keyaccount` command (keyaccount._core.run_cli) both call it.

#include <iosfwd>
#include <string>
#include <vector>

namespace keyaccount::cli {

/// Exit codes shared by every subcommand.
enum exit_code : int {
  exit_ok = 0,       ///< success; for validate: no file has an error
  exit_failure = 1,  ///< the command ran and found a problem (invalid policy, failed test, ...)
  exit_usage = 2,    ///< bad arguments or an unreadable input file
};

/// Runs the CLI. `args` excludes the program name. Output goes to `out` and `err`.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace keyaccount::cli
