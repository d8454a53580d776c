#include "keyaccount/org/directory.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace keyaccount::org {
namespace {

std::string loc(std::size_t i) { return "people[" + std::to_string(i) + "]"; }

}  // namespace

input_error::input_error(std::vector<std::string> problems)
    : error(error_kind::people, listing("invalid people", problems), problems) {}

directory::directory(const organization& org, std::vector<person> people)
    : people_(std::move(people)), positions_(org.positions) {
  std::vector<std::string> problems;
  std::set<std::string, std::less<>> position_ids;
  for (const auto& pos : positions_) position_ids.insert(pos.id);

  for (std::size_t i = 0; i < people_.size(); ++i) {
    const person& p = people_[i];
    if (p.id.empty()) {
      problems.push_back(loc(i) + ".id: a person needs a non-empty id");
      continue;
    }
    if (!by_id_.emplace(p.id, i).second) {
      problems.push_back(loc(i) + ".id: duplicate person id \"" + p.id + "\"");
    }
    for (std::size_t k = 0; k < p.positions.size(); ++k) {
      if (!position_ids.contains(p.positions[k])) {
        problems.push_back(loc(i) + ".positions[" + std::to_string(k) + "]: unknown position \"" +
                           p.positions[k] + "\"");
      }
    }
  }
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const person& p = people_[i];
    if (!p.superior.empty() && !by_id_.contains(p.superior)) {
      problems.push_back(loc(i) + ".superior: unknown person \"" + p.superior + "\"");
    } else if (!p.superior.empty() && p.superior == p.id) {
      problems.push_back(loc(i) + ".superior: a person cannot be their own superior");
    }
  }
  // Active holders per position, ordered by person id.
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const person& p = people_[i];
    if (!p.active || p.id.empty()) continue;
    for (const auto& pos : p.positions) {
      auto& list = by_position_[pos];
      if (std::find(list.begin(), list.end(), i) == list.end()) list.push_back(i);
    }
  }
  for (auto& [pos, list] : by_position_) {
    std::sort(list.begin(), list.end(),
              [&](std::size_t a, std::size_t b) { return people_[a].id < people_[b].id; });
    const position* def = find_position(pos);
    if (def && def->headcount && static_cast<int>(list.size()) > *def->headcount) {
      problems.push_back("people: position \"" + pos + "\" allows " +
                         std::to_string(*def->headcount) + " holder(s) but " +
                         std::to_string(list.size()) + " active people hold it");
    }
  }
  // Explicit superior chains must end (a loop would make escalation run forever).
  if (problems.empty()) {
    for (std::size_t i = 0; i < people_.size(); ++i) {
      std::set<std::string, std::less<>> seen{people_[i].id};
      const person* cur = &people_[i];
      while (cur && !cur->superior.empty()) {
        if (!seen.insert(cur->superior).second) {
          problems.push_back(loc(i) + ".superior: the chain of superiors loops back to \"" +
                             cur->superior + "\"");
          break;
        }
        cur = find(cur->superior);
      }
    }
  }
  if (!problems.empty()) throw input_error(std::move(problems));
}

const person* directory::find(std::string_view id) const noexcept {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &people_[it->second];
}

bool directory::holds(std::string_view person_id, std::string_view position_id) const noexcept {
  const person* p = find(person_id);
  if (!p || !p->active) return false;
  return std::find(p->positions.begin(), p->positions.end(), position_id) != p->positions.end();
}

std::vector<const person*> directory::holders(std::string_view position_id) const {
  std::vector<const person*> out;
  auto it = by_position_.find(position_id);
  if (it == by_position_.end()) return out;
  out.reserve(it->second.size());
  for (std::size_t i : it->second) out.push_back(&people_[i]);
  return out;
}

const position* directory::find_position(std::string_view id) const noexcept {
  auto it = std::find_if(positions_.begin(), positions_.end(),
                         [&](const position& p) { return p.id == id; });
  return it == positions_.end() ? nullptr : &*it;
}

const person* directory::raw_superior(const person& p) const {
  if (!p.superior.empty()) return find(p.superior);
  // Follow the policy's reporting line from the person's first position; a position with no
  // active holder passes on to its own superior position.
  for (const auto& pos_id : p.positions) {
    const position* pos = find_position(pos_id);
    int guard = static_cast<int>(positions_.size());
    while (pos && pos->reports_to && guard-- > 0) {
      auto holders_of = holders(*pos->reports_to);
      for (const person* h : holders_of) {
        if (h->id != p.id) return h;
      }
      pos = find_position(*pos->reports_to);
    }
    break;  // only the first position defines the line
  }
  return nullptr;
}

const person* directory::superior_of(std::string_view person_id) const {
  const person* p = find(person_id);
  if (!p) return nullptr;
  std::size_t guard = people_.size() + 1;
  const person* up = raw_superior(*p);
  while (up && !up->active && guard-- > 0) up = raw_superior(*up);
  return (up && up->active && up->id != p->id) ? up : nullptr;
}

std::vector<const person*> directory::superiors_of(std::string_view person_id, int levels) const {
  std::vector<const person*> chain;
  std::string_view cur = person_id;
  for (int l = 0; l < levels; ++l) {
    const person* up = superior_of(cur);
    if (!up || std::find(chain.begin(), chain.end(), up) != chain.end() || up->id == person_id) {
      break;
    }
    chain.push_back(up);
    cur = up->id;
  }
  return chain;
}

std::vector<person> people_from_json(const nlohmann::json& j) {
  std::vector<std::string> problems;
  const nlohmann::json* list = &j;
  std::string base = "people";
  if (j.is_object()) {
    if (!j.contains("people")) throw input_error({"people: expected an array of people"});
    list = &j["people"];
  }
  if (!list->is_array()) throw input_error({"people: expected an array of people"});
  std::vector<person> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& e = (*list)[i];
    std::string at = base + "[" + std::to_string(i) + "]";
    if (!e.is_object()) {
      problems.push_back(at + ": expected an object");
      continue;
    }
    person p;
    for (const auto& [key, value] : e.items()) {
      if (key == "id" || key == "name" || key == "superior") {
        if (key == "superior" && value.is_null()) continue;
        if (!value.is_string()) {
          problems.push_back(at + "." + key + ": expected a string");
          continue;
        }
        (key == "id" ? p.id : key == "name" ? p.name : p.superior) = value.get<std::string>();
      } else if (key == "positions") {
        bool ok = value.is_array() && std::all_of(value.begin(), value.end(),
                                                  [](const auto& v) { return v.is_string(); });
        if (!ok) {
          problems.push_back(at + ".positions: expected an array of strings");
          continue;
        }
        p.positions = value.get<std::vector<std::string>>();
      } else if (key == "active") {
        if (!value.is_boolean()) {
          problems.push_back(at + ".active: expected true or false");
          continue;
        }
        p.active = value.get<bool>();
      } else {
        problems.push_back(at + "." + key +
                           ": unknown field (expected id, name, positions, superior, active)");
      }
    }
    if (!e.contains("id")) problems.push_back(at + ": missing \"id\"");
    out.push_back(std::move(p));
  }
  if (!problems.empty()) throw input_error(std::move(problems));
  return out;
}

nlohmann::json to_json(const std::vector<person>& people) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : people) {
    nlohmann::json e = {
        {"id", p.id}, {"name", p.name}, {"positions", p.positions}, {"active", p.active}};
    e["superior"] = p.superior.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.superior);
    list.push_back(std::move(e));
  }
  return list;
}

}  // namespace keyaccount::org
