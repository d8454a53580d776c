#pragma once
/// Customer ids given twice in one table. One customer has one tier: a table that names a
/// customer on two rows is an input error at the second row, naming the first (as every care
/// input says it), whatever the two rows hold. `keyaccount classify` checks its records as it
/// reads them; the Python tables (DataFrame, numpy columns, Arrow) check their id column here.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace keyaccount {

/// (row, first row) of each row whose id an earlier row gave already, in row order. An empty
/// id is no id (never repeated). Linear in the rows, no copy of an id; `hashes` (each id's
/// `id_hash`, computed by a caller that reads the ids anyway) spares a pass over them.
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> repeated_ids(
    std::span<const std::string_view> ids, std::span<const std::uint64_t> hashes = {});

/// The hash `repeated_ids` files an id under.
[[nodiscard]] std::uint64_t id_hash(std::string_view id) noexcept;

/// The same check for records read one at a time (`keyaccount classify`, `diff`): each id
/// noted with its place (a line), a repeated one answered with the place it was first given.
class first_places_of_ids {
 public:
  /// The place `id` was first given at when it was given before; else notes `place` for it
  /// and returns nothing. An empty id is no id.
  [[nodiscard]] std::optional<std::size_t> repeated(const std::string& id, std::size_t place);

 private:
  std::unordered_map<std::string, std::size_t> first_{};
};

/// `customer "ID" is given twice (first at FIRST)`: the one wording of the error, FIRST the
/// place of the first row ("customers.jsonl:3", "index 'a'").
[[nodiscard]] std::string given_twice(std::string_view id, std::string_view first);

}  // namespace keyaccount
