#include "input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace keyaccount::cli {

bool open_input_file(const std::string& path, std::string_view what, std::ifstream& in,
                     std::ostream& err) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  std::string reason;
  if (std::filesystem::is_directory(status)) {
    reason = "it is a directory";
  } else {
    errno = 0;
    in.open(path, std::ios::binary);
    if (in) return true;
    reason = errno != 0 ? std::strerror(errno) : "cannot open it";
  }
  err << path << ": error[unreadable_file]: cannot read the " << what << " (" << reason << ")\n";
  return false;
}

}  // namespace keyaccount::cli
