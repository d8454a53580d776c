#include "keyaccount/policy/model.hpp"

#include <algorithm>

namespace keyaccount {
namespace {

template <class T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) noexcept {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const position* policy::find_position(std::string_view id) const noexcept {
  return find_by_id(org.positions, id);
}
const department* policy::find_department(std::string_view id) const noexcept {
  return find_by_id(org.departments, id);
}
const criterion* policy::find_criterion(std::string_view id) const noexcept {
  return find_by_id(criteria, id);
}
const tier* policy::find_tier(std::string_view id) const noexcept { return find_by_id(tiers, id); }
const workflow* policy::find_workflow(std::string_view id) const noexcept {
  return find_by_id(workflows, id);
}
const article* policy::find_article(std::string_view id) const noexcept {
  return find_by_id(articles, id);
}
const parameter* policy::find_parameter(std::string_view id) const noexcept {
  return find_by_id(parameters, id);
}
const activity* policy::find_activity(std::string_view id) const noexcept {
  return find_by_id(activities, id);
}

}  // namespace keyaccount
