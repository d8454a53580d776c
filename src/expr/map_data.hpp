#pragma once
// Storage behind map and object values (internal).

#include <string>
#include <unordered_map>
#include <vector>

#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr::detail {

struct map_data {
  std::string type_name;  // object values only
  std::vector<value::map_entry> entries;
  // Small maps are scanned; large ones get a hash index so lookups stay O(1).
  std::unordered_multimap<std::size_t, std::size_t> index;

  void build_index();
  const value* find(const value& key) const noexcept;
  const value* find_string(std::string_view key) const noexcept;
};

/// Hash consistent with CEL key equality (1 and 1.0 hash alike).
std::size_t key_hash(const value& key) noexcept;

}  // namespace keyaccount::expr::detail
