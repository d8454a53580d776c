#pragma once
/// \file
/// The revision log as a hash chain (issue 20 item 6). Each entry of `document.revisions` that
/// `keyaccount amend` writes records `content_hash`, the content hash of the document it
/// produced, and `previous_hash`, the previous entry's `content_hash`:
///
/// * the last entry's `content_hash` is the policy content hash (identity.hpp: SHA-256 of the
///   RFC 8785 canonical JSON without `$schema`) of the document **without that one member**
///   (a hash cannot cover itself). Since the document holds the whole log, it covers every
///   earlier entry too: editing any of them, or any other part of the policy, breaks it;
/// * every entry after the first hashed one records a `content_hash`, and its `previous_hash`
///   is the previous entry's `content_hash` (absent when that entry records none).
///
/// A log with no hashes at all (a policy never amended by keyaccount) is not a chain and is not
/// checked. Free functions over values: thread-safe.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// The `content_hash` the last revision entry of `document` (a policy as JSON) must record:
/// the policy content hash of `document` without `/document/revisions/<last>/content_hash`.
/// Throws std::invalid_argument when `document` has no revision entry.
[[nodiscard]] std::string revision_content_hash(const nlohmann::json& document);

/// A place where the revision log does not match its hash chain.
struct revision_chain_problem {
  std::string pointer;  ///< JSON pointer of the offending member or entry
  std::string message;  ///< what does not match, and how to fix it
};

/// Every mismatch of `revisions` (as read by the loader) with the hash chain of `document`
/// (the same policy as JSON); empty when the chain holds or the log records no hash.
[[nodiscard]] std::vector<revision_chain_problem> check_revision_chain(
    const std::vector<revision>& revisions, const nlohmann::json& document);

}  // namespace keyaccount
