#pragma once
// The hot inner loops of the columnar classification over arrays of doubles, run for every row:
// whether every (or any) value passes a test, two values per instruction (the all / exists
// comprehensions: all_pass, any_pass), and whether every value is finite (the check of a
// series' months: finite_check, all_finite; one value: is_finite).
//
// For all_pass / any_pass, the test is a generic callable: called with a double it returns bool,
// called with a `pair` (GCC / Clang vector extension, on every target they build for) it returns a
// lane mask (all bits set where the value passes). Comparisons give exactly the scalar results, NaN
// included (it fails every ordered comparison). There is no early exit: series are short, and a
// data-dependent exit is a mispredicted branch.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace keyaccount::detail {

using double_pair = double __attribute__((vector_size(16)));
using mask_pair = std::int64_t __attribute__((vector_size(16)));

// Two values from possibly unaligned memory.
inline double_pair load_pair(const double* p) noexcept {
  double_pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// True when test(xs[j]) holds for every j < n (true for n = 0).
template <class Test>
inline bool all_pass(const double* xs, std::size_t n, Test test) noexcept {
  mask_pair a = {-1, -1}, b = {-1, -1};  // two accumulators: independent chains
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    a &= static_cast<mask_pair>(test(load_pair(xs + j)));
    b &= static_cast<mask_pair>(test(load_pair(xs + j + 2)));
  }
  a &= b;
  bool all = (a[0] & a[1]) != 0;
  for (; j < n; ++j) all &= test(xs[j]);
  return all;
}

/// True when test(xs[j]) holds for some j < n (false for n = 0).
template <class Test>
inline bool any_pass(const double* xs, std::size_t n, Test test) noexcept {
  mask_pair a = {0, 0}, b = {0, 0};
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    a |= static_cast<mask_pair>(test(load_pair(xs + j)));
    b |= static_cast<mask_pair>(test(load_pair(xs + j + 2)));
  }
  a |= b;
  bool any = (a[0] | a[1]) != 0;
  for (; j < n; ++j) any |= test(xs[j]);
  return any;
}

/// Whether x is finite (neither NaN nor ±inf), as a multiply and a compare with no branch, so
/// that a loop over a column of it vectorises: x * 0.0 is ±0 for a finite x and NaN otherwise.
[[gnu::always_inline]] inline bool is_finite(double x) noexcept { return x * 0.0 == 0.0; }

/// Tells whether every value given to it was finite, for many arrays at once. Each value is
/// multiplied by zero, which gives ±0 for a finite value and NaN for NaN or ±infinity, and the
/// product's bits are OR-ed into one of sixteen independent lanes; at the end a lane with any
/// exponent bit set means a non-finite value was seen. The test is exact (no overflow to guard
/// against, unlike a running sum), has no branch and no reduction per array, and its chains
/// are one OR long (a running sum's were four-cycle adds): the columnar batch checks a whole
/// chunk of rows' months in one pass and looks row by row only in a chunk that holds a bad
/// month (issue 22).
class finite_check {
 public:
  // Plain arrays rather than vector types: the compiler packs the sixteen lanes into as wide
  // registers as the function it is inlined into may use (two AVX-512 ORs, or eight SSE2 ones;
  // core/cpu_dispatch.hpp).
  [[gnu::always_inline]] inline void add(const double* xs, std::size_t n) noexcept {
    std::size_t j = 0;
    for (; j + lanes <= n; j += lanes)
      for (std::size_t k = 0; k < lanes; ++k) acc_[k] |= product_with_zero(xs[j + k]);
    for (; j < n; ++j) acc_[0] |= product_with_zero(xs[j]);
  }
  [[nodiscard]] bool finite() const noexcept {
    std::uint64_t all = 0;
    for (std::uint64_t a : acc_) all |= a;
    return (all & ~sign_bit) == 0;  // only ±0 products seen
  }

 private:
  static constexpr std::size_t lanes = 16;
  static constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  [[gnu::always_inline]] static std::uint64_t product_with_zero(double x) noexcept {
    return std::bit_cast<std::uint64_t>(x * 0.0);  // not folded: x * 0.0 is NaN for NaN, ±inf
  }
  std::uint64_t acc_[lanes] = {};
};

/// True when every xs[j], j < n, is finite (neither NaN nor ±inf); exact, one pass, no branch
/// per value (finite_check).
inline bool all_finite(const double* xs, std::size_t n) noexcept {
  finite_check check;
  check.add(xs, n);
  return check.finite();
}

}  // namespace keyaccount::detail
