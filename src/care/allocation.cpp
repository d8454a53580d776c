#include "keyaccount/care/allocation.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <utility>

#include "care/unknown_id.hpp"

namespace keyaccount::care {

namespace {

// Pro-rata quotas multiply two quantities: 128-bit keeps that exact for any int64 inputs.
__extension__ using wide = __int128;

bool in_period(const season_period& s, month_day md) {
  if (s.from <= s.to) return s.from <= md && md <= s.to;
  return md >= s.from || md <= s.to;  // wraps the year end
}

struct work_line {
  std::size_t index;  // position in the input
  int rank;           // tier group, 0 = highest
  const order_line* line;
  std::string time;  // normalised
};

std::string ordinal(std::size_t n) {
  std::string s = std::to_string(n);
  auto mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return s + "th";
  switch (n % 10) {
    case 1:
      return s + "st";
    case 2:
      return s + "nd";
    case 3:
      return s + "rd";
    default:
      return s + "th";
  }
}

std::string served(std::int64_t allocated, std::int64_t ordered) {
  std::string s = "allocated " + std::to_string(allocated) + " of " + std::to_string(ordered);
  if (allocated == ordered) return s + " (fully served)";
  if (allocated == 0) return s + " (nothing left)";
  return s + " (partly served)";
}

}  // namespace

allocation_error::allocation_error(std::vector<std::string> problems)
    : error(error_kind::allocation, listing("invalid allocation input", problems), problems) {}

std::string_view to_string(allocation_mode m) noexcept {
  return m == allocation_mode::pro_rata ? "pro_rata" : "first_come";
}

std::optional<std::string> normalize_time(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  if (!date::parse(text.substr(0, 10))) return std::nullopt;
  std::string out(text.substr(0, 10));
  auto rest = text.substr(10);
  if (rest.empty()) return out + "T00:00:00";
  if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
  rest.remove_prefix(1);
  auto two = [](std::string_view s, int max) -> std::optional<int> {
    if (s.size() != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return std::nullopt;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    if (v > max) return std::nullopt;
    return v;
  };
  if (rest.size() != 5 && rest.size() != 8) return std::nullopt;
  if (!two(rest.substr(0, 2), 23) || rest[2] != ':' || !two(rest.substr(3, 2), 59))
    return std::nullopt;
  out += 'T';
  out += rest.substr(0, 5);
  if (rest.size() == 8) {
    if (rest[5] != ':' || !two(rest.substr(6, 2), 59)) return std::nullopt;
    out += rest.substr(5, 3);
  } else {
    out += ":00";
  }
  return out;
}

std::optional<std::string> peak_period_on(const peak_season_rule& rule, date day) {
  month_day md{day.month(), day.day()};
  for (const auto& s : rule.periods)
    if (in_period(s, md)) return s.from.to_string() + ".." + s.to.to_string();
  return std::nullopt;
}

std::vector<std::string> stock_item_problems(const stock_item& s) {
  std::vector<std::string> problems;
  if (s.product.empty()) problems.push_back("product: empty");
  if (s.quantity < 0) problems.push_back("quantity: negative");
  return problems;
}

std::vector<std::string> order_line_problems(const policy& p, const order_line& l) {
  std::vector<std::string> problems;
  if (l.id.empty()) problems.push_back("id: empty");
  if (!p.find_tier(l.tier))
    problems.push_back("tier: " + detail::unknown_id("tier", l.tier, p.tiers));
  if (l.product.empty()) problems.push_back("product: empty");
  if (l.quantity < 0) problems.push_back("quantity: negative");
  if (!normalize_time(l.ordered_at))
    problems.push_back("ordered_at: expected YYYY-MM-DD[THH:MM[:SS]], got \"" + l.ordered_at +
                       "\"");
  return problems;
}

allocation_result allocate(const policy& p, const std::vector<stock_item>& stock,
                           const std::vector<order_line>& lines, date on,
                           const allocation_options& options) {
  allocation_result result;
  result.on = on;
  const peak_season_rule* rule = p.peak_season ? &*p.peak_season : nullptr;
  result.article = rule ? rule->article : "art-7.3";
  result.mode =
      options.within_tier.value_or(rule ? rule->within_tier : allocation_mode::first_come);
  result.pack_size = options.pack_size.value_or(rule ? rule->pack_size : 1);
  if (rule) {
    if (auto period = peak_period_on(*rule, on)) {
      result.peak_season = true;
      result.period = *period;
    }
  }
  if (options.peak_season) {
    result.peak_season = *options.peak_season;
    if (result.peak_season && result.period.empty()) result.period = "forced by the caller";
    if (!result.peak_season) result.period.clear();
  }

  // --- validate every input, reporting all problems at once
  std::vector<std::string> problems;
  if (result.pack_size < 1) problems.push_back("pack_size: must be at least 1");
  std::map<std::pair<std::string, std::string>, std::int64_t> available;
  for (std::size_t i = 0; i < stock.size(); ++i) {
    const auto& s = stock[i];
    std::string at = "stock[" + std::to_string(i) + "]";
    for (const auto& problem : stock_item_problems(s)) problems.push_back(at + "." + problem);
    if (!available.emplace(std::pair{s.product, s.spec}, s.quantity).second)
      problems.push_back(at + ": duplicate stock entry for " + s.product + "/" + s.spec);
  }
  std::vector<work_line> work;
  work.reserve(lines.size());
  std::set<std::string_view> ids;
  std::map<std::string_view, int> tier_rank;
  if (rule)
    for (std::size_t i = 0; i < rule->tier_priority.size(); ++i)
      tier_rank.emplace(rule->tier_priority[i], static_cast<int>(i));
  const int unlisted = static_cast<int>(tier_rank.size());
  // Demand per product/spec is summed in int64 below: a total that does not fit is refused here
  // rather than wrapping to a negative demand.
  std::map<std::pair<std::string, std::string>, std::int64_t> ordered_total;
  std::set<std::pair<std::string, std::string>> too_much;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    std::string at = "lines[" + std::to_string(i) + "]";
    for (const auto& problem : order_line_problems(p, l)) problems.push_back(at + "." + problem);
    if (!l.id.empty() && !ids.insert(l.id).second)
      problems.push_back(at + ".id: duplicate line id " + l.id);
    if (l.quantity >= 0) {
      std::int64_t& total = ordered_total[{l.product, l.spec}];
      if (__builtin_add_overflow(total, l.quantity, &total) &&
          too_much.insert({l.product, l.spec}).second)
        problems.push_back(at + ".quantity: the quantities ordered of " + l.product + "/" + l.spec +
                           " add up to more than " +
                           std::to_string(std::numeric_limits<std::int64_t>::max()));
    }
    auto t = normalize_time(l.ordered_at);
    int rank = 0;
    if (result.peak_season) {
      auto r = tier_rank.find(l.tier);
      rank = r == tier_rank.end() ? unlisted : r->second;
    }
    work.push_back({i, rank, &l, t.value_or("")});
  }
  if (!problems.empty()) throw allocation_error(std::move(problems));

  // --- serve each product/spec: groups by rank, in order
  result.lines.resize(lines.size());
  std::map<std::pair<std::string, std::string>, std::vector<work_line*>> by_item;
  for (auto& w : work) by_item[{w.line->product, w.line->spec}].push_back(&w);

  const auto first_come_less = [](const work_line* a, const work_line* b) {
    return std::tie(a->time, a->line->id) < std::tie(b->time, b->line->id);
  };
  const std::string article = result.article;
  const std::string season =
      result.peak_season ? "peak season (" + result.period + ", " + article + ")"
                         : "outside peak season (" + article + "): first-come across all tiers";
  const int ranks_total = result.peak_season ? unlisted : 1;

  for (auto& item : by_item) {
    // Named, not a structured binding: lambdas below capture them (clang < 16 cannot capture
    // a structured binding).
    const auto& key = item.first;
    auto& group_lines = item.second;
    auto found = available.find(key);
    const bool has_stock = found != available.end();
    std::int64_t left = has_stock ? found->second : 0;
    std::stable_sort(group_lines.begin(), group_lines.end(),
                     [&](const work_line* a, const work_line* b) {
                       if (a->rank != b->rank) return a->rank < b->rank;
                       return first_come_less(a, b);
                     });
    std::size_t begin = 0;
    while (begin < group_lines.size()) {
      std::size_t end = begin;
      while (end < group_lines.size() && group_lines[end]->rank == group_lines[begin]->rank) ++end;
      const int rank = group_lines[begin]->rank;
      std::string tier_text;
      if (result.peak_season) {
        tier_text = rank < unlisted
                        ? "tier " + group_lines[begin]->line->tier + " has priority " +
                              std::to_string(rank + 1) + " of " + std::to_string(ranks_total)
                        : "tier " + group_lines[begin]->line->tier +
                              " is not in the priority list: served last";
      }
      const std::int64_t group_stock = left;
      std::int64_t demand = 0;
      for (std::size_t i = begin; i < end; ++i) demand += group_lines[i]->line->quantity;
      const bool pro_rata =
          result.peak_season && result.mode == allocation_mode::pro_rata && demand > group_stock;

      auto record = [&](const work_line* w, std::int64_t amount, const std::string& why) {
        line_allocation& out = result.lines[w->index];
        out.line = w->line->id;
        out.customer = w->line->customer;
        out.tier = w->line->tier;
        out.product = w->line->product;
        out.spec = w->line->spec;
        out.ordered = w->line->quantity;
        out.allocated = amount;
        out.priority = rank + 1;
        out.stock_before = group_stock;
        std::string text = season;
        if (!tier_text.empty()) text += "; " + tier_text;
        if (!has_stock) text += "; no stock of " + key.first + "/" + key.second;
        text += "; " + why + "; " + served(amount, w->line->quantity);
        out.reason = std::move(text);
      };

      if (!pro_rata) {
        for (std::size_t i = begin; i < end; ++i) {
          const work_line* w = group_lines[i];
          const std::int64_t before = left;
          const std::int64_t amount = std::min(left, w->line->quantity);
          left -= amount;
          std::string why;
          if (result.peak_season && result.mode == allocation_mode::pro_rata)
            why = "pro-rata not needed: stock " + std::to_string(group_stock) +
                  " covers the tier's demand " + std::to_string(demand);
          else
            why = "first-come: ordered " + w->time + ", " + ordinal(i - begin + 1) + " in line" +
                  (result.peak_season ? " within the tier" : "") + ", " + std::to_string(before) +
                  " left before it";
          record(w, amount, why);
        }
      } else {
        // Largest remainder: quota_i = S·d_i/D; base_i = quota rounded down to whole packs;
        // the rest goes one pack (or what the line still needs) at a time to the largest
        // remainders, ties to the earlier order. Hands out all of S because each line can
        // take at least its remainder (< one pack).
        const std::int64_t pack = result.pack_size;
        const std::size_t n = end - begin;
        std::vector<std::int64_t> base(n);
        std::vector<wide> remainder(n);  // (quota - base) · D
        std::int64_t given = 0;
        for (std::size_t k = 0; k < n; ++k) {
          const wide scaled =
              static_cast<wide>(group_stock) * group_lines[begin + k]->line->quantity;
          const wide packs = scaled / (static_cast<wide>(demand) * pack);
          base[k] = static_cast<std::int64_t>(packs) * pack;
          remainder[k] = scaled - static_cast<wide>(base[k]) * demand;
          given += base[k];
        }
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
          return first_come_less(group_lines[begin + a], group_lines[begin + b]);
        });
        std::int64_t rest = group_stock - given;
        std::vector<std::int64_t> extra(n, 0);
        std::vector<std::size_t> place(n, 0);
        for (std::size_t r = 0; r < n; ++r) {
          const std::size_t k = order[r];
          place[k] = r + 1;
          const std::int64_t need = group_lines[begin + k]->line->quantity - base[k];
          extra[k] = std::min({need, pack, rest});
          rest -= extra[k];
        }
        for (std::size_t k = 0; k < n; ++k) {
          const work_line* w = group_lines[begin + k];
          const double quota = static_cast<double>(group_stock) *
                               static_cast<double>(w->line->quantity) / static_cast<double>(demand);
          char quota_text[32];
          std::snprintf(quota_text, sizeof quota_text, "%.2f", quota);
          std::string why = "pro-rata: stock " + std::to_string(group_stock) +
                            " for the tier's demand " + std::to_string(demand) + ", quota " +
                            quota_text + ", " + std::to_string(base[k]) + " in whole packs of " +
                            std::to_string(pack);
          if (extra[k] > 0)
            why += " + " + std::to_string(extra[k]) + " for the " + ordinal(place[k]) +
                   " largest remainder";
          record(w, base[k] + extra[k], why);
        }
        left = 0;
      }
      begin = end;
    }
    if (has_stock) {
      std::int64_t allocated = found->second - left;
      std::int64_t ordered = 0;
      for (const auto* w : group_lines) ordered += w->line->quantity;
      result.stock.push_back(
          {key.first, key.second, found->second, allocated, left, ordered - allocated});
    } else {
      std::int64_t ordered = 0;
      for (const auto* w : group_lines) ordered += w->line->quantity;
      result.stock.push_back({key.first, key.second, 0, 0, 0, ordered});
    }
  }
  // Stock nobody ordered still shows in the summary.
  for (const auto& [key, quantity] : available)
    if (!by_item.count(key))
      result.stock.push_back({key.first, key.second, quantity, 0, quantity, 0});
  std::sort(result.stock.begin(), result.stock.end(), [](const stock_left& a, const stock_left& b) {
    return std::tie(a.product, a.spec) < std::tie(b.product, b.spec);
  });
  return result;
}

}  // namespace keyaccount::care
