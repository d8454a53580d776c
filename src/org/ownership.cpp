#include "keyaccount/org/ownership.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace keyaccount::org {
namespace {

bool is_key(const ownership_rule& rule, const customer_ref& c) {
  return rule.tiers.empty() ||
         std::find(rule.tiers.begin(), rule.tiers.end(), c.tier) != rule.tiers.end();
}

std::string art(const ownership_rule& rule) {
  return rule.article.empty() ? std::string("Art. 6.2") : rule.article;
}

int limit_of(const ownership_rule& rule, const ownership_options& options) {
  return options.max_accounts_per_owner.value_or(rule.max_accounts_per_owner);
}

// Whether `owner` is a valid owner; when not, the issue kind and message.
std::optional<std::pair<ownership_issue_kind, std::string>> owner_problem(
    const ownership_rule& rule, const directory& people, const std::string& owner) {
  const person* p = people.find(owner);
  if (!p) {
    return std::pair{ownership_issue_kind::unknown_owner,
                     "owner \"" + owner + "\" is not a known person"};
  }
  if (!p->active) {
    return std::pair{ownership_issue_kind::inactive_owner, "owner \"" + owner + "\" is not active"};
  }
  if (!rule.owner_position.empty() && !people.holds(owner, rule.owner_position)) {
    return std::pair{ownership_issue_kind::wrong_position,
                     "owner \"" + owner + "\" does not hold the position \"" + rule.owner_position +
                         "\" that " + art(rule) + " requires"};
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ownership_issue_kind kind) noexcept {
  switch (kind) {
    case ownership_issue_kind::no_owner:
      return "no_owner";
    case ownership_issue_kind::several_owners:
      return "several_owners";
    case ownership_issue_kind::unknown_owner:
      return "unknown_owner";
    case ownership_issue_kind::inactive_owner:
      return "inactive_owner";
    case ownership_issue_kind::wrong_position:
      return "wrong_position";
    case ownership_issue_kind::over_capacity:
      return "over_capacity";
    case ownership_issue_kind::unknown_customer:
      return "unknown_customer";
  }
  return "unknown";
}

ownership_report check_ownership(const ownership_rule& rule, const directory& people,
                                 const std::vector<customer_ref>& customers,
                                 const std::vector<assignment>& assignments,
                                 const ownership_options& options) {
  ownership_report report;
  std::map<std::string, std::vector<std::string>, std::less<>> owners_of;  // customer → owners
  std::set<std::string, std::less<>> known;
  for (const auto& c : customers)
    // Listed twice, a customer would count twice towards its owner's load and be reported
    // twice: the list is wrong, not the ownership.
    if (!known.insert(c.id).second)
      throw std::invalid_argument("customer \"" + c.id + "\" is listed twice");
  for (const auto& a : assignments) {
    if (!known.contains(a.customer)) {
      report.issues.push_back(
          {ownership_issue_kind::unknown_customer, a.customer, a.owner,
           "assignment names customer \"" + a.customer + "\", which is not in the customer list"});
      continue;
    }
    auto& list = owners_of[a.customer];
    if (std::find(list.begin(), list.end(), a.owner) == list.end()) list.push_back(a.owner);
  }

  std::vector<const customer_ref*> keys;
  for (const auto& c : customers) {
    if (is_key(rule, c)) keys.push_back(&c);
  }
  std::sort(keys.begin(), keys.end(),
            [](const customer_ref* a, const customer_ref* b) { return a->id < b->id; });

  for (const customer_ref* c : keys) {
    auto it = owners_of.find(c->id);
    if (it == owners_of.end() || it->second.empty()) {
      report.issues.push_back(
          {ownership_issue_kind::no_owner, c->id, "",
           "key customer \"" + c->id + "\" has no dedicated owner (" + art(rule) + ")"});
      report.unowned.push_back(c->id);
      continue;
    }
    const auto& owners = it->second;
    for (const auto& o : owners) report.load[o] += 1;
    if (owners.size() > 1) {
      std::string list;
      for (const auto& o : owners) list += (list.empty() ? "" : ", ") + o;
      report.issues.push_back({ownership_issue_kind::several_owners, c->id, "",
                               "key customer \"" + c->id + "\" has " +
                                   std::to_string(owners.size()) + " owners (" + list + "); " +
                                   art(rule) + " requires exactly one"});
      report.unowned.push_back(c->id);
      continue;
    }
    if (auto problem = owner_problem(rule, people, owners.front())) {
      report.issues.push_back({problem->first, c->id, owners.front(),
                               "key customer \"" + c->id + "\": " + problem->second});
      report.unowned.push_back(c->id);
    }
  }
  int limit = limit_of(rule, options);
  if (limit > 0) {
    for (const auto& [owner, count] : report.load) {
      if (count > limit) {
        report.issues.push_back({ownership_issue_kind::over_capacity, "", owner,
                                 "owner \"" + owner + "\" has " + std::to_string(count) +
                                     " key accounts; the limit is " + std::to_string(limit)});
      }
    }
  }
  return report;
}

ownership_proposal propose_owners(const ownership_rule& rule, const directory& people,
                                  const std::vector<customer_ref>& customers,
                                  const std::vector<assignment>& assignments,
                                  const ownership_options& options) {
  ownership_report report = check_ownership(rule, people, customers, assignments, options);
  ownership_proposal out;
  // Current load of every eligible person, counting only their valid assignments.
  std::vector<const person*> eligible = people.holders(rule.owner_position);
  for (const person* p : eligible) out.load_after[p->id] = 0;
  std::set<std::string, std::less<>> unowned(report.unowned.begin(), report.unowned.end());
  for (const auto& a : assignments) {
    if (unowned.contains(a.customer)) continue;
    auto it = out.load_after.find(a.owner);
    if (it != out.load_after.end()) it->second += 1;
  }
  int limit = limit_of(rule, options);
  for (const auto& customer : unowned) {  // std::set: ordered by id
    const person* best = nullptr;
    for (const person* p : eligible) {  // ordered by id, so ties go to the smallest id
      int load = out.load_after[p->id];
      if (limit > 0 && load >= limit) continue;
      if (!best || load < out.load_after[best->id]) best = p;
    }
    if (!best) {
      out.unplaceable.push_back(customer);
      continue;
    }
    out.load_after[best->id] += 1;
    out.proposed.push_back({customer, best->id});
  }
  return out;
}

}  // namespace keyaccount::org
