// Maintenance benchmarks: allocating 100,000 open order lines, and planning a year of
// activities for 10,000 key customers (default policy, every activity, festival gifts).
#include <benchmark/benchmark.h>

#include <random>

#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/policy/loader.hpp"

using namespace keyaccount;
using namespace keyaccount::care;

namespace {

struct allocation_input {
  std::vector<stock_item> stock;
  std::vector<order_line> lines;
};

allocation_input make_orders(std::size_t n) {
  std::mt19937 rng(42);
  allocation_input in;
  for (int p = 0; p < 500; ++p)
    in.stock.push_back(
        {"P" + std::to_string(p), "std", std::uniform_int_distribution<>(0, 4000)(rng)});
  const char* tiers[] = {"key", "regular"};
  for (std::size_t i = 0; i < n; ++i) {
    char when[32];
    std::snprintf(when, sizeof when, "2026-11-%02dT%02d:%02d", int(rng() % 28) + 1, int(rng() % 24),
                  int(rng() % 60));
    in.lines.push_back({"L" + std::to_string(i), "C" + std::to_string(rng() % 10000),
                        tiers[rng() % 2], "P" + std::to_string(rng() % 500), "std",
                        std::int64_t(rng() % 100), when});
  }
  return in;
}

void allocate_lines(benchmark::State& state, allocation_mode mode) {
  policy p = default_policy();
  p.peak_season->within_tier = mode;
  p.peak_season->pack_size = 6;
  auto in = make_orders(static_cast<std::size_t>(state.range(0)));
  const date on = *date::parse("2026-12-01");
  for (auto _ : state) {
    auto r = allocate(p, in.stock, in.lines, on);
    benchmark::DoNotOptimize(r.lines.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_allocate_first_come(benchmark::State& s) { allocate_lines(s, allocation_mode::first_come); }
void BM_allocate_pro_rata(benchmark::State& s) { allocate_lines(s, allocation_mode::pro_rata); }

void BM_plan_year(benchmark::State& state) {
  const policy& p = default_policy();
  std::vector<org::person> people = {{"gm", "GM", {"general_manager"}, "", true},
                                     {"csm", "CSM", {"cs_manager"}, "", true},
                                     {"sup1", "S1", {"cr_supervisor"}, "", true},
                                     {"sup2", "S2", {"cr_supervisor"}, "", true},
                                     {"fin", "F", {"finance_reviewer"}, "", true}};
  for (int i = 0; i < 700; ++i)
    people.push_back(
        {"spec" + std::to_string(i), "", {"cr_specialist"}, i % 2 ? "sup1" : "sup2", true});
  org::directory dir(p.org, people);
  festival_calendar cal(p);
  std::mt19937 rng(7);
  std::vector<account> accounts;
  const date base = *date::parse("2026-12-31");
  for (int i = 0; i < state.range(0); ++i) {
    account a{"C" + std::to_string(i),          "Customer", "key",
              "spec" + std::to_string(i % 700), {},         800.0};
    for (const auto& act : p.activities)
      if (act.when.festivals.empty())
        a.last_done[act.id] = base.add_days(-std::int64_t(rng() % 200));
    accounts.push_back(std::move(a));
  }
  const plan_options options{*date::parse("2027-01-01"), *date::parse("2027-12-31"), 0};
  std::size_t items = 0;
  for (auto _ : state) {
    auto pl = make_plan(p, cal, accounts, dir, options);
    items = pl.items.size();
    benchmark::DoNotOptimize(pl.items.data());
  }
  state.counters["activities"] = static_cast<double>(items);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_allocate_first_come)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_allocate_pro_rata)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_plan_year)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
