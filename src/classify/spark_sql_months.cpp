#include "classify/spark_sql_months.hpp"

namespace keyaccount::detail {
namespace {

// Up to this many months are read one by one (try_element_at), each a few bytes of generated
// code; a longer run takes a slice and its least or greatest month.
constexpr std::int64_t unrolled = 4;

std::string newest(const std::string& series, std::int64_t i) {  // NULL past the oldest
  return "try_element_at(" + series + ", -" + std::to_string(i) + ")";
}

std::string passes(const sql_month_test& t, const std::string& month) {
  return month + " " + t.op + " " + t.bound;
}

// The month that decides `all` (the least for > and >=) or `exists` (the greatest).
std::string deciding(const sql_month_test& t, bool all, const std::string& list) {
  const bool above = t.op[0] == '>';
  return (above == all ? "array_min(" : "array_max(") + list + ")";
}

std::string newest_k(const std::string& series, const std::string& size, std::int64_t k) {
  const std::string ks = std::to_string(k);
  return "slice(" + series + ", greatest(" + size + " - " + ks + " + 1, 1), " + ks + ")";
}

}  // namespace

std::string sql_months::sql() const {
  if (!take) return series;
  return newest_k(series, "size(" + series + ")", *take);
}

std::string sql_months::size() const {
  if (!take) return "size(" + series + ")";
  return "least(size(" + series + "), " + std::to_string(*take) + ")";
}

std::string all_months(const sql_months& months, const sql_month_test& test) {
  if (months.take && *months.take <= unrolled) {
    if (*months.take <= 0) return "TRUE";
    // A month past the oldest (NULL) does not count: `.last(k)` of a shorter series is all.
    std::string out = "(";
    for (std::int64_t i = 1; i <= *months.take; ++i)
      out += (i > 1 ? " AND " : "") +
             ("coalesce(" + passes(test, newest(months.series, i)) + ", TRUE)");
    return out + ")";
  }
  return "(" + months.size() + " = 0 OR " + passes(test, deciding(test, true, months.sql())) + ")";
}

std::string any_month(const sql_months& months, const sql_month_test& test) {
  if (months.take && *months.take <= unrolled) {
    if (*months.take <= 0) return "FALSE";
    std::string out = "(";
    for (std::int64_t i = 1; i <= *months.take; ++i)
      out += (i > 1 ? " OR " : "") +
             ("coalesce(" + passes(test, newest(months.series, i)) + ", FALSE)");
    return out + ")";
  }
  return "(" + months.size() + " > 0 AND " + passes(test, deciding(test, false, months.sql())) +
         ")";
}

std::string trailing_at_least(const sql_months& months, const sql_month_test& test,
                              std::int64_t k) {
  if (k <= 0) return "TRUE";
  // With at least k months, the newest k of `months` are the newest k of the series.
  std::string out = "(" + months.size() + " >= " + std::to_string(k) + " AND ";
  if (k <= unrolled) {
    for (std::int64_t i = 1; i <= k; ++i)
      out += (i > 1 ? " AND " : "") + passes(test, newest(months.series, i));
    return out + ")";
  }
  const std::string last = newest_k(months.series, "size(" + months.series + ")", k);
  return out + passes(test, deciding(test, true, last)) + ")";
}

}  // namespace keyaccount::detail
