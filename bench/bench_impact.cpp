// The impact of a policy change on 1 000 000 customers (issue 20 item 3; figures in the README):
// compare_batch() — both policies over the columns, then the changed customers explained — against
// one classify_batch_into() of the same table, in the same run; the ratio is the counter
// `impact_over_classify` (target: at most 2.2).
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>

#include "keyaccount/classify.hpp"
#include "keyaccount/policy/identity.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {

constexpr std::size_t rows = 1'000'000;
constexpr std::size_t width = 36;
const std::vector<std::string> categories{"government", "large_enterprise", "monopoly", "other"};
const keyaccount::date as_of = *keyaccount::date::parse("2026-06-30");

struct table_data {
  std::vector<std::int32_t> category, first_order;
  std::vector<double> block, cumulative;
};

const table_data& data() {
  static const table_data t = [] {
    table_data d;
    std::mt19937_64 rng(20);
    std::uniform_real_distribution<double> level(0, 90), cum(0, 1500);
    const auto base = static_cast<std::int32_t>(as_of.days_since_epoch());
    d.block.reserve(rows * width);
    for (std::size_t r = 0; r < rows; ++r) {
      d.category.push_back(static_cast<std::int32_t>(rng() % 4));
      d.first_order.push_back(base - static_cast<std::int32_t>(rng() % 3000));
      double l = level(rng);
      for (std::size_t i = 0; i < width; ++i) d.block.push_back(rng() % 20 == 0 ? 0.0 : l);
      d.cumulative.push_back(cum(rng));
    }
    return d;
  }();
  return t;
}

keyaccount::column_table table() {
  const auto& d = data();
  keyaccount::column_table t(rows);
  t.set_categories("category", d.category, categories);
  t.set_dates("first_order", d.first_order);
  t.set_series("monthly_shipments", d.block, width);
  t.set_numbers("cumulative_amount", d.cumulative);
  return t;
}

// Art. 5.1 raised from 500 to 600 万元 (docs/impact.md's worked example).
void impact_vs_classify(benchmark::State& state) {
  const keyaccount::classifier baseline(keyaccount::default_policy());
  const keyaccount::classifier candidate(
      keyaccount::with_parameters(keyaccount::default_policy(), {{"cumulative_amount_min", 600}}));
  const auto t = table();
  std::vector<std::int32_t> tiers(rows);
  double classify_seconds = 0, impact_seconds = 0;
  std::size_t changed = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto errors = keyaccount::classify_batch_into(baseline, t, as_of, tiers);
    auto t1 = std::chrono::steady_clock::now();
    auto report = keyaccount::compare_batch(baseline, candidate, t, as_of);
    auto t2 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(errors);
    benchmark::DoNotOptimize(report);
    classify_seconds += std::chrono::duration<double>(t1 - t0).count();
    impact_seconds += std::chrono::duration<double>(t2 - t1).count();
    changed = report.changes.size();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["classify_ms"] = 1000 * classify_seconds / n;
  state.counters["impact_ms"] = 1000 * impact_seconds / n;
  state.counters["impact_over_classify"] = impact_seconds / classify_seconds;
  state.counters["changed"] = static_cast<double>(changed);
}
BENCHMARK(impact_vs_classify)->Unit(benchmark::kMillisecond)->Iterations(5);

// Where compare_batch's time goes: the pair pass (both policies' tiers, each row checked once,
// the criteria the two share evaluated once) against one classification, in the same run.
void pair_vs_classify(benchmark::State& state) {
  const keyaccount::classifier baseline(keyaccount::default_policy());
  const keyaccount::classifier candidate(
      keyaccount::with_parameters(keyaccount::default_policy(), {{"cumulative_amount_min", 600}}));
  const auto t = table();
  std::vector<std::int32_t> ta(rows), tb(rows);
  double classify_seconds = 0, pair_seconds = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto errors = keyaccount::classify_batch_into(baseline, t, as_of, ta);
    auto t1 = std::chrono::steady_clock::now();
    auto pair = keyaccount::classify_batch_pair_into(baseline, candidate, t, as_of, ta, tb);
    auto t2 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(errors);
    benchmark::DoNotOptimize(pair);
    classify_seconds += std::chrono::duration<double>(t1 - t0).count();
    pair_seconds += std::chrono::duration<double>(t2 - t1).count();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["classify_ms"] = 1000 * classify_seconds / n;
  state.counters["pair_ms"] = 1000 * pair_seconds / n;
  state.counters["pair_over_classify"] = pair_seconds / classify_seconds;
}
BENCHMARK(pair_vs_classify)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
