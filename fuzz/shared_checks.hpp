#pragma once
// What a fuzz target and the randomized Boost.Test suite of the same area both need, so the two
// check the same things in the same way (tests/CMakeLists.txt puts fuzz/ on the tests' include
// path): the CEL variables every generated expression may name, and the length of a text's lines
// that a diagnostic's column must stay within.
#include <cstddef>
#include <string_view>
#include <vector>

#include "keyaccount/expr.hpp"

namespace fuzz {

/// Declares the variables of the CEL fuzzing: x int, d double, s string, l list<double>,
/// m map<string, int>, dt date, category string.
inline void declare_cel_variables(keyaccount::expr::declarations& decls) {
  namespace ex = keyaccount::expr;
  decls.add_variable("x", ex::type::int64());
  decls.add_variable("d", ex::type::float64());
  decls.add_variable("s", ex::type::string());
  decls.add_variable("l", ex::type::list(ex::type::float64()));
  decls.add_variable("m", ex::type::map(ex::type::string(), ex::type::int64()));
  decls.add_variable("dt", ex::type::date());
  decls.add_variable("category", ex::type::string());
}

/// The number of code points on each line of `text` (UTF-8): a diagnostic's column may be at
/// most one past the end of its line.
inline std::vector<std::size_t> line_lengths(std::string_view text) {
  std::vector<std::size_t> lengths{0};
  for (unsigned char c : text) {
    if (c == '\n') {
      lengths.push_back(0);
    } else if ((c & 0xC0) != 0x80) {
      ++lengths.back();
    }
  }
  return lengths;
}

}  // namespace fuzz
