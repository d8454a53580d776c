#include "keyaccount/classify/batch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "keyaccount/policy/expressions.hpp"

namespace keyaccount {
namespace {

using column = column_table::column;

// A column matched to its schema slot, with what the per-row checks need.
struct bound_column {
  const column* col = nullptr;
  std::size_t slot = 0;
  const field* f = nullptr;
  std::vector<unsigned char> category_ok;  // categories: value allowed by the enum
};

bool kind_fits(column::kind k, field_type t) {
  switch (k) {
    case column::kind::numbers:
      return t == field_type::number;
    case column::kind::integers:
      return t == field_type::integer;
    case column::kind::booleans:
      return t == field_type::boolean;
    case column::kind::dates:
      return t == field_type::date_;
    case column::kind::strings:
    case column::kind::categories:
      return t == field_type::string_ || t == field_type::enumeration || t == field_type::person;
    case column::kind::series:
      return t == field_type::series;
  }
  return false;
}

bool allowed(const field& f, std::string_view v) {
  return f.type != field_type::enumeration ||
         std::find(f.values.begin(), f.values.end(), v) != f.values.end();
}

struct plan {
  std::vector<bound_column> columns;
  std::vector<std::size_t> required_missing;  // slots required but without a column
};

plan make_plan(const classifier& c, const column_table& t) {
  plan p;
  const auto& fields = c.parser().fields();
  std::vector<bool> seen(fields.size());
  for (const auto& col : t.columns()) {
    auto slot = c.parser().slot_of(col.field);
    if (!slot) throw input_error(col.field, "unknown column (not in the policy's customer schema)");
    const field& f = fields[*slot];
    if (!kind_fits(col.what, f.type))
      throw input_error(col.field, "the column's kind does not fit the field's declared type");
    if (seen[*slot]) throw input_error(col.field, "column appears twice");
    seen[*slot] = true;
    bound_column b{&col, *slot, &f, {}};
    if (col.what == column::kind::categories)
      for (const auto& cat : col.categories) b.category_ok.push_back(allowed(f, cat) ? 1 : 0);
    p.columns.push_back(std::move(b));
  }
  const auto& used = c.fields_used();
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (!seen[i] && used[i] && fields[i].required)
      throw input_error(fields[i].id, "required column is missing");
  return p;
}

// Binds row `r`; returns false (with the error filled in) for a malformed row.
bool bind_row(const plan& p, std::size_t r, expr::activation& vars, batch_row_error& err) {
  vars.clear();
  for (const auto& b : p.columns) {
    const column& col = *b.col;
    auto fail = [&](std::string field, std::string message) {
      err = {r, std::move(field), std::move(message)};
      return false;
    };
    auto absent = [&]() {
      return b.f->required ? fail(col.field, "required value is missing") : true;
    };
    switch (col.what) {
      case column::kind::numbers: {
        double d = static_cast<const double*>(col.data)[r];
        if (std::isnan(d)) {
          if (!absent()) return false;
          continue;
        }
        if (!std::isfinite(d)) return fail(col.field, "not a finite number");
        vars.set(b.slot, expr::value::float64(d));
        break;
      }
      case column::kind::integers:
        vars.set(b.slot, expr::value::int64(static_cast<const std::int64_t*>(col.data)[r]));
        break;
      case column::kind::booleans:
        vars.set(b.slot, expr::value::boolean(static_cast<const std::uint8_t*>(col.data)[r] != 0));
        break;
      case column::kind::dates: {
        std::int32_t d = static_cast<const std::int32_t*>(col.data)[r];
        if (d == col.missing_date) {
          if (!absent()) return false;
          continue;
        }
        auto day = expr::date::from_days(d);
        if (!day.valid()) return fail(col.field, "date outside 0001-01-01..9999-12-31");
        vars.set(b.slot, expr::value::from_date(day));
        break;
      }
      case column::kind::strings: {
        std::string_view s = static_cast<const std::string_view*>(col.data)[r];
        if (!allowed(*b.f, s))
          return fail(col.field, "\"" + std::string(s) + "\" is not an allowed value");
        vars.set(b.slot, expr::value::borrowed_string(s));
        break;
      }
      case column::kind::categories: {
        std::int32_t code = static_cast<const std::int32_t*>(col.data)[r];
        if (code < 0) {
          if (!absent()) return false;
          continue;
        }
        if (static_cast<std::size_t>(code) >= col.categories.size())
          return fail(col.field, "category code out of range");
        if (!b.category_ok[static_cast<std::size_t>(code)])
          return fail(col.field, "\"" + col.categories[static_cast<std::size_t>(code)] +
                                     "\" is not an allowed value");
        vars.set(b.slot,
                 expr::value::borrowed_string(col.categories[static_cast<std::size_t>(code)]));
        break;
      }
      case column::kind::series: {
        std::int64_t len = col.lengths ? col.lengths[r] : static_cast<std::int64_t>(col.width);
        if (len < 0 || static_cast<std::size_t>(len) > col.width)
          return fail(col.field, "series length " + std::to_string(len) + " outside 0.." +
                                     std::to_string(col.width));
        const double* row = static_cast<const double*>(col.data) + r * col.width;
        for (std::int64_t i = 0; i < len; ++i)
          if (!std::isfinite(row[i]))
            return fail(col.field + "[" + std::to_string(i) + "]", "not a finite number");
        vars.set(b.slot, expr::value::borrowed_doubles({row, static_cast<std::size_t>(len)}));
        break;
      }
    }
  }
  return true;
}

template <class Body>
void run_blocks(std::size_t begin, std::size_t end, unsigned threads, Body body) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = end > begin ? end - begin : 0;
  threads =
      static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n / 1024, 1)));
  if (threads <= 1) {
    body(0u, begin, end);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t per = (n + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    std::size_t b = begin + t * per, e = std::min(end, b + per);
    if (b >= e) break;
    pool.emplace_back([=, &body] { body(t, b, e); });
  }
  for (auto& th : pool) th.join();
}

expr::value as_of_value(date d) {
  return expr::value::from_date(
      expr::date::from_days(static_cast<std::int32_t>(d.days_since_epoch())));
}

}  // namespace

void column_table::add(column c, std::size_t length) {
  if (length != rows_)
    throw std::invalid_argument("column '" + c.field + "' has " + std::to_string(length) +
                                " rows, the table " + std::to_string(rows_));
  columns_.push_back(std::move(c));
}

void column_table::set_numbers(std::string f, std::span<const double> v) {
  add({std::move(f), column::kind::numbers, v.data(), 0, nullptr, INT32_MIN, {}}, v.size());
}
void column_table::set_integers(std::string f, std::span<const std::int64_t> v) {
  add({std::move(f), column::kind::integers, v.data(), 0, nullptr, INT32_MIN, {}}, v.size());
}
void column_table::set_booleans(std::string f, std::span<const std::uint8_t> v) {
  add({std::move(f), column::kind::booleans, v.data(), 0, nullptr, INT32_MIN, {}}, v.size());
}
void column_table::set_dates(std::string f, std::span<const std::int32_t> v, std::int32_t missing) {
  add({std::move(f), column::kind::dates, v.data(), 0, nullptr, missing, {}}, v.size());
}
void column_table::set_strings(std::string f, std::span<const std::string_view> v) {
  add({std::move(f), column::kind::strings, v.data(), 0, nullptr, INT32_MIN, {}}, v.size());
}
void column_table::set_categories(std::string f, std::span<const std::int32_t> codes,
                                  std::vector<std::string> categories) {
  add({std::move(f), column::kind::categories, codes.data(), 0, nullptr, INT32_MIN,
       std::move(categories)},
      codes.size());
}
void column_table::set_series(std::string f, std::span<const double> block, std::size_t width,
                              std::span<const std::int64_t> lengths) {
  if (width == 0 ? !block.empty() : block.size() % width != 0)
    throw std::invalid_argument("series '" + f + "': block size is not a multiple of the width");
  std::size_t rows = width == 0 ? rows_ : block.size() / width;
  if (!lengths.empty() && lengths.size() != rows)
    throw std::invalid_argument("series '" + f + "': lengths do not match the rows");
  add({std::move(f),
       column::kind::series,
       block.data(),
       width,
       lengths.empty() ? nullptr : lengths.data(),
       INT32_MIN,
       {}},
      rows);
}

std::vector<batch_row_error> classify_batch_into(const classifier& c, const column_table& table,
                                                 date as_of, std::span<std::int32_t> tiers,
                                                 unsigned threads) {
  if (tiers.size() != table.rows()) throw std::invalid_argument("tiers must have one slot per row");
  const plan p = make_plan(c, table);
  std::vector<std::vector<batch_row_error>> errors(
      std::max(1u, threads == 0 ? std::thread::hardware_concurrency() : threads));
  run_blocks(0, table.rows(), threads, [&](unsigned t, std::size_t b, std::size_t e) {
    expr::activation vars = c.make_activation();
    batch_row_error err;
    for (std::size_t r = b; r < e; ++r) {
      if (!bind_row(p, r, vars, err)) {
        tiers[r] = -1;
        errors[t].push_back(std::move(err));
        continue;
      }
      vars.set(c.as_of_slot(), as_of_value(as_of));
      decision d = c.decide(vars);
      tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      if (!d.ok())
        errors[t].push_back(
            {r, c.criterion_id(d.error_criterion), "the condition failed to evaluate"});
    }
  });
  std::vector<batch_row_error> all;
  for (auto& e : errors) all.insert(all.end(), e.begin(), e.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.row < b.row; });
  return all;
}

batch_result classify_batch(const classifier& c, const column_table& table, date as_of,
                            const batch_options& o) {
  batch_result result;
  result.tiers.assign(table.rows(), -1);
  const std::size_t begin = std::min(o.begin, table.rows());
  const std::size_t end = std::min(o.end, table.rows());
  if (!o.explain && begin == 0 && end == table.rows()) {
    result.errors = classify_batch_into(c, table, as_of, result.tiers, o.threads);
    return result;
  }
  const plan p = make_plan(c, table);
  if (o.explain) result.explanations.resize(table.rows());
  unsigned workers =
      o.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : std::max(1u, o.threads);
  std::vector<std::vector<batch_row_error>> errors(workers);
  run_blocks(begin, end, workers, [&](unsigned t, std::size_t b, std::size_t e) {
    expr::activation vars = c.make_activation();
    batch_row_error err;
    for (std::size_t r = b; r < e; ++r) {
      if (!bind_row(p, r, vars, err)) {
        errors[t].push_back(std::move(err));
        continue;
      }
      vars.set(c.as_of_slot(), as_of_value(as_of));
      if (o.explain) {
        result.explanations[r] = c.explain(vars);
        const decision& d = result.explanations[r].result;
        result.tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      } else {
        decision d = c.decide(vars);
        result.tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      }
      if (result.tiers[r] < 0) errors[t].push_back({r, "", "a criterion failed to evaluate"});
    }
  });
  for (auto& e : errors) result.errors.insert(result.errors.end(), e.begin(), e.end());
  std::sort(result.errors.begin(), result.errors.end(),
            [](const auto& a, const auto& b) { return a.row < b.row; });
  return result;
}

}  // namespace keyaccount
