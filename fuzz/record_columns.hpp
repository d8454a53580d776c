#pragma once
// Columns (keyaccount::column_table) holding the used fields of customer records that
// record_parser made, for comparing classify_batch with one-at-a-time classify: used by the
// records fuzz target and the concurrency stress test.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/classifier.hpp"

namespace fuzz {

using keyaccount::field_type;

struct columns_of {
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<std::int32_t>> dates;
  std::vector<std::vector<std::string>> strings;
  std::vector<std::vector<std::string_view>> views;
  std::vector<std::vector<double>> blocks;
  std::vector<std::vector<std::int64_t>> lengths;
  keyaccount::column_table table{0};
};

inline std::optional<double> number_of(const keyaccount::expr::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int()) return static_cast<double>(v.as_int());
  return std::nullopt;
}

/// Fills `out` with the used fields of `records` (schema order); false when a field has no
/// column form here (a type this does not map, or a string or series value missing).
inline bool build_columns(const keyaccount::classifier& c,
                          const std::vector<keyaccount::customer_record>& records,
                          columns_of& out) {
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

}  // namespace fuzz
