// keyaccount amend --instance FILE --candidate FILE [--baseline FILE] [--out FILE]
//                  [--effective-on DATE]
// keyaccount amend --request-summary TEXT --baseline FILE --candidate FILE
// An approved policy_amendment instance + the candidate it approved → the amended policy
// document (issue 20 item 6); or the request to submit for a candidate. The work is
// keyaccount::amend_policy / amendment_request (keyaccount/policy/amend.hpp).
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "cli.hpp"
#include "commands.hpp"
#include "input_file.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/policy/amend.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/json.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {
namespace {

struct amend_args {
  std::string instance, candidate, baseline, out, effective_on, request_summary;
};

// The whole text of `path`; nullopt after printing why (exit_usage).
std::optional<std::string> read_text(const std::string& path, const char* what, context& ctx) {
  std::ifstream in;
  if (!open_input_file(path, what, in, ctx.err)) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int print_request(const amend_args& a, context& ctx) {
  if (a.baseline.empty() || a.candidate.empty()) {
    ctx.err << "keyaccount amend: --request-summary needs --baseline FILE and --candidate FILE\n";
    return exit_usage;
  }
  auto base = load_policy_option(a.baseline, ctx);
  if (!base) return ctx.exit_code;
  auto cand = load_policy_option(a.candidate, ctx);
  if (!cand) return ctx.exit_code;
  ctx.out << amendment_request(*base, *cand, a.request_summary).dump(2, ' ', false) << '\n';
  return exit_ok;
}

int run_amend(const amend_args& a, context& ctx) {
  if (!a.request_summary.empty()) return print_request(a, ctx);
  if (a.instance.empty() || a.candidate.empty()) {
    ctx.err << "keyaccount amend: give --instance FILE and --candidate FILE\n";
    return exit_usage;
  }
  amend_options options;
  if (!a.effective_on.empty()) {
    options.effective_on = date::parse(a.effective_on);
    if (!options.effective_on) {
      ctx.err << "keyaccount amend: --effective-on: " << field_check::not_a_date(a.effective_on)
              << "\n";
      return exit_usage;
    }
  }
  std::optional<policy> baseline;
  if (!a.baseline.empty()) {
    baseline = load_policy_option(a.baseline, ctx);
    if (!baseline) return ctx.exit_code;
    options.baseline = &*baseline;
  }
  auto instance_text = read_text(a.instance, "instance file", ctx);
  if (!instance_text) return exit_usage;
  std::optional<workflows::instance> inst;
  try {
    inst = workflows::instance_from_json_text(*instance_text);
  } catch (const workflows::format_error& e) {
    ctx.err << locate_in_json(a.instance, *instance_text, e.where().pointer)
            << ": error[invalid_instance]: " << e.what() << '\n';
    return exit_failure;
  }
  auto candidate_text = read_text(a.candidate, "candidate policy file", ctx);
  if (!candidate_text) return exit_usage;
  std::optional<amendment> result;
  try {
    result = amend_policy(*inst, *candidate_text, options);
  } catch (const amend_error& e) {
    ctx.err << "keyaccount amend: error[" << to_string(e.refusal()) << "]: " << e.what() << '\n';
    return exit_failure;
  }
  if (a.out.empty()) {
    ctx.out << result->text;
  } else {
    std::ofstream file(a.out, std::ios::binary);
    file << result->text;
    if (!file.flush()) {
      ctx.err << "keyaccount amend: --out: cannot write " << a.out << '\n';
      return exit_usage;
    }
  }
  const auto& r = result->entry;
  ctx.err << "keyaccount amend: revision " << r.mark << " (" << r.changes
          << " change(s)) approved on " << r.on.to_string() << " by " << result->approved_by
          << ", effective on " << result->amended.document.effective_on->to_string()
          << "; content hash " << r.content_hash << '\n';
  return exit_ok;
}

}  // namespace

void add_amend_command(CLI::App& app, context& ctx) {
  auto a = std::make_shared<amend_args>();
  CLI::App* sub = app.add_subcommand(
      "amend",
      "The amended policy document from an approved policy_amendment instance and the candidate "
      "it approved (Art. 13-14): a new revision entry, approved_on, effective_on");
  sub->add_option("--instance", a->instance, "The approved policy_amendment instance (JSON)");
  sub->add_option("--candidate", a->candidate, "The candidate policy file the instance approved");
  sub->add_option("--baseline", a->baseline,
                  "The policy in force: check the instance started under it and the request's "
                  "`changes` is the diff's count");
  sub->add_option("--out", a->out, "Write the amended policy here (default: standard output)");
  sub->add_option("--effective-on", a->effective_on,
                  "生效日期, YYYY-MM-DD (default: the day of the approval)");
  sub->add_option("--request-summary", a->request_summary,
                  "Instead: print the request to submit to the policy_amendment workflow for "
                  "--candidate (with --baseline), with this summary");
  sub->callback([a, &ctx] { ctx.exit_code = run_amend(*a, ctx); });
}

}  // namespace keyaccount::cli
