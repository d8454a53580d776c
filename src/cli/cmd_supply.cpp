// keyaccount supply --as-of DATE --customers FILE --stock FILE [--format table|json|csv]
//                   [--on-error skip|fail]
// The demand and supply watch (Art. 7.1–7.2): each key customer's demand projected by the
// policy's `supply_watch.demand` rule, compared with stock and incoming supply, and the notices
// to Sales due before a shortage. Exit 0 with no notice, 1 with notices (or malformed input),
// 2 for bad arguments or unreadable files: a nightly job can act on it like on `compliance`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "care_input.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/supply.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {

namespace {

struct supply_args {
  std::string policy, as_of, customers, stock;
  std::string format = "table", on_error = "fail";
};

// The table rounds to one decimal (the JSON and CSV outputs are exact).
std::string number(double d) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f", d);
  return text;
}

void print_table(const care::supply_report& r, context& ctx) {
  const std::string unit = r.unit.empty() ? "" : " (" + r.unit + ")";
  ctx.out << "Supply watch on " << r.as_of.to_string() << " [" << r.article << "], "
          << r.horizon_months << " months ahead, "
          << (r.per_product ? "per product" : "in aggregate") << unit << '\n';
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : r.months)
    rows.push_back({m.product.empty() ? "(all)" : m.product, m.month,
                    m.peak_season ? "peak " + m.period : "", number(m.demand),
                    number(m.cumulative_demand), number(m.available),
                    m.shortfall > 0 ? number(m.shortfall) : ""});
  ctx.out << text_table(
      {"product", "month", "season", "demand", "cumulative", "available", "shortfall"}, rows);
  ctx.out << r.customers.size() << " customers watched\n";
  for (const auto& n : r.notices) {
    ctx.out << "\nnotice to " << n.to << (n.to_name.empty() ? "" : " (" + n.to_name + ")")
            << " from " << n.from << ", due " << n.due.to_string() << (n.late ? " (late)" : "")
            << " [" << n.article << "]: " << n.message << "\n  customers: ";
    for (std::size_t i = 0; i < n.customers.size(); ++i)
      ctx.out << (i ? ", " : "") << n.customers[i];
    ctx.out << '\n';
  }
}

int run_supply(const supply_args& o, context& ctx) {
  auto p = load_policy_option(o.policy, ctx);
  if (!p) return exit_failure;
  if (!p->supply_watch) {
    ctx.err << "keyaccount supply: error[invalid_input]: the policy has no `supply_watch` "
               "section (Art. 7.1-7.2)\n";
    return exit_failure;
  }
  auto as_of = parse_day(o.as_of, "--as-of", ctx);
  if (!as_of) return exit_usage;
  warn_if_not_in_force(*p, *as_of, "supply", ctx);
  classifier c(*p);
  std::vector<customer_record> customers;
  if (int rc = read_customer_records(o.customers, c, o.on_error, ctx, customers)) return rc;
  std::vector<care::supply_item> stock;
  care::first_places first("stock of");
  if (int rc =
          read_records(o.stock, o.on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
            care::supply_item s = care::supply_item_from_json(j);
            care::refuse_if_any(care::supply_item_problems(s));
            first.note(s.product + (s.spec.empty() ? "" : "/" + s.spec) +
                           (s.arrives_on ? " arriving " + s.arrives_on->to_string() : " on hand"),
                       place(o.stock, line));
            stock.push_back(std::move(s));
          }))
    return rc;
  try {
    const auto r = care::supply_watch(c, customers, stock, *as_of);
    if (o.format == "json") {
      ctx.out << care::to_json(r).dump(2) << '\n';
    } else if (o.format == "csv") {
      ctx.out << care::to_csv(r);
    } else {
      print_table(r, ctx);
    }
    return r.notices.empty() ? exit_ok : exit_failure;
  } catch (const care::supply_error& e) {
    for (const auto& problem : e.problems())
      ctx.err << "keyaccount supply: error[invalid_input]: " << problem << '\n';
    return exit_failure;
  }
}

}  // namespace

void add_supply_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<supply_args>();
  auto* sub = app.add_subcommand(
      "supply", "Demand and supply watch: notices to Sales before a shortage (Art. 7.1-7.2)");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--as-of", o->as_of, "The day of the watch, YYYY-MM-DD")->required();
  sub->add_option("--customers", o->customers,
                  "Customers (classify's format): the key customers' monthly series")
      ->required();
  sub->add_option("--stock", o->stock,
                  "Stock: product, spec, quantity, arrives_on (empty: on hand) (CSV / JSON Lines)")
      ->required();
  sub->add_option("--format", o->format, "Output: table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->callback([o, &ctx] { ctx.exit_code = run_supply(*o, ctx); });
}

}  // namespace keyaccount::cli
