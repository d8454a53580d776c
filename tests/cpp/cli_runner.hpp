#pragma once
// Runs the `keyaccount` command line in-process, capturing what it prints, for the CLI tests.

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace keyaccount::testing {

/// What one command printed and the exit code it returned.
struct cli_result {
  int code;
  std::string out;
  std::string err;
};

/// `keyaccount ARGS...` as the executable would run it, without a process or a terminal.
inline cli_result run_cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = keyaccount::cli::run(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace keyaccount::testing
