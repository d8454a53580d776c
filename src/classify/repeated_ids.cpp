#include "keyaccount/classify/repeated_ids.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <unordered_map>

namespace keyaccount {
namespace {

// Rows per partition, at most: a partition's table (twice as many 8-byte slots) stays in the
// processor's second-level cache.
constexpr std::size_t partition_rows = 4096;

using pairs = std::vector<std::pair<std::size_t, std::size_t>>;

// The rows `rows` (ascending, all of one partition, with their hashes `hashes`) probed into
// `table` (cleared, a power of two at least twice their number): open addressing over (hash
// tag, row + 1), the ids' text compared only when their hashes agree (a repeat, almost always).
void find_in_partition(std::span<const std::string_view> ids, std::span<const std::uint32_t> rows,
                       std::span<const std::uint64_t> hashes, std::vector<std::uint64_t>& table,
                       pairs& out) {
  const std::size_t mask = table.size() - 1;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::uint32_t row = rows[i];
    const std::uint64_t tag = hashes[i] >> 32;
    for (std::size_t at = hashes[i] & mask;; at = (at + 1) & mask) {
      const std::uint64_t held = table[at];
      if (held == 0) {
        table[at] = tag << 32 | (std::uint64_t{row} + 1);
        break;
      }
      const std::size_t first = (held & 0xFFFFFFFFu) - 1;
      if (held >> 32 == tag && ids[first] == ids[row]) {
        out.emplace_back(row, first);
        break;
      }
    }
  }
}

}  // namespace

std::uint64_t id_hash(std::string_view id) noexcept { return std::hash<std::string_view>{}(id); }

// One hash table over a million rows is larger than the caches: every probe a memory access.
// So the rows are first partitioned by their hash's middle bits (a counting sort, sequential
// reads and a few hundred sequential write streams), and each partition is probed into a table
// that stays in the cache. An id's repeats share its hash, so they share its partition; the
// partition keeps the rows in order, so the first row of an id is the one found first.
std::vector<std::pair<std::size_t, std::size_t>> repeated_ids(
    std::span<const std::string_view> ids, std::span<const std::uint64_t> given_hashes) {
  pairs out;
  if (ids.size() >= 0xFFFFFFFFu) {  // rows past 32 bits: a plain map (never in practice)
    std::unordered_map<std::string_view, std::size_t> first;
    for (std::size_t row = 0; row < ids.size(); ++row)
      if (!ids[row].empty())
        if (auto [at, fresh] = first.try_emplace(ids[row], row); !fresh)
          out.emplace_back(row, at->second);
    return out;
  }
  std::vector<std::uint64_t> computed;
  if (given_hashes.size() != ids.size()) {
    computed.resize(ids.size());
    for (std::size_t row = 0; row < ids.size(); ++row) computed[row] = id_hash(ids[row]);
    given_hashes = computed;
  }
  const std::span<const std::uint64_t> hashes = given_hashes;
  const std::size_t parts = std::bit_ceil((ids.size() + partition_rows - 1) / partition_rows);
  const int shift = 16;  // the middle bits: the low ones pick a slot, the high ones are the tag
  auto part_of = [&](std::size_t row) { return (hashes[row] >> shift) & (parts - 1); };
  std::vector<std::uint32_t> start(parts + 1);
  for (std::size_t row = 0; row < ids.size(); ++row)
    if (!ids[row].empty()) ++start[part_of(row) + 1];
  for (std::size_t p = 0; p < parts; ++p) start[p + 1] += start[p];
  // Each partition's rows and their hashes side by side: the probes read both in order.
  std::vector<std::uint32_t> rows(start[parts]);
  std::vector<std::uint64_t> row_hashes(start[parts]);
  std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
  for (std::size_t row = 0; row < ids.size(); ++row)
    if (!ids[row].empty()) {
      const std::uint32_t at = next[part_of(row)]++;
      rows[at] = static_cast<std::uint32_t>(row);
      row_hashes[at] = hashes[row];
    }
  std::vector<std::uint64_t> table;
  for (std::size_t p = 0; p < parts; ++p) {
    const std::size_t size = start[p + 1] - start[p];
    if (size < 2) continue;
    table.assign(std::bit_ceil(2 * size), 0);
    find_in_partition(ids, {rows.data() + start[p], size}, {row_hashes.data() + start[p], size},
                      table, out);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::size_t> first_places_of_ids::repeated(const std::string& id, std::size_t place) {
  if (id.empty()) return std::nullopt;
  const auto [at, fresh] = first_.try_emplace(id, place);
  if (fresh) return std::nullopt;
  return at->second;
}

std::string given_twice(std::string_view id, std::string_view first) {
  std::string out = "customer \"";
  out.append(id).append("\" is given twice (first at ").append(first).append(")");
  return out;
}

}  // namespace keyaccount
