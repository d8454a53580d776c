#pragma once
// Who carries out a maintenance task for an account (internal to the planner and the
// symposium): the account's owner, or the holder of a position nearest to it.
#include <map>
#include <string>
#include <utility>

#include "keyaccount/care/planner.hpp"
#include "keyaccount/org/directory.hpp"

namespace keyaccount::care::detail {

// Who carries out an activity for an account. A pointer into the directory rather than copies
// of the person's id and name: the planner resolves once per account and activity, and copies
// the strings only into the final items.
struct responsible {
  const org::person* person = nullptr;  // nullptr when nobody valid was found
  std::string note;                     // why nobody; empty when `person` is set
};

// Who carries out an activity for an account: its owner, when the activity is the owner's;
// otherwise the nearest superior of the owner holding the position, else its first holder.
// Given the position rather than the activity: a customer may have its own (Art. 6.3).
class resolver {
 public:
  explicit resolver(const org::directory& people) : people_(people) {}

  responsible owner(const std::string& position, const account& acc) const {
    if (acc.owner.empty()) return {nullptr, "no dedicated owner (art-6.2)"};
    const auto* p = people_.find(acc.owner);
    if (!p) return {nullptr, "owner " + acc.owner + " is not a known person (art-6.2)"};
    if (!p->active) return {nullptr, "owner " + acc.owner + " is inactive (art-6.2)"};
    if (!people_.holds(acc.owner, position))
      return {nullptr, "owner " + acc.owner + " does not hold " + position + " (art-6.2)"};
    return {p, ""};
  }

  const responsible& holder(const std::string& position, const account& acc) {
    auto key = std::pair{acc.owner, position};
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    responsible r;
    if (!acc.owner.empty() && people_.find(acc.owner)) {
      for (const auto* s : people_.superiors_of(acc.owner, 8))
        if (people_.holds(s->id, position)) {
          r.person = s;
          break;
        }
    }
    if (!r.person) {
      auto holders = people_.holders(position);
      if (!holders.empty())
        r.person = holders.front();
      else
        r.note = "nobody holds " + position;
    }
    return cache_.emplace(std::move(key), std::move(r)).first->second;
  }

 private:
  const org::directory& people_;
  std::map<std::pair<std::string, std::string>, responsible> cache_;
};

}  // namespace keyaccount::care::detail
