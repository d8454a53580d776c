#include "input_file.hpp"

#include "cli.hpp"
#include "keyaccount/io/records.hpp"

namespace keyaccount::cli {

bool open_input_file(const std::string& path, std::string_view what, std::ifstream& in,
                     std::ostream& err) {
  const auto reason = io::open_file(path, in);
  if (!reason) return true;
  err << path << ": error[unreadable_file]: cannot read the " << what << " (" << *reason << ")\n";
  return false;
}

std::string locate_in_json(const std::string& path, const std::string& text,
                           const std::string& pointer) {
  return io::locate_in_json(path, text, pointer).to_string();
}

bool record_rejections::reject(std::size_t line, const char* kind, const std::string& message) {
  err_ << name_ << ':' << line << ": error[" << kind << "]: " << message << '\n';
  if (fail_fast_) {
    failed_ = true;
    return false;
  }
  ++skipped_;
  return true;
}

int record_rejections::finish() const {
  if (failed_) {
    err_ << name_ << ": stopped at the first record without a tier (--on-error fail)\n";
    return exit_failure;
  }
  if (skipped_ > 0)
    err_ << name_ << ": skipped " << skipped_ << " record" << (skipped_ == 1 ? "" : "s")
         << " without a tier\n";
  return exit_ok;
}

}  // namespace keyaccount::cli
