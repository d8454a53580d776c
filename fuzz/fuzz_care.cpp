// Fuzz target: the care inputs (accounts, people, complaints, visit plan, order lines, stock,
// customers and supply) and what is computed from them (plan, compliance, complaint
// escalations, executive visits by plan, allocation, the supply watch), with the default
// policy. Input: sections, each opened by a line "#accounts", "#people", "#complaints",
// "#visits", "#orders", "#stock", "#customers", "#supply", "#per_product" (present: the supply
// watch compares per product, the customer's `category` naming it) or "#on" (the day,
// YYYY-MM-DD); a record section is JSON Lines (or one JSON array) when it starts with '{' or
// '[', otherwise CSV with a header; "#people" is the JSON of a people file. Records are read
// and refused the way the CLI reads them.
// Invariants: nothing throws but the documented refusals (std::invalid_argument and its
// subclasses, nlohmann::json::exception from a record's JSON, io::read_error); allocation
// never gives a line more than it ordered, never less than nothing, and never more of a
// product/spec than its stock, and the stock summary adds up; a planned visit or briefing in
// the plan stands for a visit of the plan not yet done, on its day, by its executive, and a
// `visit_not_done` finding for a visit whose day has passed; the supply watch projects each
// product over the horizon with the demand its watched customers add up to, never counts
// supply that is not in the stock file by the month's end, calls a month short exactly when
// its cumulative demand exceeds that supply, and sends one notice per short product, for its
// first short month, due before it begins and not before the day, naming its customers.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/calendar.hpp"
#include "keyaccount/care/complaints.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/care/supply.hpp"
#include "keyaccount/care/visits.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/io/customers.hpp"
#include "keyaccount/io/records.hpp"
#include "keyaccount/json/parse.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/loader.hpp"

namespace care = keyaccount::care;

namespace {

std::map<std::string, std::string> sections_of(std::string_view text) {
  std::map<std::string, std::string> out;
  std::string current = "accounts";
  std::size_t at = 0;
  while (at <= text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(at, end - at);
    if (!line.empty() && line[0] == '#') {
      current = std::string(line.substr(1));
      out[current];  // a section may be empty: "#per_product" is a flag
    } else {
      out[current].append(line).push_back('\n');
    }
    at = end + 1;
  }
  return out;
}

// Reads the records of one section, handing each to `add`; a record `add` refuses with a
// documented exception is skipped, as `--on-error skip` does.
template <class Add>
void each_record(const std::string& text, Add add) {
  if (text.empty()) return;
  keyaccount::io::read_options options;
  auto first = text.find_first_not_of(" \t\r\n");
  options.input = first != std::string::npos && (text[first] == '{' || text[first] == '[')
                      ? keyaccount::io::format::json
                      : keyaccount::io::format::csv;
  std::istringstream in(text);
  try {
    keyaccount::io::read_records(in, options, [&](keyaccount::io::record&& r) {
      if (!r.error.empty()) return true;
      try {
        add(r.value);
      } catch (const keyaccount::error&) {  // a documented refusal of the record
      } catch (const std::invalid_argument&) {
      } catch (const nlohmann::json::exception&) {
      }
      return true;
    });
  } catch (const keyaccount::io::read_error&) {
  }
}

void check_allocation(const std::vector<care::stock_item>& stock,
                      const std::vector<care::order_line>& lines,
                      const care::allocation_result& r) {
  FUZZ_REQUIRE(r.lines.size() == lines.size(), "one allocation per order line");
  std::map<std::pair<std::string, std::string>, std::int64_t> given, available;
  for (const auto& s : stock) available[{s.product, s.spec}] += s.quantity;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& a = r.lines[i];
    FUZZ_REQUIRE(a.line == lines[i].id, "allocations in the order of the lines");
    FUZZ_REQUIRE(a.ordered == lines[i].quantity, "line " + a.line + ": ordered");
    FUZZ_REQUIRE(a.allocated >= 0 && a.allocated <= a.ordered,
                 "line " + a.line + ": allocated " + std::to_string(a.allocated) + " of " +
                     std::to_string(a.ordered));
    given[{a.product, a.spec}] += a.allocated;
  }
  for (const auto& [key, amount] : given) {
    auto it = available.find(key);
    std::int64_t have = it == available.end() ? 0 : it->second;
    FUZZ_REQUIRE(amount <= have, key.first + "/" + key.second + ": allocated " +
                                     std::to_string(amount) + " of a stock of " +
                                     std::to_string(have));
  }
  for (const auto& s : r.stock) {
    FUZZ_REQUIRE(s.allocated >= 0 && s.allocated <= s.stock && s.remaining == s.stock - s.allocated,
                 s.product + "/" + s.spec + ": the stock summary adds up");
    FUZZ_REQUIRE(s.unmet >= 0, s.product + "/" + s.spec + ": unmet");
  }
}

bool is_by_plan(const keyaccount::policy& p, const std::string& activity) {
  const keyaccount::activity* a = p.find_activity(activity);
  return a && a->when.by_plan;
}

// Plan items of the visit plan (visit_plan_items) stand for a visit not done.
void check_visit_plan(const keyaccount::policy& p, const care::plan& plan,
                      const std::vector<care::planned_visit>& visits) {
  for (const auto& item : plan.items) {
    const bool visit = is_by_plan(p, item.activity);
    const std::string briefed = item.activity.ends_with(".briefing")
                                    ? item.activity.substr(0, item.activity.size() - 9)
                                    : std::string();
    const bool briefing = !briefed.empty() && is_by_plan(p, briefed);
    if (!visit && !briefing) continue;
    const int lead = briefing ? p.find_activity(briefed)->when.by_plan->briefing_lead_days : 0;
    const auto of = std::find_if(visits.begin(), visits.end(), [&](const care::planned_visit& v) {
      if (v.customer != item.customer || (v.done_on && *v.done_on <= plan.from)) return false;
      if (visit) return v.on == item.due && v.executive == item.person;
      return v.on >= plan.from && v.on == item.due.add_days(lead) &&
             !(v.briefed_on && *v.briefed_on <= plan.from);
    });
    FUZZ_REQUIRE(of != visits.end(), item.customer + " " + item.activity + " on " +
                                         item.due.to_string() + ": a visit of the plan not done");
    FUZZ_REQUIRE(item.due <= plan.to && item.overdue == (item.due < plan.from),
                 item.customer + " " + item.activity + ": due in the period or overdue");
  }
}

void check_visit_findings(const care::compliance_report& report,
                          const std::vector<care::planned_visit>& visits) {
  for (const auto& f : report.findings) {
    if (f.kind != care::finding_kind::visit_not_done) continue;
    const bool passed = std::any_of(visits.begin(), visits.end(), [&](const auto& v) {
      return v.customer == f.customer && v.on < report.as_of &&
             !(v.done_on && *v.done_on <= report.as_of);
    });
    FUZZ_REQUIRE(passed, f.customer + ": visit_not_done without a passed visit not done");
  }
}

// Equal, up to rounding (the watch adds in the same order, so it is exact today).
bool same(double a, double b) {
  return a == b || std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

void check_supply(const care::supply_report& r, const std::vector<care::supply_item>& stock,
                  const keyaccount::supply_watch_rule& w, keyaccount::date on) {
  const auto horizon = static_cast<std::size_t>(w.horizon_months);
  FUZZ_REQUIRE(r.horizon_months == w.horizon_months && r.per_product == !w.product_field.empty(),
               "the report's settings are the policy's");
  FUZZ_REQUIRE(horizon > 0 && r.months.size() % horizon == 0 && !r.months.empty(),
               "every product is projected over the horizon");
  for (const auto& d : r.customers) {
    FUZZ_REQUIRE(std::find(w.tiers.begin(), w.tiers.end(), d.tier) != w.tiers.end(),
                 d.customer + ": watched although " + d.tier);
    FUZZ_REQUIRE(std::isfinite(d.monthly) && d.monthly >= 0 &&
                     same(d.projected, d.monthly * w.horizon_months),
                 d.customer + ": a demand");
    FUZZ_REQUIRE(d.product.empty() != r.per_product, d.customer + ": its product");
  }
  // A number past the largest double would be written as null in the JSON report and as
  // "null" in a notice's words: the watch refuses such inputs instead.
  auto finite = [](double x) { return std::isfinite(x); };
  for (const auto& d : r.customers)
    FUZZ_REQUIRE(finite(d.projected), d.customer + ": a finite projection");
  for (const auto& m : r.months)
    FUZZ_REQUIRE(finite(m.demand) && finite(m.cumulative_demand) && finite(m.available) &&
                     finite(m.shortfall),
                 m.product + " " + m.month + ": finite numbers");
  const keyaccount::date first_month = on.add_days(1 - static_cast<int>(on.day())).add_months(1);
  std::set<std::string> short_products;
  for (std::size_t at = 0; at < r.months.size(); at += horizon) {
    const std::string& product = r.months[at].product;
    auto mine = [&](const std::string& x) { return !r.per_product || x == product; };
    double monthly = 0;
    std::set<std::string> buyers;
    for (const auto& d : r.customers)
      if (mine(d.product)) {
        monthly += d.monthly;
        if (d.monthly > 0) buyers.insert(d.customer);
      }
    double cumulative = 0, max_shortfall = 0;
    std::string first_short;
    for (std::size_t m = 0; m < horizon; ++m) {
      const auto& row = r.months[at + m];
      const keyaccount::date start = first_month.add_months(static_cast<std::int64_t>(m));
      const keyaccount::date end = start.add_months(1).add_days(-1);
      const std::string where = product + " " + row.month;
      FUZZ_REQUIRE(row.product == product && row.month == start.to_string().substr(0, 7),
                   where + ": the months after the day's, in order");
      cumulative += monthly;
      FUZZ_REQUIRE(same(row.demand, monthly) && same(row.cumulative_demand, cumulative),
                   where + ": the watched customers' demand");
      double available = 0;
      for (const auto& s : stock)
        if (mine(s.product) && (!s.arrives_on || *s.arrives_on <= end)) available += s.quantity;
      FUZZ_REQUIRE(same(row.available, available),
                   where + ": available " + std::to_string(row.available) +
                       ", the stock file holds " + std::to_string(available) +
                       " by the month's end");
      FUZZ_REQUIRE(
          row.shortfall >= 0 && (row.shortfall > 0) == (row.cumulative_demand > row.available),
          where + ": short exactly when demand exceeds supply");
      if (row.shortfall > 0 && first_short.empty()) first_short = row.month;
      max_shortfall = std::max(max_shortfall, row.shortfall);
    }
    const auto n = std::find_if(r.notices.begin(), r.notices.end(),
                                [&](const care::supply_notice& x) { return x.product == product; });
    FUZZ_REQUIRE((n != r.notices.end()) == !first_short.empty(),
                 product + ": a notice exactly when short");
    if (first_short.empty()) continue;
    FUZZ_REQUIRE(short_products.insert(product).second, product + ": one notice");
    const keyaccount::date starts = *keyaccount::date::parse(first_short + "-01");
    FUZZ_REQUIRE(n->month == first_short && n->shortfall == max_shortfall,
                 product + ": the notice names the first short month and the largest shortfall");
    FUZZ_REQUIRE(
        n->due >= on && n->due <= starts && n->late == (starts.add_days(-w.lead_days) < on),
        product + ": due " + n->due.to_string() + " before " + first_short);
    FUZZ_REQUIRE(std::set<std::string>(n->customers.begin(), n->customers.end()) == buyers &&
                     n->customers.size() == buyers.size(),
                 product + ": the notice names the customers with demand on it");
  }
  FUZZ_REQUIRE(r.notices.size() == short_products.size(), "no notice of a product not projected");
}

// The default policy with the supply watch per product, the customer's `category` naming it.
const keyaccount::policy& per_product_policy() {
  static const keyaccount::policy p = [] {
    keyaccount::policy q = keyaccount::default_policy();
    if (q.supply_watch) q.supply_watch->product_field = "category";
    return q;
  }();
  return p;
}

void run_supply_watch(std::map<std::string, std::string>& sections, keyaccount::date on) {
  static const keyaccount::classifier aggregate(keyaccount::default_policy());
  static const keyaccount::classifier per_product(per_product_policy());
  const keyaccount::classifier& c = sections.count("per_product") ? per_product : aggregate;
  std::vector<keyaccount::customer_record> customers;
  const std::string& text = sections["customers"];
  if (!text.empty()) {
    auto first = text.find_first_not_of(" \t\r\n");
    const bool json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
    std::istringstream in(text);
    try {
      keyaccount::io::read_customers(
          in, json ? keyaccount::io::format::json : keyaccount::io::format::csv, c.parser(),
          [&](keyaccount::io::customer_item&& item) {
            if (item.record) customers.push_back(std::move(*item.record));
            return true;
          });
    } catch (const keyaccount::io::read_error&) {
    } catch (const keyaccount::input_error&) {
    }
  }
  std::vector<care::supply_item> supply;
  each_record(sections["supply"], [&](const nlohmann::json& j) {
    care::supply_item s = care::supply_item_from_json(j);
    care::refuse_if_any(care::supply_item_problems(s));
    supply.push_back(std::move(s));
  });
  try {
    const auto r = care::supply_watch(c, customers, supply, on);
    check_supply(r, supply, *c.source_policy().supply_watch, on);
    (void)care::to_json(r);
    (void)care::to_csv(r);
  } catch (const care::supply_error& e) {
    FUZZ_REQUIRE(!e.problems().empty(), "a refusal says why");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const keyaccount::policy& p = keyaccount::default_policy();
  auto sections = sections_of(std::string_view(reinterpret_cast<const char*>(data), size));
  keyaccount::date on = fuzz::as_of();
  if (auto it = sections.find("on"); it != sections.end()) {
    auto text = it->second.substr(0, it->second.find('\n'));
    auto d = keyaccount::date::parse(text);
    if (d && d->year() >= 1900 && d->year() <= 9000) on = *d;
  }
  try {
    std::vector<keyaccount::org::person> people;
    if (auto it = sections.find("people"); it != sections.end()) {
      try {
        people = keyaccount::org::people_from_json(keyaccount::parse_json(it->second));
      } catch (const keyaccount::error&) {  // not JSON, or not people
      } catch (const std::invalid_argument&) {
      } catch (const nlohmann::json::exception&) {
      }
    }
    std::optional<keyaccount::org::directory> directory;
    try {
      directory.emplace(p.org, people);
    } catch (const keyaccount::org::input_error&) {
      directory.emplace(p.org, std::vector<keyaccount::org::person>{});
    }

    care::account_book book(p, on);
    each_record(sections["accounts"], [&](const nlohmann::json& j) { (void)book.add_record(j); });
    std::vector<care::account> accounts = book.take();

    // The visit plan, read as the CLI reads it: refused visits skipped, facts after the day
    // dropped.
    std::vector<care::planned_visit> visits;
    each_record(sections["visits"], [&](const nlohmann::json& j) {
      care::planned_visit v = care::planned_visit_from_json(j);
      care::refuse_if_any(care::visit_problems(p, accounts, *directory, v));
      if (v.done_on && *v.done_on > on) v.done_on.reset();
      if (v.briefed_on && *v.briefed_on > on) v.briefed_on.reset();
      visits.push_back(std::move(v));
    });

    std::vector<care::complaint> complaints;
    each_record(sections["complaints"], [&](const nlohmann::json& j) {
      care::complaint c = care::complaint_from_json(j);
      if (p.complaints) care::refuse_if_any(care::complaint_problems(*p.complaints, c));
      (void)care::drop_later_facts(c, on);
      if (care::known_on(c, on)) complaints.push_back(std::move(c));
    });

    care::festival_calendar calendar(p);
    try {
      auto plan = care::make_plan(p, calendar, accounts, *directory,
                                  {on, on.add_days(120), 500, nullptr, &visits});
      check_visit_plan(p, plan, visits);
      (void)care::to_json(plan);
      (void)care::to_csv(plan);
    } catch (const care::plan_error&) {
    }
    try {
      care::compliance_inputs inputs{&accounts, &complaints, nullptr, nullptr, &visits};
      auto report = care::check_compliance(p, calendar, inputs, *directory, on);
      check_visit_findings(report, visits);
      (void)care::to_json(report);
      (void)care::to_csv(report);
      if (p.complaints) {
        auto due = care::escalations_due(*p.complaints, complaints, *directory, on);
        (void)care::to_csv(due);
      }
    } catch (const keyaccount::error&) {  // a documented refusal of the inputs
    } catch (const std::invalid_argument&) {
    }

    std::vector<care::stock_item> stock;
    each_record(sections["stock"], [&](const nlohmann::json& j) {
      care::stock_item s = care::stock_item_from_json(j);
      care::refuse_if_any(care::stock_item_problems(s));
      stock.push_back(std::move(s));
    });
    std::vector<care::order_line> lines;
    each_record(sections["orders"], [&](const nlohmann::json& j) {
      care::order_line l = care::order_line_from_json(j);
      care::refuse_if_any(care::order_line_problems(p, l));
      lines.push_back(std::move(l));
    });
    for (auto mode :
         {keyaccount::allocation_mode::first_come, keyaccount::allocation_mode::pro_rata}) {
      care::allocation_options options;
      options.within_tier = mode;
      try {
        auto r = care::allocate(p, stock, lines, on, options);
        check_allocation(stock, lines, r);
        (void)care::to_json(r);
        (void)care::to_csv(r);
      } catch (const care::allocation_error&) {
      }
    }
    run_supply_watch(sections, on);
  } catch (const std::exception& e) {
    fuzz::violated("care inputs end in a result or a documented refusal", __FILE__, __LINE__,
                   e.what());
  }
  return 0;
}
