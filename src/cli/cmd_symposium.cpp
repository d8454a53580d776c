// keyaccount symposium --as-of DATE (--customers FILE | --accounts FILE) --people FILE
//                      [--symposium FILE] [--year YYYY] [--format table|json] [--on-error ...]
// One year's symposium (Art. 10) as known on --as-of: the event (date or window, deadline,
// held), every invitee with the owner who invites it, when it was invited and whether it
// attended. --year defaults to the event ahead of --as-of. Exit 0, 1 for malformed inputs or
// a policy without a `symposium` section, 2 for bad arguments or unreadable files.
#include <CLI/CLI.hpp>
#include <memory>

#include "care_input.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/symposium.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {

namespace {

struct symposium_args {
  std::string policy, as_of, customers, accounts, people, symposium;
  std::string format = "table", on_error = "fail";
  int year = 0;
};

int run_symposium(const symposium_args& o, context& ctx) {
  auto p = load_policy_option(o.policy, ctx);
  if (!p) return exit_failure;
  if (!p->symposium) {
    ctx.err << "keyaccount symposium: error[invalid_input]: the policy has no `symposium` "
               "section (Art. 10)\n";
    return exit_failure;
  }
  auto as_of = parse_day(o.as_of, "--as-of", ctx);
  if (!as_of) return exit_usage;
  warn_if_not_in_force(*p, *as_of, "symposium", ctx);
  account_inputs in;
  if (int rc = read_account_inputs({"symposium", o.customers, o.accounts, o.people, "", o.on_error},
                                   *p, *as_of, ctx, in))
    return rc;
  std::vector<care::symposium_event> events;
  if (!o.symposium.empty())
    if (int rc = read_symposium(o.symposium, *p, *as_of, o.on_error, ctx, events)) return rc;
  const auto& s = *p->symposium;
  const int year = o.year ? o.year : care::symposium_last_passed_year(s, *as_of) + 1;
  try {
    std::vector<std::string> warnings;
    const auto st = care::symposium_in(*p, in.accounts, events, *in.people, year, *as_of, warnings);
    for (const auto& w : warnings) ctx.err << "warning: " << w << '\n';
    if (o.format == "json") {
      ctx.out << care::to_json(st).dump(2) << '\n';
      return exit_ok;
    }
    ctx.out << "Symposium " << year << " [" << s.article << "] "
            << (st.on ? "on " + st.on->to_string() : "not dated yet") << " (window "
            << s.window.from.to_string() << ".." << s.window.to.to_string() << ", deadline "
            << st.deadline.to_string() << "), " << (st.held ? "held" : "not held") << " as of "
            << as_of->to_string() << "; organizer "
            << (st.organizer.empty() ? "(nobody holds " + s.organizer + ")" : st.organizer)
            << "; invitations due " << st.invitations_due.to_string() << '\n';
    std::vector<std::vector<std::string>> rows;
    int invited = 0, attended = 0;
    for (const auto& i : st.invitees) {
      invited += i.invited_on ? 1 : 0;
      attended += i.attended ? 1 : 0;
      rows.push_back({i.customer, i.customer_name, i.owner.empty() ? "(" + i.note + ")" : i.owner,
                      i.invited_on ? i.invited_on->to_string() : "-",
                      st.held ? (i.attended ? "yes" : "no") : ""});
    }
    ctx.out << text_table({"customer", "name", "invited by", "invited on", "attended"}, rows)
            << st.invitees.size() << " invitees, " << invited << " invited";
    if (st.held) ctx.out << ", " << attended << " attended";
    ctx.out << '\n';
    for (const auto& other : st.others)
      ctx.out << "also recorded (not an invitee): " << other << '\n';
  } catch (const keyaccount::error& e) {  // the library refuses the inputs
    ctx.err << "keyaccount symposium: error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  } catch (const std::invalid_argument& e) {
    ctx.err << "keyaccount symposium: error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace

void add_symposium_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<symposium_args>();
  auto* sub = app.add_subcommand(
      "symposium", "The yearly symposium (Art. 10): invitees, invitations and attendance");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--as-of", o->as_of, "The day of the report, YYYY-MM-DD")->required();
  sub->add_option("--customers", o->customers,
                  "Customers file as for classify: classified on --as-of, with owners");
  sub->add_option("--accounts", o->accounts, "Accounts (id, tier, owner, ...)");
  sub->add_option("--people", o->people, "People file (org directory)")->required();
  sub->add_option("--symposium", o->symposium,
                  "Symposium records: date, held, invited, attended; JSON Lines / JSON");
  sub->add_option("--year", o->year, "The event's year (default: the one ahead of --as-of)")
      ->check(CLI::Range(1, 9999));
  sub->add_option("--format", o->format, "Output: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->callback([o, &ctx] { ctx.exit_code = run_symposium(*o, ctx); });
}

}  // namespace keyaccount::cli
