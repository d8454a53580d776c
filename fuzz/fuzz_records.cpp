// Fuzz target: customer records (one JSON object, JSON Lines / a JSON array, or CSV with a
// header) parsed with the default policy's schema, classified and explained, then the records
// that parsed classified again in columns (classify_batch, 1 and 2 threads).
// Input: if the first byte is '{' or '[' the text is JSON, otherwise CSV.
// Invariants: reading never throws (a bad record is an item with a located error); classify and
// explain throw nothing but input_error; explain's decision equals classify's; the columnar
// batch gives every row the tier (or error) one-at-a-time gives.
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common.hpp"
#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/io/customers.hpp"
#include "keyaccount/policy/loader.hpp"
#include "record_columns.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keyaccount::classifier c(keyaccount::default_policy());
  const auto as_of = fuzz::as_of();
  std::string text(reinterpret_cast<const char*>(data), size);
  bool json = !text.empty() && (text[0] == '{' || text[0] == '[');

  // One JSON object, as `classify --record` and Python's classify(dict) take it.
  if (json) {
    try {
      (void)c.parser().from_json_text(text);
    } catch (const keyaccount::input_error&) {
    }
  }

  std::vector<keyaccount::customer_record> records;
  std::vector<std::int32_t> one;  // tier per record, -1 for an error
  std::istringstream in(text);
  try {
    keyaccount::io::read_customers(
        in, json ? keyaccount::io::format::json : keyaccount::io::format::csv, c.parser(),
        [&](keyaccount::io::customer_item&& item) {
          if (!item.record) {
            FUZZ_REQUIRE(!item.error.empty(), "a refused record says why");
            return true;
          }
          keyaccount::decision d;
          try {
            d = c.classify(*item.record, as_of);
          } catch (const keyaccount::input_error&) {
            return true;  // a date after as_of: documented
          }
          auto e = c.explain(*item.record, as_of);
          FUZZ_REQUIRE(
              e.result.tier == d.tier && e.result.error_criterion == d.error_criterion,
              "explain's decision equals classify's (line " + std::to_string(item.line) + ")");
          if (d.ok()) FUZZ_REQUIRE(e.tier == c.tier_id(d), "explain's tier id");
          one.push_back(d.ok() ? static_cast<std::int32_t>(d.tier) : -1);
          records.push_back(std::move(*item.record));
          return true;
        });
  } catch (const keyaccount::io::read_error& e) {
    // A file-level problem (e.g. no header, bad JSON array): located, documented.
    FUZZ_REQUIRE(!e.message().empty(), "a read error says why");
  } catch (const keyaccount::input_error&) {
    // A CSV header naming an unknown or repeated column: documented.
  }

  if (records.empty()) return 0;
  fuzz::columns_of cols;
  if (!fuzz::build_columns(c, records, cols)) return 0;
  for (unsigned threads : {1u, 2u}) {
    keyaccount::batch_options options;
    options.threads = threads;
    keyaccount::batch_result batch;
    try {
      batch = keyaccount::classify_batch(c, cols.table, as_of, options);
    } catch (const std::exception& e) {
      fuzz::violated("classify_batch does not throw on records that parsed", __FILE__, __LINE__,
                     e.what());
    }
    FUZZ_REQUIRE(batch.tiers.size() == one.size(), "one tier per row");
    for (std::size_t r = 0; r < one.size(); ++r) {
      FUZZ_REQUIRE(batch.tiers[r] == one[r], "row " + std::to_string(r) + ": batch tier " +
                                                 std::to_string(batch.tiers[r]) +
                                                 ", one-at-a-time " + std::to_string(one[r]));
    }
  }
  return 0;
}
