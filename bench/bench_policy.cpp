// How long loading and validating a policy takes: the default policy end to end (JSON parse
// with positions, section readers, meaning checks, type-checking every CEL expression), and
// the JSON parse alone for comparison.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {

void validate_default_policy(benchmark::State& state) {
  const std::string_view text = keyaccount::default_policy_text();
  for (auto _ : state) {
    auto result = keyaccount::load_policy(text);
    if (!result.ok()) state.SkipWithError("the default policy did not load");
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(validate_default_policy)->Unit(benchmark::kMicrosecond);

void parse_json_only(benchmark::State& state) {
  const std::string_view text = keyaccount::default_policy_text();
  for (auto _ : state) {
    auto doc = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(parse_json_only)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
