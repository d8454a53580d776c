// keyaccount allocate --on DATE --stock FILE --orders FILE [--within-tier first_come|pro_rata]
//                     [--pack-size N] [--format table|json|csv] [--on-error skip|fail]
// Shares the stock among the open order lines (Art. 7.3). Exit 0, 1 for malformed inputs,
// 2 for bad arguments or unreadable files.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>

#include "care_input.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/json.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {

namespace {

struct allocate_args {
  std::string policy, on, stock, orders, within_tier;
  std::string format = "table", on_error = "fail";
  int pack_size = 0;
};

int run_allocate(const allocate_args& o, context& ctx) {
  auto p = load_policy_option(o.policy, ctx);
  if (!p) return exit_failure;
  auto on = parse_day(o.on, "--on", ctx);
  if (!on) return exit_usage;
  std::vector<care::stock_item> stock;
  std::vector<care::order_line> lines;
  // What allocate would refuse in one record (an unknown tier, a bad time, a negative
  // quantity, an id or product given twice) is reported at the record's line, like a malformed
  // one, rather than after reading as `lines[40]`.
  care::first_places first_stock("stock of"), first_line("order line");
  if (int rc =
          read_records(o.stock, o.on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
            care::stock_item s = care::stock_item_from_json(j);
            care::refuse_if_any(care::stock_item_problems(s));
            first_stock.note(s.product + (s.spec.empty() ? "" : "/" + s.spec),
                             place(o.stock, line));
            stock.push_back(std::move(s));
          }))
    return rc;
  if (int rc =
          read_records(o.orders, o.on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
            care::order_line l = care::order_line_from_json(j);
            care::refuse_if_any(care::order_line_problems(*p, l));
            first_line.note(l.id, place(o.orders, line));
            lines.push_back(std::move(l));
          }))
    return rc;
  care::allocation_options options;
  if (!o.within_tier.empty())
    options.within_tier =
        o.within_tier == "pro_rata" ? allocation_mode::pro_rata : allocation_mode::first_come;
  if (o.pack_size > 0) options.pack_size = o.pack_size;
  try {
    auto r = care::allocate(*p, stock, lines, *on, options);
    if (o.format == "json") {
      ctx.out << care::to_json(r).dump(2) << '\n';
    } else if (o.format == "csv") {
      ctx.out << care::to_csv(r);
    } else {
      ctx.out << "Allocation on " << on->to_string() << ": "
              << (r.peak_season ? "peak season " + r.period + ", tiers in priority, then " +
                                      std::string(care::to_string(r.mode))
                                : std::string("outside peak season, first-come"))
              << " (" << r.article << ")\n";
      std::vector<std::vector<std::string>> rows;
      for (const auto& l : r.lines)
        rows.push_back({l.line, l.customer, l.tier,
                        l.product + (l.spec.empty() ? "" : "/" + l.spec), std::to_string(l.ordered),
                        std::to_string(l.allocated), l.reason});
      ctx.out << text_table({"line", "customer", "tier", "product", "ordered", "allocated", "why"},
                            rows);
      std::vector<std::vector<std::string>> srows;
      for (const auto& s : r.stock)
        srows.push_back({s.product + (s.spec.empty() ? "" : "/" + s.spec), std::to_string(s.stock),
                         std::to_string(s.allocated), std::to_string(s.remaining),
                         std::to_string(s.unmet)});
      ctx.out << '\n' << text_table({"product", "stock", "allocated", "remaining", "unmet"}, srows);
    }
  } catch (const care::allocation_error& e) {
    for (const auto& problem : e.problems())
      ctx.err << "keyaccount allocate: error[invalid_input]: " << problem << '\n';
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace

void add_allocate_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<allocate_args>();
  auto* sub = app.add_subcommand("allocate", "Peak-season priority allocation of stock (Art. 7.3)");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--on", o->on, "The allocation day, YYYY-MM-DD (decides peak season)")
      ->required();
  sub->add_option("--stock", o->stock, "Stock: product, spec, quantity (CSV / JSON Lines)")
      ->required();
  sub->add_option("--orders", o->orders,
                  "Open order lines: id, customer, tier, product, spec, quantity, ordered_at")
      ->required();
  sub->add_option("--within-tier", o->within_tier, "Override: first_come or pro_rata")
      ->check(CLI::IsMember({"first_come", "pro_rata"}));
  sub->add_option("--pack-size", o->pack_size, "Override the pack size for pro-rata rounding")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--format", o->format, "Output: table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->callback([o, &ctx] { ctx.exit_code = run_allocate(*o, ctx); });
}

}  // namespace keyaccount::cli
