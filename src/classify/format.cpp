#include "keyaccount/classify/format.hpp"

#include "classify/render.hpp"

namespace keyaccount {

std::string criterion_failure_text(std::string_view criterion, std::string_view cause) {
  return "criterion " + std::string(criterion) + " could not be evaluated: " + std::string(cause);
}

std::string row_error_text(std::string_view field, std::string_view message,
                           std::string_view criterion) {
  if (!criterion.empty()) return criterion_failure_text(criterion, message);
  return std::string(field) + ": " + std::string(message);
}

std::string to_text(const explanation& e, std::string_view customer) {
  std::string s;
  if (!customer.empty()) s += std::string(customer) + ": ";
  if (e.result.ok()) {
    s += e.tier + " " + e.tier_name.zh + " (" + e.tier_name.en + ")";
  } else {
    s += "no tier: " + criterion_failure_text(e.error_criterion, e.error);
  }
  if (!e.deciding.empty()) {
    s += " — ";
    std::string ids;
    for (const auto& d : e.deciding) ids += (ids.empty() ? "" : ", ") + d;
    s += "deciding: " + ids;
  }
  s += '\n';
  for (const auto& r : e.criteria) {
    const char* mark = r.result == outcome::met       ? "  ✓ "
                       : r.result == outcome::not_met ? "  ✗ "
                                                      : "  ! ";
    s += mark + r.id + " " + r.name.zh + " (" + r.name.en + ")";
    if (r.leaf && !r.observed.empty()) {
      s += ": " + r.observed;
      if (!r.unit.zh.empty() && r.observed_number) s += " " + r.unit.zh;
      if (!r.target.empty()) {
        s += std::string(", target ") + (r.strict ? "> " : "≥ ") + r.target;
        if (!r.unit.zh.empty()) s += " " + r.unit.zh;
      } else if (!r.requirement.en.empty()) {
        s += ", requires " + r.requirement.en + " / " + r.requirement.zh;
      }
    }
    if (r.result == outcome::error) s += ": error: " + r.error;
    if (!r.why_not.en.empty()) s += " — " + r.why_not.en + " / " + r.why_not.zh;
    s += '\n';
  }
  return s;
}

nlohmann::json to_json(const criterion_report& r) {
  nlohmann::json j = {{"id", r.id},
                      {"article", r.article},
                      {"name", r.name.en},
                      {"name_zh", r.name.zh},
                      {"result", std::string(to_string(r.result))},
                      {"met", r.result == outcome::met}};
  if (r.observed_number)
    j["observed"] = *r.observed_number;
  else if (!r.observed.empty())
    j["observed"] = r.observed;
  if (r.target_number)
    j["target"] = *r.target_number;
  else if (!r.target.empty())
    j["target"] = r.target;
  if (!r.requirement.en.empty()) {
    j["requirement"] = r.requirement.en;
    j["requirement_zh"] = r.requirement.zh;
  }
  if (!r.unit.en.empty()) {
    j["unit"] = r.unit.en;
    j["unit_zh"] = r.unit.zh;
  }
  if (r.leaf && r.target_number) j["strict"] = r.strict;
  if (r.margin) j["margin"] = std::stod(detail::format_number(*r.margin));
  if (r.gap) j["gap"] = std::stod(detail::format_number(*r.gap));
  if (r.precondition_failed) j["precondition_failed"] = true;
  if (!r.why_not.en.empty() || !r.why_not.zh.empty()) {
    j["why_not"] = r.why_not.en;
    j["why_not_zh"] = r.why_not.zh;
  }
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

nlohmann::json to_json(const explanation& e) {
  nlohmann::json j;
  if (e.result.ok()) {
    j["tier"] = e.tier;
    j["tier_name"] = e.tier_name.en;
    j["tier_name_zh"] = e.tier_name.zh;
  } else {
    j["tier"] = nullptr;
    j["error"] = criterion_failure_text(e.error_criterion, e.error);
    j["error_criterion"] = e.error_criterion;
  }
  j["deciding"] = e.deciding;
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& r : e.criteria) cs.push_back(to_json(r));
  j["criteria"] = std::move(cs);
  if (e.provenance) j["provenance"] = to_json(*e.provenance);
  return j;
}

nlohmann::json to_json(const decision_provenance& p) {
  return {{"policy_id", p.policy_id},
          {"policy_version", p.policy_version},
          {"policy_hash", p.policy_hash},
          {"as_of", p.as_of.to_string()},
          {"keyaccount_version", p.keyaccount_version}};
}

}  // namespace keyaccount
