#pragma once
// Internal: how many steps each check of the validator took, counted (not timed) so that a test
// can tell near-linear growth from quadratic on any machine under any load
// (tests/cpp/policy/test_validator_growth.cpp); bench/bench_validator_growth.cpp times the same
// cases. A step is one unit of a check's work: a position followed up the reporting line, a
// reference or id looked up in an index (a hash or tree look-up counts one), an edge of the
// criteria graph, an approver counted, a character of expression text scanned for `params.`, an id
// compared by "did you mean".

#include <cstdint>

namespace keyaccount::detail {

struct check_steps {
  std::uint64_t unique_ids = 0;
  std::uint64_t references = 0;
  std::uint64_t reporting_line = 0;
  std::uint64_t criteria_graph = 0;
  std::uint64_t workflows = 0;
  std::uint64_t parameters_used = 0;
};

/// The steps of the validations run on this thread since it started (or since the caller
/// reset them: `validator_steps() = {}`). Thread-local, so concurrent validations do not mix.
[[nodiscard]] check_steps& validator_steps() noexcept;

}  // namespace keyaccount::detail
