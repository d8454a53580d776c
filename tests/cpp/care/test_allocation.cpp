// Peak-season priority allocation (Art. 7.3): hand-computed cases, then invariants checked on
// random inputs with fixed seeds (each seed reproduces its case exactly).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <random>

#include "keyaccount/care/allocation.hpp"
#include "keyaccount/policy/loader.hpp"

using namespace keyaccount;
using namespace keyaccount::care;

namespace {

date day(const char* text) { return *date::parse(text); }

policy seasonal(allocation_mode mode, int pack) {
  policy p = default_policy();  // periods 11-01..01-31 and 06-01..06-30; key before regular
  p.peak_season->within_tier = mode;
  p.peak_season->pack_size = pack;
  // A declared tier that tier_priority does not list: served after the listed ones.
  tier prospect = p.tiers.front();
  prospect.id = "prospect";
  p.tiers.insert(p.tiers.begin() + 1, prospect);
  return p;
}

std::map<std::string, std::int64_t> by_line(const allocation_result& r) {
  std::map<std::string, std::int64_t> out;
  for (const auto& l : r.lines) out[l.line] = l.allocated;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(allocation)

BOOST_AUTO_TEST_CASE(peak_periods_wrap_the_year_end) {
  const auto& rule = *default_policy().peak_season;
  BOOST_TEST(peak_period_on(rule, day("2026-11-01")).value() == "11-01..01-31");
  BOOST_TEST(peak_period_on(rule, day("2026-12-31")).value() == "11-01..01-31");
  BOOST_TEST(peak_period_on(rule, day("2027-01-31")).value() == "11-01..01-31");
  BOOST_TEST(!peak_period_on(rule, day("2027-02-01")));
  BOOST_TEST(!peak_period_on(rule, day("2026-10-31")));
  BOOST_TEST(peak_period_on(rule, day("2026-06-30")).value() == "06-01..06-30");
  BOOST_TEST(!peak_period_on(rule, day("2026-07-01")));
}

BOOST_AUTO_TEST_CASE(peak_season_serves_key_customers_first_then_first_come) {
  // Stock 100. Regular r1 ordered first (60), key k1 (50) and k2 (30) later.
  // Peak: key first-come k1 50 (50 left), k2 30 (20 left), then regular r1 gets 20.
  policy p = seasonal(allocation_mode::first_come, 1);
  std::vector<stock_item> stock = {{"P", "A", 100}};
  std::vector<order_line> lines = {{"r1", "R", "regular", "P", "A", 60, "2026-11-02T08:00"},
                                   {"k2", "K2", "key", "P", "A", 30, "2026-11-03"},
                                   {"k1", "K1", "key", "P", "A", 50, "2026-11-02T09:30:00"}};
  auto r = allocate(p, stock, lines, day("2026-12-01"));
  BOOST_TEST(r.peak_season);
  BOOST_TEST(r.period == "11-01..01-31");
  auto got = by_line(r);
  BOOST_TEST(got["k1"] == 50);
  BOOST_TEST(got["k2"] == 30);
  BOOST_TEST(got["r1"] == 20);
  BOOST_TEST(r.lines[0].line == "r1");  // input order kept
  BOOST_TEST(r.lines[0].priority == 2);
  BOOST_TEST(r.lines[0].reason.find("partly served") != std::string::npos);
  BOOST_TEST(r.lines[2].reason.find("1st in line") != std::string::npos);
  BOOST_TEST(r.stock.at(0).remaining == 0);
  BOOST_TEST(r.stock.at(0).unmet == 40);

  // Outside peak season (2026-10-15): first-come across tiers: r1 60, k1 40, k2 0.
  auto off = by_line(allocate(p, stock, lines, day("2026-10-15")));
  BOOST_TEST(off["r1"] == 60);
  BOOST_TEST(off["k1"] == 40);
  BOOST_TEST(off["k2"] == 0);
}

BOOST_AUTO_TEST_CASE(pro_rata_rounds_to_packs_by_largest_remainder) {
  // Stock 100, pack 10, key demand 70 + 50 + 30 = 150.
  // Quotas: 46.67, 33.33, 20.00 → packs 40, 30, 20 (=90); remainders 6.67, 3.33, 0:
  // the last 10 go to a (largest remainder) → 50, 30, 20.
  policy p = seasonal(allocation_mode::pro_rata, 10);
  std::vector<stock_item> stock = {{"P", "", 100}};
  std::vector<order_line> lines = {{"a", "A", "key", "P", "", 70, "2026-06-01"},
                                   {"b", "B", "key", "P", "", 50, "2026-06-02"},
                                   {"c", "C", "key", "P", "", 30, "2026-06-03"},
                                   {"d", "D", "regular", "P", "", 10, "2026-05-01"}};
  auto r = allocate(p, stock, lines, day("2026-06-15"));
  auto got = by_line(r);
  BOOST_TEST(got["a"] == 50);
  BOOST_TEST(got["b"] == 30);
  BOOST_TEST(got["c"] == 20);
  BOOST_TEST(got["d"] == 0);
  BOOST_TEST(r.lines[0].reason.find("quota 46.67") != std::string::npos);
  BOOST_TEST(r.lines[0].reason.find("1st largest remainder") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pro_rata_hands_out_an_odd_rest_and_breaks_ties_first_come) {
  // Stock 25, pack 10, two lines of 20 each (equal quotas 12.5): base 10 + 10; rest 5 goes to
  // the earlier order (equal remainders): 15 and 10.
  policy p = seasonal(allocation_mode::pro_rata, 10);
  std::vector<order_line> lines = {{"late", "L", "key", "P", "", 20, "2026-11-05T10:00"},
                                   {"early", "E", "key", "P", "", 20, "2026-11-05T09:00"}};
  auto got = by_line(allocate(p, {{"P", "", 25}}, lines, day("2026-11-10")));
  BOOST_TEST(got["early"] == 15);
  BOOST_TEST(got["late"] == 10);
}

BOOST_AUTO_TEST_CASE(lines_without_stock_get_nothing_and_invalid_input_is_located) {
  policy p = seasonal(allocation_mode::first_come, 1);
  auto r = allocate(p, {}, {{"x", "X", "key", "Q", "big", 5, "2026-01-02"}}, day("2026-01-05"));
  BOOST_TEST(r.lines.at(0).allocated == 0);
  BOOST_TEST(r.lines.at(0).reason.find("no stock of Q/big") != std::string::npos);
  BOOST_TEST(r.stock.at(0).unmet == 5);

  try {
    (void)allocate(
        p, {{"P", "", 1}, {"P", "", 2}},
        {{"x", "X", "key", "P", "", -1, "2026-13-01"}, {"x", "X", "key", "P", "", 1, ""}},
        day("2026-01-05"));
    BOOST_FAIL("expected allocation_error");
  } catch (const allocation_error& e) {
    const auto& pr = e.problems();
    auto has = [&](const std::string& s) {
      return std::any_of(pr.begin(), pr.end(), [&](const auto& x) { return x.find(s) == 0; });
    };
    BOOST_TEST(has("stock[1]: duplicate stock entry"));
    BOOST_TEST(has("lines[0].quantity: negative"));
    BOOST_TEST(has("lines[0].ordered_at"));
    BOOST_TEST(has("lines[1].id: duplicate line id x"));
  }
}

BOOST_AUTO_TEST_CASE(orders_whose_total_does_not_fit_are_refused_not_wrapped) {
  // Two lines of INT64_MAX-1 units add up past int64: the demand would wrap to a negative and
  // the pro-rata shares with it, so the input is refused with the line that overflows.
  policy p = seasonal(allocation_mode::pro_rata, 1);
  const std::int64_t huge = std::numeric_limits<std::int64_t>::max() - 1;
  try {
    (void)allocate(p, {{"P", "", 10}},
                   {{"a", "A", "key", "P", "", huge, "2026-01-02"},
                    {"b", "B", "key", "P", "", huge, "2026-01-03"},
                    {"c", "C", "key", "P", "", huge, "2026-01-04"}},
                   day("2026-01-05"));
    BOOST_FAIL("expected allocation_error");
  } catch (const allocation_error& e) {
    BOOST_TEST_REQUIRE(e.problems().size() == 1u);  // reported once per product, not per line
    BOOST_TEST(e.problems()[0].find("lines[1].quantity: the quantities ordered of P/ add up") ==
               0u);
  }
  // Totals that fit are served exactly: 10 units split 1:1 between two huge orders.
  auto r = allocate(p, {{"P", "", 10}},
                    {{"a", "A", "key", "P", "", huge / 2, "2026-01-02"},
                     {"b", "B", "key", "P", "", huge / 2, "2026-01-03"}},
                    day("2026-01-05"));
  BOOST_TEST(by_line(r)["a"] == 5);
  BOOST_TEST(by_line(r)["b"] == 5);
  BOOST_TEST(r.stock.at(0).unmet == 2 * (huge / 2) - 10);
}

BOOST_AUTO_TEST_CASE(time_normalisation) {
  BOOST_TEST(normalize_time("2026-11-02").value() == "2026-11-02T00:00:00");
  BOOST_TEST(normalize_time("2026-11-02 08:05").value() == "2026-11-02T08:05:00");
  BOOST_TEST(normalize_time("2026-11-02T23:59:59").value() == "2026-11-02T23:59:59");
  BOOST_TEST(!normalize_time("2026-11-02T24:00"));
  BOOST_TEST(!normalize_time("2026-02-30"));
  BOOST_TEST(!normalize_time("2026-11-02T8:00"));
}

// ---- property tests: random inputs, fixed seeds

namespace {

struct random_case {
  std::vector<stock_item> stock;
  std::vector<order_line> lines;
  date on;
  allocation_mode mode;
  int pack;
};

random_case make_case(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  random_case c;
  c.mode = uni(0, 1) ? allocation_mode::pro_rata : allocation_mode::first_come;
  c.pack = uni(1, 3) == 1 ? 1 : uni(1, 12);
  c.on = day("2026-01-01").add_days(uni(0, 364));
  const int products = uni(1, 3);
  for (int k = 0; k < products; ++k)
    if (uni(0, 5) > 0) c.stock.push_back({"P" + std::to_string(k), "s", uni(0, 200)});
  const int n = uni(0, 40);
  const char* tiers[] = {"key", "regular", "prospect"};
  for (int i = 0; i < n; ++i) {
    char time[32];
    std::snprintf(time, sizeof time, "2026-0%d-%02dT%02d:00", uni(1, 9), uni(1, 28), uni(0, 3));
    c.lines.push_back({"L" + std::to_string(uni(0, 1000000)) + "_" + std::to_string(i),
                       "C" + std::to_string(uni(0, 9)), tiers[uni(0, 2)],
                       "P" + std::to_string(uni(0, products - 1)), "s", uni(0, 60), time});
  }
  return c;
}

int rank_of(const std::string& tier) { return tier == "key" ? 0 : tier == "regular" ? 1 : 2; }

}  // namespace

BOOST_AUTO_TEST_CASE(invariants_hold_on_random_inputs) {
  for (std::uint32_t seed = 1; seed <= 400; ++seed) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      auto c = make_case(seed);
      policy p = seasonal(c.mode, c.pack);
      auto r = allocate(p, c.stock, c.lines, c.on);
      BOOST_TEST_REQUIRE(r.lines.size() == c.lines.size());
      std::map<std::string, std::int64_t> stock_of, given, ordered;
      for (const auto& s : c.stock) stock_of[s.product] = s.quantity;
      for (std::size_t i = 0; i < c.lines.size(); ++i) {
        const auto& l = r.lines[i];
        BOOST_TEST(l.line == c.lines[i].id);
        BOOST_TEST(l.allocated >= 0);
        BOOST_TEST(l.allocated <= l.ordered);  // never more than ordered
        BOOST_TEST(!l.reason.empty());
        given[l.product] += l.allocated;
        ordered[l.product] += l.ordered;
      }
      for (const auto& [product, g] : given) {
        BOOST_TEST(g <= stock_of[product]);  // never more than the stock
        // Work-conserving: stock left over only when every line of the product is full.
        if (g < stock_of[product]) BOOST_TEST(g == ordered[product]);
      }
      // Priority: a line that is not full blocks every line that comes after it — a lower tier
      // in peak season; a later order whenever allocation is first-come.
      for (const auto& a : r.lines) {
        if (a.allocated == a.ordered) continue;
        const auto& la = *std::find_if(c.lines.begin(), c.lines.end(),
                                       [&](const auto& x) { return x.id == a.line; });
        for (const auto& b : r.lines) {
          if (b.product != a.product || b.allocated == 0) continue;
          const auto& lb = *std::find_if(c.lines.begin(), c.lines.end(),
                                         [&](const auto& x) { return x.id == b.line; });
          const bool lower_tier = r.peak_season && rank_of(b.tier) > rank_of(a.tier);
          const bool same_group = !r.peak_season || rank_of(b.tier) == rank_of(a.tier);
          const bool later = std::tie(lb.ordered_at, lb.id) > std::tie(la.ordered_at, la.id);
          BOOST_TEST(!lower_tier, "lower tier " << b.line << " served before " << a.line);
          if (same_group && later && (!r.peak_season || c.mode == allocation_mode::first_come))
            BOOST_TEST(false, "later " << b.line << " served before " << a.line);
        }
      }
      // Pro-rata: within a short tier, each line is within one pack of its exact quota.
      if (r.peak_season && c.mode == allocation_mode::pro_rata) {
        std::map<std::pair<std::string, int>, std::pair<std::int64_t, std::int64_t>> group;
        for (const auto& l : r.lines) {
          auto& g = group[{l.product, rank_of(l.tier)}];
          g.first += l.ordered;
          g.second = l.stock_before;
        }
        for (const auto& l : r.lines) {
          auto [demand, avail] = group[{l.product, rank_of(l.tier)}];
          if (demand <= avail || demand == 0) continue;
          const double quota = double(avail) * double(l.ordered) / double(demand);
          BOOST_TEST(std::abs(double(l.allocated) - quota) < double(c.pack) + 1e-9);
        }
      }
      // Deterministic: the same lines in another order get the same amounts.
      auto shuffled = c.lines;
      std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(seed * 7919u));
      BOOST_TEST((by_line(allocate(p, c.stock, shuffled, c.on)) == by_line(r)));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_tier_the_policy_does_not_declare_is_refused_not_served_last) {
  // "Key" for "key" used to be served after every listed tier (0 of 60) without an error.
  const std::vector<stock_item> stock{{"P", "A", 100}};
  const std::vector<order_line> lines{{"L1", "C1", "regular", "P", "A", 60, "2026-11-01"},
                                      {"L2", "C2", "Key", "P", "A", 60, "2026-11-02"}};
  auto problems = order_line_problems(default_policy(), lines[1]);
  BOOST_REQUIRE_EQUAL(problems.size(), 1u);
  BOOST_TEST(problems[0].find("tier: unknown tier \"Key\" (did you mean `key`?") == 0, problems[0]);
  BOOST_TEST(order_line_problems(default_policy(), lines[0]).empty());
  try {
    (void)allocate(default_policy(), stock, lines, day("2026-11-25"));
    BOOST_FAIL("allocated a line of an unknown tier");
  } catch (const allocation_error& e) {
    BOOST_REQUIRE_EQUAL(e.problems().size(), 1u);
    BOOST_TEST(e.problems()[0].find("lines[1].tier: unknown tier \"Key\"") == 0, e.problems()[0]);
  }
}

BOOST_AUTO_TEST_SUITE_END()
