#include "keyaccount/care/account_book.hpp"
#include "keyaccount/core/field_check.hpp"

#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"

namespace keyaccount::care {

namespace {

// Art. 6.3 overrides of two records of one account: each setting given once, or alike.
void merge_overrides(const account& a, account& known) {
  for (const auto& entry : a.overrides) {
    // Named, not a structured binding: the lambda below captures it (clang < 16 cannot
    // capture a structured binding).
    const std::string& activity = entry.first;
    const activity_override& own = entry.second;
    auto& into = known.overrides[activity];
    auto take = [&](auto& slot, const auto& value, const char* setting, auto show) {
      if (!value) return;
      if (slot && *slot != *value)
        throw input_error(
            "overrides." + activity + "." + setting,
            a.id + " is " + show(*value) + " here but " + show(*slot) + " in an earlier record");
      slot = value;
    };
    auto number = [](int n) { return std::to_string(n); };
    auto day = [](month_day d) { return d.to_string(); };
    auto text = [](const std::string& s) { return "\"" + s + "\""; };
    take(into.every_days, own.every_days, "every_days", number);
    take(into.every_months, own.every_months, "every_months", number);
    take(into.yearly_on, own.yearly_on, "yearly_on", day);
    take(into.lead_days, own.lead_days, "lead_days", number);
    take(into.responsible, own.responsible, "responsible", text);
  }
}

}  // namespace

void first_places::note(const std::string& id, const std::string& where) {
  auto [at, fresh] = first_.emplace(id, where);
  if (!fresh)
    throw input_error("", what_ + " \"" + id + "\" is given twice (first at " + at->second + ")");
}

void refuse_if_any(const std::vector<std::string>& problems) {
  if (problems.empty()) return;
  std::string all = problems[0];
  for (std::size_t i = 1; i < problems.size(); ++i) all += "; " + problems[i];
  throw input_error("", all);
}

void account_book::add_customer(const classifier& c, const customer_record& record,
                                const std::string& where,
                                std::map<std::string, profile_card_status>* profiles) {
  customers_.note(record.id(), where);  // a customer given twice would be planned twice
  auto text_of = [&](std::string_view field) {
    const auto slot = c.parser().slot_of(field);
    const expr::value* v = slot ? record.get(*slot) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  account a;
  a.id = record.id();
  a.name = text_of("name");
  a.owner = text_of("owner");
  a.tier = std::string(c.tier_id(c.classify(record, as_of_)));
  if (profiles) (*profiles)[a.id] = check_profile_card(c, record, as_of_);
  has_customers_ = true;
  index_[a.id] = accounts_.size();
  accounts_.push_back(std::move(a));
}

std::vector<std::string> account_book::add_record(const nlohmann::json& record) {
  nlohmann::json copy = record;
  // Merged into classified customers, the tier may be left out (the classifier's holds).
  const bool tier_unsaid = has_customers_ && copy.is_object() && !copy.contains("tier");
  if (tier_unsaid) copy["tier"] = "?";
  account a = account_from_json(copy);
  auto it = index_.find(a.id);
  if (it == index_.end() && tier_unsaid)
    throw input_error("tier", field_check::missing_required() + " (customer not classified)");
  // A tier left out is the classified customer's; the record is checked with it.
  if (tier_unsaid) a.tier = accounts_[it->second].tier;
  refuse_if_any(account_problems(*policy_, a));
  auto later = prefixed(a.id, drop_later_facts(a, as_of_));
  if (it == index_.end()) {
    index_[a.id] = accounts_.size();
    accounts_.push_back(std::move(a));
    return later;
  }
  auto& known = accounts_[it->second];
  // Records of one account read from the log must agree on what it is; classified customers'
  // tier and owner hold over the log's (documented), so only the log's own records can conflict.
  auto conflict = [&](const char* field, const std::string& here, const std::string& before) {
    throw input_error(
        field, a.id + " is \"" + here + "\" here but \"" + before + "\" in an earlier record");
  };
  if (!has_customers_ && a.tier != known.tier) conflict("tier", a.tier, known.tier);
  if (!has_customers_ && !a.owner.empty() && !known.owner.empty() && a.owner != known.owner)
    conflict("owner", a.owner, known.owner);
  if (a.gift_amount && known.gift_amount && *a.gift_amount != *known.gift_amount)
    conflict("gift_amount", nlohmann::json(*a.gift_amount).dump(),
             nlohmann::json(*known.gift_amount).dump());
  // Two dates of one activity are two times it was done: the later is when it was last done.
  for (auto& [k, v] : a.last_done) {
    auto [slot, fresh] = known.last_done.emplace(k, v);
    if (!fresh && slot->second < v) slot->second = v;
  }
  if (a.gift_amount) known.gift_amount = a.gift_amount;
  merge_overrides(a, known);
  if (known.owner.empty()) known.owner = a.owner;
  if (known.name.empty()) known.name = a.name;
  return later;
}

std::vector<account> account_book::take() noexcept {
  index_.clear();
  return std::move(accounts_);
}

std::vector<std::string> symposium_records::add(const nlohmann::json& record,
                                                const std::string& where) {
  symposium_event e = symposium_event_from_json(record);
  refuse_if_any(symposium_event_problems(*policy_, e));
  years_.note(std::to_string(e.on.year()), where);
  auto dropped = prefixed("symposium " + e.on.to_string(), drop_later_facts(e, as_of_));
  events_.push_back(std::move(e));
  return dropped;
}

}  // namespace keyaccount::care
