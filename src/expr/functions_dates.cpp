// Date extension: date(), months_between, days_between, add_days, add_months, year/month/day.
#include <chrono>

#include "functions.hpp"

namespace keyaccount::expr::detail {

namespace {

value out_of_range(const char* fn) {
  return value::error(std::string(fn) + "(): result is outside 0001-01-01..9999-12-31");
}

value make_date(const value* a, std::size_t n, const eval_context&) {
  if (n == 1 && a[0].is_date()) return a[0];
  if (n != 1 || !a[0].is_string()) return no_such_overload("date", a, n);
  auto d = date::parse(a[0].as_string());
  if (!d) return value::error("invalid date " + a[0].debug_string() + " (expected YYYY-MM-DD)");
  return value::from_date(*d);
}

bool two_dates(const value* a, std::size_t n) { return n == 2 && a[0].is_date() && a[1].is_date(); }

value months_between(const value* a, std::size_t n, const eval_context&) {
  if (!two_dates(a, n)) return no_such_overload("months_between", a, n);
  date from = a[0].as_date(), to = a[1].as_date();
  std::int64_t months = (std::int64_t{to.year()} - from.year()) * 12 + (to.month() - from.month());
  // Whole months: the last month counts only once its day of month is reached (the policy's
  // definition; it applies the same way when `to` is before `from`).
  if (to.day() < from.day()) --months;
  return value::int64(months);
}

value days_between(const value* a, std::size_t n, const eval_context&) {
  if (!two_dates(a, n)) return no_such_overload("days_between", a, n);
  return value::int64(std::int64_t{a[1].as_date().days_since_epoch()} -
                      a[0].as_date().days_since_epoch());
}

value add_days(const value* a, std::size_t n, const eval_context&) {
  if (n != 2 || !a[0].is_date() || !a[1].is_int()) return no_such_overload("add_days", a, n);
  std::int64_t days = std::int64_t{a[0].as_date().days_since_epoch()} + 0;
  std::int64_t delta = a[1].as_int();
  if (delta > 4'000'000 || delta < -4'000'000) return out_of_range("add_days");
  date d = date::from_days(static_cast<std::int32_t>(days + delta));
  if (!d.valid()) return out_of_range("add_days");
  return value::from_date(d);
}

value add_months(const value* a, std::size_t n, const eval_context&) {
  if (n != 2 || !a[0].is_date() || !a[1].is_int()) return no_such_overload("add_months", a, n);
  date d = a[0].as_date();
  std::int64_t delta = a[1].as_int();
  if (delta > 200'000 || delta < -200'000) return out_of_range("add_months");
  std::int64_t index = std::int64_t{d.year()} * 12 + (d.month() - 1) + delta;
  int year = static_cast<int>(index / 12);
  int month = static_cast<int>(index % 12) + 1;
  if (index < 0 || year < 1 || year > 9999) return out_of_range("add_months");
  // Clamp to the end of the target month: 2024-01-31 + 1 month = 2024-02-29.
  unsigned last_day = static_cast<unsigned>(std::chrono::year_month_day_last{
      std::chrono::year{year}, std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(
                                   month)}}}.day());
  int day = std::min(d.day(), static_cast<int>(last_day));
  auto result = date::from_ymd(year, month, day);
  if (!result) return out_of_range("add_months");
  return value::from_date(*result);
}

template <int Part>
value date_part(const value* a, std::size_t n, const eval_context&) {
  static constexpr const char* names[] = {"year", "month", "day"};
  if (n != 1 || !a[0].is_date()) return no_such_overload(names[Part], a, n);
  date d = a[0].as_date();
  return value::int64(Part == 0 ? d.year() : Part == 1 ? d.month() : d.day());
}

}  // namespace

void register_dates(function_registry& r) {
  auto& d = r.define("date", make_date);
  d.overloads.push_back(global({t_string()}, t_date()));
  d.overloads.push_back(global({t_date()}, t_date()));
  r.define("months_between", months_between)
      .overloads.push_back(global({t_date(), t_date()}, t_int()));
  r.define("days_between", days_between).overloads.push_back(global({t_date(), t_date()}, t_int()));
  r.define("add_days", add_days).overloads.push_back(member({t_date(), t_int()}, t_date()));
  r.define("add_months", add_months).overloads.push_back(member({t_date(), t_int()}, t_date()));
  r.define("year", date_part<0>).overloads.push_back(member({t_date()}, t_int()));
  r.define("month", date_part<1>).overloads.push_back(member({t_date()}, t_int()));
  r.define("day", date_part<2>).overloads.push_back(member({t_date()}, t_int()));
}

}  // namespace keyaccount::expr::detail
