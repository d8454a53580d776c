#pragma once
// Opening an input file named on the command line. One place decides what cannot be read, so
// every command refuses a directory (which std::ifstream opens and then reads as empty, a silent
// "no customers") and a missing file with the same message and exit code (the reason is
// keyaccount::io::open_file's, as the Python functions give it). Also where in such a file's
// JSON text an error lies, for every command's messages.

#include <cstddef>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyaccount/policy/source_document.hpp"

namespace keyaccount::cli {

/// Opens `path` (binary) into `in`. On failure prints
/// `PATH: error[unreadable_file]: cannot read the WHAT (...)` to `err`, with the reason (no such
/// file, a directory, permission denied), and returns false; the caller exits with exit_usage.
[[nodiscard]] bool open_input_file(const std::string& path, std::string_view what,
                                   std::ifstream& in, std::ostream& err);

/// keyaccount::io::locate_in_json as the text every command's messages start with,
/// `PATH:LINE:COLUMN` (or `PATH`).
[[nodiscard]] std::string locate_in_json(const std::string& path, const std::string& text,
                                         const std::string& pointer = "");

/// Records without a tier (`classify`, `diff --customers`): each reported at its line as
/// `NAME:LINE: error[KIND]: message`, then skipped (`--on-error skip`) or the end of the run
/// (`fail`, the default), never printed with a blank tier.
class record_rejections {
 public:
  record_rejections(std::ostream& err, std::string name, bool fail_fast)
      : err_(err), name_(std::move(name)), fail_fast_(fail_fast) {}
  /// Reports one record; returns whether reading should go on.
  bool reject(std::size_t line, const char* kind, const std::string& message);
  /// After the run: the closing line on `err_` (stopped, or how many were skipped); returns
  /// exit_failure when the run stopped at a record, else exit_ok.
  [[nodiscard]] int finish() const;

 private:
  std::ostream& err_;
  std::string name_;
  bool fail_fast_;
  bool failed_ = false;
  std::size_t skipped_ = 0;
};

}  // namespace keyaccount::cli
