// amend_policy: an approved policy_amendment instance + the candidate it approved → the amended
// document (keyaccount/policy/amend.hpp). In the loading layer: it loads the candidate and the
// result, and reads a workflow instance.
#include "keyaccount/policy/amend.hpp"

#include <algorithm>
#include <cctype>

#include "keyaccount/policy/diff.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/policy/revision_chain.hpp"

namespace keyaccount {
namespace {

[[noreturn]] void refuse(amend_refusal kind, const std::string& message,
                         std::vector<diagnostic> diagnostics = {}) {
  throw amend_error(kind, message, std::move(diagnostics));
}

std::string first_errors(const std::vector<diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (d.level != severity::error) continue;
    out += "\n  " +
           (d.line ? std::to_string(d.line) + ":" + std::to_string(d.column)
                   : (d.pointer.empty() ? std::string("/") : d.pointer)) +
           ": error[" + d.code + "]: " + d.message;
  }
  return out;
}

// The request member `name` as a string, refusing with `kind` when absent or not a string.
std::string request_text(const workflows::instance& inst, const char* name, amend_refusal kind,
                         const std::string& why) {
  const auto& r = inst.request;
  if (!r.is_object() || !r.contains(name))
    refuse(kind, "the request records no `" + std::string(name) + "`: " + why);
  if (!r[name].is_string())
    refuse(kind, "the request's `" + std::string(name) + "` is not a string");
  return r[name].get<std::string>();
}

// The final approval: the last approve (or, for a workflow whose steps were all skipped, the
// last submit) in the history.
const workflows::history_entry& final_approval(const workflows::instance& inst) {
  for (auto it = inst.history.rbegin(); it != inst.history.rend(); ++it) {
    if (it->action == workflows::action_kind::approve ||
        it->action == workflows::action_kind::submit)
      return *it;
  }
  refuse(amend_refusal::not_approved, "the instance's history records no approval");
}

std::string short_hash(const std::string& hash) { return hash.substr(0, 12) + "…"; }

}  // namespace

std::string_view to_string(amend_refusal r) noexcept {
  switch (r) {
    case amend_refusal::not_an_amendment:
      return "not_an_amendment";
    case amend_refusal::not_approved:
      return "not_approved";
    case amend_refusal::policy_mismatch:
      return "policy_mismatch";
    case amend_refusal::candidate_mismatch:
      return "candidate_mismatch";
    case amend_refusal::invalid_request:
      return "invalid_request";
    case amend_refusal::invalid_candidate:
      return "invalid_candidate";
    case amend_refusal::invalid_amendment:
      return "invalid_amendment";
    case amend_refusal::invalid_date:
      return "invalid_date";
  }
  return "invalid_request";
}

std::string next_revision_mark(const std::string& mark) {
  if (mark.empty()) return "A";
  if (std::all_of(mark.begin(), mark.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    std::string next = mark;  // base-26 with digits A..Z, no zero: Z + 1 = AA
    for (auto i = next.size(); i-- > 0;) {
      if (next[i] != 'Z') {
        ++next[i];
        return next;
      }
      next[i] = 'A';
    }
    return "A" + next;
  }
  const auto dot = mark.rfind('.');
  const std::string last = dot == std::string::npos ? mark : mark.substr(dot + 1);
  const bool numeric = !last.empty() && last.size() <= 9 &&
                       std::all_of(mark.begin(), mark.end(),
                                   [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  if (!numeric)
    throw std::invalid_argument("revision mark \"" + mark +
                                "\" is neither letters (A, B, ... AA) nor numbers (1.1, 1.2)");
  const std::string head = dot == std::string::npos ? "" : mark.substr(0, dot + 1);
  return head + std::to_string(std::stol(last) + 1);
}

nlohmann::json amendment_request(const policy& baseline, const policy& candidate,
                                 const std::string& summary) {
  if (baseline.content_hash.empty() || candidate.content_hash.empty())
    throw std::invalid_argument("amendment_request: both policies must come from the loader");
  return {{"summary", summary},
          {"changes", diff_policies(baseline, candidate).size()},
          {"candidate_hash", candidate.content_hash},
          {"baseline_hash", baseline.content_hash}};
}

amendment amend_policy(const workflows::instance& inst, std::string_view candidate_text,
                       const amend_options& options) {
  if (inst.workflow != amendment_workflow_id)
    refuse(amend_refusal::not_an_amendment,
           "the instance is a `" + inst.workflow + "` workflow, not `" +
               std::string(amendment_workflow_id) +
               "`: only an approved amendment (Art. 13–14) produces a new policy document");
  if (inst.state != workflows::instance_state::approved)
    refuse(amend_refusal::not_approved,
           "the amendment is " + std::string(workflows::to_string(inst.state)) +
               (inst.current_step.empty() ? "" : " (at step `" + inst.current_step + "`)") +
               ", not approved: the General Manager has not signed it (Art. 14)");

  load_result candidate = load_policy(candidate_text);
  if (!candidate.value)
    refuse(amend_refusal::invalid_candidate,
           "the candidate policy has errors" + first_errors(candidate.diagnostics),
           std::move(candidate.diagnostics));
  const policy& cand = *candidate.value;
  if (cand.document.id != inst.policy_id)
    refuse(amend_refusal::policy_mismatch, "the instance amends policy `" + inst.policy_id +
                                               "`, the candidate is policy `" + cand.document.id +
                                               "`");

  const std::string why =
      "submit the amendment with the candidate's content hash "
      "(keyaccount.amendment_request, docs/impact.md)";
  const std::string approved_hash =
      request_text(inst, "candidate_hash", amend_refusal::candidate_mismatch, why);
  if (approved_hash != cand.content_hash)
    refuse(amend_refusal::candidate_mismatch,
           "the request approved the candidate with content hash " + short_hash(approved_hash) +
               ", but this candidate hashes to " + short_hash(cand.content_hash) +
               ": it is not the document the amendment approved");
  const std::string summary = request_text(inst, "summary", amend_refusal::invalid_request,
                                           "the revision entry needs a summary");
  if (!inst.request.contains("changes") || !inst.request["changes"].is_number_integer() ||
      inst.request["changes"].get<std::int64_t>() < 0 ||
      inst.request["changes"].get<std::int64_t>() > 1'000'000)
    refuse(amend_refusal::invalid_request,
           "the request's `changes` (修改处数) must be a whole number from 0 to 1000000");
  const auto changes = inst.request["changes"].get<std::int64_t>();

  if (options.baseline) {
    const policy& base = *options.baseline;
    if (base.document.id != inst.policy_id || base.document.version != inst.policy_version)
      refuse(amend_refusal::policy_mismatch,
             "the instance started under policy `" + inst.policy_id + "` " + inst.policy_version +
                 ", the baseline is `" + base.document.id + "` " + base.document.version);
    if (inst.request.contains("baseline_hash")) {
      const std::string recorded =
          request_text(inst, "baseline_hash", amend_refusal::policy_mismatch, "");
      if (recorded != base.content_hash)
        refuse(amend_refusal::policy_mismatch,
               "the request amends the baseline with content hash " + short_hash(recorded) +
                   ", but this baseline hashes to " + short_hash(base.content_hash));
    }
    const auto found = diff_policies(base, cand).size();
    if (static_cast<std::size_t>(changes) != found)
      refuse(amend_refusal::invalid_request,
             "the request records " + std::to_string(changes) +
                 " changes, but the candidate differs from the baseline in " +
                 std::to_string(found) + " places (keyaccount diff)");
  }

  const auto& approval = final_approval(inst);
  const date approved_on = approval.on;
  const date effective_on = options.effective_on.value_or(approved_on);
  if (effective_on < approved_on)
    refuse(amend_refusal::invalid_date,
           "effective on " + effective_on.to_string() + ", before the amendment was approved on " +
               approved_on.to_string() + " (Art. 14: it takes effect once signed)");

  // The candidate as written (member order kept); it loaded, so it is a JSON object with a
  // `document` object.
  auto document = nlohmann::ordered_json::parse(candidate_text);
  auto& control = document["document"];
  control["approved_on"] = approved_on.to_string();
  control["effective_on"] = effective_on.to_string();
  if (!control.contains("revisions")) control["revisions"] = nlohmann::ordered_json::array();
  auto& log = control["revisions"];

  revision entry;
  try {
    entry.mark = next_revision_mark(
        cand.document.revisions.empty() ? std::string() : cand.document.revisions.back().mark);
  } catch (const std::invalid_argument& e) {
    refuse(amend_refusal::invalid_amendment, e.what());
  }
  entry.changes = static_cast<int>(changes);
  entry.on = approved_on;
  entry.summary = summary;
  if (!cand.document.revisions.empty())
    entry.previous_hash = cand.document.revisions.back().content_hash;
  nlohmann::ordered_json item = {{"mark", entry.mark},
                                 {"changes", entry.changes},
                                 {"date", entry.on.to_string()},
                                 {"summary", entry.summary}};
  if (!entry.previous_hash.empty()) item["previous_hash"] = entry.previous_hash;
  log.push_back(item);
  entry.content_hash = revision_content_hash(nlohmann::json::parse(document.dump()));
  log.back()["content_hash"] = entry.content_hash;

  amendment out{document.dump(2, ' ', false) + "\n", {}, entry, approval.actor, cand.content_hash};
  load_result amended = load_policy(out.text);
  if (!amended.value)
    refuse(amend_refusal::invalid_amendment,
           "the amended document has errors" + first_errors(amended.diagnostics),
           std::move(amended.diagnostics));
  out.amended = std::move(*amended.value);
  return out;
}

}  // namespace keyaccount
