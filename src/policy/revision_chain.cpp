// The revision log's hash chain (keyaccount/policy/revision_chain.hpp): what the last entry must
// record, and where a log does not match it.
#include "keyaccount/policy/revision_chain.hpp"

#include <stdexcept>

#include "keyaccount/policy/identity.hpp"

namespace keyaccount {
namespace {

std::string short_hash(const std::string& hash) { return hash.substr(0, 12) + "…"; }

std::string entry_pointer(std::size_t index) {
  return "/document/revisions/" + std::to_string(index);
}

}  // namespace

std::string revision_content_hash(const nlohmann::json& document) {
  const nlohmann::json* control =
      document.is_object() && document.contains("document") && document["document"].is_object()
          ? &document["document"]
          : nullptr;
  if (!control || !control->contains("revisions") || !(*control)["revisions"].is_array() ||
      (*control)["revisions"].empty())
    throw std::invalid_argument("revision_content_hash: the policy has no revision entry");
  nlohmann::json copy = document;
  auto& last = copy["document"]["revisions"].back();
  if (last.is_object()) last.erase("content_hash");
  return policy_content_hash(copy);
}

std::vector<revision_chain_problem> check_revision_chain(const std::vector<revision>& revisions,
                                                         const nlohmann::json& document) {
  std::vector<revision_chain_problem> problems;
  bool chained = false;  // an earlier entry records a content hash
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    const revision& cur = revisions[i];
    const std::string previous = i > 0 ? revisions[i - 1].content_hash : std::string();
    if (cur.content_hash.empty() && chained) {
      problems.push_back(
          {entry_pointer(i), "revision \"" + cur.mark + "\" records no content_hash although \"" +
                                 revisions[i - 1].mark +
                                 "\" does: the revision log's hash chain is broken (add revisions "
                                 "with `keyaccount amend`)"});
    } else if (cur.previous_hash != previous) {
      std::string message =
          "revision \"" + cur.mark + "\" records previous_hash " +
          (cur.previous_hash.empty() ? std::string("none") : short_hash(cur.previous_hash)) +
          ", but " +
          (i == 0 ? std::string("it is the first revision")
                  : "revision \"" + revisions[i - 1].mark + "\" records " +
                        (previous.empty() ? std::string("no content_hash")
                                          : "content_hash " + short_hash(previous))) +
          ": the revision log's hash chain is broken (an entry was edited, removed or inserted)";
      problems.push_back(
          {cur.previous_hash.empty() ? entry_pointer(i) : entry_pointer(i) + "/previous_hash",
           std::move(message)});
    }
    chained = chained || !cur.content_hash.empty();
  }
  if (!revisions.empty() && !revisions.back().content_hash.empty()) {
    const revision& last = revisions.back();
    const std::string actual = revision_content_hash(document);
    if (actual != last.content_hash) {
      problems.push_back(
          {entry_pointer(revisions.size() - 1) + "/content_hash",
           "revision \"" + last.mark + "\" records content_hash " + short_hash(last.content_hash) +
               ", but the document hashes to " + short_hash(actual) +
               ": the policy changed after this revision was recorded (record the change as "
               "a new revision with `keyaccount amend`)"});
    }
  }
  return problems;
}

}  // namespace keyaccount
