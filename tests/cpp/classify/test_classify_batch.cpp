// Columnar batch classification gives the same tiers (and explanations) as classifying each
// customer on its own: thousands of random customers, one and several threads.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "classify_fixtures.hpp"
#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/format.hpp"

using namespace classify_test;

namespace {

constexpr std::size_t width = 36;
const std::vector<std::string> categories{"government", "large_enterprise", "monopoly", "other"};

// Random customers, drawn to land near every threshold of the default policy.
struct table_data {
  std::vector<std::int32_t> category;
  std::vector<std::int32_t> first_order;
  std::vector<double> block;
  std::vector<std::int64_t> lengths;
  std::vector<double> cumulative;
  std::vector<nlohmann::json> records;
};

table_data generate(std::size_t rows, unsigned seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(rng);
  };
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::int32_t as_of_days = static_cast<std::int32_t>(day("2026-06-30").days_since_epoch());
  table_data t;
  t.block.assign(rows * width, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    t.category.push_back(pick(4));
    t.first_order.push_back(as_of_days - pick(2000));
    std::int64_t len = pick(4) == 0 ? pick(4) : static_cast<std::int64_t>(width) - pick(30);
    t.lengths.push_back(len);
    double level = std::vector<double>{10, 31, 50, 51, 70}[static_cast<std::size_t>(pick(5))];
    std::vector<double> s;
    for (std::int64_t i = 0; i < len; ++i) {
      double v = pick(10) == 0 ? 0.0 : level + (pick(3) == 0 ? uniform(-5, 5) : 0.0);
      t.block[r * width + static_cast<std::size_t>(i)] = v;
      s.push_back(v);
    }
    double cum = pick(5) == 0 ? 500.0 : uniform(0, 1000);
    t.cumulative.push_back(cum);
    auto first = keyaccount::date(std::chrono::sys_days(std::chrono::days(t.first_order.back())));
    t.records.push_back({{"id", "R" + std::to_string(r)},
                         {"name", "n"},
                         {"category", categories[static_cast<std::size_t>(t.category.back())]},
                         {"first_order", first.to_string()},
                         {"monthly_shipments", s},
                         {"cumulative_amount", cum}});
  }
  return t;
}

keyaccount::column_table columns(const table_data& t) {
  keyaccount::column_table table(t.category.size());
  table.set_categories("category", t.category, categories);
  table.set_dates("first_order", t.first_order);
  table.set_series("monthly_shipments", t.block, width, t.lengths);
  table.set_numbers("cumulative_amount", t.cumulative);
  return table;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(classify_batch)

BOOST_AUTO_TEST_CASE(batch_equals_one_at_a_time_on_random_customers) {
  const auto& c = default_classifier();
  const auto as_of = day("2026-06-30");
  auto data = generate(5000, 42);
  auto table = columns(data);
  std::vector<std::int32_t> one;
  std::size_t key = 0;
  for (const auto& j : data.records) {
    auto d = c.classify(record(j), as_of);
    BOOST_REQUIRE(d.ok());
    one.push_back(static_cast<std::int32_t>(d.tier));
    key += d.tier == 0;
  }
  // The generator must exercise both tiers substantially, or the comparison proves little.
  BOOST_TEST(key > 500u);
  BOOST_TEST(key < 4500u);
  for (unsigned threads : {1u, 3u}) {
    keyaccount::batch_options o;
    o.threads = threads;
    auto result = keyaccount::classify_batch(c, table, as_of, o);
    BOOST_TEST(result.errors.empty());
    BOOST_TEST(result.tiers == one, boost::test_tools::per_element());
  }
}

// With an optional field, rows without it cannot be decided in columns (the condition reading
// it is an error there); where the other criteria decide the tier anyway (Art. 4 not met, or
// another Art. 5 standard met) the batch must still give that tier, and elsewhere the same
// error as classify().
BOOST_AUTO_TEST_CASE(rows_with_absent_optional_values_match_one_at_a_time) {
  keyaccount::policy p = keyaccount::default_policy();
  for (auto& f : p.customers.fields)
    if (f.id == "cumulative_amount") f.required = false;
  const keyaccount::classifier c(p);
  const auto as_of = day("2026-06-30");
  auto data = generate(3000, 99);
  for (std::size_t r = 0; r < data.cumulative.size(); r += 3) {
    data.cumulative[r] = std::nan("");
    data.records[r].erase("cumulative_amount");
  }
  std::vector<std::int32_t> one;
  std::size_t failed = 0, decided_without_it = 0;
  for (std::size_t r = 0; r < data.records.size(); ++r) {
    auto d = c.classify(c.parser().from_json(data.records[r]), as_of);
    one.push_back(d.ok() ? static_cast<std::int32_t>(d.tier) : -1);
    failed += !d.ok();
    decided_without_it += d.ok() && r % 3 == 0;
  }
  BOOST_TEST(failed > 50u);               // some rows end in the criterion's error ...
  BOOST_TEST(decided_without_it > 300u);  // ... and many are decided by the other criteria
  auto table = columns(data);
  for (unsigned threads : {1u, 2u}) {
    std::vector<std::int32_t> tiers(data.records.size());
    auto errors = keyaccount::classify_batch_into(c, table, as_of, tiers, threads);
    BOOST_TEST(tiers == one, boost::test_tools::per_element());
    BOOST_TEST(errors.size() == failed);
    for (const auto& e : errors) BOOST_TEST((e.criterion == "art-5.1" && e.field.empty()));
  }
}

// A text column has no columnar form: every row takes the row-at-a-time path, same results.
BOOST_AUTO_TEST_CASE(tables_without_a_columnar_form_give_the_same_tiers) {
  const auto& c = default_classifier();
  const auto as_of = day("2026-06-30");
  auto data = generate(600, 5);
  std::vector<std::string_view> category_text;
  for (auto code : data.category)
    category_text.push_back(categories[static_cast<std::size_t>(code)]);
  keyaccount::column_table text_table(data.category.size());
  text_table.set_strings("category", category_text);
  text_table.set_dates("first_order", data.first_order);
  text_table.set_series("monthly_shipments", data.block, width, data.lengths);
  text_table.set_numbers("cumulative_amount", data.cumulative);
  auto by_text = keyaccount::classify_batch(c, text_table, as_of);
  auto by_codes = keyaccount::classify_batch(c, columns(data), as_of);
  BOOST_TEST(by_text.errors.empty());
  BOOST_TEST(by_text.tiers == by_codes.tiers, boost::test_tools::per_element());
  for (std::size_t r = 0; r < data.records.size(); r += 7)
    BOOST_TEST(by_text.tiers[r] ==
               static_cast<std::int32_t>(c.classify(record(data.records[r]), as_of).tier));
}

// The pair pass of compare_batch (one check per row, a leaf shared by both policies evaluated
// once) must give each policy exactly the tiers and errors of its own batch: for a parameter
// of a cheap leaf (Art. 5.1), of costly series leaves (Art. 4.2, 5.2), a changed condition, the
// same policy twice, and with malformed rows among them.
BOOST_AUTO_TEST_CASE(pair_batch_equals_two_batches) {
  const auto& base = default_classifier();
  const auto as_of = day("2026-06-30");
  auto data = generate(6000, 7);
  for (std::size_t r = 5; r < data.cumulative.size(); r += 97) data.cumulative[r] = std::nan("");
  auto table = columns(data);
  keyaccount::policy changed_text = keyaccount::default_policy();
  for (auto& c : changed_text.criteria)
    if (c.id == "art-5.1") c.condition = "cumulative_amount >= params.cumulative_amount_min";
  const std::vector<std::pair<std::string, keyaccount::policy>> candidates{
      {"5.1 parameter",
       keyaccount::with_parameters(keyaccount::default_policy(), {{"cumulative_amount_min", 600}})},
      {"4.2 parameter",
       keyaccount::with_parameters(keyaccount::default_policy(), {{"continuity_months", 20}})},
      {"5.2 parameter",
       keyaccount::with_parameters(keyaccount::default_policy(), {{"monthly_shipment_min", 45}})},
      {"changed condition", changed_text},
      {"same policy", keyaccount::default_policy()}};
  std::vector<std::int32_t> alone_a(table.rows());
  const auto errors_a = keyaccount::classify_batch_into(base, table, as_of, alone_a);
  BOOST_TEST(errors_a.size() > 50u);  // the malformed rows are among them
  for (const auto& [what, policy] : candidates) {
    BOOST_TEST_CONTEXT(what) {
      const keyaccount::classifier cand(policy);
      std::vector<std::int32_t> alone_b(table.rows());
      const auto errors_b = keyaccount::classify_batch_into(cand, table, as_of, alone_b);
      for (unsigned threads : {1u, 2u}) {
        std::vector<std::int32_t> ta(table.rows()), tb(table.rows());
        const auto errors =
            keyaccount::classify_batch_pair_into(base, cand, table, as_of, ta, tb, threads);
        BOOST_TEST(ta == alone_a, boost::test_tools::per_element());
        BOOST_TEST(tb == alone_b, boost::test_tools::per_element());
        BOOST_TEST(errors.a.size() == errors_a.size());
        BOOST_TEST(errors.b.size() == errors_b.size());
        for (std::size_t i = 0; i < std::min(errors.b.size(), errors_b.size()); ++i)
          BOOST_TEST(
              (errors.b[i].row == errors_b[i].row && errors.b[i].message == errors_b[i].message));
      }
      // A shared leaf reused where it must not be would make the candidate's tiers the
      // baseline's: every real change moves some customers.
      std::size_t moved = 0;
      for (std::size_t r = 0; r < alone_a.size(); ++r) moved += alone_a[r] != alone_b[r];
      if (what == "same policy")
        BOOST_TEST(moved == 0u);
      else
        BOOST_TEST(moved > 20u);
    }
  }
}

BOOST_AUTO_TEST_CASE(batch_explanations_equal_single_explanations) {
  const auto& c = default_classifier();
  const auto as_of = day("2026-06-30");
  auto data = generate(400, 7);
  auto table = columns(data);
  keyaccount::batch_options o;
  o.explain = true;
  o.threads = 2;
  auto result = keyaccount::classify_batch(c, table, as_of, o);
  BOOST_REQUIRE_EQUAL(result.explanations.size(), data.records.size());
  for (std::size_t r = 0; r < data.records.size(); ++r) {
    auto single = c.explain(record(data.records[r]), as_of);
    BOOST_TEST(keyaccount::to_json(result.explanations[r]).dump() ==
               keyaccount::to_json(single).dump());
  }
}

BOOST_AUTO_TEST_CASE(malformed_rows_are_reported_with_row_and_field) {
  const auto& c = default_classifier();
  auto data = generate(10, 1);
  data.category[3] = 9;               // code out of range
  data.cumulative[5] = std::nan("");  // required value missing
  data.lengths[7] = 2;
  data.block[7 * width + 1] = std::nan("");
  auto table = columns(data);
  auto result = keyaccount::classify_batch(c, table, day("2026-06-30"));
  BOOST_REQUIRE_EQUAL(result.errors.size(), 3u);
  BOOST_TEST(result.errors[0].row == 3u);
  BOOST_TEST(result.errors[0].field == "category");
  BOOST_TEST(result.errors[1].field == "cumulative_amount");
  BOOST_TEST(result.errors[2].field == "monthly_shipments[1]");
  BOOST_TEST(result.tiers[3] == -1);
  BOOST_TEST(result.tiers[0] >= 0);
}

BOOST_AUTO_TEST_CASE(every_non_finite_month_is_found_wherever_it_is_and_padding_is_not_read) {
  // The finiteness check tests months in pairs and leftovers one by one: a NaN or an infinity
  // at any position of a full series is that row's error, named by its index; a NaN in the
  // padding past a row's length is no error.
  const auto& c = default_classifier();
  const double inf = std::numeric_limits<double>::infinity();
  const double odd[] = {std::nan(""), inf, -inf};
  auto data = generate(width + 1, 3);
  for (std::size_t r = 0; r < width; ++r) {
    data.lengths[r] = static_cast<std::int64_t>(width);
    data.block[r * width + r] = odd[r % 3];  // row r: month r
  }
  data.lengths[width] = 5;
  for (std::size_t m = 5; m < width; ++m) data.block[width * width + m] = std::nan("");
  auto result = keyaccount::classify_batch(c, columns(data), day("2026-06-30"));
  BOOST_REQUIRE_EQUAL(result.errors.size(), width);
  for (std::size_t r = 0; r < width; ++r) {
    BOOST_TEST(result.errors[r].row == r);
    BOOST_TEST(result.errors[r].field == "monthly_shipments[" + std::to_string(r) + "]");
    BOOST_TEST(result.tiers[r] == -1);
  }
  BOOST_TEST(result.tiers[width] >= 0);
}

// The columnar path (the finiteness check of every month, then the kernels) against the
// row-at-a-time path (each row bound and checked on its own, then the interpreter: the batch
// with explanations takes it), on random rows with the months the kernels must not misjudge:
// NaN and ±inf anywhere in a series or only in its padding, finite months whose sum overflows
// (the finiteness check adds months up and must then test them one by one), lengths outside
// the block, and series shorter than the policy's windows (0 to 13 months: `last(12)`, three
// trailing months). Tiers and errors (row, field with the month's index, message) must agree.
BOOST_AUTO_TEST_CASE(batch_equals_interpreter_on_non_finite_huge_and_short_series) {
  const auto& c = default_classifier();
  const auto as_of = day("2026-06-30");
  const std::size_t rows = 4000;
  auto data = generate(rows, 2207);
  std::mt19937_64 rng(22);
  const double inf = std::numeric_limits<double>::infinity();
  const double huge = std::numeric_limits<double>::max();
  const double odd[] = {std::nan(""), inf, -inf};
  std::size_t short_rows = 0, huge_rows = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    double* row = data.block.data() + r * width;
    std::int64_t& len = data.lengths[r];
    for (int draw = 0; draw < 2; ++draw) {  // two independent changes: they may combine
      switch (rng() % 8) {
        case 0:  // shorter than the windows, padding NaN (never read)
          len = static_cast<std::int64_t>(rng() % 14);
          std::fill(row + len, row + width, std::nan(""));
          break;
        case 1:  // a non-finite month anywhere, in the series or past its end
          row[rng() % width] = odd[rng() % 3];
          break;
        case 2:  // finite months whose sum overflows, above every threshold
          for (std::int64_t m = 0; m < len; ++m) row[m] = rng() % 2 ? huge : 1e308;
          break;
        case 3:  // a length outside 0..width
          len = rng() % 2 ? -1 : static_cast<std::int64_t>(width) + 1;
          break;
        default:
          break;
      }
    }
    short_rows += len >= 0 && len < 12;
    huge_rows += len > 1 && row[0] >= 1e308 && row[1] >= 1e308;
  }
  // What each row must give, found without the batch's code: the error of the first month
  // that is not finite (or of the length), else classify() on the row as a record.
  std::vector<std::int32_t> expected(rows);
  std::vector<std::pair<std::size_t, std::string>> expected_errors;
  std::size_t key = 0, huge_decided = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const double* row = data.block.data() + r * width;
    const std::int64_t len = data.lengths[r];
    expected[r] = -1;
    if (len < 0 || len > static_cast<std::int64_t>(width)) {
      expected_errors.emplace_back(r, "monthly_shipments");
      continue;
    }
    const auto bad = std::find_if(row, row + len, [](double x) { return !std::isfinite(x); });
    if (bad != row + len) {
      expected_errors.emplace_back(r, "monthly_shipments[" + std::to_string(bad - row) + "]");
      continue;
    }
    nlohmann::json j = data.records[r];
    j["monthly_shipments"] = std::vector<double>(row, row + len);
    const auto d = c.classify(record(j), as_of);
    BOOST_REQUIRE(d.ok());
    expected[r] = static_cast<std::int32_t>(d.tier);
    key += d.tier == 0;
    huge_decided += len > 1 && row[0] >= 1e308 && row[1] >= 1e308;
  }
  // The row-at-a-time path first (it words the errors the columnar path reports).
  keyaccount::batch_options row_at_a_time;
  row_at_a_time.explain = true;
  const auto one = keyaccount::classify_batch(c, columns(data), as_of, row_at_a_time);
  BOOST_TEST(one.tiers == expected, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(one.errors.size(), expected_errors.size());
  for (std::size_t e = 0; e < one.errors.size(); ++e) {
    BOOST_TEST(one.errors[e].row == expected_errors[e].first);
    BOOST_TEST(one.errors[e].field == expected_errors[e].second);
  }
  // The draws must reach every case often enough for the comparison to prove something.
  BOOST_TEST(one.errors.size() > 500u);
  BOOST_TEST(one.errors.size() < 2500u);
  BOOST_TEST(short_rows > 300u);
  BOOST_TEST(huge_decided > 100u);
  BOOST_TEST(huge_rows >= huge_decided);
  BOOST_TEST(key > 200u);
  for (unsigned threads : {1u, 2u}) {
    std::vector<std::int32_t> tiers(rows);
    auto errors = keyaccount::classify_batch_into(c, columns(data), as_of, tiers, threads);
    BOOST_TEST(tiers == one.tiers, boost::test_tools::per_element());
    BOOST_REQUIRE_EQUAL(errors.size(), one.errors.size());
    for (std::size_t e = 0; e < errors.size(); ++e) {
      BOOST_TEST_CONTEXT("error " << e << ", row " << one.errors[e].row) {
        BOOST_TEST(errors[e].row == one.errors[e].row);
        BOOST_TEST(errors[e].field == one.errors[e].field);
        BOOST_TEST(errors[e].message == one.errors[e].message);
        BOOST_TEST(errors[e].criterion == one.errors[e].criterion);
      }
    }
  }
}

// A table whose every series fills the block (no lengths given) is checked a chunk at a time:
// the months of a whole chunk of rows at once (detail::finite_check), and row by row only in a
// chunk that holds a non-finite month. Most chunks here are clean, some hold one bad month or
// months whose sum would overflow (which a check by running sum, as before, had to tell from a
// bad month): every error must still be found, with its index, and every other row classified
// as the row-at-a-time path does.
BOOST_AUTO_TEST_CASE(full_width_chunks_find_every_bad_month_and_classify_the_rest) {
  const auto& c = default_classifier();
  const auto as_of = day("2026-06-30");
  const std::size_t rows = 12000;
  auto data = generate(rows, 4111);
  std::mt19937_64 rng(23);
  const double odd[] = {std::nan(""), std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity()};
  std::vector<std::pair<std::size_t, std::string>> expected_errors;
  std::vector<bool> chunk_bad(rows / 256 + 1), chunk_overflow(rows / 256 + 1);
  for (std::size_t r = 0; r < rows; ++r) {
    double* row = data.block.data() + r * width;
    for (auto m = static_cast<std::size_t>(data.lengths[r]); m < width; ++m) row[m] = 40.0;
    data.lengths[r] = static_cast<std::int64_t>(width);
    const auto draw = rng() % 600;
    if (draw == 0) {  // one bad month, anywhere
      const std::size_t m = rng() % width;
      row[m] = odd[rng() % 3];
      expected_errors.emplace_back(r, "monthly_shipments[" + std::to_string(m) + "]");
      chunk_bad[r / 256] = true;
    } else if (draw == 1) {  // finite months whose sum overflows: no error
      std::fill(row, row + width, std::numeric_limits<double>::max());
      chunk_overflow[r / 256] = true;
    }
  }
  keyaccount::column_table table(rows);
  table.set_categories("category", data.category, categories);
  table.set_dates("first_order", data.first_order);
  table.set_series("monthly_shipments", data.block, width);  // no lengths: every row full
  table.set_numbers("cumulative_amount", data.cumulative);
  keyaccount::batch_options row_at_a_time;
  row_at_a_time.explain = true;
  const auto one = keyaccount::classify_batch(c, table, as_of, row_at_a_time);
  BOOST_REQUIRE_EQUAL(one.errors.size(), expected_errors.size());
  for (std::size_t e = 0; e < one.errors.size(); ++e) {
    BOOST_TEST(one.errors[e].row == expected_errors[e].first);
    BOOST_TEST(one.errors[e].field == expected_errors[e].second);
  }
  // Clean chunks, chunks with a bad month and chunks that overflow must all occur.
  std::size_t clean = 0;
  for (std::size_t k = 0; k + 1 < chunk_bad.size(); ++k)
    clean += !chunk_bad[k] && !chunk_overflow[k];
  BOOST_TEST(clean > 5u);
  BOOST_TEST(std::count(chunk_bad.begin(), chunk_bad.end(), true) > 5);
  BOOST_TEST(std::count(chunk_overflow.begin(), chunk_overflow.end(), true) > 5);
  BOOST_TEST(std::count(one.tiers.begin(), one.tiers.end(), 0) > 500);
  for (unsigned threads : {1u, 2u}) {
    std::vector<std::int32_t> tiers(rows);
    auto errors = keyaccount::classify_batch_into(c, table, as_of, tiers, threads);
    BOOST_TEST(tiers == one.tiers, boost::test_tools::per_element());
    BOOST_REQUIRE_EQUAL(errors.size(), one.errors.size());
    for (std::size_t e = 0; e < errors.size(); ++e) {
      BOOST_TEST(errors[e].row == one.errors[e].row);
      BOOST_TEST(errors[e].field == one.errors[e].field);
      BOOST_TEST(errors[e].message == one.errors[e].message);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_columns_are_refused_before_any_row) {
  const auto& c = default_classifier();
  auto data = generate(4, 1);
  keyaccount::column_table table(4);
  table.set_numbers("cumulative_ammount", data.cumulative);
  BOOST_CHECK_THROW((void)keyaccount::classify_batch(c, table, day("2026-06-30")),
                    keyaccount::input_error);
  keyaccount::column_table missing(4);
  missing.set_numbers("cumulative_amount", data.cumulative);
  BOOST_CHECK_THROW((void)keyaccount::classify_batch(c, missing, day("2026-06-30")),
                    keyaccount::input_error);
  keyaccount::column_table short_table(5);
  BOOST_CHECK_THROW(short_table.set_numbers("cumulative_amount", data.cumulative),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
