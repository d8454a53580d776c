// Issue 20: canonical JSON (RFC 8785) and SHA-256 content hashes, with_parameters, the structural
// diff and the impact of a candidate policy on customers (C++ side;
// tests/python/policy/test_impact.py recomputes the hash with an independent implementation and
// checks every section's diff).
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "keyaccount/classify/impact.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/diff.hpp"
#include "keyaccount/policy/identity.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {

using nlohmann::json;

std::string canonical_number(double x) { return keyaccount::canonical_json(json(x)); }

keyaccount::policy edited(const std::function<void(json&)>& edit) {
  json doc = json::parse(keyaccount::default_policy_text());
  edit(doc);
  return keyaccount::load_policy_or_throw(doc.dump());
}

json& by_id(json& items, const std::string& id) {
  for (auto& item : items)
    if (item["id"] == id) return item;
  throw std::out_of_range(id);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_identity)

BOOST_AUTO_TEST_CASE(numbers_are_written_as_ecmascript_does) {
  // RFC 8785 appendix B and ECMAScript Number::toString.
  BOOST_TEST(canonical_number(0.0) == "0");
  BOOST_TEST(canonical_number(-0.0) == "0");
  BOOST_TEST(canonical_number(500.0) == "500");
  BOOST_TEST(canonical_number(-1.5) == "-1.5");
  BOOST_TEST(canonical_number(0.1) == "0.1");
  BOOST_TEST(canonical_number(1e-7) == "1e-7");
  BOOST_TEST(canonical_number(1.5e-7) == "1.5e-7");
  BOOST_TEST(canonical_number(0.000001) == "0.000001");
  BOOST_TEST(canonical_number(1e20) == "100000000000000000000");
  BOOST_TEST(canonical_number(1e21) == "1e+21");
  BOOST_TEST(canonical_number(333333333.3333333) == "333333333.3333333");
  BOOST_TEST(canonical_number(1.7976931348623157e308) == "1.7976931348623157e+308");
  BOOST_TEST(canonical_number(5e-324) == "5e-324");
  BOOST_TEST(canonical_number(9007199254740991.0) == "9007199254740991");
  BOOST_TEST(keyaccount::canonical_json(json(12)) == "12");
}

BOOST_AUTO_TEST_CASE(objects_are_sorted_and_strings_escaped_minimally) {
  json j = json::parse(R"({"b": [1, "x\ty", null, true], "a": {"é": 1, "z": "\u0001\"\\/"},
                           "\ud83d\ude00": 1, "\ufb33": 2})");
  // Member names by UTF-16 code units: U+1F600 (surrogates D83D DE00) before U+FB33.
  BOOST_TEST(keyaccount::canonical_json(j) ==
             "{\"a\":{\"z\":\"\\u0001\\\"\\\\/\",\"é\":1},\"b\":[1,\"x\\ty\",null,true],"
             "\"\xF0\x9F\x98\x80\":1,\"\xEF\xAC\xB3\":2}");
}

BOOST_AUTO_TEST_CASE(sha256_matches_the_standard_vectors) {
  BOOST_TEST(keyaccount::sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(keyaccount::sha256_hex("") ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(the_loader_sets_the_canonical_form_and_its_hash) {
  const auto& p = keyaccount::default_policy();
  BOOST_TEST(p.content_hash.size() == 64u);
  BOOST_TEST(p.content_hash == keyaccount::sha256_hex(p.canonical_text));
  json doc = json::parse(keyaccount::default_policy_text());
  BOOST_TEST(doc.contains("$schema"));
  BOOST_TEST(keyaccount::policy_content_hash(doc) == p.content_hash);
  BOOST_TEST(p.canonical_text.find("$schema") == std::string::npos);
  // Layout is not content: the same document dumped another way hashes the same.
  BOOST_TEST(keyaccount::load_policy_or_throw(doc.dump(3)).content_hash == p.content_hash);
}

BOOST_AUTO_TEST_CASE(with_parameters_validates_and_names_the_problem) {
  const auto& p = keyaccount::default_policy();
  auto q = keyaccount::with_parameters(p, {{"cumulative_amount_min", 600}});
  BOOST_TEST(q.find_parameter("cumulative_amount_min")->value == 600.0);
  BOOST_TEST(p.find_parameter("cumulative_amount_min")->value == 500.0);
  BOOST_TEST(q.content_hash != p.content_hash);
  auto code_of = [&](const std::map<std::string, double>& values) {
    try {
      (void)keyaccount::with_parameters(p, values);
    } catch (const keyaccount::policy_error& e) {
      BOOST_TEST(e.diagnostics().size() == 1u);
      return e.diagnostics()[0].code + " " + e.diagnostics()[0].message;
    }
    return std::string("accepted");
  };
  BOOST_TEST(
      code_of({{"cumulative_amount_mn", 1}})
          .find("unknown_parameter the policy has no parameter `cumulative_amount_mn` (did you "
                "mean `cumulative_amount_min`?)") == 0);
  BOOST_TEST(code_of({{"consecutive_months", 0}}).find("parameter_out_of_range") == 0);
  BOOST_TEST(code_of({{"consecutive_months", 1.5}}).find("wrong_type") == 0);
  BOOST_TEST(code_of({{"consecutive_months", 4}}) == "accepted");
  keyaccount::policy built;  // not from the loader: no canonical form to edit
  BOOST_CHECK_THROW((void)keyaccount::with_parameters(built, {}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(diff_ignores_layout_of_conditions_but_not_meaning) {
  const auto& p = keyaccount::default_policy();
  BOOST_TEST(keyaccount::diff_policies(p, p).empty());
  auto same = edited([](json& d) {
    by_id(d["criteria"], "art-5.1")["condition"] =
        "((cumulative_amount) >\n   params.cumulative_amount_min)";
  });
  BOOST_TEST(same.content_hash != p.content_hash);
  BOOST_TEST(keyaccount::diff_policies(p, same).empty());
  auto other = edited([](json& d) {
    by_id(d["criteria"], "art-5.1")["condition"] =
        "cumulative_amount >= params.cumulative_amount_min";
    d["document"]["version"] = "1.1";
  });
  auto changes = keyaccount::diff_policies(p, other);
  BOOST_TEST_REQUIRE(changes.size() == 2u);
  BOOST_TEST(changes[0].path == "document.version");
  BOOST_TEST(changes[1].path == "criteria[art-5.1].condition");
  BOOST_TEST(changes[1].article == "art-5.1");
  BOOST_TEST(keyaccount::to_string(changes[1].kind) == "changed");
  BOOST_TEST(changes[1].new_value == "cumulative_amount >= params.cumulative_amount_min");
  auto text = keyaccount::diff_to_text(p, other, changes);
  BOOST_TEST(text.find("~ criteria[art-5.1].condition (art-5.1): ") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(impact_matches_classifying_with_each_policy) {
  const auto& p = keyaccount::default_policy();
  auto q = keyaccount::with_parameters(
      p, {{"cumulative_amount_min", 700}, {"monthly_shipment_min", 40}});
  keyaccount::classifier a(p), b(q);
  const auto as_of = *keyaccount::date::parse("2026-06-30");
  keyaccount::impact_builder impact(a, b, as_of);
  std::mt19937 rng(20);
  std::uniform_real_distribution<double> amount(0, 1500), month(0, 90);
  std::size_t moved = 0, customers = 2000;
  std::vector<std::vector<std::size_t>> matrix(2, std::vector<std::size_t>(2, 0));
  for (std::size_t i = 0; i < customers; ++i) {
    json shipments = json::array();
    for (int m = 0; m < 14; ++m) shipments.push_back(month(rng));
    json record = {{"id", "C" + std::to_string(i)},
                   {"name", "n"},
                   {"category", i % 5 == 0 ? "other" : "government"},
                   {"first_order", "2020-01-01"},
                   {"monthly_shipments", shipments},
                   {"cumulative_amount", amount(rng)}};
    auto r = a.parser().from_json(record);
    const auto da = a.classify(r, as_of), db = b.classify(r, as_of);
    ++matrix[da.tier][db.tier];
    if (da.tier != db.tier) ++moved;
    BOOST_TEST(impact.add(r));
  }
  const auto& report = impact.report();
  BOOST_TEST(report.customers == customers);
  BOOST_TEST(report.changes.size() == moved);
  BOOST_TEST(moved > 50u);
  BOOST_TEST(report.matrix == matrix);
  for (const auto& c : report.changes) {
    BOOST_TEST(!c.flips.empty());
    BOOST_TEST(c.old_tier != c.new_tier);
  }
  auto j = keyaccount::to_json(report);
  BOOST_TEST(j["changed"] == moved);
  BOOST_TEST(j["baseline"]["policy_hash"] == p.content_hash);
  BOOST_TEST(j["candidate"]["policy_hash"] == q.content_hash);
}

// Generated customers of the default schema in columns: `rows` of `width` months, drawn from
// `seed`; a row `malformed(i)` says has an infinite cumulative amount. The table borrows the
// vectors, which live as long as it does.
struct random_customers {
  std::vector<std::int32_t> category, first_order;
  std::vector<double> block, cumulative;
  std::vector<std::string> categories{"government", "large_enterprise", "monopoly", "other"};
  keyaccount::column_table table;

  random_customers(std::size_t rows, std::size_t width, unsigned seed, keyaccount::date as_of,
                   const std::function<bool(std::size_t)>& malformed = {})
      : table(rows) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> amount(0, 1500), month(0, 90);
    const auto base = static_cast<std::int32_t>(as_of.days_since_epoch());
    for (std::size_t i = 0; i < rows; ++i) {
      category.push_back(static_cast<std::int32_t>(rng() % 4));
      first_order.push_back(base - static_cast<std::int32_t>(rng() % 900));
      for (std::size_t m = 0; m < width; ++m) block.push_back(month(rng));
      cumulative.push_back(malformed && malformed(i) ? std::numeric_limits<double>::infinity()
                                                     : amount(rng));
    }
    table.set_categories("category", category, categories);
    table.set_dates("first_order", first_order);
    table.set_series("monthly_shipments", block, width);
    table.set_numbers("cumulative_amount", cumulative);
  }
  random_customers(const random_customers&) = delete;  // the table points into the vectors
  random_customers& operator=(const random_customers&) = delete;
};

BOOST_AUTO_TEST_CASE(the_columnar_impact_flips_what_whole_explanations_flip) {
  // compare_batch renders reports only for the criteria whose outcome differs; the flips must
  // be exactly those of flipped_criteria() over two whole explanations, row by row.
  const auto& p = keyaccount::default_policy();
  auto q = keyaccount::with_parameters(
      p,
      {{"cumulative_amount_min", 700}, {"monthly_shipment_min", 40}, {"new_customer_months", 6}});
  keyaccount::classifier a(p), b(q);
  const auto as_of = *keyaccount::date::parse("2026-06-30");
  const std::size_t rows = 3000;
  const random_customers customers(rows, 14, 21, as_of);
  const auto& t = customers.table;
  const auto report = keyaccount::compare_batch(a, b, t, as_of);
  BOOST_TEST(report.changes.size() > 100u);
  std::vector<std::size_t> moved;
  for (const auto& c : report.changes) moved.push_back(c.row);
  const auto ea = keyaccount::explain_rows(a, t, as_of, moved);
  const auto eb = keyaccount::explain_rows(b, t, as_of, moved);
  for (std::size_t k = 0; k < moved.size(); ++k) {
    const auto& got = report.changes[k];
    const auto want = keyaccount::flipped_criteria(ea[k], eb[k]);
    BOOST_TEST(got.old_tier == ea[k].tier);
    BOOST_TEST(got.new_tier == eb[k].tier);
    BOOST_REQUIRE_EQUAL(got.flips.size(), want.size());
    for (std::size_t f = 0; f < want.size(); ++f) {
      BOOST_TEST(got.flips[f].id == want[f].id);
      BOOST_TEST(got.flips[f].article == want[f].article);
      BOOST_TEST((got.flips[f].old_result == want[f].old_result));
      BOOST_TEST((got.flips[f].new_result == want[f].new_result));
      BOOST_TEST(got.flips[f].old_why_not.en == want[f].old_why_not.en);
      BOOST_TEST(got.flips[f].old_why_not.zh == want[f].old_why_not.zh);
      BOOST_TEST(got.flips[f].new_why_not.en == want[f].new_why_not.en);
      BOOST_TEST(got.flips[f].new_why_not.zh == want[f].new_why_not.zh);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_columnar_impact_of_a_table_larger_than_a_block_counts_every_row_once) {
  // compare_batch classifies 65 536 rows at a time: the matrix, the failures and the changes of
  // a larger table (rows, tiers) must be those of classifying it whole with each policy, on
  // both sides of the block boundary.
  const auto& p = keyaccount::default_policy();
  auto q = keyaccount::with_parameters(p, {{"cumulative_amount_min", 700}});
  keyaccount::classifier a(p), b(q);
  const auto as_of = *keyaccount::date::parse("2026-06-30");
  const std::size_t rows = 65536 + 4000;
  // Malformed rows on both sides of the boundary (and on it): no finite cumulative amount.
  const random_customers customers(
      rows, 4, 22, as_of, [](std::size_t i) { return i % 997 == 0 || i == 65535 || i == 65536; });
  const auto& t = customers.table;
  const auto report = keyaccount::compare_batch(a, b, t, as_of);
  std::vector<std::int32_t> ta(rows), tb(rows);
  const auto errors_a = keyaccount::classify_batch_into(a, t, as_of, ta);
  BOOST_TEST(keyaccount::classify_batch_into(b, t, as_of, tb).size() == errors_a.size());
  std::vector<std::vector<std::size_t>> matrix(2, std::vector<std::size_t>(2, 0));
  std::vector<std::size_t> failed, moved;
  for (std::size_t i = 0; i < rows; ++i) {
    if (ta[i] < 0 || tb[i] < 0) {
      failed.push_back(i);
      continue;
    }
    ++matrix[static_cast<std::size_t>(ta[i])][static_cast<std::size_t>(tb[i])];
    if (ta[i] != tb[i]) moved.push_back(i);
  }
  BOOST_TEST(failed.size() == 72u);  // 70 multiples of 997 (0 too) below 69 536, 65 535, 65 536
  BOOST_TEST(report.matrix == matrix);
  BOOST_TEST(report.customers == rows - failed.size());
  BOOST_TEST(report.failed == failed.size());
  BOOST_REQUIRE_EQUAL(report.failures.size(), failed.size());
  for (std::size_t k = 0; k < failed.size(); ++k) {
    BOOST_TEST(report.failures[k].row == failed[k]);
    BOOST_TEST(report.failures[k].field == "cumulative_amount");
  }
  BOOST_REQUIRE_EQUAL(report.changes.size(), moved.size());
  BOOST_TEST(moved.back() >= 65536u);  // changes in the second block too
  const auto ea = keyaccount::explain_rows(a, t, as_of, moved);
  const auto eb = keyaccount::explain_rows(b, t, as_of, moved);
  for (std::size_t k = 0; k < moved.size(); ++k) {
    const auto& got = report.changes[k];
    BOOST_TEST(got.row == moved[k]);
    BOOST_TEST(got.old_tier == ea[k].tier);
    BOOST_TEST(got.new_tier == eb[k].tier);
    const auto want = keyaccount::flipped_criteria(ea[k], eb[k]);
    BOOST_REQUIRE_EQUAL(got.flips.size(), want.size());
    for (std::size_t f = 0; f < want.size(); ++f) {
      BOOST_TEST(got.flips[f].id == want[f].id);
      BOOST_TEST(got.flips[f].new_why_not.en == want[f].new_why_not.en);
    }
  }
}

BOOST_AUTO_TEST_CASE(impact_refuses_different_customer_schemas) {
  const auto& p = keyaccount::default_policy();
  auto other = edited([](json& d) {
    d["customer_schema"]["fields"].push_back({{"id", "region"}, {"type", "string"}});
  });
  keyaccount::classifier a(p), b(other);
  BOOST_CHECK_THROW(keyaccount::impact_builder(a, b, *keyaccount::date::parse("2026-06-30")),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
