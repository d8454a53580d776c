#include "keyaccount/care/supply.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "classify/detail/classifier_internals.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/expr/compiler.hpp"
#include "keyaccount/policy/expressions.hpp"

namespace keyaccount::care {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

// Quantities in words are rounded to one decimal, a whole number without its ".0" ("60",
// "1907.1"); the report's numbers stay exact.
std::string amount(double v) {
  // JSON writes a non-finite number as null: spelled as CEL's string() spells it instead.
  if (!std::isfinite(v)) return std::isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  const double tenths = std::round(v * 10) / 10;  // not finite past 1.8e307: v itself then
  std::string s = nlohmann::json(std::isfinite(tenths) ? tenths : v).dump();
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string month_text(date first) { return first.to_string().substr(0, 7); }

// The peak-season period (Art. 7.3) any day of the month starting on `first` lies in.
std::optional<std::string> peak_in_month(const policy& p, date first) {
  if (!p.peak_season) return std::nullopt;
  for (date d = first; d < first.add_months(1); d = d.add_days(1))
    if (auto period = peak_period_on(*p.peak_season, d)) return period;
  return std::nullopt;
}

std::string text_field(const classifier& c, const customer_record& r, std::string_view id) {
  const auto slot = c.parser().slot_of(id);
  const expr::value* v = slot ? r.get(*slot) : nullptr;
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

supply_error::supply_error(std::vector<std::string> problems)
    // The one list of problems not titled and on one line, as `keyaccount supply` has always worded
    // it.
    : error(error_kind::supply, join(problems, "; "), problems) {}

std::vector<std::string> supply_item_problems(const supply_item& s) {
  std::vector<std::string> problems;
  if (s.product.empty()) problems.push_back("product: empty");
  if (!std::isfinite(s.quantity)) problems.push_back("quantity: not a finite number");
  if (s.quantity < 0) problems.push_back("quantity: negative");
  return problems;
}

supply_report supply_watch(const classifier& c, const std::vector<customer_record>& customers,
                           const std::vector<supply_item>& stock, date as_of) {
  const policy& p = c.source_policy();
  if (!p.supply_watch)
    throw supply_error({"the policy has no `supply_watch` section (Art. 7.1-7.2)"});
  const supply_watch_rule& w = *p.supply_watch;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < stock.size(); ++i)
    for (const auto& problem : supply_item_problems(stock[i]))
      problems.push_back("stock[" + std::to_string(i) + "]." + problem);

  // The validator checked the rule with these declarations; a policy built in code may not
  // have been validated, so a rule that does not compile is refused here too.
  const auto compiled = expr::compile(w.demand, customer_declarations(p));
  if (!compiled.program) {
    std::string why = compiled.diagnostics.empty() ? "" : compiled.diagnostics.front().message;
    throw supply_error({"supply_watch.demand: does not compile: " + why});
  }

  supply_report r;
  r.as_of = as_of;
  r.article = w.article;
  r.unit = w.unit;
  r.per_product = !w.product_field.empty();
  r.horizon_months = w.horizon_months;

  auto vars = detail::make_activation(c);
  std::set<std::string> seen;  // a customer given twice would be projected twice
  for (const auto& record : customers) {
    if (!seen.insert(record.id()).second) {
      problems.push_back("customer " + record.id() + ": given twice");
      continue;
    }
    std::string tier;
    try {
      tier = std::string(c.tier_id(c.classify(record, as_of)));
    } catch (const input_error& e) {  // its data contradict the day
      problems.push_back("customer " + record.id() + ": " + e.what());
      continue;
    }
    if (std::find(w.tiers.begin(), w.tiers.end(), tier) == w.tiers.end()) continue;
    const std::string where = "customer " + record.id();
    detail::bind(c, record, as_of, vars);
    const expr::value v = compiled.program->evaluate(vars);
    double monthly = 0;
    if (v.is_error()) {
      problems.push_back(where + ": demand rule (" + w.article +
                         "): " + std::string(v.error_message()));
      continue;
    }
    if (v.is_double()) {
      monthly = v.as_double();
    } else if (v.is_int()) {
      monthly = static_cast<double>(v.as_int());
    } else {
      problems.push_back(where + ": demand rule (" + w.article + "): not a number");
      continue;
    }
    if (!std::isfinite(monthly) || monthly < 0) {
      problems.push_back(where + ": demand rule (" + w.article + ") gives " + amount(monthly) +
                         ", not a demand (a finite number, 0 or more)");
      continue;
    }
    // Past the largest double the JSON report would write the projection as null.
    if (!std::isfinite(monthly * w.horizon_months)) {
      problems.push_back(where + ": demand rule (" + w.article + ") gives " + amount(monthly) +
                         " a month, past the largest number a report can hold over " +
                         std::to_string(w.horizon_months) + " months");
      continue;
    }
    customer_demand d;
    d.customer = record.id();
    d.name = text_field(c, record, "name");
    d.tier = tier;
    if (r.per_product) {
      d.product = text_field(c, record, w.product_field);
      if (d.product.empty()) {
        problems.push_back(where + ": " + w.product_field +
                           ": empty (the product its demand is for, Art. 7.1)");
        continue;
      }
    }
    d.monthly = monthly;
    d.projected = monthly * w.horizon_months;
    r.customers.push_back(std::move(d));
  }
  if (!problems.empty()) throw supply_error(std::move(problems));
  std::sort(r.customers.begin(), r.customers.end(),
            [](const auto& a, const auto& b) { return a.customer < b.customer; });

  // Products compared: every product with demand or stock (aggregate: one, named "").
  std::set<std::string> products;
  for (const auto& d : r.customers) products.insert(d.product);
  for (const auto& s : stock) products.insert(r.per_product ? s.product : std::string());
  if (products.empty()) products.insert("");

  const date first_month = as_of.add_days(1 - static_cast<int>(as_of.day())).add_months(1);
  const std::string* position_name = nullptr;
  if (const position* to = p.find_position(w.notify)) position_name = &to->name.en;

  for (const auto& product : products) {
    auto mine = [&](const std::string& x) { return !r.per_product || x == product; };
    double monthly = 0;
    std::vector<const customer_demand*> buyers;
    for (const auto& d : r.customers)
      if (mine(d.product)) {
        monthly += d.monthly;
        if (d.monthly > 0) buyers.push_back(&d);
      }
    std::stable_sort(buyers.begin(), buyers.end(),
                     [](const auto* a, const auto* b) { return a->monthly > b->monthly; });
    double cumulative = 0;
    std::optional<std::size_t> first_short;
    supply_notice n;
    for (int m = 0; m < w.horizon_months; ++m) {
      const date start = first_month.add_months(m);
      const date end = start.add_months(1).add_days(-1);
      supply_month row;
      row.product = product;
      row.month = month_text(start);
      if (auto period = peak_in_month(p, start)) {
        row.peak_season = true;
        row.period = *period;
      }
      row.demand = monthly;
      cumulative += monthly;
      row.cumulative_demand = cumulative;
      for (const auto& s : stock)
        if (mine(s.product) && (!s.arrives_on || *s.arrives_on <= end)) row.available += s.quantity;
      // Finite inputs can still add up past the largest double, which the JSON report would
      // write as null and a notice as "null": refused, naming the month.
      if (!std::isfinite(cumulative) || !std::isfinite(row.available))
        throw supply_error({(product.empty() ? std::string("all products") : "product " + product) +
                            ", " + row.month + ": the " +
                            (std::isfinite(cumulative) ? "supply" : "cumulative demand") +
                            " adds up past the largest number a report can hold (about 1.8e308)"});
      row.shortfall = std::max(0.0, cumulative - row.available);
      if (row.shortfall > 0) {
        if (!first_short) first_short = r.months.size();
        n.shortfall = std::max(n.shortfall, row.shortfall);
        if (row.peak_season) n.peak_months.push_back(row.month);
      }
      r.months.push_back(std::move(row));
    }
    if (!first_short) continue;
    const supply_month& short_month = r.months[*first_short];
    const date starts = *date::parse(short_month.month + "-01");
    n.product = product;
    n.month = short_month.month;
    n.due = starts.add_days(-w.lead_days);
    if (n.due < as_of) {
      n.due = as_of;
      n.late = true;
    }
    for (const auto* b : buyers) n.customers.push_back(b->customer);
    n.to = w.notify;
    n.to_name = position_name ? *position_name : std::string();
    n.from = w.watcher;
    n.article = w.notice_article;
    const std::string unit = w.unit.empty() ? "" : " " + w.unit;
    n.message =
        "projected shortfall of " + amount(n.shortfall) + unit +
        (product.empty() ? "" : " of " + product) + " from " + n.month + " for " +
        std::to_string(n.customers.size()) + " " + join(w.tiers, "/") + " customer(s): notify " +
        w.notify + " to plan supply by " + n.due.to_string() +
        (n.late ? " (less than " + std::to_string(w.lead_days) + " days' notice left)" : "") +
        (n.peak_months.empty() ? "" : "; peak season (art-7.3) in the short months") + " (" +
        w.notice_article + ")";
    r.notices.push_back(std::move(n));
  }
  return r;
}

}  // namespace keyaccount::care
