#pragma once
// Opening an input file named on the command line. One place decides what cannot be read, so
// every command refuses a directory (which std::ifstream opens and then reads as empty, a silent
// "no customers") and a missing file with the same message and exit code.

#include <fstream>
#include <ostream>
#include <string>
#include <string_view>

namespace keyaccount::cli {

/// Opens `path` (binary) into `in`. On failure prints
/// `PATH: error[unreadable_file]: cannot read the WHAT (...)` to `err`, with the reason (no such
/// file, a directory, permission denied), and returns false; the caller exits with exit_usage.
[[nodiscard]] bool open_input_file(const std::string& path, std::string_view what,
                                   std::ifstream& in, std::ostream& err);

}  // namespace keyaccount::cli
