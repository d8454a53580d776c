#include "keyaccount/classify/policy_tests.hpp"
#include "keyaccount/core/field_check.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>

#include "core/suggest.hpp"
#include "keyaccount/json/parse.hpp"

namespace keyaccount {
namespace {

using nlohmann::json;

date date_member(const json& j, const std::string& path) {
  if (!j.is_string()) throw input_error(path, "expected a date string YYYY-MM-DD");
  auto d = date::parse(j.get<std::string>());
  if (!d) throw input_error(path, field_check::not_a_date(j.get<std::string>()));
  return *d;
}

// A test file is written by hand: a misspelt key ("asof", "expected") would otherwise be
// ignored and the case would test less than it says, or nothing.
void only_known_keys(const json& object, std::initializer_list<std::string_view> known,
                     const std::string& at) {
  std::vector<std::string> names(known.begin(), known.end());
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string path = at.empty() ? key : at + "." + key;
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    const std::string guess = detail::closest_match(key, names);
    throw input_error(
        path, "unknown key" + (guess.empty() ? std::string() : " (did you mean `" + guess + "`?)") +
                  "; expected one of " + list);
  }
}

std::string join(const std::vector<std::string>& xs) {
  std::string s = "[";
  for (const auto& x : xs) s += (s.size() > 1 ? ", " : "") + x;
  return s + "]";
}

}  // namespace

std::vector<policy_test_case> parse_policy_tests(std::string_view text) {
  json doc;
  try {
    doc = parse_json(text);
  } catch (const json_error& e) {
    throw input_error("", std::string("the test file is not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) throw input_error("", "the test file must be a JSON object");
  // "$schema" lets an editor find schema/policy-tests.schema.json; it means nothing here.
  only_known_keys(doc, {"$schema", "description", "as_of", "defaults", "cases"}, "");
  std::optional<date> default_as_of;
  if (doc.contains("as_of")) default_as_of = date_member(doc["as_of"], "as_of");
  json defaults = doc.value("defaults", json::object());
  if (!defaults.is_object()) throw input_error("defaults", "expected an object");
  if (!doc.contains("cases") || !doc["cases"].is_array())
    throw input_error("cases", "expected an array of test cases");
  if (doc["cases"].empty())
    throw input_error("cases", "no test cases: a test file tests something");
  std::vector<policy_test_case> cases;
  for (std::size_t i = 0; i < doc["cases"].size(); ++i) {
    const json& c = doc["cases"][i];
    const std::string at = "cases[" + std::to_string(i) + "]";
    if (!c.is_object()) throw input_error(at, "expected an object");
    only_known_keys(c, {"name", "customer", "as_of", "expect"}, at);
    policy_test_case t;
    t.name = c.value("name", at);
    t.customer = defaults;
    if (!c.contains("customer") || !c["customer"].is_object())
      throw input_error(at + ".customer", "expected an object");
    for (const auto& [k, v] : c["customer"].items()) t.customer[k] = v;
    if (c.contains("as_of")) {
      t.as_of = date_member(c["as_of"], at + ".as_of");
    } else if (default_as_of) {
      t.as_of = *default_as_of;
    } else {
      throw input_error(at + ".as_of", "no as_of in the case or at the top of the file");
    }
    if (!c.contains("expect") || !c["expect"].is_object())
      throw input_error(at + ".expect", "expected an object");
    const json& e = c["expect"];
    if (e.empty())
      throw input_error(at + ".expect",
                        "expects nothing: give a tier, deciding criteria or criterion outcomes");
    for (const auto& [k, v] : e.items()) {
      const std::string where = at + ".expect." + k;
      if (k == "tier") {
        if (!v.is_string()) throw input_error(where, "expected a tier id");
        t.tier = v.get<std::string>();
      } else if (k == "deciding") {
        if (!v.is_array()) throw input_error(where, "expected an array of criterion ids");
        t.deciding.emplace();
        for (const auto& id : v) {
          if (!id.is_string()) throw input_error(where, "expected criterion ids");
          t.deciding->push_back(id.get<std::string>());
        }
      } else if (k == "criteria") {
        if (!v.is_object()) throw input_error(where, "expected {criterion id: met|not_met}");
        for (const auto& [id, o] : v.items()) {
          if (!o.is_string() || (o != "met" && o != "not_met"))
            throw input_error(where + "." + id, "expected \"met\" or \"not_met\"");
          t.criteria[id] = o.get<std::string>();
        }
      } else {
        throw input_error(where, "unknown expectation (tier, deciding or criteria)");
      }
    }
    cases.push_back(std::move(t));
  }
  return cases;
}

policy_test_report run_policy_tests(const classifier& c,
                                    const std::vector<policy_test_case>& cases) {
  policy_test_report report;
  const std::size_t n = c.criterion_count();
  std::vector<bool> named(n), seen_met(n), seen_unmet(n);
  auto index_of = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < n; ++i)
      if (c.criterion_id(i) == id) return i;
    return std::nullopt;
  };
  for (const auto& t : cases) {
    policy_test_failure f{t.name, {}};
    if (t.deciding)
      for (const auto& id : *t.deciding)
        if (auto i = index_of(id)) named[*i] = true;
    for (const auto& [id, o] : t.criteria)
      if (auto i = index_of(id)) named[*i] = true;
    try {
      explanation e = c.explain(c.parser().from_json(t.customer), t.as_of);
      for (std::size_t i = 0; i < e.criteria.size() && i < n; ++i) {
        if (e.criteria[i].result == outcome::met) seen_met[i] = true;
        if (e.criteria[i].result == outcome::not_met) seen_unmet[i] = true;
      }
      if (!e.result.ok()) {
        // No tier: say which criterion could not be evaluated and why, whatever was expected.
        std::string what = "no tier: ";
        const criterion_report* r = e.result.error_criterion < n
                                        ? e.find(c.criterion_id(e.result.error_criterion))
                                        : nullptr;
        what += r ? "criterion " + r->id + " could not be evaluated" +
                        (r->error.empty() ? "" : ": " + r->error)
                  : "the tiers could not be decided";
        f.mismatches.push_back(std::move(what));
      } else if (t.tier && *t.tier != e.tier) {
        f.mismatches.push_back("tier: expected " + *t.tier + ", got " + e.tier);
      }
      if (t.deciding) {
        std::set<std::string> want(t.deciding->begin(), t.deciding->end());
        std::set<std::string> got(e.deciding.begin(), e.deciding.end());
        if (want != got)
          f.mismatches.push_back("deciding: expected " + join(*t.deciding) + ", got " +
                                 join(e.deciding));
      }
      for (const auto& [id, o] : t.criteria) {
        const criterion_report* r = e.find(id);
        if (!r) {
          f.mismatches.push_back(id + ": no such criterion in the policy");
        } else if (to_string(r->result) != o) {
          std::string detail = r->observed.empty()
                                   ? ""
                                   : " (observed " + r->observed +
                                         (r->target.empty() ? "" : ", target " + r->target) + ")";
          f.mismatches.push_back(id + ": expected " + o + ", got " +
                                 std::string(to_string(r->result)) + detail);
        }
      }
    } catch (const input_error& e) {
      f.mismatches.push_back(std::string("customer: ") + e.what());
    }
    report.cases.push_back(f);
    if (f.mismatches.empty()) {
      ++report.passed;
    } else {
      report.failures.push_back(std::move(f));
    }
  }
  report.criterion_count = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (seen_met[i] && seen_unmet[i]) ++report.covered;
    if (!named[i]) report.unexercised.push_back(c.criterion_id(i));
    if (!seen_met[i]) report.never_met.push_back(c.criterion_id(i));
    if (!seen_unmet[i]) report.never_unmet.push_back(c.criterion_id(i));
  }
  return report;
}

}  // namespace keyaccount
