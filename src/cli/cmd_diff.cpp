// keyaccount diff OLD [NEW] [--set NAME=VALUE]... [--format text|json|markdown]
//                 [--customers FILE --as-of DATE [--fail-on-change] [--on-error skip|fail]]
// What changed between two policies (issue 20 item 2) and, with --customers, which customers
// change tier and why (item 3).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"
#include "input_file.hpp"
#include "keyaccount/classify/impact.hpp"
#include "keyaccount/classify/repeated_ids.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/io/customers.hpp"
#include "keyaccount/policy/diff.hpp"
#include "keyaccount/policy/identity.hpp"
#include "keyaccount/policy/loader.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {
namespace {

struct diff_options {
  std::string old_file, new_file;
  std::vector<std::string> set;
  std::string format = "text";
  std::string customers;
  std::string as_of;
  bool fail_on_change = false;
  std::string on_error = "fail";
};

// Classifies every customer of `o.customers` with both policies. nullopt after printing why
// when the file cannot be read (ctx.exit_code set).
std::optional<impact_report> measure(const diff_options& o, const policy& a, const policy& b,
                                     date as_of, context& ctx) {
  const classifier ca(a), cb(b);
  std::optional<impact_builder> impact;
  try {
    impact.emplace(ca, cb, as_of);
  } catch (const std::invalid_argument& e) {
    ctx.err << "keyaccount diff: --customers: " << e.what() << '\n';
    ctx.exit_code = exit_usage;
    return std::nullopt;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  io::format format = io::format::json;
  if (o.customers != "-") {
    if (!open_input_file(o.customers, "customers file", file, ctx.err)) {
      ctx.exit_code = exit_usage;
      return std::nullopt;
    }
    in = &file;
    format = io::format_of(o.customers);
  }
  const std::string name = o.customers == "-" ? "<stdin>" : o.customers;
  record_rejections rejections(ctx.err, name, o.on_error == "fail");
  first_places_of_ids first_lines;  // the line each id was first read at
  try {
    io::read_customers(*in, format, ca.parser(), [&](io::customer_item&& item) {
      auto reject = [&](const char* kind, const std::string& message) {
        return rejections.reject(item.line, kind, message);
      };
      if (!item.record) return reject("invalid_record", item.error);
      // One customer, one row of the comparison: an id given twice is refused at its second
      // record, as `keyaccount classify` refuses it.
      if (auto first = first_lines.repeated(item.record->id(), item.line))
        return reject("invalid_record",
                      given_twice(item.record->id(), name + ':' + std::to_string(*first)));
      try {
        if (!impact->add(*item.record))
          return reject("evaluation_error", "customer \"" + item.record->id() +
                                                "\": a criterion could not be evaluated by one "
                                                "of the policies");
      } catch (const input_error& e) {
        return reject("invalid_record", e.what());
      }
      return true;
    });
  } catch (const io::read_error& e) {
    ctx.err << e.where(name) << ": error[invalid_input]: " << e.message() << '\n';
    ctx.exit_code = exit_failure;
    return std::nullopt;
  } catch (const input_error& e) {
    ctx.err << name << ": error[invalid_input]: " << e.what() << '\n';
    ctx.exit_code = exit_failure;
    return std::nullopt;
  }
  if (rejections.finish() != exit_ok) {
    ctx.exit_code = exit_failure;
    return std::nullopt;
  }
  return impact->report();
}

int run_diff(const diff_options& o, context& ctx) {
  std::optional<date> as_of;
  if (!o.customers.empty()) {
    if (o.as_of.empty()) {
      ctx.err << "keyaccount diff: --customers needs --as-of DATE\n";
      return exit_usage;
    }
    as_of = date::parse(o.as_of);
    if (!as_of) {
      ctx.err << "keyaccount diff: --as-of: " << field_check::not_a_date(o.as_of) << "\n";
      return exit_usage;
    }
  } else if (o.fail_on_change || !o.as_of.empty()) {
    ctx.err << "keyaccount diff: " << (o.fail_on_change ? "--fail-on-change" : "--as-of")
            << " needs --customers FILE\n";
    return exit_usage;
  }
  if (o.new_file.empty() && o.set.empty()) {
    ctx.err << "keyaccount diff: give the candidate policy file NEW, or --set NAME=VALUE\n";
    return exit_usage;
  }
  // --set NAME=VALUE: parameters of the candidate (NEW, or OLD when NEW is not given).
  std::map<std::string, double> values;
  for (const auto& item : o.set) {
    auto eq = item.find('=');
    char* end = nullptr;
    const std::string number = eq == std::string::npos ? "" : item.substr(eq + 1);
    const double value = std::strtod(number.c_str(), &end);
    if (eq == std::string::npos || eq == 0 || number.empty() || *end != '\0') {
      ctx.err << "keyaccount diff: --set: \"" << item << "\" is not NAME=NUMBER\n";
      return exit_usage;
    }
    values[item.substr(0, eq)] = value;
  }
  auto a = load_policy_option(o.old_file, ctx);
  if (!a) return ctx.exit_code;
  auto b = o.new_file.empty() ? a : load_policy_option(o.new_file, ctx);
  if (!b) return ctx.exit_code;
  if (!values.empty()) {
    try {
      b = with_parameters(*b, values);
    } catch (const policy_error& e) {
      for (const auto& d : e.diagnostics())
        ctx.err << "keyaccount diff: --set: error[" << d.code << "]: " << d.message << '\n';
      return exit_usage;
    }
  }
  const auto changes = diff_policies(*a, *b);
  std::optional<impact_report> impact;
  if (as_of) {
    impact = measure(o, *a, *b, *as_of, ctx);
    if (!impact) return ctx.exit_code;
  }
  if (o.format == "json") {
    nlohmann::json j = diff_to_json(*a, *b, changes);
    if (impact) j["impact"] = to_json(*impact);
    ctx.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (o.format == "markdown") {
    ctx.out << diff_to_markdown(*a, *b, changes);
    if (impact) ctx.out << '\n' << to_markdown(*impact);
  } else {
    ctx.out << diff_to_text(*a, *b, changes);
    if (impact) ctx.out << '\n' << to_text(*impact);
  }
  ctx.out.flush();
  if (o.fail_on_change && impact && !impact->changes.empty()) return exit_failure;
  return exit_ok;
}

}  // namespace

void add_diff_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<diff_options>();
  CLI::App* sub = app.add_subcommand(
      "diff",
      "What changed between two policies (each change with its article, old and new value) "
      "and, with --customers, which customers change tier and why");
  sub->add_option("old", o->old_file, "The baseline policy file (the one in force)")->required();
  sub->add_option("new", o->new_file, "The candidate policy file (default: OLD, with --set)");
  sub->add_option("--set", o->set,
                  "NAME=VALUE: set a parameter of the candidate (a what-if edit; repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--format", o->format, "Output: text (default), json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  sub->add_option("--customers", o->customers,
                  "Customers (JSON Lines, a JSON array or CSV; - for standard input): add the "
                  "tier transition matrix and every customer whose tier changes");
  sub->add_option("--as-of", o->as_of, "The evaluation date for --customers, YYYY-MM-DD");
  sub->add_flag("--fail-on-change", o->fail_on_change,
                "Exit 1 when any customer changes tier (a CI gate for a neutral edit)");
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->callback([o, &ctx] { ctx.exit_code = run_diff(*o, ctx); });
}

}  // namespace keyaccount::cli
