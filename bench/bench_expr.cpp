// Evaluation speed of compiled CEL programs over borrowed columnar data.
// Build and run: cmake --preset release && cmake --build --preset release -j2 &&
//                build/release/bench/bench_expr
#include <benchmark/benchmark.h>

#include <vector>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;

namespace {

struct fixture {
  ex::declarations decls;
  std::vector<double> series;
  ex::activation vars;

  fixture() : series(36) {
    decls.add_variable("cumulative_amount", ex::type::float64());
    decls.add_variable("monthly_shipments", ex::type::list(ex::type::float64()));
    std::vector<std::pair<std::string, ex::value>> params = {
        {"cumulative_amount_min", ex::value::int64(500)},
        {"monthly_shipment_min", ex::value::int64(50)},
        {"consecutive_months", ex::value::int64(3)}};
    decls.add_constant("params", ex::value::object("params", std::move(params)));
    for (std::size_t i = 0; i < series.size(); ++i)
      series[i] = 40.0 + static_cast<double>(i % 7) * 5.0;
    series.back() = series[34] = series[33] = 60.0;
    vars = ex::activation(decls);
    vars.set(0, ex::value::float64(612.5));
    vars.set(1, ex::value::borrowed_doubles(series));
  }

  ex::program compile(const char* source) {
    auto r = ex::compile(source, decls);
    if (!r.ok()) throw std::runtime_error(ex::format_diagnostics(r.diagnostics));
    return *r.program;
  }
};

void run(benchmark::State& state, const char* source) {
  fixture f;
  ex::program program = f.compile(source);
  for (auto _ : state) {
    ex::value v = program.evaluate(f.vars);
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel(source);
}

// The reference expression.
void bm_reference(benchmark::State& state) {
  run(state, "cumulative_amount > 500.0 && monthly_shipments.last(3).all(x, x > 50.0)");
}
BENCHMARK(bm_reference);

// The default policy's Art. 5.1 and 5.2 conditions, parameters folded into constants.
void bm_policy_5_1(benchmark::State& state) {
  run(state, "cumulative_amount > params.cumulative_amount_min");
}
BENCHMARK(bm_policy_5_1);

void bm_policy_5_2(benchmark::State& state) {
  run(state,
      "monthly_shipments.trailing(x, x > params.monthly_shipment_min) >= "
      "params.consecutive_months");
}
BENCHMARK(bm_policy_5_2);

void bm_series_mean(benchmark::State& state) { run(state, "monthly_shipments.mean() > 45.0"); }
BENCHMARK(bm_series_mean);

void bm_compile(benchmark::State& state) {
  fixture f;
  for (auto _ : state) {
    auto r = ex::compile("cumulative_amount > 500.0 && monthly_shipments.last(3).all(x, x > 50.0)",
                         f.decls);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_compile);

}  // namespace

BENCHMARK_MAIN();
