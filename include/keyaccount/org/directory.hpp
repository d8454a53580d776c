#pragma once
/// \file
/// The organisation at run time (Art. 3): the policy declares departments and positions; the
/// host system supplies the people. A `directory` joins the two and answers who holds a
/// position and who is someone's superior (for escalation).

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::org {

/// A person, as the host system (HR, CRM) knows them. Value type.
struct person {
  std::string id;                      ///< stable id, referenced by workflows and ownership
  std::string name;                    ///< display name; may be empty
  std::vector<std::string> positions;  ///< position ids of the policy
  std::string superior;                ///< person id of the direct superior; empty: derive it
                                       ///< from the policy's reporting line (`reports_to`)
  bool active = true;                  ///< inactive people hold nothing and cannot act
  friend bool operator==(const person&, const person&) = default;
};

/// The people supplied do not fit the policy's organisation. `problems` lists every problem
/// found, each starting with its location (e.g. `people[2].positions[0]: unknown position "x"`).
/// Kind `error_kind::people`.
class input_error : public error {
 public:
  explicit input_error(std::vector<std::string> problems);
};

/// People joined with the policy's positions. Immutable once built: any number of threads may
/// query one directory at once. Copyable (it owns copies of the people and of the positions).
class directory {
 public:
  /// Builds a directory. Throws `input_error` listing every problem: empty or duplicate person
  /// ids, unknown positions, unknown superiors, a superior chain that loops, and more active
  /// holders of a position than its `headcount` allows.
  directory(const organization& org, std::vector<person> people);

  /// Every person, in the order given.
  [[nodiscard]] const std::vector<person>& people() const noexcept { return people_; }
  /// The person with this id; nullptr when unknown.
  [[nodiscard]] const person* find(std::string_view id) const noexcept;
  /// Whether `person_id` is active and holds `position_id`.
  [[nodiscard]] bool holds(std::string_view person_id, std::string_view position_id) const noexcept;
  /// The active holders of a position, ordered by person id (deterministic).
  [[nodiscard]] std::vector<const person*> holders(std::string_view position_id) const;
  /// The policy's position with this id; nullptr when unknown.
  [[nodiscard]] const position* find_position(std::string_view id) const noexcept;

  /// The direct superior of a person: their explicit `superior` when given, otherwise the
  /// active holder (smallest id) of the position their first position `reports_to`. Inactive
  /// superiors are skipped: the search continues up the line. nullptr at the top.
  [[nodiscard]] const person* superior_of(std::string_view person_id) const;
  /// The chain of active superiors above a person, nearest first, at most `levels` long.
  [[nodiscard]] std::vector<const person*> superiors_of(std::string_view person_id,
                                                        int levels) const;

 private:
  const person* raw_superior(const person& p) const;  // next up, active or not

  std::vector<person> people_;
  std::vector<position> positions_;
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_position_;  // active, by id
};

/// Reads people from JSON: an array of `{"id", "name", "positions", "superior", "active"}`
/// objects, or an object with such an array under `"people"`. Throws `input_error` with the
/// JSON location of every problem (`people[1].positions: expected an array of strings`).
[[nodiscard]] std::vector<person> people_from_json(const nlohmann::json& j);
/// The JSON form read by `people_from_json`.
[[nodiscard]] nlohmann::json to_json(const std::vector<person>& people);

}  // namespace keyaccount::org
