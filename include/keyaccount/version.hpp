#pragma once
/// \file
/// Library version.

#include <string_view>

namespace keyaccount {

/// The library version, "MAJOR.MINOR.PATCH" (the CMake project version).
[[nodiscard]] std::string_view version() noexcept;

}  // namespace keyaccount
