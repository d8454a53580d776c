#include "keyaccount/classify/dynamics.hpp"

#include <algorithm>
#include <stdexcept>

namespace keyaccount {

std::string_view to_string(transition_kind k) noexcept {
  switch (k) {
    case transition_kind::promoted:
      return "promoted";
    case transition_kind::demoted:
      return "demoted";
    case transition_kind::pending_demotion:
      return "pending_demotion";
    case transition_kind::unchanged:
      break;
  }
  return "unchanged";
}

transition reclassify(const classifier& c, const explanation& e, const tier_history& before) {
  transition t;
  t.previous_tier = before.previous_tier;
  t.evaluated_tier = e.tier;
  const auto& dyn = c.source_policy().dynamics;
  const int grace = dyn ? std::max(1, dyn->demote_after_failures) : 1;
  auto now = c.tier_index(e.tier);
  if (!now) throw std::invalid_argument("the explanation has no tier (evaluation failed)");
  if (before.previous_tier.empty()) {
    t.kind = transition_kind::unchanged;
    t.tier = e.tier;
    for (const auto& d : e.deciding) t.reasons.push_back(d);
    return t;
  }
  auto prev = c.tier_index(before.previous_tier);
  if (!prev) throw std::invalid_argument("unknown previous tier '" + before.previous_tier + "'");
  if (*now == *prev) {
    t.kind = transition_kind::unchanged;
    t.tier = e.tier;
    return t;
  }
  if (*now < *prev) {
    t.kind = transition_kind::promoted;
    t.tier = e.tier;
    for (const auto& d : e.deciding) {
      const auto* r = e.find(d);
      if (r && r->leaf) t.reasons.push_back(d + ": " + r->name.en + " met (" + r->observed + ")");
    }
    return t;
  }
  // Fails the previous tier: count it, demote only after `grace` failures in a row.
  const int failures = before.consecutive_failures + 1;
  for (const auto& r : e.criteria)
    if (r.leaf && r.result == outcome::not_met && !r.why_not.en.empty() &&
        std::find(e.deciding.begin(), e.deciding.end(), r.id) != e.deciding.end())
      t.reasons.push_back(r.id + ": " + r.why_not.en);
  if (failures >= grace) {
    t.kind = transition_kind::demoted;
    t.tier = e.tier;
    t.consecutive_failures = 0;
  } else {
    t.kind = transition_kind::pending_demotion;
    t.tier = before.previous_tier;
    t.consecutive_failures = failures;
    t.failures_to_demotion = grace - failures;
  }
  return t;
}

profile_card_status check_profile_card(const classifier& c, const customer_record& record,
                                       date as_of) {
  // A card updated after as_of would have a negative age: the record contradicts the day.
  check_dates_not_after(record, c.parser().fields(),
                        static_cast<std::int32_t>(as_of.days_since_epoch()));
  profile_card_status s;
  const auto& dyn = c.source_policy().dynamics;
  if (!dyn || !dyn->profile_card) return s;
  s.required = true;
  s.max_age_days = dyn->profile_card->max_age_days;
  auto slot = c.parser().slot_of("profile");
  const expr::value* card = slot ? record.get(*slot) : nullptr;
  s.present = card && card->is_object();
  for (const auto& f : dyn->profile_card->required_fields) {
    const expr::value* v = s.present ? card->find_field(f) : nullptr;
    bool empty = !v || v->is_null() || (v->is_string() && v->as_string().empty()) ||
                 (v->is_list() && v->as_list().empty());
    if (empty) s.missing_fields.push_back(f);
  }
  if (s.present) {
    if (const expr::value* u = card->find_field("updated_on"); u && u->is_date()) {
      s.updated_on =
          date(std::chrono::sys_days(std::chrono::days(u->as_date().days_since_epoch())));
      s.age_days = days_between(*s.updated_on, as_of);
      s.stale = s.max_age_days > 0 && *s.age_days > s.max_age_days;
    }
  }
  return s;
}

}  // namespace keyaccount
