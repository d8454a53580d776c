#pragma once
// How Boost.Test prints the care suites' values in failure messages.
#include <ostream>

#include "keyaccount/core/date.hpp"

namespace keyaccount {
inline std::ostream& boost_test_print_type(std::ostream& os, date d) { return os << d.to_string(); }
}  // namespace keyaccount
