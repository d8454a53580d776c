// Fuzz target: policy load + validate. Input: policy JSON text.
// Invariants: load_policy never throws; a policy loads exactly when no diagnostic is an error;
// every located diagnostic points inside the input (line 0 means unknown, then column 0 too);
// a policy that loads compiles its classifier and workflows and classifies and explains the
// sample customers without throwing anything but the documented input_error for a record its
// schema refuses, explain's tier equalling classify's.
// The amendment path (policy/amend.hpp): a policy that loads is the candidate of an approved
// `policy_amendment` instance built for it (its request from amendment_request against the
// default policy); amend_policy then gives the amended document or refuses it only as
// `invalid_amendment` (a revision mark it cannot count on, a revision dated after the
// approval); the amended document has one revision entry more, the next mark, the request's
// changes, the approval day as approved_on and effective_on, and a hash chain that holds at the
// new entry.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/policy/amend.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/policy/revision_chain.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "shared_checks.hpp"

namespace {

using fuzz::line_lengths;

// Customers in the default schema's shape; a fuzzed schema refuses most, which is fine.
const std::vector<nlohmann::json>& sample_customers() {
  static const std::vector<nlohmann::json> samples = {
      nlohmann::json::parse(R"({"id": "a", "name": "A", "category": "monopoly",
        "first_order": "2020-01-31", "monthly_shipments": [60, 61, 62, 63, 64, 65, 66, 67, 68,
        69, 70, 71], "cumulative_amount": 900, "owner": "p1"})"),
      nlohmann::json::parse(R"({"id": "b", "name": "B", "category": "other",
        "first_order": "2026-06-01", "monthly_shipments": [], "cumulative_amount": 0})"),
      nlohmann::json::object(),
  };
  return samples;
}

// An approved `policy_amendment` instance whose request names `candidate`, approved on `on`.
keyaccount::workflows::instance approved_amendment(const keyaccount::policy& candidate,
                                                   keyaccount::date on) {
  namespace wf = keyaccount::workflows;
  const keyaccount::policy& baseline = keyaccount::default_policy();
  wf::instance inst;
  inst.workflow = std::string(keyaccount::amendment_workflow_id);
  inst.policy_id = candidate.document.id;
  inst.policy_version = baseline.document.version;
  inst.requester = "fuzz";
  inst.request = keyaccount::amendment_request(baseline, candidate, "fuzzed amendment");
  inst.state = wf::instance_state::approved;
  inst.version = 2;
  wf::history_entry submitted;
  submitted.version = 1;
  submitted.action = wf::action_kind::submit;
  submitted.actor = "fuzz";
  submitted.on = on;
  submitted.request = inst.request;
  wf::history_entry approved;
  approved.version = 2;
  approved.action = wf::action_kind::approve;
  approved.actor = "gm-1";
  approved.on = on;
  inst.history = {submitted, approved};
  return inst;
}

// Amends the loaded policy `p` (from `text`) and checks the result (see the file comment).
void check_amendment(std::string_view text, const keyaccount::policy& p) {
  const auto& revisions = p.document.revisions;
  // Approved on the fixed day, or on the last revision's when that is later: an approval after
  // the log's last entry is the ordinary case.
  keyaccount::date on = fuzz::as_of();
  if (!revisions.empty() && on < revisions.back().on) on = revisions.back().on;
  const keyaccount::policy& baseline = keyaccount::default_policy();
  keyaccount::amend_options options;
  if (baseline.document.id == p.document.id) options.baseline = &baseline;
  const auto inst = approved_amendment(p, on);
  keyaccount::amendment out;
  try {
    out = keyaccount::amend_policy(inst, text, options);
  } catch (const keyaccount::amend_error& e) {
    FUZZ_REQUIRE(e.refusal() == keyaccount::amend_refusal::invalid_amendment,
                 std::string(keyaccount::to_string(e.refusal())) + ": " + e.what());
    return;
  }
  const auto& amended = out.amended.document;
  FUZZ_REQUIRE(out.candidate_hash == p.content_hash, "the candidate as approved");
  FUZZ_REQUIRE(amended.revisions.size() == revisions.size() + 1, "one revision entry more");
  const auto& entry = amended.revisions.back();
  const std::string previous_mark = revisions.empty() ? std::string() : revisions.back().mark;
  FUZZ_REQUIRE(
      entry.mark == keyaccount::next_revision_mark(previous_mark) && entry.mark == out.entry.mark,
      previous_mark + " -> " + entry.mark);
  FUZZ_REQUIRE(entry.changes == inst.request["changes"].get<int>() && entry.on == on &&
                   entry.summary == "fuzzed amendment" &&
                   entry.content_hash == out.entry.content_hash,
               "the new entry records the request and the approval");
  FUZZ_REQUIRE(amended.approved_on == on && amended.effective_on == on,
               "approved_on and effective_on are the approval day");
  FUZZ_REQUIRE(amended.id == p.document.id && amended.version == p.document.version,
               "the amendment keeps the candidate's id and version");
  const std::string new_entry = "/document/revisions/" + std::to_string(revisions.size());
  for (const auto& problem :
       keyaccount::check_revision_chain(amended.revisions, nlohmann::json::parse(out.text)))
    FUZZ_REQUIRE(problem.pointer.rfind(new_entry, 0) != 0,
                 "the chain holds at the new entry: " + problem.pointer + ": " + problem.message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  keyaccount::load_result result;
  try {
    result = keyaccount::load_policy(text);
  } catch (const std::exception& e) {
    fuzz::violated("load_policy does not throw", __FILE__, __LINE__, e.what());
  }
  bool errors = keyaccount::has_errors(result.diagnostics);
  FUZZ_REQUIRE(result.ok() != errors, "loads exactly when no diagnostic is an error");
  auto lengths = line_lengths(text);
  for (const auto& d : result.diagnostics) {
    std::string where = std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code;
    FUZZ_REQUIRE(!d.code.empty() && !d.message.empty(), where);
    if (d.line == 0) {
      FUZZ_REQUIRE(d.column == 0, where);
    } else {
      FUZZ_REQUIRE(d.line <= lengths.size(), where);
      FUZZ_REQUIRE(d.column >= 1 && d.column <= lengths[d.line - 1] + 1, where);
    }
  }
  if (!result.ok()) return 0;
  const keyaccount::policy& p = *result.value;
  try {
    keyaccount::classifier c(p);
    auto workflows = keyaccount::workflows::workflow_set::compile(p);
    (void)workflows.definitions().size();
    for (const auto& j : sample_customers()) {
      keyaccount::customer_record r;
      try {
        r = c.parser().from_json(j);
      } catch (const keyaccount::input_error&) {
        continue;  // the fuzzed schema refuses this record: documented
      }
      auto d = c.classify(r, fuzz::as_of());
      auto e = c.explain(r, fuzz::as_of());
      FUZZ_REQUIRE(e.result.tier == d.tier && e.result.error_criterion == d.error_criterion,
                   "explain's decision equals classify's");
      if (d.ok()) FUZZ_REQUIRE(e.tier == c.tier_id(d), "explain's tier id");
    }
    check_amendment(text, p);
  } catch (const std::exception& e) {
    fuzz::violated("a policy that validates clean classifies without throwing", __FILE__, __LINE__,
                   e.what());
  }
  return 0;
}
