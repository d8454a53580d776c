// keyaccount plan --as-of DATE [--days N | --to DATE] (--customers FILE | --accounts FILE)
//                 --people FILE [--accounts FILE] [--festivals FILE] [--symposium FILE]
//                 [--visit-plan FILE]
//                 [--gift-amount N]
//                 [--format table|json|csv|ics] [--start-workflows] [--on-error skip|fail]
// The activities due in the period for the key customers (Art. 6.1, 8–12), with the yearly
// symposium and its invitations (Art. 10). Exit 0, or 1 for
// malformed inputs, 2 for bad arguments or unreadable files.
#include <CLI/CLI.hpp>
#include <cmath>
#include <memory>

#include "care_input.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "keyaccount/care/ics.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/workflow/json.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {

namespace {

struct plan_args {
  std::string policy, as_of, to, customers, accounts, people, festivals, symposium, visit_plan;
  std::string format = "table", on_error = "fail";
  int days = 90;
  double gift_amount = 0;
  bool start_workflows = false;
};

// CLI11's NonNegativeNumber and Range let "nan" and "inf" through (no comparison fails).
const CLI::Validator finite_non_negative(
    [](const std::string& text) {
      double value = 0;
      if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value < 0)
        return std::string("expected a finite number >= 0, got " + text);
      return std::string();
    },
    "NUMBER >= 0");

int run_plan(const plan_args& o, context& ctx) {
  auto p = load_policy_option(o.policy, ctx);
  if (!p) return exit_failure;
  auto from = parse_day(o.as_of, "--as-of", ctx);
  if (!from) return exit_usage;
  warn_if_not_in_force(*p, *from, "plan", ctx);
  date to = from->add_days(o.days - 1);
  if (!o.to.empty()) {
    auto t = parse_day(o.to, "--to", ctx);
    if (!t) return exit_usage;
    to = *t;
    if (to < *from) {
      ctx.err << "keyaccount plan: --to: " << o.to << " is before --as-of " << o.as_of
              << " (the period runs from --as-of to --to, both included)\n";
      return exit_usage;
    }
  } else if (to.year() > 9999) {
    // Dates are read and written as YYYY-MM-DD: a plan cannot run past what it could print.
    ctx.err << "keyaccount plan: --days: the period would end after 9999-12-31\n";
    return exit_usage;
  }
  account_inputs in;
  if (int rc = read_account_inputs(
          {"plan", o.customers, o.accounts, o.people, o.festivals, o.on_error}, *p, *from, ctx, in))
    return rc;
  const auto& accounts = in.accounts;
  const auto& people = in.people;
  std::vector<care::symposium_event> events;
  if (!o.symposium.empty())
    if (int rc = read_symposium(o.symposium, *p, *from, o.on_error, ctx, events)) return rc;
  std::vector<care::planned_visit> visits;
  if (!o.visit_plan.empty())
    if (int rc =
            read_visit_plan(o.visit_plan, *p, accounts, *people, *from, o.on_error, ctx, visits))
      return rc;
  try {
    care::festival_calendar calendar(*p, std::move(in.festivals));
    auto pl = care::make_plan(*p, calendar, accounts, *people,
                              {*from, to, o.gift_amount, &events, &visits});
    for (const auto& w : pl.warnings) ctx.err << "warning: " << w << '\n';
    std::vector<care::started_workflow> started;
    if (o.start_workflows)
      started = care::start_workflows(pl, workflows::workflow_set::compile(*p), *people);
    if (o.format == "json") {
      auto j = care::to_json(pl);
      if (o.start_workflows) j["workflows"] = care::to_json(started);
      ctx.out << j.dump(2) << '\n';
    } else if (o.format == "csv") {
      ctx.out << care::to_csv(pl);
    } else if (o.format == "ics") {
      ctx.out << care::to_ics(pl);
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const auto& i : pl.items)
        rows.push_back({i.due.to_string() + (i.overdue ? " !" : ""),
                        i.customer.empty() ? "(all invitees)" : i.customer,
                        i.activity + (i.festival.empty() ? "" : "@" + i.festival),
                        i.person.empty() ? "(" + i.position + ": nobody valid)" : i.person,
                        i.article, i.basis});
      ctx.out << "Activities due " << from->to_string() << " .. " << to.to_string() << " for "
              << accounts.size() << " customers (! overdue)\n"
              << text_table({"due", "customer", "activity", "responsible", "article", "why"}, rows)
              << pl.items.size() << " activities\n";
      for (const auto& w : started)
        if (const auto* inst = std::get_if<workflows::instance>(&w.outcome))
          ctx.out << "started " << inst->workflow << " for " << pl.items[w.item].customer << ": "
                  << to_string(inst->state) << " at " << inst->current_step << '\n';
        else
          ctx.out << "refused " << pl.items[w.item].workflow << " for " << pl.items[w.item].customer
                  << ": " << std::get<workflows::refusal>(w.outcome).message << '\n';
    }
  } catch (const keyaccount::error& e) {  // the library refuses the inputs
    ctx.err << "keyaccount plan: error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  } catch (const std::invalid_argument& e) {
    ctx.err << "keyaccount plan: error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace

void add_plan_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<plan_args>();
  auto* sub = app.add_subcommand("plan", "Maintenance activities due in a period (Art. 6.1, 8-12)");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--as-of", o->as_of, "First day of the period, YYYY-MM-DD")->required();
  auto* days = sub->add_option("--days", o->days, "Length of the period in days (default 90)")
                   ->check(CLI::Range(1, 3660));
  sub->add_option("--to", o->to, "Last day of the period (instead of --days)")->excludes(days);
  sub->add_option("--customers", o->customers,
                  "Customers file as for classify: classified on --as-of, with owners");
  sub->add_option("--accounts", o->accounts,
                  "Accounts (id, tier, owner, last_done, gift_amount), JSON Lines / JSON / CSV");
  sub->add_option("--people", o->people, "People file (org directory)")->required();
  sub->add_option("--festivals", o->festivals, "Extra or corrected festivals (JSON)");
  sub->add_option("--symposium", o->symposium,
                  "Symposium records (Art. 10): date, held, invited, attended; JSON Lines / JSON");
  sub->add_option("--visit-plan", o->visit_plan,
                  "Visit plan (Art. 9): customer, date, executive, done_on, briefed_on; JSON "
                  "Lines / JSON / CSV");
  sub->add_option("--gift-amount", o->gift_amount, "Gift amount in 元 for gift requests")
      ->check(finite_non_negative);
  sub->add_option("--format", o->format, "Output: table, json, csv or ics")
      ->check(CLI::IsMember({"table", "json", "csv", "ics"}));
  sub->add_flag("--start-workflows", o->start_workflows,
                "Start the gift-request workflow of every due gift");
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->callback([o, &ctx] { ctx.exit_code = run_plan(*o, ctx); });
}

}  // namespace keyaccount::cli
