// The policy validator's time on the worst case of each check (worst_case_policies.hpp) at
// doubling sizes, up to the parse limits (4 MiB, 200,000 values), with the growth ratio from
// one size to the next: about 2 when a check is linear, 4 when quadratic, 8 when cubic.
// Not a Google Benchmark: the ratio between sizes is the result, so one table is printed.
//
//     build/release/bench/bench_validator_growth            # every case
//     build/release/bench/bench_validator_growth reporting  # cases whose name contains it
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "keyaccount/policy/loader.hpp"
#include "worst_case_policies.hpp"

int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  const keyaccount::parse_limits limits;
  std::printf("%-22s %8s %10s %12s %8s\n", "case", "n", "bytes", "seconds", "ratio");
  for (const auto& g : keyaccount::worst_case::all()) {
    if (!only.empty() && std::string(g.name).find(only) == std::string::npos) continue;
    double previous = 0;
    for (std::size_t n = 1000;; n *= 2) {
      const std::string text = g.make(n);
      if (text.size() > limits.max_bytes) break;
      double best = 1e300;
      bool refused = false;
      for (int run = 0; run < 3; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        auto result = keyaccount::load_policy(text);
        const auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
        for (const auto& d : result.diagnostics)
          refused = refused || d.code == "too_many_elements" || d.code == "file_too_large";
      }
      if (refused) break;  // past the limits: parsing stops before any check runs
      std::printf("%-22s %8zu %10zu %12.4f", g.name, n, text.size(), best);
      if (previous > 0) std::printf(" %8.2f", best / previous);
      std::printf("\n");
      previous = best;
    }
  }
  return 0;
}
