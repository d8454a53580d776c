// Art. 7.1–7.2: the demand and supply watch (care/supply.hpp): the policy section and its
// checks, the demand rule (mean of the last 3 months, growth-adjusted), the comparison with
// stock and incoming supply in aggregate and per product, the notices to Sales before a
// shortage, peak-season months (Art. 7.3) flagged, located errors, and `keyaccount supply`.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/supply.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/policy/summary.hpp"

using namespace keyaccount;
using namespace keyaccount::care;

namespace {

using strings = std::vector<std::string>;
using nlohmann::json;

date day(const char* text) { return *date::parse(text); }

// A customer of the default schema: key (large enterprise, shipping every month, above the
// cumulative amount) unless told otherwise.
json customer(const std::string& id, std::vector<double> months,
              const char* category = "large_enterprise", double cumulative = 900) {
  return {{"id", id},
          {"name", "Customer " + id},
          {"category", category},
          {"first_order", "2020-01-15"},
          {"monthly_shipments", months},
          {"cumulative_amount", cumulative}};
}

std::vector<customer_record> records(const classifier& c, const std::vector<json>& js) {
  std::vector<customer_record> out;
  for (const auto& j : js) out.push_back(c.parser().from_json(j));
  return out;
}

policy changed(const std::function<void(json&)>& change) {
  auto doc = json::parse(default_policy_text());
  change(doc);
  auto r = load_policy(doc.dump());
  if (!r.ok()) {
    std::string all;
    for (const auto& d : r.diagnostics) all += d.code + ": " + d.message + "\n";
    throw std::runtime_error(all);
  }
  return *r.value;
}

std::vector<diagnostic> diagnostics_with(const std::function<void(json&)>& change) {
  auto doc = json::parse(default_policy_text());
  change(doc);
  return load_policy(doc.dump()).diagnostics;
}

bool has(const std::vector<diagnostic>& ds, const std::string& code, const std::string& pointer) {
  for (const auto& d : ds)
    if (d.code == code && d.pointer == pointer) return true;
  return false;
}

supply_item on_hand(const char* product, double q) { return {product, "", q, std::nullopt}; }
supply_item arriving(const char* product, double q, const char* on) {
  return {product, "", q, day(on)};
}

// Each month as "product month demand/cumulative/available/shortfall[ peak]".
strings months_of(const supply_report& r) {
  strings out;
  auto n = [](double d) { return json(d).dump(); };
  for (const auto& m : r.months)
    out.push_back((m.product.empty() ? "*" : m.product) + " " + m.month + " " + n(m.demand) + "/" +
                  n(m.cumulative_demand) + "/" + n(m.available) + "/" + n(m.shortfall) +
                  (m.peak_season ? " peak" : ""));
  return out;
}

std::string problem_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(supply)

BOOST_AUTO_TEST_CASE(art_7_1_the_default_policy_watches_key_customers_and_describe_says_so) {
  const policy& p = default_policy();
  BOOST_TEST_REQUIRE(p.supply_watch.has_value());
  BOOST_TEST(p.supply_watch->article == "art-7.1");
  BOOST_TEST(p.supply_watch->notice_article == "art-7.2");
  BOOST_TEST(p.supply_watch->tiers == strings{"key"});
  BOOST_TEST(p.supply_watch->notify == "sales_staff");
  BOOST_TEST(p.supply_watch->watcher == "cr_specialist");
  BOOST_TEST(p.supply_watch->horizon_months == 3);
  BOOST_TEST(p.supply_watch->product_field.empty());
  const auto text = summarize(p);
  BOOST_TEST(text.find("Demand and supply watch [art-7.1, art-7.2]:\n  every key customer's "
                       "monthly demand = monthly_shipments.size() == 0") != std::string::npos,
             text);
  BOOST_TEST(text.find("projected 3 months ahead, compared with stock and incoming supply in "
                       "aggregate; a shortfall is notified by cr_specialist to sales_staff 14 "
                       "days before the short month") != std::string::npos,
             text);
}

BOOST_AUTO_TEST_CASE(art_7_1_demand_is_the_mean_of_the_last_3_months_growth_adjusted) {
  const classifier c(default_policy());
  const auto r =
      supply_watch(c,
                   records(c, {customer("FLAT", {30, 30, 30, 30, 30, 30}),
                               // last 3 sum 60 against the 3 before 30: growth 2, so 2 × 20.
                               customer("GROW", {10, 10, 10, 20, 20, 20}),
                               // growth 0.25 is held at 0.5: 0.5 × 10.
                               customer("FALL", {40, 40, 40, 10, 10, 10}),
                               // growth 3 is held at 2: 2 × 30.
                               customer("JUMP", {10, 10, 10, 30, 30, 30}),
                               // fewer than 6 months: the plain mean of the last 3.
                               customer("NEW", {5, 10, 20, 30}),
                               // not a key customer: not watched.
                               customer("REG", {100, 100, 100, 100, 100, 100}, "other")}),
                   {on_hand("cable", 10000)}, day("2026-06-10"));
  strings got;
  for (const auto& d : r.customers)
    got.push_back(d.customer + " " + d.tier + " " + json(d.monthly).dump() + " " +
                  json(d.projected).dump());
  BOOST_TEST(got == (strings{"FALL key 5.0 15.0", "FLAT key 30.0 90.0", "GROW key 40.0 120.0",
                             "JUMP key 60.0 180.0", "NEW key 20.0 60.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_7_2_a_notice_to_sales_before_the_shortage_with_customers_and_shortfall) {
  const classifier c(default_policy());
  // 30 + 40 = 70 a month; 100 on hand, 50 arriving in August: short in September by 60.
  const auto r = supply_watch(
      c,
      records(c,
              {customer("C1", {30, 30, 30, 30, 30, 30}), customer("C2", {40, 40, 40, 40, 40, 40})}),
      {on_hand("cable", 60), on_hand("switch", 40), arriving("cable", 50, "2026-08-15"),
       arriving("cable", 500, "2026-10-01")},  // after the horizon's last month: not counted
      day("2026-06-10"));
  BOOST_TEST(!r.per_product);
  BOOST_TEST(
      months_of(r) == (strings{"* 2026-07 70.0/70.0/100.0/0.0", "* 2026-08 70.0/140.0/150.0/0.0",
                               "* 2026-09 70.0/210.0/150.0/60.0"}),
      boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(r.notices.size() == 1u);
  const auto& n = r.notices[0];
  BOOST_TEST(n.month == "2026-09");
  BOOST_TEST(n.due.to_string() == "2026-08-18");  // 14 days before 09-01: ahead of the shortage
  BOOST_TEST(!n.late);
  BOOST_TEST(n.shortfall == 60.0);
  BOOST_TEST(n.customers == (strings{"C2", "C1"}), boost::test_tools::per_element());  // most first
  BOOST_TEST(n.to == "sales_staff");
  BOOST_TEST(n.to_name == "Other relevant staff");
  BOOST_TEST(n.from == "cr_specialist");
  BOOST_TEST(n.article == "art-7.2");
  BOOST_TEST(n.message ==
             "projected shortfall of 60 万元 from 2026-09 for 2 key customer(s): notify "
             "sales_staff to plan supply by 2026-08-18 (art-7.2)");
  // Enough stock: no notice at all.
  const auto enough = supply_watch(c, records(c, {customer("C1", {30, 30, 30, 30, 30, 30})}),
                                   {on_hand("cable", 90)}, day("2026-06-10"));
  BOOST_TEST(enough.notices.empty());
  BOOST_TEST(enough.months.back().shortfall == 0.0);
}

BOOST_AUTO_TEST_CASE(art_7_3_peak_season_months_are_flagged_and_a_late_notice_says_so) {
  const classifier c(default_policy());
  const auto recs = records(c, {customer("C1", {30, 30, 30, 30, 30, 30})});
  // From 10-25: November, December and January are all in the 11-01..01-31 peak season; short
  // in November already, so the notice's lead time (10-18) has passed: due on the day, late.
  const auto r = supply_watch(c, recs, {on_hand("cable", 20)}, day("2026-10-25"));
  BOOST_TEST(months_of(r) == (strings{"* 2026-11 30.0/30.0/20.0/10.0 peak",
                                      "* 2026-12 30.0/60.0/20.0/40.0 peak",
                                      "* 2027-01 30.0/90.0/20.0/70.0 peak"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.months[0].period == "11-01..01-31");
  BOOST_TEST_REQUIRE(r.notices.size() == 1u);
  BOOST_TEST(r.notices[0].due.to_string() == "2026-10-25");
  BOOST_TEST(r.notices[0].late);
  BOOST_TEST(r.notices[0].shortfall == 70.0);
  BOOST_TEST(r.notices[0].peak_months == (strings{"2026-11", "2026-12", "2027-01"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.notices[0].message.find("peak season (art-7.3)") != std::string::npos);
  // From 02-10: March, April, May are not; June (06-01..06-30) is, in a watch from 03-05.
  const auto spring = supply_watch(c, recs, {on_hand("cable", 1000)}, day("2026-02-10"));
  for (const auto& m : spring.months) BOOST_TEST(!m.peak_season, m.month);
  const auto june = supply_watch(c, recs, {on_hand("cable", 1000)}, day("2026-03-05"));
  BOOST_TEST(months_of(june).back() == "* 2026-06 30.0/90.0/1000.0/0.0 peak");
}

BOOST_AUTO_TEST_CASE(art_7_1_per_product_when_the_policy_names_the_customers_product) {
  const policy p = changed([](json& doc) {
    doc["customer_schema"]["fields"].push_back(
        {{"id", "product"}, {"type", "string"}, {"required", false}, {"name", "Main product"}});
    doc["supply_watch"]["product_field"] = "product";
  });
  const classifier c(p);
  auto c1 = customer("C1", {30, 30, 30, 30, 30, 30});
  c1["product"] = "cable";
  auto c2 = customer("C2", {10, 10, 10, 10, 10, 10});
  c2["product"] = "switch";
  const auto r = supply_watch(c, records(c, {c1, c2}),
                              {on_hand("cable", 500),
                               {"switch", "16A", 12, std::nullopt},
                               {"switch", "32A", 3, std::nullopt}},
                              day("2026-06-10"));
  BOOST_TEST(r.per_product);
  BOOST_TEST(
      months_of(r) ==
          (strings{"cable 2026-07 30.0/30.0/500.0/0.0", "cable 2026-08 30.0/60.0/500.0/0.0",
                   "cable 2026-09 30.0/90.0/500.0/0.0", "switch 2026-07 10.0/10.0/15.0/0.0",
                   "switch 2026-08 10.0/20.0/15.0/5.0", "switch 2026-09 10.0/30.0/15.0/15.0"}),
      boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(r.notices.size() == 1u);
  BOOST_TEST(r.notices[0].product == "switch");
  BOOST_TEST(r.notices[0].customers == strings{"C2"});
  BOOST_TEST(r.notices[0].due.to_string() == "2026-07-18");
  // A watched customer without its product cannot be compared: refused, naming it.
  auto c3 = customer("C3", {10, 10, 10, 10, 10, 10});
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(c, records(c, {c1, c3}), {}, day("2026-06-10"));
             }) == "customer C3: product: empty (the product its demand is for, Art. 7.1)");
}

BOOST_AUTO_TEST_CASE(art_7_1_a_demand_rule_that_fails_is_refused_naming_the_customer) {
  const policy p = changed([](json& doc) {
    doc["supply_watch"]["tiers"] = {"key", "regular"};
    doc["supply_watch"]["demand"] = "monthly_shipments.mean() - 50.0";
  });
  const classifier c(p);
  // R1: an empty series has no mean; K1: 30 - 50 is not a demand.
  const std::string got = problem_of([&] {
    (void)supply_watch(c, records(c, {customer("R1", {}, "other"), customer("K1", {30, 30, 30})}),
                       {}, day("2026-06-10"));
  });
  BOOST_TEST(got.find("customer R1: demand rule (art-7.1): ") == 0, got);
  BOOST_TEST(
      got.find("; customer K1: demand rule (art-7.1) gives -20, not a demand") != std::string::npos,
      got);
  // A customer given twice would be projected twice: refused.
  const classifier k(default_policy());
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(k,
                                  records(k, {customer("C1", {30, 30, 30, 30, 30, 30}),
                                              customer("C1", {30, 30, 30, 30, 30, 30})}),
                                  {}, day("2026-06-10"));
             }) == "customer C1: given twice");
  // A stock line with a negative quantity is refused at its index.
  const classifier d(default_policy());
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(d, {}, {on_hand("cable", -1)}, day("2026-06-10"));
             }) == "stock[0].quantity: negative");
  // A policy without the section.
  policy none = default_policy();
  none.supply_watch.reset();
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(classifier(none), {}, {}, day("2026-06-10"));
             }).find("no `supply_watch` section") != std::string::npos);
}

// Found by the care fuzz target (tests/data/fuzz-regressions/care/supply-*): inputs each finite
// can add up past the largest double, which the JSON report wrote as null and a notice as
// "projected shortfall of null". Refused instead, naming the customer or the month.
BOOST_AUTO_TEST_CASE(art_7_1_sums_past_the_largest_number_are_refused_not_written_as_null) {
  const classifier c(default_policy());
  // Fewer than 6 months: the plain mean, 5e307 each; two customers: 1e308 a month, past the
  // largest double in the second month (2026-08).
  const std::vector<double> huge(4, 5e307);
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(c, records(c, {customer("A", huge), customer("B", huge)}),
                                  {on_hand("cable", 10)}, day("2026-06-10"));
             }) ==
             "all products, 2026-08: the cumulative demand adds up past the largest number "
             "a report can hold (about 1.8e308)");
  // One customer: growth 50 held at 2, so 1e308 a month, whose 3-month projection is past it.
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(
                   c, records(c, {customer("BIG", {1e306, 1e306, 1e306, 5e307, 5e307, 5e307})}),
                   {on_hand("cable", 10)}, day("2026-06-10"));
             }) ==
             "customer BIG: demand rule (art-7.1) gives 1e+308 a month, past the largest "
             "number a report can hold over 3 months");
  // Stock: two lines of 1e308, together past it from the month the second arrives in.
  BOOST_TEST(problem_of([&] {
               (void)supply_watch(c, records(c, {customer("C1", {30, 30, 30, 30, 30, 30})}),
                                  {on_hand("cable", 1e308), arriving("cable", 1e308, "2026-08-12")},
                                  day("2026-06-10"));
             }) ==
             "all products, 2026-08: the supply adds up past the largest number a report "
             "can hold (about 1.8e308)");
}

BOOST_AUTO_TEST_CASE(art_7_1_the_validator_checks_the_section) {
  BOOST_TEST(has(diagnostics_with(
                     [](json& d) { d["supply_watch"]["demand"] = "size(monthly_shipments) > 3"; }),
                 "invalid_expression", "/supply_watch/demand"));
  BOOST_TEST(has(
      diagnostics_with([](json& d) { d["supply_watch"]["demand"] = "monthly_shipmens.mean()"; }),
      "invalid_expression", "/supply_watch/demand"));
  BOOST_TEST(has(
      diagnostics_with([](json& d) { d["supply_watch"]["product_field"] = "monthly_shipments"; }),
      "invalid_value", "/supply_watch/product_field"));
  const auto unknown = diagnostics_with([](json& d) { d["supply_watch"]["notify"] = "sales"; });
  bool named = false;
  for (const auto& x : unknown) named |= x.pointer == "/supply_watch/notify";
  BOOST_TEST(named);
  const auto range = diagnostics_with([](json& d) { d["supply_watch"]["horizon_months"] = 0; });
  bool ranged = false;
  for (const auto& x : range) ranged |= x.pointer == "/supply_watch/horizon_months";
  BOOST_TEST(ranged);
  BOOST_TEST(!has_errors(diagnostics_with([](json&) {})));
}

BOOST_AUTO_TEST_CASE(art_7_2_keyaccount_supply_prints_the_notice_and_exits_1) {
  const auto dir = std::filesystem::temp_directory_path() / "keyaccount_test_supply";
  std::filesystem::create_directories(dir);
  const auto customers = (dir / "customers.jsonl").string();
  const auto stock = (dir / "stock.csv").string();
  const auto plenty = (dir / "plenty.csv").string();
  const auto bad = (dir / "bad.csv").string();
  std::ofstream(customers) << customer("C1", {30, 30, 30, 30, 30, 30}).dump() << '\n'
                           << customer("C2", {40, 40, 40, 40, 40, 40}).dump() << '\n';
  std::ofstream(stock) << "product,spec,quantity,arrives_on\ncable,3x2.5,60,\nswitch,,40,\n"
                          "cable,3x2.5,50,2026-08-15\n";
  std::ofstream(plenty) << "product,spec,quantity,arrives_on\ncable,,1000,\n";
  std::ofstream(bad) << "product,spec,quantity,arrives_on\ncable,,60,\ncable,,-5,2026-08-01\n";
  using testing::run_cli;
  auto r = run_cli({"supply", "--as-of", "2026-06-10", "--customers", customers, "--stock", stock});
  BOOST_TEST(r.code == 1, r.err);
  BOOST_TEST(r.out.find("notice to sales_staff (Other relevant staff) from cr_specialist, due "
                        "2026-08-18 [art-7.2]") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("customers: C2, C1") != std::string::npos, r.out);
  auto j = run_cli({"supply", "--as-of", "2026-06-10", "--customers", customers, "--stock", stock,
                    "--format", "json"});
  BOOST_TEST(json::parse(j.out) ==
             to_json(supply_watch(
                 classifier(default_policy()),
                 records(classifier(default_policy()), {customer("C1", {30, 30, 30, 30, 30, 30}),
                                                        customer("C2", {40, 40, 40, 40, 40, 40})}),
                 {on_hand("cable", 60), on_hand("switch", 40), arriving("cable", 50, "2026-08-15")},
                 day("2026-06-10"))));
  // Enough supply by then: exit 0.
  auto quiet = run_cli({"supply", "--as-of", "2026-04-20", "--customers", customers, "--stock",
                        plenty, "--format", "csv"});
  BOOST_TEST(quiet.code == 0, quiet.err);
  BOOST_TEST(quiet.out.find("product,month,peak_season,period,demand,cumulative_demand,"
                            "available,shortfall\n,2026-05,false,,70.0,70.0,1000.0,0.0\n"
                            ",2026-06,true,06-01..06-30,70.0,140.0,1000.0,0.0\n") == 0,
             quiet.out);
  // A bad line is reported at its line.
  auto b = run_cli({"supply", "--as-of", "2026-06-10", "--customers", customers, "--stock", bad});
  BOOST_TEST(b.code == 1);
  BOOST_TEST(b.err.find(bad + ":3: error[invalid_record]: quantity: must not be negative") !=
                 std::string::npos,
             b.err);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
