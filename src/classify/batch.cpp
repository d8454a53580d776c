#include "keyaccount/classify/batch.hpp"
#include "keyaccount/core/field_check.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <thread>

#include "classify/detail/classifier_internals.hpp"
#include "classify/detail/row_binder.hpp"
#include "classify/same_condition.hpp"
#include "core/cpu_dispatch.hpp"
#include "core/double_scan.hpp"
#include "keyaccount/expr/columns.hpp"
#include "keyaccount/policy/expressions.hpp"

namespace keyaccount {
namespace {

using column = column_table::column;

// A column matched to its schema slot, with what the per-row checks need.
struct bound_column {
  const column* col = nullptr;
  std::size_t slot = 0;
  const field* f = nullptr;
  // categories: whether each category is allowed by the enum, then a 0 for every code past them
  std::vector<unsigned char> category_ok;
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
  // The as-of day, days since 1970-01-01: a date after it is a malformed row (a record's facts
  // cannot be dated after the day they are known on), as for one record.
  std::int32_t as_of = 0;
  std::vector<std::size_t> required_missing;  // slots required but without a column
};

plan make_plan(const classifier& c, const column_table& t, date as_of) {
  plan p;
  p.as_of = static_cast<std::int32_t>(as_of.days_since_epoch());
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
    if (col.what == column::kind::categories) {
      for (const auto& cat : col.categories) b.category_ok.push_back(allowed(f, cat) ? 1 : 0);
      b.category_ok.push_back(0);  // for every code past the categories (find_bad_rows)
    }
    p.columns.push_back(std::move(b));
  }
  const auto& used = c.fields_used();
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (!seen[i] && used[i] && fields[i].required)
      throw input_error(fields[i].id, "required column is missing");
  return p;
}

// The index of the first non-finite value of xs, or xs.size(). The common all-finite case is
// one pass without branches (detail::all_finite).
std::size_t first_non_finite(std::span<const double> xs) {
  if (detail::all_finite(xs.data(), xs.size())) return xs.size();
  std::size_t i = 0;
  while (std::isfinite(xs[i])) ++i;
  return i;
}

// Reads row `r`, checking every value, and hands each present value to `bind(slot, make)` where
// make() builds the CEL value: binding a row for the interpreter and merely validating it (the
// columnar path) share one set of checks. Returns false (with the error filled in) for a
// malformed row.
template <class Bind>
bool read_row(const plan& p, std::size_t r, batch_row_error& err, Bind&& bind) {
  for (const auto& b : p.columns) {
    const column& col = *b.col;
    auto fail = [&](std::string field, std::string message) {
      err = {r, std::move(field), std::move(message), {}};
      return false;
    };
    auto absent = [&]() {
      return b.f->required ? fail(col.field, field_check::missing_required()) : true;
    };
    switch (col.what) {
      case column::kind::numbers: {
        double d = static_cast<const double*>(col.data)[r];
        if (std::isnan(d)) {
          if (!absent()) return false;
          continue;
        }
        if (!std::isfinite(d)) return fail(col.field, field_check::not_finite());
        bind(b.slot, [d] { return expr::value::float64(d); });
        break;
      }
      case column::kind::integers: {
        if (col.missing != nullptr && col.missing[r] != 0) {
          if (!absent()) return false;
          continue;
        }
        std::int64_t i = static_cast<const std::int64_t*>(col.data)[r];
        bind(b.slot, [i] { return expr::value::int64(i); });
        break;
      }
      case column::kind::booleans: {
        if (col.missing != nullptr && col.missing[r] != 0) {
          if (!absent()) return false;
          continue;
        }
        bool v = static_cast<const std::uint8_t*>(col.data)[r] != 0;
        bind(b.slot, [v] { return expr::value::boolean(v); });
        break;
      }
      case column::kind::dates: {
        std::int32_t d = static_cast<const std::int32_t*>(col.data)[r];
        if (d == col.missing_date) {
          if (!absent()) return false;
          continue;
        }
        auto day = expr::date::from_days(d);
        if (!day.valid()) return fail(col.field, "date outside 0001-01-01..9999-12-31");
        if (d > p.as_of)
          return fail(col.field, after_as_of_message(day.to_string(),
                                                     expr::date::from_days(p.as_of).to_string()));
        bind(b.slot, [day] { return expr::value::from_date(day); });
        break;
      }
      case column::kind::strings: {
        std::string_view s = static_cast<const std::string_view*>(col.data)[r];
        if (!allowed(*b.f, s)) return fail(col.field, field_check::not_allowed(s));
        bind(b.slot, [s] { return expr::value::borrowed_string(s); });
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
        const std::string& text = col.categories[static_cast<std::size_t>(code)];
        if (!b.category_ok[static_cast<std::size_t>(code)])
          return fail(col.field, field_check::not_allowed(text));
        bind(b.slot, [&text] { return expr::value::borrowed_string(text); });
        break;
      }
      case column::kind::series: {
        if (col.missing != nullptr && col.missing[r] != 0) {
          if (!absent()) return false;
          continue;
        }
        std::int64_t len = col.lengths ? col.lengths[r] : static_cast<std::int64_t>(col.width);
        if (len < 0 || static_cast<std::size_t>(len) > col.width)
          return fail(col.field, "series length " + std::to_string(len) + " outside 0.." +
                                     std::to_string(col.width));
        std::span<const double> row(static_cast<const double*>(col.data) + r * col.width,
                                    static_cast<std::size_t>(len));
        if (std::size_t bad = first_non_finite(row); bad < row.size())
          return fail(col.field + "[" + std::to_string(bad) + "]", field_check::not_finite());
        bind(b.slot, [row] { return expr::value::borrowed_doubles(row); });
        break;
      }
    }
  }
  return true;
}

// Binds row `r` into `vars` for the interpreter.
bool bind_row(const plan& p, std::size_t r, expr::activation& vars, batch_row_error& err) {
  vars.clear();
  return read_row(p, r, err, [&](std::size_t slot, auto make) { vars.set(slot, make()); });
}

// Checks row `r` without binding it.
bool check_row(const plan& p, std::size_t r, batch_row_error& err) {
  return read_row(p, r, err, [](std::size_t, auto) {});
}

// Marks bad[i] for the rows first + i that check_row() rejects, a column at a time (tight loops
// without the per-row switch); check_row() then words the error of each row marked.
KEYACCOUNT_CLONED void find_bad_rows(const plan& p, std::size_t first, std::size_t count,
                                     std::uint8_t* bad) {
  std::fill_n(bad, count, std::uint8_t{0});
  for (const auto& b : p.columns) {
    const column& col = *b.col;
    const bool required = b.f->required;
    // An absent value marked in a mask: the columnar layouts cannot mark it, so its row takes
    // the row-at-a-time path (check_row() accepts it when the field is optional).
    if (col.missing != nullptr) {
      const auto* missing = col.missing + first;
      for (std::size_t i = 0; i < count; ++i) bad[i] |= static_cast<std::uint8_t>(missing[i] != 0);
    }
    switch (col.what) {
      case column::kind::numbers: {
        // Written without branches so that each clone vectorises it: NaN is an absent value
        // (bad when required), ±inf is always bad.
        const double* v = static_cast<const double*>(col.data) + first;
        for (std::size_t i = 0; i < count; ++i) {
          const double x = v[i];
          const bool non_finite = !detail::is_finite(x);
          bad[i] |= static_cast<std::uint8_t>(non_finite & (required | (x == x)));
        }
        break;
      }
      case column::kind::integers:
      case column::kind::booleans:
        break;
      case column::kind::dates: {
        // A valid date no later than as_of: one range, so the loop has no branch.
        const std::int32_t* v = static_cast<const std::int32_t*>(col.data) + first;
        const std::int32_t earliest = expr::date::earliest_days;
        const std::int32_t latest = std::min(p.as_of, expr::date::latest_days);
        const std::int32_t absent = col.missing_date;
        for (std::size_t i = 0; i < count; ++i) {
          const bool missing = v[i] == absent;
          const bool out_of_range = (v[i] < earliest) | (v[i] > latest);
          bad[i] |= static_cast<std::uint8_t>((missing & required) | (!missing & out_of_range));
        }
        break;
      }
      case column::kind::strings: {
        const std::string_view* v = static_cast<const std::string_view*>(col.data) + first;
        for (std::size_t i = 0; i < count; ++i)
          bad[i] |= static_cast<std::uint8_t>(!allowed(*b.f, v[i]));
        break;
      }
      case column::kind::categories: {
        // A negative code is an absent value; a code past the categories is bad. Branch-free:
        // every code past the categories (a negative one too, as unsigned) looks up the last
        // entry of category_ok, which is 0.
        const std::int32_t* v = static_cast<const std::int32_t*>(col.data) + first;
        const std::uint64_t past_the_end = col.categories.size();
        const unsigned char* ok = b.category_ok.data();
        for (std::size_t i = 0; i < count; ++i) {
          const bool absent = v[i] < 0;
          const std::uint64_t entry =
              std::min<std::uint64_t>(static_cast<std::uint32_t>(v[i]), past_the_end);
          const bool allowed_code = ok[entry] != 0;
          bad[i] |= static_cast<std::uint8_t>((absent & required) | (!absent & !allowed_code));
        }
        break;
      }
      case column::kind::series: {
        // The months of the whole chunk are checked in one pass (detail::finite_check), and
        // looked at row by row only in a chunk that holds a non-finite month: bad months are
        // rare, and a test per row waited for the row's own result (issue 22: 9 of the 31 ns a
        // customer took in cache were these checks).
        const double* block = static_cast<const double*>(col.data);
        const auto width = static_cast<std::int64_t>(col.width);
        auto span_of = [&](std::size_t r) {  // 0 for a length outside 0..width (a bad row)
          const std::int64_t len = col.lengths ? col.lengths[r] : width;
          return len >= 0 && len <= width ? static_cast<std::size_t>(len) : std::size_t{0};
        };
        bool full = true;  // every row as long as the block is wide: one flat run of months
        if (col.lengths != nullptr) {
          // Local pointers: bad[] is bytes, which may alias anything, so col.lengths would be
          // read again after each store and the loop would not vectorise.
          const std::int64_t* lengths = col.lengths + first;
          std::uint8_t all_full = 1;
          for (std::size_t i = 0; i < count; ++i) {
            // One unsigned comparison: a negative length wraps to a huge one.
            bad[i] |= static_cast<std::uint8_t>(static_cast<std::uint64_t>(lengths[i]) >
                                                static_cast<std::uint64_t>(width));
            all_full &= static_cast<std::uint8_t>(lengths[i] == width);
          }
          full = all_full != 0;
        }
        detail::finite_check check;
        if (full) {
          check.add(block + first * col.width, count * col.width);
        } else {
          for (std::size_t i = 0; i < count; ++i)
            check.add(block + (first + i) * col.width, span_of(first + i));
        }
        if (check.finite()) break;
        for (std::size_t i = 0; i < count; ++i)
          bad[i] |= static_cast<std::uint8_t>(
              !detail::all_finite(block + (first + i) * col.width, span_of(first + i)));
        break;
      }
    }
  }
}

// The malformed rows of a thread's block, found for several chunks at once: the check reads
// every month of every row, so it runs at the speed of memory, and a longer run of it keeps the
// hardware prefetcher going. The criteria then read each chunk's values again, from the core's
// L2, so a window holds about 640 KB of input (issue 22, bench table of 36 months, 320 bytes a
// row as counted below: one chunk 0.40 of the streaming rate at 1M customers, two 0.48, four
// 0.50, eight (the 640 KB) 0.52, sixteen 0.52 but slower at 100 000; the cores here have 1 MB
// of L2).
class bad_rows_ahead {
 public:
  static constexpr std::size_t chunk = expr::vector_program::chunk;
  static constexpr std::size_t most_chunks = 8;
  static constexpr std::size_t window_bytes = 640 * 1024;

  bad_rows_ahead(const plan& p, std::size_t end) : p_(p), end_(end) {
    std::size_t row_bytes = 0;  // roughly: what the check reads of one row
    for (const auto& b : p.columns)
      row_bytes += b.col->what == column::kind::series ? (b.col->width + 1) * sizeof(double) : 8;
    rows_ =
        chunk * std::clamp<std::size_t>(
                    window_bytes / (chunk * std::max<std::size_t>(row_bytes, 1)), 1, most_chunks);
  }

  // bad[i] = 1 for the malformed rows first + i of a chunk. The chunks are asked for in order,
  // from the block's start, so each lies inside one window.
  const std::uint8_t* chunk_at(std::size_t first) {
    if (first < from_ || first >= from_ + filled_) {
      from_ = first;
      filled_ = std::min(rows_, end_ - first);
      find_bad_rows(p_, first, filled_, bad_.data());
    }
    return bad_.data() + (first - from_);
  }

 private:
  const plan& p_;
  std::size_t end_;
  std::size_t rows_ = chunk;  // a whole number of chunks
  std::size_t from_ = 0, filled_ = 0;
  std::array<std::uint8_t, most_chunks * chunk> bad_;  // 1 = malformed (bytes: vectorisable)
};

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

// The error of row `r` whose decision `d` failed: the criterion and its CEL error (the
// condition is evaluated again on the row's bound variables to say why).
batch_row_error evaluation_failure(const classifier& c, std::size_t r, const decision& d,
                                   const expr::activation& vars) {
  if (d.error_criterion >= c.criterion_count()) return {r, "", "no tier could be decided", ""};
  const expr::program* cond = detail::condition(c, d.error_criterion);
  std::string cause = cond ? std::string(cond->evaluate(vars).error_message()) : "";
  return {r, "", std::move(cause), c.criterion_id(d.error_criterion)};
}

expr::value as_of_value(date d) {
  return expr::value::from_date(
      expr::date::from_days(static_cast<std::int32_t>(d.days_since_epoch())));
}

// The columnar path: each leaf criterion's condition runs over whole columns, a chunk of rows
// at a time (expr/columns.hpp), and the tier follows from the leaf outcomes by table lookup.
// A row some condition cannot decide in columnar form (an absent optional value, a series
// longer than the iteration budget allows, ...) takes the row-at-a-time path, so results are
// exactly those of classify().
class columnar_plan {
 public:
  // Nothing when a column kind or a condition has no columnar form (text columns, functions
  // beyond columns.hpp's list): then every row takes the row-at-a-time path.
  static std::optional<columnar_plan> make(const classifier& c, const column_table& t, date as_of) {
    expr::column_bindings cols(detail::make_activation(c).size());
    for (const auto& col : t.columns()) {
      const auto slot = c.parser().slot_of(col.field);
      if (!slot) return std::nullopt;
      expr::column_view v{expr::column_layout::float64, col.data};
      switch (col.what) {
        case column::kind::numbers:
          break;
        case column::kind::integers:
          v.what = expr::column_layout::int64;
          break;
        case column::kind::booleans:
          v.what = expr::column_layout::boolean;
          break;
        case column::kind::dates:
          v.what = expr::column_layout::date_days;
          v.missing_date = col.missing_date;
          break;
        case column::kind::categories:
          v.what = expr::column_layout::codes;
          v.categories = &col.categories;
          break;
        case column::kind::series:
          v.what = expr::column_layout::double_rows;
          v.width = col.width;
          v.lengths = col.lengths;
          break;
        case column::kind::strings:
          continue;  // no columnar form: conditions reading it are not vectorised
      }
      cols.set_column(*slot, v);
    }
    cols.set_value(detail::as_of_slot(c), as_of_value(as_of));
    columnar_plan cp;
    for (std::size_t i = 0; i < c.criterion_count(); ++i) {
      const expr::program* cond = detail::condition(c, i);
      if (cond == nullptr) continue;
      auto vp = expr::vectorize(*cond, cols);
      if (!vp) return std::nullopt;
      cp.leaves_.push_back({static_cast<std::uint32_t>(i), std::move(*vp)});
    }
    if (cp.leaves_.size() > max_leaves) return std::nullopt;
    // Cheap conditions first, so costly ones run only where the tier is still open.
    std::stable_sort(cp.leaves_.begin(), cp.leaves_.end(), [](const leaf& a, const leaf& b) {
      return a.program.cost() < b.program.cost();
    });
    cp.make_table(c);
    return cp;
  }

  static constexpr std::size_t max_leaves = 8;  // 3^8 = 6561 table entries

  // What each leaf gave on one chunk of rows: ran[k][i] when leaf k was evaluated on row i,
  // result[k][i] its result there (0, 1, or 2 for undecided). Lets a second plan over the same
  // rows reuse the leaves whose condition it shares (classify_batch_pair_into).
  struct chunk_memo {
    std::array<std::array<std::uint8_t, expr::vector_program::chunk>, max_leaves> ran, result;
  };

  // Tiers of rows [first, first + count), count ≤ chunk; -1 where the row needs the
  // row-at-a-time path (the leaves evaluated leave it open, or it has no tier). With `record`,
  // every leaf's results are kept there; with `reuse`, leaf k whose shared[k] names a leaf of
  // the plan that filled `reuse` takes that leaf's results where it ran, and is evaluated only
  // on the rows it did not.
  KEYACCOUNT_CLONED void decide(std::size_t first, std::size_t count, std::span<std::int32_t> tiers,
                                chunk_memo* record = nullptr, const chunk_memo* reuse = nullptr,
                                std::span<const std::int32_t> shared = {}) const {
    constexpr std::size_t chunk = expr::vector_program::chunk;
    std::array<std::uint32_t, chunk> state;  // base 3, digit k: leaf k not met / met / unknown
    state.fill(all_unknown_);
    std::array<std::uint8_t, chunk> need, rest, result;
    std::uint32_t weight = 1;
    // In locals: stores to need[] (bytes, which may alias anything) would otherwise make the
    // compiler reload the vector's data pointer for every row.
    const std::int32_t* const tier_of = tier_of_.data();
    for (std::size_t k = 0; k < leaves_.size(); ++k) {
      std::uint8_t any = 0;
      if (k < open_bits_.size()) {
        // Two words in registers instead of a table lookup per row: each clone vectorises it.
        const std::uint64_t low_word = open_bits_[k][0], high_word = open_bits_[k][1];
        const std::uint32_t unknown_after_k = all_unknown_ - (weight - 1);
        for (std::size_t i = 0; i < count; ++i) {
          const std::uint32_t known_digits = state[i] - unknown_after_k;
          const std::uint64_t word = known_digits < 64 ? low_word : high_word;
          need[i] = static_cast<std::uint8_t>((word >> (known_digits & 63)) & 1);
          // A wrong bit would cost speed only (the row's tier stays open and the row path
          // decides it), which no result shows: the sanitizer build (Debug) checks it here.
          assert(need[i] == (tier_of[state[i]] == open));
          any |= need[i];
        }
      } else {
        for (std::size_t i = 0; i < count; ++i) {
          need[i] = tier_of[state[i]] == open;
          any |= need[i];
        }
      }
      if (any) {
        const std::int32_t from = reuse != nullptr && k < shared.size() ? shared[k] : -1;
        if (from < 0) {
          leaves_[k].program.evaluate(first, count, result.data(), need.data());
        } else {
          const auto& ran = reuse->ran[static_cast<std::size_t>(from)];
          const auto& known = reuse->result[static_cast<std::size_t>(from)];
          std::size_t rest_rows = 0;
          for (std::size_t i = 0; i < count; ++i) {
            rest[i] = need[i] & static_cast<std::uint8_t>(ran[i] ^ 1u);
            rest_rows += rest[i];
          }
          // The kernels scan every row of a chunk (steadier than testing `need` per row), so a
          // few rows left over are cheaper one at a time.
          if (rest_rows > count / 16) {
            leaves_[k].program.evaluate(first, count, result.data(), rest.data());
          } else if (rest_rows > 0) {
            for (std::size_t i = 0; i < count; ++i)
              if (rest[i]) leaves_[k].program.evaluate(first + i, 1, &result[i], &rest[i]);
          }
          // Branch-free (and vectorised): which rows `reuse` ran the leaf on is unpredictable.
          for (std::size_t i = 0; i < count; ++i) {
            const auto take = static_cast<std::uint8_t>(-ran[i]);  // ran[i] is 0 or 1
            result[i] = static_cast<std::uint8_t>((known[i] & take) | (result[i] & ~take));
          }
        }
        for (std::size_t i = 0; i < count; ++i) {  // branch-free: need[i] is unpredictable
          const std::uint32_t known = need[i] & (result[i] != 2);
          state[i] -= known * (2u - result[i]) * weight;
        }
      }
      if (record != nullptr) {
        if (any) {
          std::copy_n(need.begin(), count, record->ran[k].begin());
          std::copy_n(result.begin(), count, record->result[k].begin());
        } else {
          std::fill_n(record->ran[k].begin(), count, std::uint8_t{0});
        }
      }
      weight *= 3;
    }
    for (std::size_t i = 0; i < count; ++i) tiers[i] = std::max(tier_of[state[i]], -1);
  }

  // The criterion index of each leaf, in evaluation order.
  [[nodiscard]] std::vector<std::size_t> leaf_criteria() const {
    std::vector<std::size_t> out;
    for (const leaf& l : leaves_) out.push_back(l.criterion);
    return out;
  }

 private:
  static constexpr std::int32_t open = -2;  // the tier depends on leaves not yet known

  // For every assignment of not met / met / unknown to the leaves (a base-3 number, digit k for
  // leaves_[k]): the tier when every completion of the unknowns gives the same one, `open`
  // otherwise, -1 when it is no tier. Tier rules combine criteria with all / any / at-least-k
  // only (no negation), so the interpreter's error-absorbing evaluation gives exactly this tier
  // too when an unknown leaf is in fact an error.
  void make_table(const classifier& c) {
    std::uint32_t size = 1;
    for (std::size_t k = 0; k < leaves_.size(); ++k) size *= 3;
    all_unknown_ = size - 1;
    tier_of_.assign(size, open);
    std::vector<outcome> outcomes(c.criterion_count(), outcome::not_evaluated);
    for (std::uint32_t code = 0; code < size; ++code) {
      std::uint32_t rest = code, weight = 1;
      std::size_t unknown_at = leaves_.size();
      std::uint32_t unknown_weight = 0;
      for (std::size_t k = 0; k < leaves_.size(); ++k, rest /= 3, weight *= 3) {
        const std::uint32_t digit = rest % 3;
        if (digit == 2 && unknown_at == leaves_.size()) {
          unknown_at = k;
          unknown_weight = weight;
        }
        outcomes[leaves_[k].criterion] = digit == 1 ? outcome::met : outcome::not_met;
      }
      if (unknown_at == leaves_.size()) {  // every leaf known: ask the classifier
        const decision d = detail::decide_outcomes(c, outcomes);
        tier_of_[code] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      } else {  // smaller codes are done: that leaf not met (digit 0) and met (digit 1)
        const std::int32_t if_not_met = tier_of_[code - 2 * unknown_weight];
        const std::int32_t if_met = tier_of_[code - unknown_weight];
        tier_of_[code] = if_not_met == if_met ? if_met : open;
      }
    }
    // When leaf k is reached, leaves k, k+1, ... are still unknown in every row (a leaf sets
    // only its own digit), so whether a row needs it depends on the 3^k values of the digits
    // below k alone: bit `d` of open_bits_[k] for digits d, while they fit in 128 bits.
    open_bits_.clear();
    for (std::uint32_t k = 0, known = 1; k < leaves_.size() && known <= 128; ++k, known *= 3) {
      std::array<std::uint64_t, 2> bits{};
      const std::uint32_t unknown_after_k = all_unknown_ - (known - 1);
      for (std::uint32_t d = 0; d < known; ++d)
        if (tier_of_[unknown_after_k + d] == open) bits[d / 64] |= std::uint64_t{1} << (d % 64);
      open_bits_.push_back(bits);
    }
  }

  struct leaf {
    std::uint32_t criterion;       // a criterion with a condition
    expr::vector_program program;  // its columnar form
  };
  std::vector<leaf> leaves_;
  std::vector<std::int32_t> tier_of_;
  std::vector<std::array<std::uint64_t, 2>> open_bits_;  // see make_table()
  std::uint32_t all_unknown_ = 0;
};

}  // namespace

void column_table::add(column c, std::size_t length) {
  if (length != rows_)
    throw std::invalid_argument("column '" + c.field + "' has " + std::to_string(length) +
                                " rows, the table " + std::to_string(rows_));
  columns_.push_back(std::move(c));
}

void column_table::set_numbers(std::string f, std::span<const double> v) {
  add({std::move(f), column::kind::numbers, v.data(), 0, nullptr, INT32_MIN, {}, nullptr},
      v.size());
}
void column_table::set_integers(std::string f, std::span<const std::int64_t> v,
                                std::span<const std::uint8_t> missing) {
  if (!missing.empty() && missing.size() != v.size())
    throw std::invalid_argument("column '" + f + "': the missing mask does not match the rows");
  add({std::move(f),
       column::kind::integers,
       v.data(),
       0,
       nullptr,
       INT32_MIN,
       {},
       missing.empty() ? nullptr : missing.data()},
      v.size());
}
void column_table::set_booleans(std::string f, std::span<const std::uint8_t> v,
                                std::span<const std::uint8_t> missing) {
  if (!missing.empty() && missing.size() != v.size())
    throw std::invalid_argument("column '" + f + "': the missing mask does not match the rows");
  add({std::move(f),
       column::kind::booleans,
       v.data(),
       0,
       nullptr,
       INT32_MIN,
       {},
       missing.empty() ? nullptr : missing.data()},
      v.size());
}
void column_table::set_dates(std::string f, std::span<const std::int32_t> v, std::int32_t missing) {
  add({std::move(f), column::kind::dates, v.data(), 0, nullptr, missing, {}, nullptr}, v.size());
}
void column_table::set_strings(std::string f, std::span<const std::string_view> v) {
  add({std::move(f), column::kind::strings, v.data(), 0, nullptr, INT32_MIN, {}, nullptr},
      v.size());
}
void column_table::set_categories(std::string f, std::span<const std::int32_t> codes,
                                  std::vector<std::string> categories) {
  add({std::move(f), column::kind::categories, codes.data(), 0, nullptr, INT32_MIN,
       std::move(categories), nullptr},
      codes.size());
}
void column_table::set_series(std::string f, std::span<const double> block, std::size_t width,
                              std::span<const std::int64_t> lengths,
                              std::span<const std::uint8_t> missing) {
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
       {},
       nullptr},
      rows);
  if (!missing.empty()) {
    if (missing.size() != rows)
      throw std::invalid_argument("series '" + columns_.back().field +
                                  "': the missing mask does not match the rows");
    columns_.back().missing = missing.data();
  }
}

std::vector<batch_row_error> classify_batch_into(const classifier& c, const column_table& table,
                                                 date as_of, std::span<std::int32_t> tiers,
                                                 unsigned threads) {
  if (tiers.size() != table.rows()) throw std::invalid_argument("tiers must have one slot per row");
  const plan p = make_plan(c, table, as_of);
  const std::optional<columnar_plan> columnar = columnar_plan::make(c, table, as_of);
  std::vector<std::vector<batch_row_error>> errors(
      std::max(1u, threads == 0 ? std::thread::hardware_concurrency() : threads));
  run_blocks(0, table.rows(), threads, [&](unsigned t, std::size_t b, std::size_t e) {
    expr::activation vars = detail::make_activation(c);
    batch_row_error err;
    // The row-at-a-time path: binds the row and runs the interpreter.
    auto classify_row = [&](std::size_t r) {
      if (!bind_row(p, r, vars, err)) {
        tiers[r] = -1;
        errors[t].push_back(std::move(err));
        return;
      }
      vars.set(detail::as_of_slot(c), as_of_value(as_of));
      decision d = detail::decide(c, vars);
      tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      if (!d.ok()) errors[t].push_back(evaluation_failure(c, r, d, vars));
    };
    if (!columnar) {
      for (std::size_t r = b; r < e; ++r) classify_row(r);
      return;
    }
    constexpr std::size_t chunk = expr::vector_program::chunk;
    bad_rows_ahead malformed(p, e);
    for (std::size_t first = b; first < e; first += chunk) {
      const std::size_t count = std::min(chunk, e - first);
      const std::uint8_t* bad = malformed.chunk_at(first);
      columnar->decide(first, count, tiers.subspan(first, count));
      for (std::size_t i = 0; i < count; ++i) {
        if (bad[i]) {  // malformed: the same error as the row path reports
          tiers[first + i] = -1;
          if (!check_row(p, first + i, err))
            errors[t].push_back(std::move(err));
          else
            classify_row(first + i);  // an absent value marked in a mask, where allowed
        } else if (tiers[first + i] < 0) {
          classify_row(first + i);
        }
      }
    }
  });
  std::vector<batch_row_error> all;
  for (auto& e : errors) all.insert(all.end(), e.begin(), e.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.row < b.row; });
  return all;
}

batch_pair_errors classify_batch_pair_into(const classifier& a, const classifier& b,
                                           const column_table& table, date as_of,
                                           std::span<std::int32_t> tiers_a,
                                           std::span<std::int32_t> tiers_b, unsigned threads) {
  if (tiers_a.size() != table.rows() || tiers_b.size() != table.rows())
    throw std::invalid_argument("tiers must have one slot per row");
  const plan pa = make_plan(a, table, as_of);
  const plan pb = make_plan(b, table, as_of);
  const std::optional<columnar_plan> ca = columnar_plan::make(a, table, as_of);
  const std::optional<columnar_plan> cb = columnar_plan::make(b, table, as_of);
  if (!ca || !cb)  // no columnar form for one of them: nothing to share
    return {classify_batch_into(a, table, as_of, tiers_a, threads),
            classify_batch_into(b, table, as_of, tiers_b, threads)};
  // For each leaf of b, the leaf of a with the same program (its results are b's too), or -1.
  const std::vector<std::size_t> leaves_a = ca->leaf_criteria(), leaves_b = cb->leaf_criteria();
  std::vector<std::int32_t> shared(leaves_b.size(), -1);
  for (std::size_t k = 0; k < leaves_b.size(); ++k)
    for (std::size_t m = 0; m < leaves_a.size(); ++m)
      if (detail::same_condition(a, leaves_a[m], b, leaves_b[k])) {
        shared[k] = static_cast<std::int32_t>(m);
        break;
      }
  const unsigned workers =
      std::max(1u, threads == 0 ? std::thread::hardware_concurrency() : threads);
  std::vector<std::vector<batch_row_error>> errors_a(workers), errors_b(workers);
  run_blocks(0, table.rows(), threads, [&](unsigned t, std::size_t begin, std::size_t end) {
    expr::activation vars_a = detail::make_activation(a), vars_b = detail::make_activation(b);
    batch_row_error err;
    // The row-at-a-time path of one classifier, as classify_batch_into's.
    auto classify_row = [&](const classifier& c, const plan& p, expr::activation& vars,
                            std::span<std::int32_t> tiers, std::vector<batch_row_error>& errors,
                            std::size_t r) {
      if (!bind_row(p, r, vars, err)) {
        tiers[r] = -1;
        errors.push_back(std::move(err));
        return;
      }
      vars.set(detail::as_of_slot(c), as_of_value(as_of));
      decision d = detail::decide(c, vars);
      tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      if (!d.ok()) errors.push_back(evaluation_failure(c, r, d, vars));
    };
    constexpr std::size_t chunk = expr::vector_program::chunk;
    columnar_plan::chunk_memo memo;
    bad_rows_ahead malformed(pa, end);  // the same schema: the same bad rows under both
    for (std::size_t first = begin; first < end; first += chunk) {
      const std::size_t count = std::min(chunk, end - first);
      const std::uint8_t* bad = malformed.chunk_at(first);
      ca->decide(first, count, tiers_a.subspan(first, count), &memo);
      cb->decide(first, count, tiers_b.subspan(first, count), nullptr, &memo, shared);
      // Most chunks have no bad row and a tier for every row under both policies: one
      // branch-free pass tells, and the row loop below is skipped.
      std::uint8_t any_bad = 0;
      std::int32_t lowest = 0;
      for (std::size_t i = 0; i < count; ++i) {
        any_bad |= static_cast<std::uint8_t>(bad[i]);
        lowest = std::min({lowest, tiers_a[first + i], tiers_b[first + i]});
      }
      if (any_bad == 0 && lowest >= 0) continue;
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t r = first + i;
        if (bad[i]) {
          tiers_a[r] = tiers_b[r] = -1;
          if (!check_row(pa, r, err)) {
            errors_b[t].push_back(err);
            errors_a[t].push_back(std::move(err));
            continue;
          }
          classify_row(a, pa, vars_a, tiers_a, errors_a[t], r);
          classify_row(b, pb, vars_b, tiers_b, errors_b[t], r);
          continue;
        }
        if (tiers_a[r] < 0) classify_row(a, pa, vars_a, tiers_a, errors_a[t], r);
        if (tiers_b[r] < 0) classify_row(b, pb, vars_b, tiers_b, errors_b[t], r);
      }
    }
  });
  auto merged = [](std::vector<std::vector<batch_row_error>>& parts) {
    std::vector<batch_row_error> all;
    for (auto& e : parts) all.insert(all.end(), e.begin(), e.end());
    std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.row < y.row; });
    return all;
  };
  return {merged(errors_a), merged(errors_b)};
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
  const plan p = make_plan(c, table, as_of);
  if (o.explain) result.explanations.resize(end > begin ? end - begin : 0);
  unsigned workers =
      o.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : std::max(1u, o.threads);
  std::vector<std::vector<batch_row_error>> errors(workers);
  std::shared_ptr<const decision_provenance> provenance;
  if (o.explain) provenance = std::make_shared<const decision_provenance>(c.provenance(as_of));
  run_blocks(begin, end, workers, [&](unsigned t, std::size_t b, std::size_t e) {
    expr::activation vars = detail::make_activation(c);
    batch_row_error err;
    for (std::size_t r = b; r < e; ++r) {
      if (!bind_row(p, r, vars, err)) {
        errors[t].push_back(std::move(err));
        continue;
      }
      vars.set(detail::as_of_slot(c), as_of_value(as_of));
      if (o.explain) {
        result.explanations[r - begin] = detail::explain(c, vars);
        result.explanations[r - begin].provenance = provenance;
        const decision& d = result.explanations[r - begin].result;
        result.tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      } else {
        decision d = detail::decide(c, vars);
        result.tiers[r] = d.ok() ? static_cast<std::int32_t>(d.tier) : -1;
      }
      if (result.tiers[r] < 0) {
        if (o.explain) {
          const explanation& x = result.explanations[r - begin];
          errors[t].push_back({r, "", x.error, x.error_criterion});
        } else {
          errors[t].push_back(evaluation_failure(c, r, detail::decide(c, vars), vars));
        }
      }
    }
  });
  for (auto& e : errors) result.errors.insert(result.errors.end(), e.begin(), e.end());
  std::sort(result.errors.begin(), result.errors.end(),
            [](const auto& a, const auto& b) { return a.row < b.row; });
  return result;
}

namespace detail {

struct row_binder::impl {
  impl(const classifier& cls, const column_table& t, date day)
      : c(cls), table(t), as_of(day), p(make_plan(cls, t, day)) {}
  const classifier& c;
  const column_table& table;
  date as_of;
  plan p;
};

row_binder::row_binder(const classifier& c, const column_table& table, date as_of)
    : impl_(std::make_unique<impl>(c, table, as_of)) {}
row_binder::~row_binder() = default;
row_binder::row_binder(row_binder&&) noexcept = default;
row_binder& row_binder::operator=(row_binder&&) noexcept = default;

bool row_binder::bind(std::size_t row, expr::activation& vars, batch_row_error& error) const {
  if (row >= impl_->table.rows()) throw std::out_of_range("row_binder: row beyond the table");
  if (!bind_row(impl_->p, row, vars, error)) return false;
  vars.set(detail::as_of_slot(impl_->c), as_of_value(impl_->as_of));
  return true;
}

void row_binder::prefetch(std::size_t row) const noexcept {
  if (row >= impl_->table.rows()) return;
  for (const auto& b : impl_->p.columns) {
    const column& col = *b.col;
    const char* at = static_cast<const char*>(col.data);
    std::size_t bytes = 0;
    switch (col.what) {
      case column::kind::numbers:
      case column::kind::integers:
        at += row * sizeof(double);
        bytes = sizeof(double);
        break;
      case column::kind::booleans:
        at += row;
        bytes = 1;
        break;
      case column::kind::dates:
      case column::kind::categories:
        at += row * sizeof(std::int32_t);
        bytes = sizeof(std::int32_t);
        break;
      case column::kind::strings:
        at += row * sizeof(std::string_view);
        bytes = sizeof(std::string_view);
        break;
      case column::kind::series:
        at += row * col.width * sizeof(double);
        bytes = col.width * sizeof(double);
        if (col.lengths != nullptr) __builtin_prefetch(col.lengths + row);
        break;
    }
    if (col.missing != nullptr) __builtin_prefetch(col.missing + row);
    for (std::size_t byte = 0; byte < bytes; byte += 64) __builtin_prefetch(at + byte);
    if (bytes > 0) __builtin_prefetch(at + bytes - 1);  // a row that straddles a line
  }
}

}  // namespace detail

std::vector<explanation> explain_rows(const classifier& c, const column_table& table, date as_of,
                                      std::span<const std::size_t> rows) {
  const plan p = make_plan(c, table, as_of);
  auto provenance = std::make_shared<const decision_provenance>(c.provenance(as_of));
  std::vector<explanation> out;
  out.reserve(rows.size());
  expr::activation vars = detail::make_activation(c);
  batch_row_error err;
  for (std::size_t r : rows) {
    if (r >= table.rows()) throw std::out_of_range("explain_rows: row beyond the table");
    vars.clear();
    if (!bind_row(p, r, vars, err)) {
      explanation e;
      e.error = err.field + ": " + err.message;
      e.provenance = provenance;
      out.push_back(std::move(e));
      continue;
    }
    vars.set(detail::as_of_slot(c), as_of_value(as_of));
    out.push_back(detail::explain(c, vars));
    out.back().provenance = provenance;
  }
  return out;
}

}  // namespace keyaccount
