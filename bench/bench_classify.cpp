// Classification speed on the default policy (results in the README; never a timed test).
//   one customer, 36 months of history: classify() with a reused scratch, and explain();
//   batch, columnar, 1 and 2 threads, on a table that fits in the cache (100 000 customers) and
//   one larger than the last-level cache (1 000 000 customers, 288 MB of months):
//   classify_batch_into() against merely reading the same arrays, with the ratio printed as a
//   counter. Two references are timed in the same run: `stream_chain` adds every value into
//   one accumulator (latency-bound: a floating-point add chain cannot be reordered), and
//   `stream_read` reads every array once with a loop the compiler vectorises (integer OR over
//   the bits, several independent lanes), which runs at memory speed; `rate_vs_stream` is
//   computed against the faster of the two (issue 22: the honest reference). With 1 thread the
//   same ratio is also given from the thread's CPU time (`cpu_rate_vs_stream`), which a busy
//   neighbour does not inflate, and a 10 000-customer table (2.9 MB, in the core's own cache)
//   shows what the kernels cost without waiting for memory.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "keyaccount/classify.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {

constexpr std::size_t width = 36;
const std::vector<std::string> categories{"government", "large_enterprise", "monopoly", "other"};
const keyaccount::date as_of = *keyaccount::date::parse("2026-06-30");

const keyaccount::classifier& cls() {
  static const keyaccount::classifier c(keyaccount::default_policy());
  return c;
}

struct table_data {
  std::size_t rows = 0;
  std::vector<std::int32_t> category, first_order;
  std::vector<double> block, cumulative;
  std::vector<std::int64_t> lengths;
};

table_data make_data(std::size_t rows) {
  table_data d;
  d.rows = rows;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> level(0, 90), cum(0, 1000);
  const auto base = static_cast<std::int32_t>(as_of.days_since_epoch());
  d.category.reserve(rows);
  d.first_order.reserve(rows);
  d.lengths.reserve(rows);
  d.cumulative.reserve(rows);
  d.block.reserve(rows * width);
  for (std::size_t r = 0; r < d.rows; ++r) {
    d.category.push_back(static_cast<std::int32_t>(rng() % 4));
    d.first_order.push_back(base - static_cast<std::int32_t>(rng() % 3000));
    d.lengths.push_back(static_cast<std::int64_t>(width));
    double l = level(rng);
    for (std::size_t i = 0; i < width; ++i) d.block.push_back(rng() % 20 == 0 ? 0.0 : l);
    d.cumulative.push_back(cum(rng));
  }
  return d;
}

/// The table of `rows` customers (100 000 or 1 000 000), made once.
const table_data& data(std::size_t rows = 100'000) {
  static std::map<std::size_t, table_data> made;
  auto it = made.find(rows);
  if (it == made.end()) it = made.emplace(rows, make_data(rows)).first;
  return it->second;
}

keyaccount::column_table table(const table_data& d) {
  keyaccount::column_table t(d.rows);
  t.set_categories("category", d.category, categories);
  t.set_dates("first_order", d.first_order);
  t.set_series("monthly_shipments", d.block, width, d.lengths);
  t.set_numbers("cumulative_amount", d.cumulative);
  return t;
}

keyaccount::customer_record one_customer(double level, double cumulative) {
  nlohmann::json j = {{"id", "C1"},
                      {"name", "Bench"},
                      {"category", "government"},
                      {"first_order", "2020-01-15"},
                      {"monthly_shipments", std::vector<double>(width, level)},
                      {"cumulative_amount", cumulative}};
  return cls().parser().from_json(j);
}

void one_customer_key_by_cumulative(benchmark::State& state) {
  auto r = one_customer(10, 800);
  auto scratch = cls().make_scratch();
  for (auto _ : state) benchmark::DoNotOptimize(cls().classify(r, as_of, scratch));
}
BENCHMARK(one_customer_key_by_cumulative);

void one_customer_regular_all_criteria(benchmark::State& state) {
  auto r = one_customer(40, 300);  // every Art. 5 standard fails: all of them evaluated
  auto scratch = cls().make_scratch();
  for (auto _ : state) benchmark::DoNotOptimize(cls().classify(r, as_of, scratch));
}
BENCHMARK(one_customer_regular_all_criteria);

void one_customer_explained(benchmark::State& state) {
  auto r = one_customer(40, 300);
  for (auto _ : state) benchmark::DoNotOptimize(cls().explain(r, as_of));
}
BENCHMARK(one_customer_explained);

// Reads every input value once into ONE floating-point accumulator: each add waits for the
// previous one (about 4 cycles), so this measures the add latency, not the memory. Kept to
// compare with earlier figures; `stream_read` is the honest reference.
double stream_chain(const table_data& d) {
  double acc = 0;
  for (std::size_t r = 0; r < d.rows; ++r) {
    acc += d.category[r] + d.first_order[r] + d.cumulative[r];
    const double* row = d.block.data() + r * width;
    for (std::int64_t i = 0; i < d.lengths[r]; ++i) acc += row[i];
  }
  return acc;
}

// Reads every input array once as fast as the machine can: bitwise OR over the 64-bit patterns
// of the doubles and integer sums, in independent lanes the compiler vectorises. This is the
// floor for any consumer of these arrays (it must at least load every byte it is given).
std::uint64_t stream_read(const table_data& d) {
  constexpr std::size_t lanes = 8;
  std::uint64_t acc[lanes] = {};
  auto or_bits = [&](const double* values, std::size_t n) {
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
      for (std::size_t k = 0; k < lanes; ++k) {
        std::uint64_t bits;
        std::memcpy(&bits, values + i + k, sizeof bits);
        acc[k] |= bits;
      }
    }
    for (; i < n; ++i) {
      std::uint64_t bits;
      std::memcpy(&bits, values + i, sizeof bits);
      acc[0] |= bits;
    }
  };
  or_bits(d.block.data(), d.block.size());
  or_bits(d.cumulative.data(), d.cumulative.size());
  std::int64_t ints[lanes] = {};
  for (std::size_t r = 0; r < d.rows; ++r) {
    ints[r % lanes] += d.category[r] + d.first_order[r] + d.lengths[r];
  }
  std::uint64_t out = 0;
  for (std::size_t k = 0; k < lanes; ++k) out ^= acc[k] + static_cast<std::uint64_t>(ints[k]);
  return out;
}

void batch_stream_only(benchmark::State& state) {
  const auto& d = data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(stream_chain(d));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.rows));
}
BENCHMARK(batch_stream_only)->Arg(100'000)->Unit(benchmark::kMillisecond);

void batch_read_only(benchmark::State& state) {
  const auto& d = data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(stream_read(d));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.rows));
}
BENCHMARK(batch_read_only)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The time f() takes: by the wall clock, and by the calling thread's CPU clock (which stops
// while the thread waits for a core: on a shared machine, the steadier of the two for work done
// in this thread alone).
struct pass_time {
  double wall = 0, cpu = 0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class F>
pass_time time_of(F&& f) {
  const double c0 = thread_cpu_seconds();
  auto t0 = std::chrono::steady_clock::now();
  f();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {wall, thread_cpu_seconds() - c0};
}

// The best of each clock over the passes.
struct best_time {
  double wall = 1e9, cpu = 1e9;
  void add(pass_time t) {
    wall = std::min(wall, t.wall);
    cpu = std::min(cpu, t.cpu);
  }
};

// Arguments: threads, rows.
void batch_classify(benchmark::State& state) {
  const auto& d = data(static_cast<std::size_t>(state.range(1)));
  auto t = table(d);
  std::vector<std::int32_t> tiers(d.rows);
  const unsigned threads = static_cast<unsigned>(state.range(0));
  // Same run: time both references too, alternating with the classification, and report
  // classify rate / reference rate from the best pass of each (the machine is shared: the best
  // of many passes is what the code can do, a mean would mostly measure the neighbours).
  best_time chain, read, classify;
  for (auto _ : state) {
    state.PauseTiming();  // the references are not the benchmark's own time
    chain.add(time_of([&] { benchmark::DoNotOptimize(stream_chain(d)); }));
    read.add(time_of([&] { benchmark::DoNotOptimize(stream_read(d)); }));
    state.ResumeTiming();
    classify.add(time_of([&] {
      auto errors = keyaccount::classify_batch_into(cls(), t, as_of, tiers, threads);
      benchmark::DoNotOptimize(errors);
    }));
  }
  const auto rows = static_cast<double>(d.rows);
  state.counters["ns_per_customer"] = 1e9 * classify.wall / rows;
  state.counters["stream_chain_ns_per_customer"] = 1e9 * chain.wall / rows;
  state.counters["stream_read_ns_per_customer"] = 1e9 * read.wall / rows;
  state.counters["rate_vs_chain"] = chain.wall / classify.wall;
  state.counters["rate_vs_stream"] = std::min(chain.wall, read.wall) / classify.wall;
  // One thread works in this thread: its CPU time is comparable with the references' and is
  // not inflated by the neighbours' processes taking the core (threads = 2 cannot say this).
  if (threads == 1) {
    state.counters["cpu_ns_per_customer"] = 1e9 * classify.cpu / rows;
    state.counters["cpu_rate_vs_stream"] = std::min(chain.cpu, read.cpu) / classify.cpu;
  }
}
BENCHMARK(batch_classify)
    ->Args({1, 10'000})
    ->Args({1, 100'000})
    ->Args({2, 100'000})
    ->Args({1, 1'000'000})
    ->Args({2, 1'000'000})
    ->ArgNames({"threads", "rows"})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
