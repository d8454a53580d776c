// Runs the CEL specification's conformance cases (tests/data/cel-conformance/*.json, copied
// from google/cel-spec, see the README there) against the engine. Every core case (no
// `features`) must pass; a case is skipped only because it needs a named feature this project
// leaves out (uint, bytes, proto, ...).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "keyaccount/expr.hpp"

namespace fs = std::filesystem;
namespace ex = keyaccount::expr;
using nlohmann::json;

namespace {

fs::path conformance_dir() {
  if (const char* env = std::getenv("KEYACCOUNT_CEL_CONFORMANCE_DIR")) return env;
  return fs::path(KEYACCOUNT_TEST_DATA_DIR) / "cel-conformance";
}

double json_double(const json& j) {
  if (j.is_string()) {
    auto s = j.get<std::string>();
    if (s == "NaN") return std::nan("");
    if (s == "Infinity") return INFINITY;
    if (s == "-Infinity") return -INFINITY;
  }
  return j.get<double>();
}

// A typed conformance value ({"int": "1"}, {"list": [...]}, ...) as an engine value.
ex::value typed_value(const json& tv) {
  auto it = tv.begin();
  const std::string kind = it.key();
  const json& v = it.value();
  if (kind == "int") return ex::value::int64(std::stoll(v.get<std::string>()));
  if (kind == "double") return ex::value::float64(json_double(v));
  if (kind == "string") return ex::value::string(v.get<std::string>());
  if (kind == "bool") return ex::value::boolean(v.get<bool>());
  if (kind == "null") return ex::value::null();
  if (kind == "list") {
    std::vector<ex::value> out;
    for (const auto& e : v) out.push_back(typed_value(e));
    return ex::value::list(std::move(out));
  }
  if (kind == "map") {
    std::vector<ex::value::map_entry> out;
    for (const auto& e : v) out.emplace_back(typed_value(e[0]), typed_value(e[1]));
    return ex::value::map(std::move(out));
  }
  throw std::runtime_error("unsupported typed value kind: " + kind);
}

// Exact comparison for expectations: kinds must match (1 is not 1.0), NaN matches NaN.
bool same(const ex::value& a, const ex::value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ex::value_kind::float64: {
      double x = a.as_double(), y = b.as_double();
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
      return x == y && std::signbit(x) == std::signbit(y);
    }
    case ex::value_kind::list: {
      auto la = a.as_list(), lb = b.as_list();
      if (la.size() != lb.size()) return false;
      for (std::size_t i = 0; i < la.size(); ++i)
        if (!same(la[i], lb[i])) return false;
      return true;
    }
    case ex::value_kind::map: {
      if (a.entries().size() != b.entries().size()) return false;
      for (const auto& [k, v] : a.entries()) {
        bool found = false;
        for (const auto& [k2, v2] : b.entries()) {
          if (same(k, k2)) {
            found = same(v, v2);
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    default:
      return ex::equals(a, b);
  }
}

// Runs one case; returns an empty string on success, else what went wrong.
std::string run_case(const json& c) {
  ex::declarations decls;
  const json type_env = c.value("type_env", json::object());
  for (const auto& [name, text] : type_env.items()) {
    auto t = ex::type::parse(text.get<std::string>());
    if (!t) return "cannot parse declared type " + text.dump();
    decls.add_variable(name, *t);
  }
  ex::compile_options options;
  options.check_types = !c.value("disable_check", false);
  options.enable_macros = !c.value("disable_macros", false);
  const auto& expect = c.at("expect");
  auto compiled = ex::compile(c.at("expr").get<std::string>(), decls, options);
  if (!compiled.ok()) {
    if (expect.contains("error") && !options.check_types) return {};
    return "compile failed: " + ex::format_diagnostics(compiled.diagnostics);
  }
  ex::activation vars(*compiled.program);
  const json bindings = c.value("bindings", json::object());
  for (const auto& [name, tv] : bindings.items()) {
    vars.set(name, typed_value(tv));
  }
  ex::value result = compiled.program->evaluate(vars);
  if (expect.contains("error")) {
    if (result.is_error()) return {};
    return "expected an error, got " + result.debug_string();
  }
  ex::value wanted = typed_value(expect.at("value"));
  if (same(result, wanted)) return {};
  return "expected " + wanted.debug_string() + ", got " + result.debug_string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cel_conformance)

BOOST_AUTO_TEST_CASE(every_core_case_passes) {
  fs::path dir = conformance_dir();
  BOOST_REQUIRE_MESSAGE(fs::is_directory(dir),
                        "CEL conformance cases not found in " + dir.string() +
                            " (set KEYACCOUNT_CEL_CONFORMANCE_DIR to their folder)");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  BOOST_REQUIRE_MESSAGE(!files.empty(), "no *.json conformance files in " + dir.string());

  std::size_t total_passed = 0, total_failed = 0, total_skipped = 0;
  for (const auto& file : files) {
    std::ifstream in(file);
    json cases = json::parse(in);
    std::size_t passed = 0, failed = 0, skipped = 0;
    std::map<std::string, std::size_t> skipped_by_feature;
    for (const auto& c : cases) {
      const json features = c.value("features", json::array());
      if (!features.empty()) {
        ++skipped;
        for (const auto& f : features) ++skipped_by_feature[f.get<std::string>()];
        continue;
      }
      std::string problem;
      try {
        problem = run_case(c);
      } catch (const std::exception& e) {
        problem = std::string("exception: ") + e.what();
      }
      if (problem.empty()) {
        ++passed;
      } else {
        ++failed;
        BOOST_ERROR(file.filename().string() + " " + c.value("section", "") + "/" +
                    c.value("name", "") + ": `" + c.value("expr", "") + "`: " + problem);
      }
    }
    std::string features_text;
    for (const auto& [f, n] : skipped_by_feature)
      features_text += (features_text.empty() ? "" : ", ") + f + " " + std::to_string(n);
    std::cout << "cel conformance " << file.filename().string() << ": " << passed << " passed, "
              << failed << " failed, " << skipped << " skipped"
              << (features_text.empty() ? "" : " (needs: " + features_text + ")") << '\n';
    total_passed += passed;
    total_failed += failed;
    total_skipped += skipped;
  }
  std::cout << "cel conformance total: " << total_passed << " passed, " << total_failed
            << " failed, " << total_skipped << " skipped\n";
  BOOST_TEST(total_passed > 0u);
  BOOST_TEST(total_failed == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
