#pragma once
/// \file
/// Amendments produce the new document (issue 20 item 6, Art. 13–14): an approved
/// `policy_amendment` workflow instance and the candidate policy it approved give the amended
/// policy document, with a new entry in its revision log (修改标记 / 修改处数 / 修改日期),
/// `approved_on` and `effective_on` set, and the entry chained to the previous one by content
/// hashes (keyaccount/policy/revision_chain.hpp).
///
/// The instance names its candidate by content hash: the request submitted to the
/// `policy_amendment` workflow carries `candidate_hash` (and `baseline_hash`), as
/// `amendment_request` makes it, so an approval can only produce the document that was signed.
/// The CLI's `keyaccount amend` and Python's `keyaccount.amend` call `amend_policy`.
/// Free functions over values: thread-safe.

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/core/date.hpp"
#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/diagnostics.hpp"
#include "keyaccount/policy/model.hpp"
#include "keyaccount/workflow/instance.hpp"

namespace keyaccount {

/// The id of the workflow whose approval amends the policy (the seed's Art. 13–14 workflow).
inline constexpr std::string_view amendment_workflow_id = "policy_amendment";

/// Why an amendment was refused. Stable names (`to_string`): the CLI prints them, Python's
/// `AmendmentError.kind` carries them.
enum class amend_refusal {
  not_an_amendment,    ///< the instance is of another workflow than `policy_amendment`
  not_approved,        ///< the instance is not (yet) approved: in progress, returned, rejected...
  policy_mismatch,     ///< the instance amends another policy (id), or the baseline is not
                       ///< the one it started under (id, version, `baseline_hash`)
  candidate_mismatch,  ///< the request names no candidate, or another one (`candidate_hash`)
  invalid_request,     ///< `changes` or `summary` missing or wrong, or not the diff's count
  invalid_candidate,   ///< the candidate does not load (errors)
  invalid_amendment,   ///< the amended document does not load (a date before the last revision)
  invalid_date,        ///< `effective_on` before the approval
};

/// "not_an_amendment", "not_approved", ...
[[nodiscard]] std::string_view to_string(amend_refusal r) noexcept;

/// Thrown by amend_policy: the refusal and a message saying what does not match. Kind
/// `error_kind::amend`.
class amend_error : public error {
 public:
  amend_error(amend_refusal refusal, const std::string& message,
              std::vector<diagnostic> diagnostics = {})
      : error(error_kind::amend, {}, message),
        refusal_(refusal),
        diagnostics_(std::move(diagnostics)) {}
  /// Why the amendment was refused.
  [[nodiscard]] amend_refusal refusal() const noexcept { return refusal_; }
  /// The errors of the candidate or the amended document (invalid_candidate, invalid_amendment).
  [[nodiscard]] const std::vector<diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  amend_refusal refusal_;
  std::vector<diagnostic> diagnostics_;
};

/// Options of amend_policy.
struct amend_options {
  /// 生效日期; default: the day of the approval. Not before it.
  std::optional<date> effective_on{};
  /// The policy in force the amendment started from. When given, it must be the instance's
  /// policy (id, version, and `baseline_hash` when the request records one), and the request's
  /// `changes` must be the number of changes `diff_policies(baseline, candidate)` finds.
  const policy* baseline = nullptr;
};

/// The amended policy.
struct amendment {
  std::string text{};            ///< the amended document, JSON (2-space indentation)
  policy amended{};              ///< the amended document, loaded
  revision entry{};              ///< the revision entry added (also in `amended`)
  std::string approved_by{};     ///< who gave the final approval (the General Manager, Art. 14)
  std::string candidate_hash{};  ///< the content hash of the candidate as approved
};

/// The request to submit to the `policy_amendment` workflow for `candidate`:
/// `{"summary": summary, "changes": <number of changes from baseline>, "candidate_hash":
/// candidate.content_hash, "baseline_hash": baseline.content_hash}`. Both must come from the
/// loader. Throws std::invalid_argument when one was built in code (no content hash).
[[nodiscard]] nlohmann::json amendment_request(const policy& baseline, const policy& candidate,
                                               const std::string& summary);

/// The amended document: `candidate_text` (the candidate policy's JSON text, whose member order
/// is kept) with `document.approved_on` = the day of the final approval, `document.effective_on`
/// = `options.effective_on` or that day, and a new revision entry appended to
/// `document.revisions`: the next `mark` (A → B, Z → AA, 1.9 → 1.10; A when the log is empty),
/// `changes` and `summary` from the request, `date` = the approval day, `previous_hash` = the
/// previous entry's `content_hash` (when it has one) and `content_hash` =
/// revision_content_hash() of the result. Throws amend_error (the kinds above) when the
/// instance is not an approved `policy_amendment` whose request names this candidate.
[[nodiscard]] amendment amend_policy(const workflows::instance& inst,
                                     std::string_view candidate_text,
                                     const amend_options& options = {});

/// The mark after `mark`: "A" → "B", "Z" → "AA", "AZ" → "BA", "1.9" → "1.10", "" → "A".
/// Throws std::invalid_argument for a mark that is neither letters nor numbers with dots.
[[nodiscard]] std::string next_revision_mark(const std::string& mark);

}  // namespace keyaccount
