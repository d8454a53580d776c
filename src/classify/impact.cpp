// The impact of a policy change on customers (keyaccount/classify/impact.hpp).
#include "keyaccount/classify/impact.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "classify/detail/classifier_internals.hpp"
#include "classify/detail/row_binder.hpp"
#include "classify/same_condition.hpp"
#include "keyaccount/classify/format.hpp"

namespace keyaccount {
namespace {

bool same_fields(const std::vector<field>& a, const std::vector<field>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].type != b[i].type || a[i].required != b[i].required ||
        a[i].values != b[i].values || !same_fields(a[i].fields, b[i].fields))
      return false;
  }
  return true;
}

impact_report empty_report(const classifier& a, const classifier& b, date as_of) {
  impact_report r;
  r.as_of = as_of;
  r.baseline = a.provenance(as_of);
  r.candidate = b.provenance(as_of);
  for (std::size_t i = 0; i < a.tier_count(); ++i) r.old_tiers.push_back(a.tier_id(i));
  for (std::size_t i = 0; i < b.tier_count(); ++i) r.new_tiers.push_back(b.tier_id(i));
  r.matrix.assign(a.tier_count(), std::vector<std::size_t>(b.tier_count(), 0));
  return r;
}

tier_change change_of(std::size_t row, std::string id, const explanation& ea,
                      const explanation& eb) {
  return {row, std::move(id), ea.tier, eb.tier, flipped_criteria(ea, eb)};
}

std::string result_text(outcome o) {
  return o == outcome::not_evaluated ? std::string("absent") : std::string(to_string(o));
}

// Rows of the pair pass's blocks (compare_batch): 256 KiB of tiers per policy, in the caches.
constexpr std::size_t block_rows = std::size_t{1} << 16;

// Rows [begin, begin + count) of `t` as a table of their own, borrowing the same arrays.
column_table rows_of(const column_table& t, std::size_t begin, std::size_t count) {
  using kind = column_table::column::kind;
  column_table out(count);
  auto mask = [&](const std::uint8_t* m) {
    return m != nullptr ? std::span<const std::uint8_t>(m + begin, count)
                        : std::span<const std::uint8_t>{};
  };
  for (const auto& c : t.columns()) {
    switch (c.what) {
      case kind::numbers:
        out.set_numbers(c.field, {static_cast<const double*>(c.data) + begin, count});
        break;
      case kind::integers:
        out.set_integers(c.field, {static_cast<const std::int64_t*>(c.data) + begin, count},
                         mask(c.missing));
        break;
      case kind::booleans:
        out.set_booleans(c.field, {static_cast<const std::uint8_t*>(c.data) + begin, count},
                         mask(c.missing));
        break;
      case kind::dates:
        out.set_dates(c.field, {static_cast<const std::int32_t*>(c.data) + begin, count},
                      c.missing_date);
        break;
      case kind::strings:
        out.set_strings(c.field, {static_cast<const std::string_view*>(c.data) + begin, count});
        break;
      case kind::categories:
        out.set_categories(c.field, {static_cast<const std::int32_t*>(c.data) + begin, count},
                           c.categories);
        break;
      case kind::series:
        out.set_series(
            c.field, {static_cast<const double*>(c.data) + begin * c.width, count * c.width},
            c.width,
            c.lengths != nullptr ? std::span<const std::int64_t>(c.lengths + begin, count)
                                 : std::span<const std::int64_t>{},
            mask(c.missing));
        break;
    }
  }
  return out;
}

}  // namespace

std::vector<criterion_flip> flipped_criteria(const explanation& baseline,
                                             const explanation& candidate) {
  std::vector<criterion_flip> out;
  for (const auto& rb : candidate.criteria) {
    const criterion_report* ra = baseline.find(rb.id);
    if (ra != nullptr && ra->result == rb.result) continue;
    out.push_back(criterion_flip{rb.id, rb.article,
                                 ra != nullptr ? ra->result : outcome::not_evaluated, rb.result,
                                 ra != nullptr ? ra->why_not : localized_name{}, rb.why_not});
  }
  for (const auto& ra : baseline.criteria) {
    if (candidate.find(ra.id) != nullptr) continue;
    out.push_back(criterion_flip{ra.id, ra.article, ra.result, outcome::not_evaluated, ra.why_not,
                                 localized_name{}});
  }
  return out;
}

impact_builder::impact_builder(const classifier& baseline, const classifier& candidate, date as_of)
    : a_(baseline),
      b_(candidate),
      sa_(baseline.make_scratch()),
      sb_(candidate.make_scratch()),
      report_(empty_report(baseline, candidate, as_of)) {
  if (!same_fields(baseline.source_policy().customers.fields,
                   candidate.source_policy().customers.fields))
    throw std::invalid_argument(
        "the two policies declare different customer schemas; the impact is measured on "
        "customers both can read (change the schema in a separate step)");
}

bool impact_builder::add(const customer_record& record) {
  const std::size_t row = row_++;
  const decision da = a_.classify(record, report_.as_of, sa_);
  const decision db = b_.classify(record, report_.as_of, sb_);
  if (!da.ok() || !db.ok()) {
    ++report_.failed;
    return false;
  }
  ++report_.customers;
  ++report_.matrix[da.tier][db.tier];
  if (a_.tier_id(da) != b_.tier_id(db))
    report_.changes.push_back(change_of(row, record.id(), a_.explain(record, report_.as_of),
                                        b_.explain(record, report_.as_of)));
  return true;
}

impact_report compare_batch(const classifier& baseline, const classifier& candidate,
                            const column_table& table, date as_of, unsigned threads,
                            const std::vector<std::string>* ids) {
  if (!same_fields(baseline.source_policy().customers.fields,
                   candidate.source_policy().customers.fields))
    throw std::invalid_argument(
        "the two policies declare different customer schemas; the impact is measured on "
        "customers both can read (change the schema in a separate step)");
  impact_report r = empty_report(baseline, candidate, as_of);
  const std::size_t n = table.rows();
  // Whether baseline tier i and candidate tier j differ (by id): one lookup per row rather than
  // a comparison of two strings.
  const std::size_t new_count = r.new_tiers.size();
  std::vector<std::uint8_t> moves(r.old_tiers.size() * new_count);
  for (std::size_t i = 0; i < r.old_tiers.size(); ++i)
    for (std::size_t j = 0; j < new_count; ++j)
      moves[i * new_count + j] = r.old_tiers[i] != r.new_tiers[j];
  // Both policies' tiers a block of rows at a time, into buffers reused from block to block: the
  // tiers of a block are still in the processor's caches when they are counted, and a million
  // rows do not need 8 MB of fresh memory (whose first touch costs a page fault every 4 KiB).
  const std::size_t block = std::min(n, block_rows);
  std::vector<std::int32_t> ta(block), tb(block);
  struct moved_row {
    std::size_t row;
    std::size_t from, to;  // the tiers
  };
  std::vector<moved_row> moved;
  // The matrix counted in four interleaved copies (row i in copy i % 4), summed at the end:
  // consecutive rows mostly fall in the same cell, and one counter would make each row wait
  // for the previous row's increment.
  const std::size_t cells = r.old_tiers.size() * new_count;
  std::vector<std::size_t> counts(4 * cells, 0);
  std::size_t begin = 0;
  do {  // at least once: an empty table's columns are checked all the same
    const std::size_t count = std::min(block_rows, n - begin);
    const std::span<std::int32_t> part_a(ta.data(), count), part_b(tb.data(), count);
    const batch_pair_errors errors = classify_batch_pair_into(
        baseline, candidate, rows_of(table, begin, count), as_of, part_a, part_b, threads);
    // Both error lists are in row order (of the block): the first error of each failed row,
    // the baseline's first.
    auto next_a = errors.a.begin(), next_b = errors.b.begin();
    auto failure_of = [&](std::size_t i) {
      while (next_a != errors.a.end() && next_a->row < i) ++next_a;
      while (next_b != errors.b.end() && next_b->row < i) ++next_b;
      const bool in_a = next_a != errors.a.end() && next_a->row == i;
      const batch_row_error* e = in_a                                           ? &*next_a
                                 : next_b != errors.b.end() && next_b->row == i ? &*next_b
                                                                                : nullptr;
      const std::size_t row = begin + i;
      if (e == nullptr) return impact_failure{row, "baseline", "", "", "no tier could be decided"};
      return impact_failure{row, in_a ? "baseline" : "candidate", e->field, e->criterion,
                            e->message};
    };
    for (std::size_t i = 0; i < count; ++i) {
      if (part_a[i] < 0 || part_b[i] < 0) {
        ++r.failed;
        r.failures.push_back(failure_of(i));
        continue;
      }
      const auto from = static_cast<std::size_t>(part_a[i]),
                 to = static_cast<std::size_t>(part_b[i]);
      ++counts[(i & 3) * cells + from * new_count + to];
      if (moves[from * new_count + to]) moved.push_back({begin + i, from, to});
    }
    begin += count;
  } while (begin < n);
  for (std::size_t copy = 0; copy < 4; ++copy)
    for (std::size_t cell = 0; cell < cells; ++cell) {
      r.matrix[cell / new_count][cell % new_count] += counts[copy * cells + cell];
      r.customers += counts[copy * cells + cell];
    }
  // Each moved row: every criterion's outcome with both policies, and a report rendered only
  // for the criteria whose outcome differs (what the change shows), not a whole explanation
  // per policy: the same flips as flipped_criteria(explain, explain), at a fraction of the cost.
  const detail::row_binder bind_a(baseline, table, as_of), bind_b(candidate, table, as_of);
  expr::activation va = detail::make_activation(baseline), vb = detail::make_activation(candidate);
  // One customer schema gives both classifiers the same variable slots; then a changed row is
  // bound once and read by both.
  const bool one_binding = [&] {
    if (va.size() != vb.size() || detail::as_of_slot(baseline) != detail::as_of_slot(candidate))
      return false;
    for (const auto& f : baseline.parser().fields())
      if (baseline.parser().slot_of(f.id) != candidate.parser().slot_of(f.id)) return false;
    return true;
  }();
  const expr::activation& vars_b = one_binding ? va : vb;
  // For each candidate criterion, the baseline criterion of the same id (or none), and whether
  // it is a leaf evaluated the same way (its baseline outcome is the candidate's, not computed
  // again).
  std::vector<std::optional<std::size_t>> same(candidate.criterion_count());
  std::vector<bool> kept(baseline.criterion_count(), false), shared(same.size(), false);
  for (std::size_t j = 0; j < same.size(); ++j) {
    for (std::size_t i = 0; i < baseline.criterion_count(); ++i) {
      if (baseline.criterion_id(i) != candidate.criterion_id(j)) continue;
      same[j] = i;
      kept[i] = true;
      shared[j] = detail::same_condition(baseline, i, candidate, j);
      break;
    }
  }
  // Every criterion's outcome with each policy, reused from row to row.
  std::vector<outcome> oa(baseline.criterion_count()), ob(candidate.criterion_count());
  r.changes.reserve(moved.size());
  batch_row_error error;
  for (std::size_t m = 0; m < moved.size(); ++m) {
    const std::size_t row = moved[m].row;
    // The changed rows are scattered over the table: the next one's values are on their way
    // from memory while this one is explained.
    if (m + 1 < moved.size()) bind_a.prefetch(moved[m + 1].row);
    std::string id = ids != nullptr && row < ids->size() ? (*ids)[row] : std::string();
    tier_change change{
        row, std::move(id), r.old_tiers[moved[m].from], r.new_tiers[moved[m].to], {}};
    // Both batches read the row, so binding it cannot fail; if it ever did, explain in full.
    if (!bind_a.bind(row, va, error) || (!one_binding && !bind_b.bind(row, vb, error))) {
      const std::size_t one[] = {row};
      change.flips = flipped_criteria(explain_rows(baseline, table, as_of, one).front(),
                                      explain_rows(candidate, table, as_of, one).front());
      r.changes.push_back(std::move(change));
      continue;
    }
    std::fill(oa.begin(), oa.end(), outcome::not_evaluated);
    oa = detail::outcomes(baseline, va, std::move(oa));
    for (std::size_t j = 0; j < same.size(); ++j)
      ob[j] = shared[j] ? oa[*same[j]] : outcome::not_evaluated;
    ob = detail::outcomes(candidate, vars_b, std::move(ob));
    std::size_t flips = 0;
    for (std::size_t j = 0; j < same.size(); ++j) flips += !same[j] || oa[*same[j]] != ob[j];
    for (std::size_t i = 0; i < kept.size(); ++i) flips += !kept[i];
    change.flips.reserve(flips);
    for (std::size_t j = 0; j < same.size(); ++j) {
      if (same[j] && oa[*same[j]] == ob[j]) continue;
      const criterion& cb = candidate.source_policy().criteria[j];
      criterion_flip f{cb.id, cb.article, outcome::not_evaluated,
                       ob[j], {},         detail::why_not(candidate, vars_b, j, ob)};
      if (same[j]) {
        f.old_result = oa[*same[j]];
        f.old_why_not = detail::why_not(baseline, va, *same[j], oa);
      }
      change.flips.push_back(std::move(f));
    }
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (kept[i]) continue;
      const criterion& ca = baseline.source_policy().criteria[i];
      change.flips.push_back(criterion_flip{ca.id, ca.article, oa[i], outcome::not_evaluated,
                                            detail::why_not(baseline, va, i, oa),
                                            localized_name{}});
    }
    r.changes.push_back(std::move(change));
  }
  return r;
}

nlohmann::json to_json(const impact_report& r) {
  nlohmann::json matrix = nlohmann::json::array();
  for (std::size_t i = 0; i < r.matrix.size(); ++i)
    for (std::size_t j = 0; j < r.matrix[i].size(); ++j)
      if (r.matrix[i][j] > 0)
        matrix.push_back(
            {{"from", r.old_tiers[i]}, {"to", r.new_tiers[j]}, {"count", r.matrix[i][j]}});
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : r.changes) {
    nlohmann::json flips = nlohmann::json::array();
    for (const auto& f : c.flips) {
      nlohmann::json j = {{"id", f.id},
                          {"article", f.article},
                          {"old", result_text(f.old_result)},
                          {"new", result_text(f.new_result)}};
      if (!f.old_why_not.en.empty()) {
        j["old_why_not"] = f.old_why_not.en;
        j["old_why_not_zh"] = f.old_why_not.zh;
      }
      if (!f.new_why_not.en.empty()) {
        j["new_why_not"] = f.new_why_not.en;
        j["new_why_not_zh"] = f.new_why_not.zh;
      }
      flips.push_back(std::move(j));
    }
    changes.push_back({{"row", c.row},
                       {"id", c.id},
                       {"old_tier", c.old_tier},
                       {"new_tier", c.new_tier},
                       {"criteria", std::move(flips)}});
  }
  nlohmann::json out = {{"as_of", r.as_of.to_string()},
                        {"baseline", to_json(r.baseline)},
                        {"candidate", to_json(r.candidate)},
                        {"customers", r.customers},
                        {"failed", r.failed},
                        {"changed", r.changes.size()},
                        {"matrix", std::move(matrix)},
                        {"changes", std::move(changes)}};
  if (!r.failures.empty()) {  // compare_batch only (the CLI's report has none: unchanged)
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& f : r.failures)
      failures.push_back({{"row", f.row},
                          {"policy", f.policy},
                          {"field", f.field},
                          {"criterion", f.criterion},
                          {"message", f.message}});
    out["failures"] = std::move(failures);
  }
  return out;
}

namespace {

// "art-5.1 met → not_met (needs more than 20 万元 more cumulative transactions)".
std::string flip_text(const criterion_flip& f) {
  std::string s = f.id + " " + result_text(f.old_result) + " → " + result_text(f.new_result);
  const std::string& why = f.new_why_not.en.empty() ? f.old_why_not.en : f.new_why_not.en;
  if (!why.empty()) s += " (" + why + ")";
  return s;
}

}  // namespace

std::string to_text(const impact_report& r) {
  std::ostringstream out;
  out << "Impact on " << r.customers << " customer" << (r.customers == 1 ? "" : "s") << " as of "
      << r.as_of.to_string() << ": " << r.changes.size()
      << (r.changes.size() == 1 ? " customer changes tier" : " customers change tier");
  if (r.failed > 0) out << " (" << r.failed << " could not be classified, left out)";
  out << "\n\n";
  // The matrix: baseline tiers down, candidate tiers across, right-aligned counts.
  const std::string corner = "baseline \\ candidate";
  std::size_t first = corner.size();
  for (const auto& t : r.old_tiers) first = std::max(first, t.size());
  std::vector<std::size_t> width;
  for (std::size_t j = 0; j < r.new_tiers.size(); ++j) {
    std::size_t w = r.new_tiers[j].size();
    for (const auto& row : r.matrix) w = std::max(w, std::to_string(row[j]).size());
    width.push_back(w);
  }
  auto pad_left = [](const std::string& s, std::size_t w) {
    return std::string(w > s.size() ? w - s.size() : 0, ' ') + s;
  };
  out << "  " << corner << std::string(first - corner.size(), ' ');
  for (std::size_t j = 0; j < r.new_tiers.size(); ++j)
    out << "  " << pad_left(r.new_tiers[j], width[j]);
  out << '\n';
  for (std::size_t i = 0; i < r.matrix.size(); ++i) {
    out << "  " << r.old_tiers[i] << std::string(first - r.old_tiers[i].size(), ' ');
    for (std::size_t j = 0; j < r.matrix[i].size(); ++j)
      out << "  " << pad_left(std::to_string(r.matrix[i][j]), width[j]);
    out << '\n';
  }
  if (!r.changes.empty()) out << '\n';
  for (const auto& c : r.changes) {
    out << "  " << c.id << ": " << c.old_tier << " → " << c.new_tier;
    for (std::size_t k = 0; k < c.flips.size(); ++k)
      out << (k == 0 ? "; " : ", ") << flip_text(c.flips[k]);
    out << '\n';
  }
  return out.str();
}

std::string to_markdown(const impact_report& r) {
  std::ostringstream out;
  out << "### Impact on " << r.customers << " customers (as of " << r.as_of.to_string() << ")\n\n**"
      << r.changes.size() << "** "
      << (r.changes.size() == 1 ? "customer changes tier" : "customers change tier");
  if (r.failed > 0) out << "; " << r.failed << " could not be classified";
  out << ".\n\n| baseline \\\\ candidate |";
  for (const auto& t : r.new_tiers) out << ' ' << t << " |";
  out << "\n|---|";
  for (std::size_t j = 0; j < r.new_tiers.size(); ++j) out << "---:|";
  out << '\n';
  for (std::size_t i = 0; i < r.matrix.size(); ++i) {
    out << "| " << r.old_tiers[i] << " |";
    for (std::size_t j = 0; j < r.matrix[i].size(); ++j) out << ' ' << r.matrix[i][j] << " |";
    out << '\n';
  }
  if (r.changes.empty()) return out.str();
  out << "\n| customer | old | new | why |\n|---|---|---|---|\n";
  for (const auto& c : r.changes) {
    std::string why;
    for (const auto& f : c.flips) why += (why.empty() ? "" : "; ") + flip_text(f);
    std::string escaped;
    for (char ch : why) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
    out << "| " << c.id << " | " << c.old_tier << " | " << c.new_tier << " | " << escaped << " |\n";
  }
  return out.str();
}

}  // namespace keyaccount
