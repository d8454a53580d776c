// Fuzz target: policy load + validate. Input: policy JSON text.
// Invariants: load_policy never throws; a policy loads exactly when no diagnostic is an error;
// every located diagnostic points inside the input (line 0 means unknown, then column 0 too);
// a policy that loads compiles its classifier and workflows and classifies and explains the
// sample customers without throwing anything but the documented input_error for a record its
// schema refuses, explain's tier equalling classify's.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/engine.hpp"

namespace {

// Code points per line (a diagnostic's column may be one past the end of its line).
std::vector<std::size_t> line_lengths(std::string_view text) {
  std::vector<std::size_t> lengths{0};
  for (unsigned char c : text) {
    if (c == '\n') {
      lengths.push_back(0);
    } else if ((c & 0xC0) != 0x80) {
      ++lengths.back();
    }
  }
  return lengths;
}

// Customers in the default schema's shape; a fuzzed schema refuses most, which is fine.
const std::vector<nlohmann::json>& sample_customers() {
  static const std::vector<nlohmann::json> samples = {
      nlohmann::json::parse(R"({"id": "a", "name": "A", "category": "monopoly",
        "first_order": "2020-01-31", "monthly_shipments": [60, 61, 62, 63, 64, 65, 66, 67, 68,
        69, 70, 71], "cumulative_amount": 900, "owner": "p1"})"),
      nlohmann::json::parse(R"({"id": "b", "name": "B", "category": "other",
        "first_order": "2026-06-01", "monthly_shipments": [], "cumulative_amount": 0})"),
      nlohmann::json::object(),
  };
  return samples;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  keyaccount::load_result result;
  try {
    result = keyaccount::load_policy(text);
  } catch (const std::exception& e) {
    fuzz::violated("load_policy does not throw", __FILE__, __LINE__, e.what());
  }
  bool errors = keyaccount::has_errors(result.diagnostics);
  FUZZ_REQUIRE(result.ok() != errors, "loads exactly when no diagnostic is an error");
  auto lengths = line_lengths(text);
  for (const auto& d : result.diagnostics) {
    std::string where = std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code;
    FUZZ_REQUIRE(!d.code.empty() && !d.message.empty(), where);
    if (d.line == 0) {
      FUZZ_REQUIRE(d.column == 0, where);
    } else {
      FUZZ_REQUIRE(d.line <= lengths.size(), where);
      FUZZ_REQUIRE(d.column >= 1 && d.column <= lengths[d.line - 1] + 1, where);
    }
  }
  if (!result.ok()) return 0;
  const keyaccount::policy& p = *result.value;
  try {
    keyaccount::classifier c(p);
    auto workflows = keyaccount::workflows::workflow_set::compile(p);
    (void)workflows.definitions().size();
    for (const auto& j : sample_customers()) {
      keyaccount::customer_record r;
      try {
        r = c.parser().from_json(j);
      } catch (const keyaccount::input_error&) {
        continue;  // the fuzzed schema refuses this record: documented
      }
      auto d = c.classify(r, fuzz::as_of());
      auto e = c.explain(r, fuzz::as_of());
      FUZZ_REQUIRE(e.result.tier == d.tier && e.result.error_criterion == d.error_criterion,
                   "explain's decision equals classify's");
      if (d.ok()) FUZZ_REQUIRE(e.tier == c.tier_id(d), "explain's tier id");
    }
  } catch (const std::exception& e) {
    fuzz::violated("a policy that validates clean classifies without throwing", __FILE__, __LINE__,
                   e.what());
  }
  return 0;
}
