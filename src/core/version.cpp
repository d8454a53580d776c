#include "keyaccount/version.hpp"

namespace keyaccount {

std::string_view version() noexcept { return KEYACCOUNT_VERSION_STRING; }

}  // namespace keyaccount
