// keyaccount compliance --as-of DATE (--customers FILE | --accounts FILE) --people FILE
//                       [--accounts FILE] [--complaints FILE] [--festivals FILE]
//                       [--symposium FILE] [--visit-plan FILE]
//                       [--format table|json|csv] [--on-error skip|fail]
// What the policy requires that is not done on --as-of: overdue activities, key customers
// without a valid owner, profile cards (when --customers is given), complaints past a deadline,
// key customers not invited to the yearly symposium and the symposium not held (Art. 10),
// planned executive visits not done, key customers with none planned and briefings not
// prepared (Art. 9),
// and the complaint escalations due now.
// Exit codes (for CI and nightly jobs): 0 no findings, 1 findings (or malformed input),
// 2 bad arguments or unreadable files.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>

#include "care_input.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {

namespace {

struct compliance_args {
  std::string policy, as_of, customers, accounts, people, complaints, festivals, symposium,
      visit_plan;
  std::string format = "table", on_error = "fail";
};

int run_compliance(const compliance_args& o, context& ctx) {
  auto p = load_policy_option(o.policy, ctx);
  if (!p) return exit_failure;
  auto as_of = parse_day(o.as_of, "--as-of", ctx);
  if (!as_of) return exit_usage;
  warn_if_not_in_force(*p, *as_of, "compliance", ctx);
  account_inputs in;
  if (int rc = read_account_inputs(
          {"compliance", o.customers, o.accounts, o.people, o.festivals, o.on_error, true}, *p,
          *as_of, ctx, in))
    return rc;
  const auto& accounts = in.accounts;
  const auto& people = in.people;
  std::vector<care::complaint> complaints;
  care::first_places first("complaint");
  if (!o.complaints.empty())
    if (int rc = read_records(
            o.complaints, o.on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
              care::complaint c = care::complaint_from_json(j);
              // What check_complaints would refuse after reading, at the record
              // instead.
              if (p->complaints) care::refuse_if_any(care::complaint_problems(*p->complaints, c));
              first.note(c.id, place(o.complaints, line));
              // Facts after --as-of were not known on it: warned here, at the
              // line, and left out (a complaint raised later altogether).
              warn_later_facts(
                  o.complaints, line,
                  care::prefixed("complaint " + c.id, care::drop_later_facts(c, *as_of)), ctx);
              if (care::known_on(c, *as_of)) complaints.push_back(std::move(c));
            }))
      return rc;
  std::vector<care::symposium_event> events;
  if (!o.symposium.empty())
    if (int rc = read_symposium(o.symposium, *p, *as_of, o.on_error, ctx, events)) return rc;
  std::vector<care::planned_visit> visits;
  if (!o.visit_plan.empty())
    if (int rc =
            read_visit_plan(o.visit_plan, *p, accounts, *people, *as_of, o.on_error, ctx, visits))
      return rc;
  try {
    care::festival_calendar calendar(*p, std::move(in.festivals));
    care::compliance_inputs checked{&accounts, o.complaints.empty() ? nullptr : &complaints,
                                    o.customers.empty() ? nullptr : &in.profiles, &events, &visits};
    auto report = care::check_compliance(*p, calendar, checked, *people, *as_of);
    std::vector<care::escalation> escalations;
    if (!o.complaints.empty() && p->complaints)
      escalations = care::escalations_due(*p->complaints, complaints, *people, *as_of);
    for (const auto& w : report.warnings) ctx.err << "warning: " << w << '\n';
    if (o.format == "json") {
      auto j = care::to_json(report);
      nlohmann::json es = nlohmann::json::array();
      for (const auto& e : escalations) es.push_back(care::to_json(e));
      j["escalations"] = es;
      ctx.out << j.dump(2) << '\n';
    } else if (o.format == "csv") {
      ctx.out << care::to_csv(report);
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const auto& f : report.findings)
        rows.push_back({std::string(care::to_string(f.kind)), f.customer, f.subject, f.article,
                        f.due ? f.due->to_string() : "",
                        f.days_overdue ? std::to_string(f.days_overdue) : "", f.responsible,
                        f.detail});
      ctx.out << "Compliance on " << as_of->to_string() << " for " << accounts.size()
              << " customers"
              << (report.profiles_checked ? ""
                                          : " (profile cards not checked: "
                                            "no --customers)")
              << '\n'
              << text_table({"finding", "customer", "subject", "article", "due", "days late",
                             "responsible", "detail"},
                            rows);
      ctx.out << report.findings.size() << " findings";
      for (const auto& [kind, n] : report.counts()) ctx.out << "; " << kind << ' ' << n;
      ctx.out << '\n';
      if (!escalations.empty()) {
        std::vector<std::vector<std::string>> er;
        for (const auto& e : escalations)
          er.push_back({e.complaint, e.customer, std::string(care::to_string(e.kind)),
                        e.to.empty() ? "(nobody)" : e.to, e.article, e.due_on.to_string(),
                        e.reason});
        ctx.out << "\nEscalations due now\n"
                << text_table({"complaint", "customer", "kind", "to", "article", "due", "why"}, er);
      }
    }
    return report.ok() ? exit_ok : exit_failure;
  } catch (const keyaccount::error& e) {  // the library refuses the inputs
    ctx.err << "keyaccount compliance: error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  } catch (const std::invalid_argument& e) {
    ctx.err << "keyaccount compliance: error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
}

}  // namespace

void add_compliance_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<compliance_args>();
  auto* sub =
      app.add_subcommand("compliance",
                         "Findings on a day: overdue activities, owners, profile cards, complaints "
                         "(exit 1 when there are findings)");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--as-of", o->as_of, "The day to check, YYYY-MM-DD")->required();
  sub->add_option("--customers", o->customers,
                  "Customers file as for classify (also checks profile cards)");
  sub->add_option("--accounts", o->accounts, "Accounts with last_done dates");
  sub->add_option("--people", o->people, "People file (org directory)")->required();
  sub->add_option("--complaints", o->complaints, "Complaints, JSON Lines / JSON");
  sub->add_option("--festivals", o->festivals, "Extra or corrected festivals (JSON)");
  sub->add_option("--symposium", o->symposium,
                  "Symposium records (Art. 10): date, held, invited, attended; JSON Lines / JSON");
  sub->add_option("--visit-plan", o->visit_plan,
                  "Visit plan (Art. 9): customer, date, executive, done_on, briefed_on; JSON "
                  "Lines / JSON / CSV");
  sub->add_option("--format", o->format, "Output: table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->callback([o, &ctx] { ctx.exit_code = run_compliance(*o, ctx); });
}

}  // namespace keyaccount::cli
