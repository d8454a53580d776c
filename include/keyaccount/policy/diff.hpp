#pragma once
/// \file
/// Structural diff of two policies (issue 20 item 2): what changed between the policy in force
/// and a candidate, section by section, each change with its article and old and new value.
///
/// Items of a section are matched by id (revisions by mark), so an item moved within its list
/// is one `reordered` change of the list, not a removal and an addition. CEL expressions
/// (conditions, entry conditions, the observed / target / precondition of an explanation) are
/// compared after parsing: a change of whitespace or of redundant parentheses is not a change.
/// Free functions over value types: thread-safe.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// What happened to a member or an item.
enum class change_kind { added, removed, changed, reordered };

/// "added", "removed", "changed" or "reordered".
[[nodiscard]] std::string_view to_string(change_kind k) noexcept;

/// One difference between two policies.
struct policy_change {
  std::string section;  ///< top-level member of the policy format: "parameters", "criteria", ...
  /// Where: `parameters[cumulative_amount_min].value`, `tiers[key].rule`, `document.version`
  /// (items named by id in brackets, members by name after a dot).
  std::string path;
  change_kind kind = change_kind::changed;
  /// The article of the nearest enclosing item that names one (new side first), e.g. "art-5.1".
  std::string article;
  nlohmann::json old_value;  ///< null when added
  nlohmann::json new_value;  ///< null when removed
};

/// Every difference from `old_policy` to `new_policy`, in the order of the policy format's
/// sections and, within a section, of the items. Both must come from the loader (their
/// canonical form is compared). Empty when they are equivalent.
[[nodiscard]] std::vector<policy_change> diff_policies(const policy& old_policy,
                                                       const policy& new_policy);

/// The diff as JSON: {"old": {id, version, hash}, "new": {...}, "changes": [{section, path,
/// kind, article, old, new}], "sections": {section: count}} (schema/diff-report.schema.json).
[[nodiscard]] nlohmann::json diff_to_json(const policy& old_policy, const policy& new_policy,
                                          const std::vector<policy_change>& changes);

/// One line per change: `~ parameters[cumulative_amount_min].value (art-5.1): 500 → 600`.
[[nodiscard]] std::string diff_to_text(const policy& old_policy, const policy& new_policy,
                                       const std::vector<policy_change>& changes);

/// A Markdown summary and table, for a pull-request comment.
[[nodiscard]] std::string diff_to_markdown(const policy& old_policy, const policy& new_policy,
                                           const std::vector<policy_change>& changes);

}  // namespace keyaccount
