// Columnar evaluation kernels. Every kernel mirrors one plan node and must give, for each row
// it marks known, exactly the value the node's eval() gives for that row; when in doubt it
// marks the row unknown and the caller evaluates that row the ordinary way.
#include "vector_kernels.hpp"

#include "core/cpu_dispatch.hpp"
#include "core/double_scan.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace keyaccount::expr::detail {

namespace {

constexpr double exact_int_limit = 9007199254740992.0;  // 2^53: ints beyond lose precision

// A number value as a double when that is exact (so double comparisons keep CEL's semantics).
std::optional<double> exact_number(const value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int() && std::abs(static_cast<double>(v.as_int())) <= exact_int_limit &&
      v.as_int() != INT64_MIN)
    return static_cast<double>(v.as_int());
  return std::nullopt;
}

// A kernel whose rows() is its eval(), compiled for each processor level (core/cpu_dispatch.hpp):
// the loops over a chunk's rows are where the columnar batch spends its time, and AVX-512 runs
// them four times as wide as the baseline. The kernels that do little per call (constants,
// int and bool columns, `!`) keep a plain eval().
template <class Kernel>
KEYACCOUNT_CLONED void eval_rows(const Kernel& k, std::size_t first, std::size_t count,
                                 const std::uint8_t* need, lane& out) {
  k.rows(first, count, need, out);
}

template <class Kernel>
class cloned_kernel : public vector_kernel {
 public:
  using vector_kernel::vector_kernel;
  void eval(std::size_t first, std::size_t count, const std::uint8_t* need, lane& out) const final {
    eval_rows(static_cast<const Kernel&>(*this), first, count, need, out);
  }
};

// ---- leaves ----------------------------------------------------------------------------------

// The same value in every row.
class broadcast_kernel final : public vector_kernel {
 public:
  broadcast_kernel(lane_kind k, double num, std::int32_t i32, std::uint8_t flag,
                   std::span<const double> series, std::vector<std::string> texts)
      : vector_kernel(k),
        num_(num),
        i32_(i32),
        flag_(flag),
        series_(series),
        texts_(std::move(texts)) {}
  const std::vector<std::string>* texts() const noexcept override { return &texts_; }
  const double* constant_number() const noexcept override {
    return kind() == lane_kind::number ? &num_ : nullptr;
  }
  const std::int32_t* constant_date() const noexcept override {
    return kind() == lane_kind::date ? &i32_ : nullptr;
  }
  void eval(std::size_t, std::size_t count, const std::uint8_t*, lane& out) const override {
    std::fill_n(out.known.begin(), count, std::uint8_t{1});
    switch (kind()) {  // only the part of the lane this kind's readers look at
      case lane_kind::boolean:
        std::fill_n(out.flag.begin(), count, flag_);
        break;
      case lane_kind::number:
        std::fill_n(out.num.begin(), count, num_);
        break;
      case lane_kind::date:
      case lane_kind::text:
        std::fill_n(out.i32.begin(), count, i32_);
        break;
      case lane_kind::series:
        std::fill_n(out.ptr.begin(), count, series_.data());
        std::fill_n(out.len.begin(), count, static_cast<std::uint32_t>(series_.size()));
        break;
    }
  }

 private:
  double num_;
  std::int32_t i32_;
  std::uint8_t flag_;
  std::span<const double> series_;
  std::vector<std::string> texts_;
};

kernel_ptr broadcast(const value& v) {
  if (v.is_bool())
    return std::make_unique<broadcast_kernel>(lane_kind::boolean, 0, 0, v.as_bool(),
                                              std::span<const double>{},
                                              std::vector<std::string>{});
  if (auto d = exact_number(v))
    return std::make_unique<broadcast_kernel>(
        lane_kind::number, *d, 0, 0, std::span<const double>{}, std::vector<std::string>{});
  if (v.is_date() && v.as_date().valid())
    return std::make_unique<broadcast_kernel>(lane_kind::date, 0, v.as_date().days_since_epoch(), 0,
                                              std::span<const double>{},
                                              std::vector<std::string>{});
  if (v.is_string())
    return std::make_unique<broadcast_kernel>(lane_kind::text, 0, 0, 0, std::span<const double>{},
                                              std::vector<std::string>{std::string(v.as_string())});
  if (v.is_list() && v.as_list().storage_kind() == list_view::storage::doubles &&
      v.as_list().size() <= UINT32_MAX)
    return std::make_unique<broadcast_kernel>(lane_kind::series, 0, 0, 0, v.as_list().doubles(),
                                              std::vector<std::string>{});
  return nullptr;  // lists of other values, maps, errors, null: no columnar form
}

class float_column final : public cloned_kernel<float_column> {
 public:
  explicit float_column(const double* data) : cloned_kernel(lane_kind::number), data_(data) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t*,
                                   lane& out) const {
    // Locals and a branch-free finiteness test, so that each clone vectorises the loop (with
    // out's byte stores, which may alias anything, the compiler otherwise reloads data_ for
    // every row and keeps the loop scalar).
    const double* data = data_ + first;
    double* num = out.num.data();
    std::uint8_t* known = out.known.data();
    for (std::size_t i = 0; i < count; ++i) {
      const double d = data[i];
      num[i] = d;
      // NaN: absent; ±inf: rejected by the row binding. Both fail the comparison.
      known[i] = static_cast<std::uint8_t>(keyaccount::detail::is_finite(d));
    }
  }

 private:
  const double* data_;
};

class int_column final : public vector_kernel {
 public:
  explicit int_column(const std::int64_t* data) : vector_kernel(lane_kind::number), data_(data) {}
  void eval(std::size_t first, std::size_t count, const std::uint8_t*, lane& out) const override {
    for (std::size_t i = 0; i < count; ++i) {
      std::int64_t v = data_[first + i];
      out.num[i] = static_cast<double>(v);
      out.known[i] = v >= -(std::int64_t{1} << 53) && v <= (std::int64_t{1} << 53);
    }
  }

 private:
  const std::int64_t* data_;
};

class bool_column final : public vector_kernel {
 public:
  explicit bool_column(const std::uint8_t* data) : vector_kernel(lane_kind::boolean), data_(data) {}
  void eval(std::size_t first, std::size_t count, const std::uint8_t*, lane& out) const override {
    for (std::size_t i = 0; i < count; ++i) {
      out.flag[i] = data_[first + i] != 0;
      out.known[i] = 1;
    }
  }

 private:
  const std::uint8_t* data_;
};

class date_column final : public cloned_kernel<date_column> {
 public:
  date_column(const std::int32_t* data, std::int32_t missing)
      : cloned_kernel(lane_kind::date), data_(data), missing_(missing) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t*,
                                   lane& out) const {
    // Locals and no short-circuit: a branch-free loop each clone vectorises (float_column).
    const std::int32_t* data = data_ + first;
    const std::int32_t missing = missing_;
    std::int32_t* days = out.i32.data();
    std::uint8_t* known = out.known.data();
    for (std::size_t i = 0; i < count; ++i) {
      const std::int32_t d = data[i];
      days[i] = d;
      known[i] = static_cast<std::uint8_t>((d != missing) & date::from_days(d).valid());
    }
  }

 private:
  const std::int32_t* data_;
  std::int32_t missing_;
};

class code_column final : public cloned_kernel<code_column> {
 public:
  code_column(const std::int32_t* data, const std::vector<std::string>* texts)
      : cloned_kernel(lane_kind::text), data_(data), texts_(texts) {}
  const std::vector<std::string>* texts() const noexcept override { return texts_; }
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t*,
                                   lane& out) const {
    // Locals and no short-circuit: a branch-free loop each clone vectorises (float_column).
    const auto size = static_cast<std::int64_t>(texts_->size());
    const std::int32_t* data = data_ + first;
    std::int32_t* codes = out.i32.data();
    std::uint8_t* known = out.known.data();
    for (std::size_t i = 0; i < count; ++i) {
      const std::int32_t c = data[i];
      codes[i] = c;
      known[i] = static_cast<std::uint8_t>((c >= 0) & (c < size));
    }
  }

 private:
  const std::int32_t* data_;
  const std::vector<std::string>* texts_;
};

class rows_column final : public cloned_kernel<rows_column> {
 public:
  explicit rows_column(const column_view& c) : cloned_kernel(lane_kind::series), c_(c) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t*,
                                   lane& out) const {
    // Every series kernel of a leaf starts here, once per chunk: kept to one pass without
    // branches, its loop invariants in locals (the byte stores to `known` may alias them).
    const std::size_t width = c_.width;
    const double* row = static_cast<const double*>(c_.data) + first * width;
    if (c_.lengths == nullptr) {
      for (std::size_t i = 0; i < count; ++i, row += width) {
        out.ptr[i] = row;
        out.len[i] = static_cast<std::uint32_t>(width);
        out.known[i] = 1;
      }
      return;
    }
    const std::int64_t* lengths = c_.lengths + first;
    const auto w = static_cast<std::int64_t>(width);
    for (std::size_t i = 0; i < count; ++i, row += width) {
      const std::int64_t len = lengths[i];
      const bool fits = len >= 0 && len <= w;
      out.ptr[i] = row;
      // A bad row's span is empty, so it stays inside the block (see lane::ptr).
      out.len[i] = fits ? static_cast<std::uint32_t>(len) : 0u;
      out.known[i] = fits;
    }
  }

 private:
  column_view c_;
};

// ---- operators -------------------------------------------------------------------------------

template <class Test>
KEYACCOUNT_INLINE_BODY void compare_lanes(const lane& a, const lane& b, std::size_t count,
                                          lane& out, Test test) {
  for (std::size_t i = 0; i < count; ++i) {
    out.known[i] = a.known[i] & b.known[i];
    out.flag[i] = test(i);
  }
}

class relation_kernel final : public cloned_kernel<relation_kernel> {
 public:
  relation_kernel(int relation, kernel_ptr a, kernel_ptr b)
      : cloned_kernel(lane_kind::boolean), rel_(relation), a_(std::move(a)), b_(std::move(b)) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    lane a, b;
    a_->eval(first, count, need, a);
    b_->eval(first, count, need, b);
    switch (a_->kind()) {
      case lane_kind::number:
        return apply(a.num, b.num, a, b, count, out);
      case lane_kind::date:
        return apply(a.i32, b.i32, a, b, count, out);
      case lane_kind::boolean:
        return apply(a.flag, b.flag, a, b, count, out);
      case lane_kind::text:    // text_equality_kernel
      case lane_kind::series:  // never built
        break;
    }
  }

 private:
  template <class T, std::size_t N>
  void apply(const std::array<T, N>& x, const std::array<T, N>& y, const lane& a, const lane& b,
             std::size_t count, lane& out) const {
    switch (rel_) {  // NaN cannot occur: number lanes hold finite values only
      case 0:
        return compare_lanes(a, b, count, out, [&](std::size_t i) { return x[i] < y[i]; });
      case 1:
        return compare_lanes(a, b, count, out, [&](std::size_t i) { return x[i] <= y[i]; });
      case 2:
        return compare_lanes(a, b, count, out, [&](std::size_t i) { return x[i] > y[i]; });
      case 3:
        return compare_lanes(a, b, count, out, [&](std::size_t i) { return x[i] >= y[i]; });
      case 4:
        return compare_lanes(a, b, count, out, [&](std::size_t i) { return x[i] == y[i]; });
      default:
        return compare_lanes(a, b, count, out, [&](std::size_t i) { return x[i] != y[i]; });
    }
  }
  int rel_;
  kernel_ptr a_, b_;
};

// `number OP constant`: compared with the constant directly rather than with a lane of copies.
class number_constant_relation_kernel final
    : public cloned_kernel<number_constant_relation_kernel> {
 public:
  number_constant_relation_kernel(int relation, kernel_ptr a, double c)
      : cloned_kernel(lane_kind::boolean), rel_(relation), a_(std::move(a)), c_(c) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    a_->eval(first, count, need, out);
    switch (rel_) {
      case 0:
        return apply(count, out, [c = c_](auto x) { return x < c; });
      case 1:
        return apply(count, out, [c = c_](auto x) { return x <= c; });
      case 2:
        return apply(count, out, [c = c_](auto x) { return x > c; });
      case 3:
        return apply(count, out, [c = c_](auto x) { return x >= c; });
      case 4:
        return apply(count, out, [c = c_](auto x) { return x == c; });
      default:
        return apply(count, out, [c = c_](auto x) { return x != c; });
    }
  }

 private:
  // A plain loop: the compiler compares as many rows per instruction as the clone's registers
  // hold (eight under AVX-512; core/cpu_dispatch.hpp).
  template <class Test>
  KEYACCOUNT_INLINE_BODY static void apply(std::size_t count, lane& out, Test test) {
    for (std::size_t i = 0; i < count; ++i) out.flag[i] = test(out.num[i]);
  }
  int rel_;
  kernel_ptr a_;
  double c_;
};

// `text == text` across two dictionaries: compared as strings through a per-pair table.
class text_equality_kernel final : public cloned_kernel<text_equality_kernel> {
 public:
  text_equality_kernel(bool equal, kernel_ptr a, kernel_ptr b)
      : cloned_kernel(lane_kind::boolean), equal_(equal), a_(std::move(a)), b_(std::move(b)) {
    const auto& ta = *a_->texts();
    const auto& tb = *b_->texts();
    width_ = tb.size();
    same_.resize(ta.size() * tb.size());
    for (std::size_t i = 0; i < ta.size(); ++i)
      for (std::size_t j = 0; j < tb.size(); ++j) same_[i * width_ + j] = ta[i] == tb[j];
  }
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    lane a, b;
    a_->eval(first, count, need, a);
    b_->eval(first, count, need, b);
    for (std::size_t i = 0; i < count; ++i) {
      out.known[i] = a.known[i] & b.known[i];
      out.flag[i] = out.known[i] && (same_[static_cast<std::size_t>(a.i32[i]) * width_ +
                                           static_cast<std::size_t>(b.i32[i])] == equal_);
    }
  }

 private:
  bool equal_;
  kernel_ptr a_, b_;
  std::size_t width_ = 0;
  std::vector<std::uint8_t> same_;
};

// CEL's commutative && / ||: a decisive operand decides even when the other is undecided.
class logic_kernel final : public cloned_kernel<logic_kernel> {
 public:
  logic_kernel(bool is_and, kernel_ptr a, kernel_ptr b)
      : cloned_kernel(lane_kind::boolean), and_(is_and), a_(std::move(a)), b_(std::move(b)) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    lane b;
    a_->eval(first, count, need, out);
    const std::uint8_t decisive = and_ ? 0 : 1;
    // Like the interpreter's short circuit: b is needed only where a does not decide. The
    // loops are branch-free (flags are 0 or 1): which rows decide is unpredictable.
    std::array<std::uint8_t, lane::n> need_b;
    for (std::size_t i = 0; i < count; ++i)
      need_b[i] = (need == nullptr ? 1 : need[i]) & !(out.known[i] & (out.flag[i] == decisive));
    b_->eval(first, count, need_b.data(), b);
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint8_t decides =
          (out.known[i] & (out.flag[i] == decisive)) | (b.known[i] & (b.flag[i] == decisive));
      out.known[i] = decides | (out.known[i] & b.known[i]);
      out.flag[i] = decides ^ (1 - decisive);
    }
  }

 private:
  bool and_;
  kernel_ptr a_, b_;
};

class not_kernel final : public vector_kernel {
 public:
  explicit not_kernel(kernel_ptr a) : vector_kernel(lane_kind::boolean), a_(std::move(a)) {}
  void eval(std::size_t first, std::size_t count, const std::uint8_t* need,
            lane& out) const override {
    a_->eval(first, count, need, out);
    for (std::size_t i = 0; i < count; ++i) out.flag[i] = out.flag[i] ? 0 : 1;
  }

 private:
  kernel_ptr a_;
};

// `text in [constants]`: membership decided once per code of the dictionary.
class text_in_kernel final : public cloned_kernel<text_in_kernel> {
 public:
  text_in_kernel(kernel_ptr x, std::vector<std::uint8_t> member)
      : cloned_kernel(lane_kind::boolean), x_(std::move(x)), member_(std::move(member)) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    x_->eval(first, count, need, out);
    const std::uint8_t* member = member_.data();  // a local: see float_column
    for (std::size_t i = 0; i < count; ++i)       // unknown rows look up code 0 (always valid)
      out.flag[i] = member[static_cast<std::size_t>(out.known[i] * out.i32[i])];
  }

 private:
  kernel_ptr x_;
  std::vector<std::uint8_t> member_;
};

class number_in_kernel final : public cloned_kernel<number_in_kernel> {
 public:
  number_in_kernel(kernel_ptr x, std::vector<double> list)
      : cloned_kernel(lane_kind::boolean), x_(std::move(x)), list_(std::move(list)) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    x_->eval(first, count, need, out);
    for (std::size_t i = 0; i < count; ++i)
      out.flag[i] = std::find(list_.begin(), list_.end(), out.num[i]) != list_.end();
  }

 private:
  kernel_ptr x_;
  std::vector<double> list_;
};

class size_kernel final : public cloned_kernel<size_kernel> {
 public:
  explicit size_kernel(kernel_ptr s) : cloned_kernel(lane_kind::number), s_(std::move(s)) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    s_->eval(first, count, need, out);
    for (std::size_t i = 0; i < count; ++i) out.num[i] = static_cast<double>(out.len[i]);
  }

 private:
  kernel_ptr s_;
};

class last_kernel final : public cloned_kernel<last_kernel> {
 public:
  last_kernel(kernel_ptr s, std::uint64_t k)
      : cloned_kernel(lane_kind::series), s_(std::move(s)), k_(k) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    s_->eval(first, count, need, out);
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t take = k_ >= out.len[i] ? out.len[i] : static_cast<std::uint32_t>(k_);
      out.ptr[i] += out.len[i] - take;
      out.len[i] = take;
    }
  }

 private:
  kernel_ptr s_;
  std::uint64_t k_;
};

class months_between_kernel final : public cloned_kernel<months_between_kernel> {
 public:
  months_between_kernel(kernel_ptr from, kernel_ptr to)
      : cloned_kernel(lane_kind::number), from_(std::move(from)), to_(std::move(to)) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    from_->eval(first, count, need, out);
    if (const std::int32_t* to = to_->constant_date()) {  // e.g. `as_of`: its date split once
      const civil t = split(*to);
      for (std::size_t i = 0; i < count; ++i) {
        out.known[i] = static_cast<std::uint8_t>(out.known[i] & (need == nullptr || need[i]));
        if (out.known[i]) out.num[i] = static_cast<double>(months(split(out.i32[i]), t));
      }
      return;
    }
    lane to;
    to_->eval(first, count, need, to);
    for (std::size_t i = 0; i < count; ++i) {
      out.known[i] =
          static_cast<std::uint8_t>(out.known[i] & to.known[i] & (need == nullptr || need[i]));
      if (out.known[i])
        out.num[i] = static_cast<double>(months(split(out.i32[i]), split(to.i32[i])));
    }
  }

  // `months_between(from, D) OP c` for a constant date D and number c, OP one of < <= > >=, as
  // a comparison of `from` with one day. Over valid dates, months_between(f, D) never grows as
  // f grows (a day later is at most one whole month fewer), so the days f that pass form one
  // range up to or from a bound found by bisection once, and each row costs one integer
  // comparison instead of splitting its date into year, month and day (issue 22).
  kernel_ptr compared_with(int relation, double c) override;

 private:
  struct civil {
    std::int64_t year, month, day;
  };

  static civil split(std::int32_t days_since_epoch) {
    using namespace std::chrono;
    const year_month_day d{sys_days{days{days_since_epoch}}};
    return {int(d.year()), unsigned(d.month()), unsigned(d.day())};
  }
  // The same whole-month rule as the months_between function (functions_dates.cpp).
  static std::int64_t months(const civil& f, const civil& t) {
    return (t.year - f.year) * 12 + (t.month - f.month) - (t.day < f.day ? 1 : 0);
  }

  kernel_ptr from_, to_;
};

// `date <= bound` (or, with `after`, `date > bound`) with a constant bound: what
// months_between_kernel::compared_with() makes of a months_between compared with a number.
class date_bound_kernel final : public cloned_kernel<date_bound_kernel> {
 public:
  date_bound_kernel(kernel_ptr date, std::int32_t bound, bool after)
      : cloned_kernel(lane_kind::boolean), date_(std::move(date)), bound_(bound), after_(after) {}
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    date_->eval(first, count, need, out);
    const std::int32_t bound = bound_;
    const bool after = after_;
    for (std::size_t i = 0; i < count; ++i)  // after: date > bound; otherwise date <= bound
      out.flag[i] = static_cast<std::uint8_t>((out.i32[i] > bound) == after);
  }

 private:
  kernel_ptr date_;
  std::int32_t bound_;
  bool after_;
};

kernel_ptr months_between_kernel::compared_with(int relation, double c) {
  const std::int32_t* to = to_->constant_date();
  if (to == nullptr || relation > 3 || std::isnan(c)) return nullptr;
  const civil t = split(*to);
  // months_between(f, D) >= c (relations >= and <) or > c (> and <=): true up to some day, false
  // after it. `lo` ends as the last valid day where it holds (earliest_days - 1 when none does).
  const bool strict = relation == 1 || relation == 2;
  auto holds = [&](std::int32_t f) {
    const auto m = static_cast<double>(months(split(f), t));
    return strict ? m > c : m >= c;
  };
  std::int32_t lo = date::earliest_days - 1, hi = date::latest_days;  // holds(lo) "true"
  if (holds(hi)) {
    lo = hi;
  } else {
    while (hi - lo > 1) {  // holds(lo) (or lo is before every valid day), !holds(hi)
      const std::int32_t mid = lo + (hi - lo) / 2;
      (holds(mid) ? lo : hi) = mid;
    }
  }
  // >= and >: the days up to `lo`; < and <=: the days after it.
  const bool after = relation == 0 || relation == 1;
  return std::make_unique<date_bound_kernel>(std::move(from_), lo, after);
}

}  // namespace

// Calls f(i) for the rows of a chunk whose result is wanted (out.known[i]). When most are, on
// every row (a steady loop; the others' results are ignored, and ptr/len are readable in every
// row, see lane::ptr), otherwise on the known ones only, through a list made without branches:
// a criterion evaluated after cheaper ones is needed where they left the tier open, often a
// few rows in ten, and a test per row would be a mispredicted branch as often.
template <class F>
KEYACCOUNT_INLINE_BODY void for_known_rows(std::size_t count, const lane& out, F f) {
  std::size_t known = 0;  // counted first, in a loop the compiler vectorises
  for (std::size_t i = 0; i < count; ++i) known += out.known[i];
  if (4 * known >= 3 * count) {
    for (std::size_t i = 0; i < count; ++i) f(i);
    return;
  }
  std::array<std::uint16_t, lane::n> rows;
  std::size_t m = 0;
  for (std::size_t i = 0; i < count; ++i) {
    rows[m] = static_cast<std::uint16_t>(i);
    m += out.known[i];
  }
  for (std::size_t t = 0; t < m; ++t) f(rows[t]);
}

class comprehension_kernel final : public cloned_kernel<comprehension_kernel> {
 public:
  comprehension_kernel(macro_kind macro, kernel_ptr range, const element_test& test)
      : cloned_kernel(macro == macro_kind::all || macro == macro_kind::exists ||
                              macro == macro_kind::exists_one
                          ? lane_kind::boolean
                          : lane_kind::number),
        macro_(macro),
        range_(std::move(range)),
        test_(test) {}
  void set_limit(std::uint64_t limit) { limit_ = limit; }
  bool cap_count(std::uint32_t cap) noexcept override {
    if (macro_ != macro_kind::trailing) return false;
    cap_ = cap;
    return true;
  }
  KEYACCOUNT_INLINE_BODY void rows(std::size_t first, std::size_t count, const std::uint8_t* need,
                                   lane& out) const {
    range_->eval(first, count, need, out);
    // One loop per relation, so the element test is inlined rather than switched per element.
    const double bound = test_.bound;
    switch (test_.relation) {
      case element_test::op::less:
        return run(count, need, out, [bound](auto x) { return x < bound; });
      case element_test::op::less_equal:
        return run(count, need, out, [bound](auto x) { return x <= bound; });
      case element_test::op::greater:
        return run(count, need, out, [bound](auto x) { return x > bound; });
      case element_test::op::greater_equal:
        return run(count, need, out, [bound](auto x) { return x >= bound; });
    }
  }

 private:
  // trailing: each row's run of passing values at its end, counted up to cap_ (Cap when
  // not 0: the same cap known at compile time).
  template <std::uint32_t Cap, class Test>
  KEYACCOUNT_INLINE_BODY void trailing_rows(std::size_t count, lane& out, Test test) const {
    const std::uint32_t cap = Cap != 0 ? Cap : cap_;
    for_known_rows(count, out, [&](std::size_t i) {
      const double* xs = out.ptr[i];
      const std::uint32_t n = out.len[i];
      if (cap < n) {  // only whether the run reaches cap matters: a fixed, short loop
        const double* tail = xs + (n - cap);
        std::uint32_t run = 0;
        bool going = true;
        for (std::uint32_t j = cap; j-- > 0;) {
          going &= test(tail[j]);
          run += going;
        }
        out.num[i] = run;
        return;
      }
      std::uint32_t j = 0;
      while (j < n && test(xs[n - 1 - j])) ++j;
      out.num[i] = j;
    });
  }

  template <class Test>
  KEYACCOUNT_INLINE_BODY void run(std::size_t count, const std::uint8_t* need, lane& out,
                                  Test test) const {
    // Known: the series is, the row is needed, and it is within the budget. Two loops, so that
    // neither tests `need` per row.
    const std::uint32_t budget =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(limit_, UINT32_MAX));
    if (need == nullptr) {
      for (std::size_t i = 0; i < count; ++i)
        out.known[i] = static_cast<std::uint8_t>(out.known[i] & (out.len[i] <= budget));
    } else {
      for (std::size_t i = 0; i < count; ++i)
        out.known[i] = static_cast<std::uint8_t>(out.known[i] & (out.len[i] <= budget) & need[i]);
    }
    switch (macro_) {
      // Unknown rows' results are not read (for_known_rows may scan them too, their series
      // cut to nothing beyond the budget).
      case macro_kind::all:
        for_known_rows(count, out, [&](std::size_t i) {
          const std::uint32_t n = out.len[i] <= limit_ ? out.len[i] : 0;
          out.flag[i] = keyaccount::detail::all_pass(out.ptr[i], n, test);
        });
        return;
      case macro_kind::exists:
        for_known_rows(count, out, [&](std::size_t i) {
          const std::uint32_t n = out.len[i] <= limit_ ? out.len[i] : 0;
          out.flag[i] = keyaccount::detail::any_pass(out.ptr[i], n, test);
        });
        return;
      case macro_kind::trailing:
        switch (cap_) {  // the usual small caps ("3 consecutive months") as unrolled loops
          case 1:
            return trailing_rows<1>(count, out, test);
          case 2:
            return trailing_rows<2>(count, out, test);
          case 3:
            return trailing_rows<3>(count, out, test);
          case 4:
            return trailing_rows<4>(count, out, test);
          default:
            return trailing_rows<0>(count, out, test);
        }
      default:  // exists_one, count, longest_run
        for_known_rows(count, out, [&](std::size_t i) {
          const double* xs = out.ptr[i];
          const std::uint32_t n = out.len[i];
          std::int64_t matched = 0, run = 0, best = 0;
          for (std::uint32_t j = 0; j < n; ++j) {
            if (test(xs[j])) {
              ++matched;
              best = std::max(best, ++run);
            } else {
              run = 0;
            }
          }
          if (macro_ == macro_kind::exists_one)
            out.flag[i] = matched == 1;
          else
            out.num[i] = static_cast<double>(macro_ == macro_kind::count ? matched : best);
        });
    }
  }

  macro_kind macro_;
  kernel_ptr range_;
  element_test test_;
  std::uint64_t limit_ = 0;
  std::uint32_t cap_ = UINT32_MAX;  // trailing: count no further (see vector_kernel::cap_count)
};

void vector_builder::finish() {
  const std::uint64_t share =
      comprehensions_.empty() ? 0 : max_iterations_ / comprehensions_.size();
  for (auto* k : comprehensions_) k->set_limit(share);
}

kernel_ptr vector_constant(const value& v) { return broadcast(v); }

kernel_ptr vector_variable(const vector_builder& b, std::uint32_t slot) {
  if (slot >= b.columns().size()) return nullptr;
  const auto& e = b.columns().at(slot);
  if (e.what == column_bindings::entry::kind::scalar) return broadcast(e.scalar);
  if (e.what != column_bindings::entry::kind::column) return nullptr;
  const column_view& c = e.column;
  switch (c.what) {
    case column_layout::float64:
      return std::make_unique<float_column>(static_cast<const double*>(c.data));
    case column_layout::int64:
      return std::make_unique<int_column>(static_cast<const std::int64_t*>(c.data));
    case column_layout::boolean:
      return std::make_unique<bool_column>(static_cast<const std::uint8_t*>(c.data));
    case column_layout::date_days:
      return std::make_unique<date_column>(static_cast<const std::int32_t*>(c.data),
                                           c.missing_date);
    case column_layout::codes:
      if (c.categories == nullptr) return nullptr;
      return std::make_unique<code_column>(static_cast<const std::int32_t*>(c.data), c.categories);
    case column_layout::double_rows:
      return std::make_unique<rows_column>(c);
  }
  return nullptr;
}

// `count OP c` with a constant c: whether count ≥ cap, for the smallest such cap, decides it.
std::optional<std::uint32_t> decisive_cap(int relation, double c) {
  if (!(c >= 0 && c < 4e9)) return std::nullopt;
  if (relation == 3) return static_cast<std::uint32_t>(std::ceil(c));       // count >= c
  if (relation == 2) return static_cast<std::uint32_t>(std::floor(c)) + 1;  // count > c
  return std::nullopt;
}

kernel_ptr vector_relation(int relation, kernel_ptr a, kernel_ptr b) {
  if (!a || !b || a->kind() != b->kind()) return nullptr;  // mixed kinds: left to the row path
  // `x OP c` or `c OP x` with a constant number c: taken as `x OP c`, OP mirrored for the second.
  constexpr int mirrored[] = {2, 3, 0, 1, 4, 5};
  kernel_ptr* x = nullptr;
  const double* c = b->constant_number();
  int op = relation;
  if (c != nullptr) {
    x = &a;
  } else if ((c = a->constant_number()) != nullptr) {
    x = &b;
    op = mirrored[relation];
  }
  if (x != nullptr) {
    // `trailing(x, p) >= 3`: counting beyond 3 changes nothing.
    if (auto cap = decisive_cap(op, *c)) (*x)->cap_count(*cap);
    if (kernel_ptr k = (*x)->compared_with(op, *c)) return k;
    // Compared with the constant directly rather than with a lane of copies.
    return std::make_unique<number_constant_relation_kernel>(op, std::move(*x), *c);
  }
  switch (a->kind()) {
    case lane_kind::number:
    case lane_kind::date:
      return std::make_unique<relation_kernel>(relation, std::move(a), std::move(b));
    case lane_kind::boolean:
      if (relation < 4) return nullptr;  // bools are ordered in CEL too, but rarely compared
      return std::make_unique<relation_kernel>(relation, std::move(a), std::move(b));
    case lane_kind::text:
      if (relation < 4) return nullptr;  // string ordering: left to the row path
      // Compared as strings (a dictionary may hold one string under two codes).
      return std::make_unique<text_equality_kernel>(relation == 4, std::move(a), std::move(b));
    case lane_kind::series:
      break;
  }
  return nullptr;
}

kernel_ptr vector_logic(bool is_and, kernel_ptr a, kernel_ptr b) {
  if (!a || !b || a->kind() != lane_kind::boolean || b->kind() != lane_kind::boolean)
    return nullptr;
  return std::make_unique<logic_kernel>(is_and, std::move(a), std::move(b));
}

kernel_ptr vector_not(kernel_ptr a) {
  if (!a || a->kind() != lane_kind::boolean) return nullptr;
  return std::make_unique<not_kernel>(std::move(a));
}

kernel_ptr vector_in(kernel_ptr x, const value& list) {
  if (!x || !list.is_list()) return nullptr;
  const list_view l = list.as_list();
  if (x->kind() == lane_kind::text) {
    const auto& texts = *x->texts();
    std::vector<std::uint8_t> member(std::max<std::size_t>(texts.size(), 1), 0);  // [0] always
    for (std::size_t c = 0; c < texts.size(); ++c) {
      const value s = value::borrowed_string(texts[c]);
      for (std::size_t i = 0; i < l.size() && !member[c]; ++i) member[c] = equals(l[i], s);
    }
    return std::make_unique<text_in_kernel>(std::move(x), std::move(member));
  }
  if (x->kind() == lane_kind::number) {
    std::vector<double> numbers;
    for (std::size_t i = 0; i < l.size(); ++i) {
      const value e = l[i];
      if (!e.is_int() && !e.is_double()) continue;  // other kinds never equal a number
      auto d = exact_number(e);
      if (!d) return nullptr;
      numbers.push_back(*d);
    }
    return std::make_unique<number_in_kernel>(std::move(x), std::move(numbers));
  }
  return nullptr;
}

kernel_ptr vector_size(kernel_ptr series) {
  if (!series || series->kind() != lane_kind::series) return nullptr;
  return std::make_unique<size_kernel>(std::move(series));
}

kernel_ptr vector_last(kernel_ptr series, const value& k) {
  if (!series || series->kind() != lane_kind::series || !k.is_int() || k.as_int() < 0)
    return nullptr;  // a negative count is an error: left to the row path
  return std::make_unique<last_kernel>(std::move(series), static_cast<std::uint64_t>(k.as_int()));
}

kernel_ptr vector_months_between(kernel_ptr from, kernel_ptr to) {
  if (!from || !to || from->kind() != lane_kind::date || to->kind() != lane_kind::date)
    return nullptr;
  return std::make_unique<months_between_kernel>(std::move(from), std::move(to));
}

kernel_ptr vector_comprehension(vector_builder& b, macro_kind macro, kernel_ptr range,
                                const element_test& test) {
  if (!range || range->kind() != lane_kind::series) return nullptr;
  switch (macro) {
    case macro_kind::all:
    case macro_kind::exists:
    case macro_kind::exists_one:
    case macro_kind::count:
    case macro_kind::longest_run:
    case macro_kind::trailing:
      break;
    default:
      return nullptr;
  }
  auto k = std::make_unique<comprehension_kernel>(macro, std::move(range), test);
  b.add_comprehension(k.get());
  return k;
}

}  // namespace keyaccount::expr::detail
