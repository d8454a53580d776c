// The finiteness scan every series month goes through before a criterion reads it
// (src/core/double_scan.hpp): exact for every kind of double, at every position, for every
// length around the sixteen-lane stride, and across several arrays added to one check.
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <limits>
#include <vector>

#include "core/double_scan.hpp"

namespace {

using limits = std::numeric_limits<double>;

// Finite values whose product with zero is ±0, including those a running sum would overflow on.
const double finite_values[] = {0.0,
                                -0.0,
                                1.0,
                                -2.5,
                                limits::max(),
                                -limits::max(),
                                limits::min(),
                                limits::denorm_min(),
                                -limits::denorm_min()};
const double non_finite_values[] = {limits::quiet_NaN(), -limits::quiet_NaN(),
                                    limits::signaling_NaN(), limits::infinity(),
                                    -limits::infinity()};

}  // namespace

BOOST_AUTO_TEST_SUITE(double_scan)

BOOST_AUTO_TEST_CASE(all_finite_is_exact_for_every_value_position_and_length) {
  std::size_t cases = 0;
  for (std::size_t n = 0; n <= 40; ++n) {
    for (double fill : finite_values) {
      std::vector<double> xs(n, fill);
      BOOST_TEST_CONTEXT("n=" << n << " fill=" << fill) {
        BOOST_TEST(keyaccount::detail::all_finite(xs.data(), n));
      }
      for (std::size_t at = 0; at < n; ++at) {
        for (double bad : non_finite_values) {
          xs[at] = bad;
          BOOST_TEST_CONTEXT("n=" << n << " fill=" << fill << " bad=" << bad << " at=" << at) {
            BOOST_TEST(!keyaccount::detail::all_finite(xs.data(), n));
          }
          ++cases;
        }
        xs[at] = fill;
      }
    }
  }
  BOOST_TEST(cases > 8000u);  // every (length, fill, position, bad value) combination ran
}

// The columnar batch adds many rows' months to one check and asks once: a bad month in any of
// them, whatever the lengths, must make the whole check fail, and only then.
BOOST_AUTO_TEST_CASE(a_check_over_many_arrays_fails_exactly_when_one_holds_a_bad_value) {
  const std::size_t lengths[] = {0, 1, 15, 16, 17, 36, 3};
  for (double bad : non_finite_values) {
    for (std::size_t which = 0; which < std::size(lengths); ++which) {
      for (std::size_t at = 0; at < lengths[which]; ++at) {
        std::vector<std::vector<double>> arrays;
        for (std::size_t len : lengths) arrays.emplace_back(len, limits::max());
        arrays[which][at] = bad;
        keyaccount::detail::finite_check check;
        for (const auto& a : arrays) check.add(a.data(), a.size());
        BOOST_TEST_CONTEXT("bad=" << bad << " array=" << which << " at=" << at) {
          BOOST_TEST(!check.finite());
        }
      }
    }
  }
  keyaccount::detail::finite_check clean;
  for (std::size_t len : lengths) {
    std::vector<double> a(len, -limits::max());  // sums to -inf: finite values all the same
    clean.add(a.data(), a.size());
  }
  BOOST_TEST(clean.finite());
  BOOST_TEST(keyaccount::detail::finite_check{}.finite());  // nothing added: nothing bad
}

BOOST_AUTO_TEST_SUITE_END()
