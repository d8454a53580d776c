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

namespace {

using keyaccount::field_type;

// Columns of the used fields of `records` (schema order), or nullopt when a field's type has
// no column form here.
struct columns_of {
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<std::int32_t>> dates;
  std::vector<std::vector<std::string>> strings;
  std::vector<std::vector<std::string_view>> views;
  std::vector<std::vector<double>> blocks;
  std::vector<std::vector<std::int64_t>> lengths;
  keyaccount::column_table table{0};
};

std::optional<double> number_of(const keyaccount::expr::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int()) return static_cast<double>(v.as_int());
  return std::nullopt;
}

bool build_columns(const keyaccount::classifier& c,
                   const std::vector<keyaccount::customer_record>& records, columns_of& out) {
  const auto& fields = c.parser().fields();
  const auto& used = c.fields_used();
  out.table = keyaccount::column_table(records.size());
  // Reserve so that the spans handed to the table stay valid.
  out.numbers.reserve(fields.size());
  out.dates.reserve(fields.size());
  out.strings.reserve(fields.size());
  out.views.reserve(fields.size());
  out.blocks.reserve(fields.size());
  out.lengths.reserve(fields.size());
  for (std::size_t f = 0; f < fields.size() && f < used.size(); ++f) {
    if (!used[f]) continue;
    const auto& field = fields[f];
    switch (field.type) {
      case field_type::number: {
        auto& col = out.numbers.emplace_back();
        for (const auto& r : records) {
          const auto* v = r.get(f);
          col.push_back(v ? number_of(*v).value_or(std::nan("")) : std::nan(""));
        }
        out.table.set_numbers(field.id, col);
        break;
      }
      case field_type::date_: {
        auto& col = out.dates.emplace_back();
        for (const auto& r : records) {
          const auto* v = r.get(f);
          col.push_back(v && v->is_date() ? v->as_date().days_since_epoch() : INT32_MIN);
        }
        out.table.set_dates(field.id, col);
        break;
      }
      case field_type::string_:
      case field_type::enumeration:
      case field_type::person: {
        auto& col = out.strings.emplace_back();
        for (const auto& r : records) {
          const auto* v = r.get(f);
          if (!v || !v->is_string()) return false;  // no "missing" in a string column
          col.emplace_back(v->as_string());
        }
        auto& view = out.views.emplace_back(col.begin(), col.end());
        out.table.set_strings(field.id, view);
        break;
      }
      case field_type::series: {
        std::size_t width = 1;
        for (const auto& r : records)
          if (const auto* v = r.get(f); v && v->is_list())
            width = std::max(width, v->as_list().size());
        auto& block = out.blocks.emplace_back(records.size() * width, 0.0);
        auto& lengths = out.lengths.emplace_back();
        for (std::size_t row = 0; row < records.size(); ++row) {
          const auto* v = records[row].get(f);
          if (!v || !v->is_list()) return false;
          auto list = v->as_list();
          for (std::size_t i = 0; i < list.size(); ++i) {
            auto n = number_of(list[i]);
            if (!n) return false;
            block[row * width + i] = *n;
          }
          lengths.push_back(static_cast<std::int64_t>(list.size()));
        }
        out.table.set_series(field.id, block, width, lengths);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

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
  columns_of cols;
  if (!build_columns(c, records, cols)) return 0;
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
