#pragma once
// Whether every (or any) value of a short array of doubles passes a test, two values per
// instruction: the hot inner loops of the columnar classification (a series' finiteness, the
// all / exists comprehensions) run this for every row.
//
// The test is a generic callable: called with a double it returns bool, called with a `pair`
// (GCC / Clang vector extension, on every target they build for) it returns a lane mask
// (all bits set where the value passes). Comparisons give exactly the scalar results, NaN
// included (it fails every ordered comparison). There is no early exit: series are short, and a
// data-dependent exit is a mispredicted branch.
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

/// True when every xs[j], j < n, is finite (neither NaN nor ±inf). The values are added up in
/// four independent pairs, one instruction per two values: a NaN or an infinity makes the sum
/// non-finite (inf + -inf is NaN, NaN absorbs everything), so a finite sum proves every value
/// finite. Only a sum of finite values that overflows (beyond 1.8e308) needs the exact test.
/// Three times fewer instructions than testing each value, which matters because every month
/// of every row is checked before any criterion looks at it.
inline bool all_finite(const double* xs, std::size_t n) noexcept {
  double_pair a = {0, 0}, b = {0, 0}, c = {0, 0}, d = {0, 0};
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    a += load_pair(xs + j);
    b += load_pair(xs + j + 2);
    c += load_pair(xs + j + 4);
    d += load_pair(xs + j + 6);
  }
  for (; j + 2 <= n; j += 2) a += load_pair(xs + j);
  a += b;
  c += d;
  a += c;
  double sum = a[0] + a[1];
  if (j < n) sum += xs[j];
  if (sum - sum == 0.0) return true;
  return all_pass(xs, n, [](auto x) { return x * 0.0 == 0.0; });
}

/// Tells whether every value added to it was finite, for many arrays at once: the values are
/// summed in sixteen independent lanes (a NaN or an infinity makes the sum non-finite, and
/// inf + -inf is NaN), and only at the end is the sum tested. A finite sum proves every value
/// finite; a sum that is not (a bad value, or finite values beyond 1.8e308 in total) sends the
/// caller to the exact test, value by value. No reduction and no branch per array: the
/// columnar batch adds up a whole chunk of rows' months in one pass, which runs at the speed
/// of memory, where a test per row waited for each row's own sum.
class finite_sum {
 public:
  // Plain arrays rather than vector types: the compiler packs the sixteen lanes into as wide
  // registers as the function it is inlined into may use (two AVX-512 adds, or eight SSE2 ones;
  // core/cpu_dispatch.hpp).
  [[gnu::always_inline]] inline void add(const double* xs, std::size_t n) noexcept {
    std::size_t j = 0;
    for (; j + lanes <= n; j += lanes)
      for (std::size_t k = 0; k < lanes; ++k) acc_[k] += xs[j + k];
    for (; j < n; ++j) acc_[j % lanes] += xs[j];
  }
  [[nodiscard]] bool finite() const noexcept {
    double sum = 0;
    for (double a : acc_) sum += a;
    return sum - sum == 0.0;
  }

 private:
  static constexpr std::size_t lanes = 16;
  double acc_[lanes] = {};
};

}  // namespace keyaccount::detail
