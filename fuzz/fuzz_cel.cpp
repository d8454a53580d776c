// Fuzz target: CEL parse + check + evaluate with random variables.
// Input: an expression, optionally followed by a NUL byte and bytes that choose the variables'
// values (x int, d double, s string, l list of doubles, m map string->int, dt date, category).
// Invariants: compile never throws; a failed compile has diagnostics located inside the source;
// a program evaluates (checked and unchecked) to a value or an error value with a message,
// never throwing; a value renders; the same program on the same variables gives the same result.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common.hpp"
#include "keyaccount/expr.hpp"
#include "shared_checks.hpp"

namespace ex = keyaccount::expr;

namespace {

// Reads values from the bytes after the NUL; zeros once they run out.
class byte_source {
 public:
  explicit byte_source(std::string_view bytes) : bytes_(bytes) {}
  std::uint8_t byte() { return at_ < bytes_.size() ? static_cast<std::uint8_t>(bytes_[at_++]) : 0; }
  template <class T>
  T raw() {
    unsigned char buf[sizeof(T)] = {};
    for (auto& b : buf) b = byte();
    T v;
    std::memcpy(&v, buf, sizeof v);
    return v;
  }
  std::string text() {
    std::size_t n = byte() % 24;
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>(byte());
    return s;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

struct environment {
  ex::declarations decls;
  environment() { fuzz::declare_cel_variables(decls); }
};

std::string describe(const ex::value& v) {
  return v.is_error() ? "error: " + std::string(v.error_message()) : v.debug_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const environment env;
  auto [source, value_bytes] = fuzz::split_once(
      std::string_view(reinterpret_cast<const char*>(data), size), std::string_view("\0", 1));
  byte_source in(value_bytes);
  std::vector<double> series;
  ex::activation vars(env.decls);
  vars.set("x", ex::value::int64(in.raw<std::int64_t>()));
  vars.set("d", ex::value::float64(in.raw<double>()));
  vars.set("s", ex::value::string(in.text()));
  for (std::size_t n = in.byte() % 40; n > 0; --n) series.push_back(in.raw<double>());
  vars.set("l", ex::value::double_list(series));
  std::vector<ex::value::map_entry> entries;
  for (std::size_t n = in.byte() % 4; n > 0; --n) {
    auto key = ex::value::string(in.text());
    entries.push_back({key, ex::value::int64(in.raw<std::int64_t>())});
  }
  // A map with a repeated key is not a value CEL can make; keep the first.
  std::vector<ex::value::map_entry> unique;
  for (auto& e : entries) {
    bool seen = false;
    for (const auto& u : unique) seen = seen || u.first.as_string() == e.first.as_string();
    if (!seen) unique.push_back(e);
  }
  vars.set("m", ex::value::map(unique));
  // Years 1..9999, the range date literals and record dates can take.
  auto days = in.raw<std::uint32_t>() % (2932896u + 719162u);
  vars.set("dt",
           ex::value::from_date(ex::date::from_days(static_cast<std::int32_t>(days) - 719162)));
  vars.set("category", ex::value::string(in.text()));

  std::string text(source);
  for (bool checked : {true, false}) {
    ex::compile_options options;
    options.check_types = checked;
    ex::compile_result r;
    try {
      r = ex::compile(text, env.decls, options);
    } catch (const std::exception& e) {
      fuzz::violated("compile does not throw", __FILE__, __LINE__, e.what());
    }
    if (!r.ok()) {
      FUZZ_REQUIRE(!r.diagnostics.empty(), "a failed compile says why");
      for (const auto& d : r.diagnostics) {
        FUZZ_REQUIRE(!d.code.empty() && !d.message.empty(), d.code);
        FUZZ_REQUIRE(d.offset <= text.size(), d.code + " at " + std::to_string(d.offset));
        FUZZ_REQUIRE(d.line >= 1 && d.column >= 1, d.code);
      }
      continue;
    }
    ex::activation run_vars = vars;
    if (!checked) {
      run_vars = ex::activation(*r.program);
      for (std::size_t i = 0; i < env.decls.variables().size(); ++i) run_vars.set(i, *vars.get(i));
    }
    try {
      ex::value v = r.program->evaluate(run_vars);
      if (v.is_error()) FUZZ_REQUIRE(!v.error_message().empty(), "an error value says why");
      std::string first = describe(v);
      ex::value again = r.program->evaluate(run_vars);
      FUZZ_REQUIRE(describe(again) == first, "evaluation is deterministic: " + first);
    } catch (const std::exception& e) {
      fuzz::violated("evaluate does not throw", __FILE__, __LINE__, e.what());
    }
  }
  return 0;
}
