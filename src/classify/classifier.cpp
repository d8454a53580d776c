#include "keyaccount/classify/classifier.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "classify/compiled_policy.hpp"
#include "classify/detail/classifier_internals.hpp"
#include "classify/render.hpp"
#include "keyaccount/expr/compiler.hpp"
#include "keyaccount/policy/expressions.hpp"
#include "keyaccount/version.hpp"
#include "policy/detail/text_template.hpp"

namespace keyaccount {
namespace {

using detail::blank_placeholder;
using detail::compiled_criterion;
using detail::compiled_policy;
using detail::compiled_tier;
using detail::split_template;
using detail::split_template_result;
using detail::template_part;
using detail::text_template;

expr::program compile_or_throw(const std::string& source, const expr::declarations& decls,
                               const std::string& where) {
  auto r = expr::compile(source, decls);
  if (!r.program) {
    std::string msg = where + ": cannot compile `" + source + "`";
    if (!r.diagnostics.empty()) msg += ": " + r.diagnostics.front().message;
    throw classifier_error(msg);
  }
  return std::move(*r.program);
}

std::optional<expr::program> compile_optional(const std::string& source,
                                              const expr::declarations& decls,
                                              const std::string& where) {
  if (source.empty()) return std::nullopt;
  return compile_or_throw(source, decls, where);
}

text_template compile_template(const std::string& text, const expr::declarations& decls,
                               const std::string& where) {
  split_template_result split = split_template(text);
  if (split.unclosed_at) throw classifier_error(where + ": unclosed '{' in template");
  text_template parts;
  for (auto& piece : split.pieces) {
    if (!piece.placeholder) {
      parts.push_back({template_part::kind::literal, std::move(piece.text), std::nullopt});
    } else if (piece.text == "gap") {
      parts.push_back({template_part::kind::gap, {}, std::nullopt});
    } else if (blank_placeholder(piece.text)) {
      throw classifier_error(where + ": empty '{}' in template");
    } else {
      parts.push_back(
          {template_part::kind::expression, {}, compile_or_throw(piece.text, decls, where)});
    }
  }
  return parts;
}

std::uint32_t index_of(const policy& p, const std::string& id, const std::string& where) {
  for (std::size_t i = 0; i < p.criteria.size(); ++i)
    if (p.criteria[i].id == id) return static_cast<std::uint32_t>(i);
  throw classifier_error(where + ": unknown criterion '" + id + "'");
}

// Evaluates criteria on demand, remembering each outcome. With `full`, combinations evaluate
// every part (for explanations); otherwise they stop as soon as the result is known.
template <class Memo>
class evaluator {
 public:
  evaluator(const compiled_policy& cp, const expr::activation& vars, Memo& memo, bool full)
      : cp_(cp), vars_(vars), memo_(memo), full_(full) {}

  outcome criterion(std::uint32_t i) {
    if (memo_[i] != outcome::not_evaluated) return memo_[i];
    const compiled_criterion& c = cp_.criteria[i];
    outcome o;
    if (c.condition) {
      expr::value v = c.condition->evaluate(vars_);
      o = v.is_bool() ? (v.as_bool() ? outcome::met : outcome::not_met) : outcome::error;
    } else {
      o = combine(c.combine, c.at_least, c.parts);
    }
    memo_[i] = o;
    return o;
  }

  outcome combine(combinator how, int k, const std::vector<std::uint32_t>& parts) {
    std::size_t met = 0, not_met = 0, errors = 0;
    const std::size_t n = parts.size();
    const std::size_t need = how == combinator::all   ? n
                             : how == combinator::any ? 1
                                                      : static_cast<std::size_t>(std::max(k, 0));
    for (std::uint32_t p : parts) {
      switch (criterion(p)) {
        case outcome::met:
          ++met;
          break;
        case outcome::not_met:
          ++not_met;
          break;
        default:
          ++errors;
          break;
      }
      if (full_) continue;
      if (met >= need) break;         // already holds
      if (n - not_met < need) break;  // can no longer hold
    }
    if (met >= need) return outcome::met;
    if (n - not_met < need) return outcome::not_met;
    return errors > 0 ? outcome::error : outcome::not_met;
  }

 private:
  const compiled_policy& cp_;
  const expr::activation& vars_;
  Memo& memo_;
  bool full_;
};

template <class Memo>
decision decide_with(const compiled_policy& cp, const expr::activation& vars, Memo& memo,
                     bool full) {
  evaluator<Memo> ev(cp, vars, memo, full);
  for (std::size_t t = 0; t < cp.tiers.size(); ++t) {
    const compiled_tier& tier = cp.tiers[t];
    if (!tier.has_rule) return {static_cast<std::uint32_t>(t), decision::no_tier};
    outcome o = ev.combine(tier.combine, tier.at_least, tier.parts);
    if (o == outcome::met) return {static_cast<std::uint32_t>(t), decision::no_tier};
    if (o == outcome::error) {
      decision d;
      for (std::size_t i = 0; i < cp.criteria.size(); ++i)
        if (memo[i] == outcome::error && cp.criteria[i].condition) {
          d.error_criterion = static_cast<std::uint32_t>(i);
          break;
        }
      return d;
    }
  }
  return {};
}

// `gap` is the gap already formatted (detail::format_number), "?" when there is none: the
// English and Chinese templates of a criterion share it.
std::string render_template(const text_template& tpl, const expr::activation& vars,
                            std::string_view gap) {
  std::string out;
  std::size_t size = 0;
  for (const auto& part : tpl) size += part.literal.size() + 8;  // one allocation, usually
  out.reserve(size);
  for (const auto& part : tpl) {
    switch (part.what) {
      case template_part::kind::literal:
        out += part.literal;
        break;
      case template_part::kind::gap:
        out += gap;
        break;
      case template_part::kind::expression:
        out += detail::render_value(part.program->evaluate(vars));
        break;
    }
  }
  return out;
}

std::optional<double> number_of(const expr::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int()) return static_cast<double>(v.as_int());
  return std::nullopt;
}

// The ids of the parts of `c` not met, ", "-separated.
std::string unmet_ids(const compiled_policy& cp, const compiled_criterion& c,
                      const std::vector<outcome>& memo) {
  std::string s;
  for (auto p : c.parts) {
    if (memo[p] == outcome::met) continue;
    if (!s.empty()) s += ", ";
    s += cp.pol.criteria[p].id;
  }
  return s;
}

// With `why_not_only`, what the why-not needs and nothing else (the observed value is not
// rendered, the unit and requirement not copied): detail::why_not().
void report_leaf(const compiled_criterion& c, const criterion& src, const expr::activation& vars,
                 criterion_report& r, bool why_not_only = false) {
  if (!src.explain) {
    if (r.result == outcome::not_met)
      r.why_not = {"condition not met: " + src.condition, "条件不满足: " + src.condition};
    return;
  }
  const criterion_explanation& ex = *src.explain;
  if (!why_not_only) {
    r.unit = ex.unit;
    r.requirement = {ex.requirement, ex.requirement_zh};
  }
  r.strict = ex.strict;
  if (c.observed) {
    expr::value v = c.observed->evaluate(vars);
    if (!why_not_only) r.observed = detail::render_value(v);
    r.observed_number = number_of(v);
  }
  if (c.target) {
    expr::value v = c.target->evaluate(vars);
    r.target = detail::render_value(v);
    r.target_number = number_of(v);
  }
  if (r.observed_number && r.target_number) r.margin = *r.observed_number - *r.target_number;
  if (r.result != outcome::not_met) return;
  if (c.precondition) {
    expr::value v = c.precondition->evaluate(vars);
    if (v.is_bool() && !v.as_bool()) {
      // What failed is the precondition (art-5.3: not a new customer), not the comparison the
      // observed value and target describe: a margin of that comparison (33 months above the
      // threshold) would read as a near miss or a comfortable pass. Margin and gap are defined
      // for the part that failed, so here they are absent.
      r.margin.reset();
      r.precondition_failed = true;
      r.why_not = {render_template(c.precondition_en, vars, "?"),
                   render_template(c.precondition_zh, vars, "?")};
      if (r.why_not.en.empty()) r.why_not.en = "precondition not met: " + ex.precondition;
      if (r.why_not.zh.empty()) r.why_not.zh = "前提条件不满足: " + ex.precondition;
      return;
    }
  }
  if (r.margin && (ex.strict ? *r.margin > 0 : *r.margin >= 0)) {
    // The observed value meets the target and yet the condition is not met: the comparison is
    // not the part that failed (art-4.2 with no months at all: 0 of 0 months), so a shortfall
    // of 0 ("needs 0 more months") would contradict the result. Say what failed instead.
    r.margin.reset();
    r.why_not = {"condition not met: " + src.condition, "条件不满足: " + src.condition};
    return;
  }
  if (r.margin) r.gap = std::max(0.0, -*r.margin);
  if (!c.shortfall_en.empty() || !c.shortfall_zh.empty()) {
    const std::string gap = r.gap ? detail::format_number(*r.gap) : "?";
    r.why_not = {render_template(c.shortfall_en, vars, gap),
                 render_template(c.shortfall_zh, vars, gap)};
  } else if (!ex.requirement.empty() || !ex.requirement_zh.empty()) {
    r.why_not = {"requires " + ex.requirement, "需为" + ex.requirement_zh};
  } else if (r.target_number) {
    std::string op = ex.strict ? "above " : "at least ";
    r.why_not = {"needs " + op + r.target + (ex.unit.en.empty() ? "" : " " + ex.unit.en),
                 std::string("需") + (ex.strict ? "超过 " : "达到 ") + r.target + " " + ex.unit.zh};
  }
}

// With `why_not_only`, the observed value and target are not rendered (detail::why_not()).
void report_combination(const compiled_policy& cp, const compiled_criterion& c,
                        const std::vector<outcome>& memo, criterion_report& r,
                        bool why_not_only = false) {
  const auto met = static_cast<std::size_t>(std::count_if(
      c.parts.begin(), c.parts.end(), [&](std::uint32_t p) { return memo[p] == outcome::met; }));
  if (!why_not_only)
    r.observed = std::to_string(met) + " of " + std::to_string(c.parts.size()) + " met";
  r.observed_number = static_cast<double>(met);
  std::size_t need = c.combine == combinator::all   ? c.parts.size()
                     : c.combine == combinator::any ? 1
                                                    : static_cast<std::size_t>(c.at_least);
  r.target_number = static_cast<double>(need);
  if (!why_not_only) r.target = std::to_string(need);
  r.margin = static_cast<double>(met) - static_cast<double>(need);
  if (r.result != outcome::not_met) return;
  r.gap = std::max(0.0, -*r.margin);
  const std::string ids = unmet_ids(cp, c, memo);
  switch (c.combine) {
    case combinator::all:
      r.why_not = {"not met: " + ids, "未满足: " + ids};
      break;
    case combinator::any:
      r.why_not = {"none met of: " + ids, "均未满足: " + ids};
      break;
    case combinator::at_least:
      r.why_not = {"needs " + std::to_string(need - met) + " more of: " + ids,
                   "还需满足 " + std::to_string(need - met) + " 项: " + ids};
      break;
  }
}

// Criteria that decided: met parts of the winning rule (recursively), or for the fallback the
// unmet parts of the higher tiers' rules.
void collect(const compiled_policy& cp, const std::vector<std::uint32_t>& parts,
             const std::vector<outcome>& memo, outcome wanted, std::vector<std::string>& out) {
  for (auto p : parts) {
    if (memo[p] != wanted) continue;
    const std::string& id = cp.pol.criteria[p].id;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    collect(cp, cp.criteria[p].parts, memo, wanted, out);
  }
}

// Whether identifier `name` occurs in CEL `source` as a name of its own (not `params.name`, not
// part of a longer identifier). Conservative: an occurrence inside a string literal counts too.
bool names(const std::string& source, const std::string& name) {
  auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (auto at = source.find(name); at != std::string::npos; at = source.find(name, at + 1)) {
    bool before = at > 0 && (ident(source[at - 1]) || source[at - 1] == '.');
    bool after = at + name.size() < source.size() && ident(source[at + name.size()]);
    if (!before && !after) return true;
  }
  return false;
}

}  // namespace

std::string_view to_string(outcome o) noexcept {
  switch (o) {
    case outcome::met:
      return "met";
    case outcome::not_met:
      return "not_met";
    case outcome::error:
      return "error";
    case outcome::not_evaluated:
      break;
  }
  return "not_evaluated";
}

const criterion_report* explanation::find(std::string_view id) const noexcept {
  for (const auto& c : criteria)
    if (c.id == id) return &c;
  return nullptr;
}

classifier::classifier(const policy& p) {
  auto cp = std::make_shared<compiled_policy>(p);
  cp->decls = customer_declarations(p);
  cp->as_of_slot = keyaccount::as_of_slot(p);
  for (const auto& c : p.criteria) {
    compiled_criterion cc;
    const std::string where = "criterion " + c.id;
    if (c.is_leaf()) {
      cc.condition = compile_or_throw(c.condition, cp->decls, where);
    } else {
      cc.combine = c.combine;
      cc.at_least = c.at_least;
      for (const auto& part : c.parts) cc.parts.push_back(index_of(p, part, where));
    }
    if (c.explain) {
      const auto& ex = *c.explain;
      cc.observed = compile_optional(ex.observed, cp->decls, where + " explain.observed");
      cc.target = compile_optional(ex.target, cp->decls, where + " explain.target");
      cc.precondition =
          compile_optional(ex.precondition, cp->decls, where + " explain.precondition");
      cc.shortfall_en = compile_template(ex.shortfall.en, cp->decls, where + " explain.shortfall");
      cc.shortfall_zh =
          compile_template(ex.shortfall.zh, cp->decls, where + " explain.shortfall_zh");
      cc.precondition_en = compile_template(ex.precondition_failed.en, cp->decls, where);
      cc.precondition_zh = compile_template(ex.precondition_failed.zh, cp->decls, where);
    }
    cp->criteria.push_back(std::move(cc));
  }
  // A criterion may only refer to criteria (no cycles: the validator checks; guard anyway).
  for (const auto& t : p.tiers) {
    compiled_tier ct;
    if (t.rule) {
      ct.has_rule = true;
      ct.combine = t.rule->combine;
      ct.at_least = t.rule->at_least;
      for (const auto& part : t.rule->parts) ct.parts.push_back(index_of(p, part, "tier " + t.id));
    }
    cp->tiers.push_back(std::move(ct));
  }
  if (cp->tiers.empty()) throw classifier_error("the policy has no tiers");
  for (const auto& f : p.customers.fields) {
    bool used = false;
    for (const auto& c : p.criteria) {
      used = used || names(c.condition, f.id);
      if (c.explain) {
        const auto& ex = *c.explain;
        for (const std::string* s :
             {&ex.observed, &ex.target, &ex.precondition, &ex.shortfall.en, &ex.shortfall.zh,
              &ex.precondition_failed.en, &ex.precondition_failed.zh})
          used = used || names(*s, f.id);
      }
    }
    cp->fields_used.push_back(used);
  }
  impl_ = std::move(cp);
}

const std::vector<bool>& classifier::fields_used() const noexcept { return impl_->fields_used; }

classify_scratch classifier::make_scratch() const {
  classify_scratch s;
  s.vars_ = expr::activation(impl_->decls);
  return s;
}

namespace detail {

/// The one way into a classifier's compiled form (a friend of classifier).
struct classifier_access {
  static const compiled_policy& of(const classifier& c) noexcept { return *c.impl_; }
};

expr::activation make_activation(const classifier& c) {
  return expr::activation(classifier_access::of(c).decls);
}
std::size_t as_of_slot(const classifier& c) noexcept { return classifier_access::of(c).as_of_slot; }

void bind(const classifier& c, const customer_record& record, date as_of, expr::activation& vars) {
  const compiled_policy& cp = classifier_access::of(c);
  // Checked before anything is bound: a record contradicting its as-of date is an input error
  // whichever criterion would decide it (a first order after as_of made months_between negative
  // and the customer "new" under Art. 5.3).
  check_dates_not_after(record, cp.parser.fields(),
                        static_cast<std::int32_t>(as_of.days_since_epoch()));
  vars.clear();
  const std::size_t n = std::min(record.size(), cp.as_of_slot);
  for (std::size_t i = 0; i < n; ++i) {
    const expr::value* v = record.get(i);
    if (!v) continue;
    // Borrow strings and series: the record outlives the evaluation (no reference counting).
    if (v->is_string()) {
      vars.set(i, expr::value::borrowed_string(v->as_string()));
    } else if (v->is_list() && v->as_list().storage_kind() == expr::list_view::storage::doubles) {
      vars.set(i, expr::value::borrowed_doubles(v->as_list().doubles()));
    } else {
      vars.set(i, *v);
    }
  }
  vars.set(cp.as_of_slot, expr::value::from_date(expr::date::from_days(
                              static_cast<std::int32_t>(as_of.days_since_epoch()))));
}

decision decide(const classifier& c, const expr::activation& vars) {
  const compiled_policy& cp = classifier_access::of(c);
  const std::size_t n = cp.criteria.size();
  if (n <= 64) {
    std::array<outcome, 64> memo{};
    return decide_with(cp, vars, memo, false);
  }
  std::vector<outcome> memo(n, outcome::not_evaluated);
  return decide_with(cp, vars, memo, false);
}

const expr::program* condition(const classifier& c, std::size_t index) {
  const auto& criterion = classifier_access::of(c).criteria.at(index);
  return criterion.condition ? &*criterion.condition : nullptr;
}

decision decide_outcomes(const classifier& c, std::span<const outcome> leaves) {
  const compiled_policy& cp = classifier_access::of(c);
  if (leaves.size() != cp.criteria.size())
    throw std::invalid_argument("decide_outcomes: one outcome per criterion expected");
  std::vector<outcome> memo(leaves.begin(), leaves.end());
  for (std::size_t i = 0; i < memo.size(); ++i)
    if (!cp.criteria[i].condition) memo[i] = outcome::not_evaluated;  // combined on demand
  static const expr::activation unused;  // every leaf is memoised: nothing is evaluated
  return decide_with(cp, unused, memo, false);
}

}  // namespace detail

decision classifier::classify(const customer_record& record, date as_of,
                              classify_scratch& scratch) const {
  detail::bind(*this, record, as_of, scratch.vars_);
  return detail::decide(*this, scratch.vars_);
}

decision classifier::classify(const customer_record& record, date as_of) const {
  classify_scratch s = make_scratch();
  return classify(record, as_of, s);
}

explanation classifier::explain(const customer_record& record, date as_of) const {
  expr::activation vars(impl_->decls);
  detail::bind(*this, record, as_of, vars);
  explanation e = detail::explain(*this, vars);
  e.provenance = std::make_shared<const decision_provenance>(provenance(as_of));
  return e;
}

decision_provenance classifier::provenance(date as_of) const {
  const auto& doc = impl_->pol.document;
  return decision_provenance{doc.id, doc.version, impl_->pol.content_hash, as_of,
                             std::string(keyaccount::version())};
}

namespace detail {

std::vector<outcome> outcomes(const classifier& c, const expr::activation& vars) {
  return outcomes(
      c, vars,
      std::vector<outcome>(classifier_access::of(c).criteria.size(), outcome::not_evaluated));
}

std::vector<outcome> outcomes(const classifier& c, const expr::activation& vars,
                              std::vector<outcome> known) {
  const compiled_policy& cp = classifier_access::of(c);
  if (known.size() != cp.criteria.size())
    throw std::invalid_argument("outcomes: one known outcome per criterion expected");
  evaluator<std::vector<outcome>> ev(cp, vars, known, true);
  for (std::uint32_t i = 0; i < cp.criteria.size(); ++i) (void)ev.criterion(i);
  return known;
}

criterion_report report(const classifier& c, const expr::activation& vars, std::size_t i,
                        const std::vector<outcome>& memo) {
  const compiled_policy& cp = classifier_access::of(c);
  const criterion& src = cp.pol.criteria.at(i);
  criterion_report r;
  r.id = src.id;
  r.article = src.article;
  r.name = src.name;
  r.result = memo.at(i);
  r.leaf = src.is_leaf();
  if (r.result == outcome::error && cp.criteria[i].condition) {
    r.error = std::string(cp.criteria[i].condition->evaluate(vars).error_message());
  }
  if (r.leaf) {
    report_leaf(cp.criteria[i], src, vars, r);
  } else {
    report_combination(cp, cp.criteria[i], memo, r);
  }
  return r;
}

localized_name why_not(const classifier& c, const expr::activation& vars, std::size_t i,
                       const std::vector<outcome>& memo) {
  if (memo.at(i) != outcome::not_met) return {};  // a report has a why-not only then
  const compiled_policy& cp = classifier_access::of(c);
  const criterion& src = cp.pol.criteria.at(i);
  criterion_report r;
  r.result = outcome::not_met;
  if (src.is_leaf()) {
    report_leaf(cp.criteria[i], src, vars, r, true);
  } else {
    report_combination(cp, cp.criteria[i], memo, r, true);
  }
  return std::move(r.why_not);
}

explanation explain(const classifier& c, const expr::activation& vars) {
  const compiled_policy& cp = classifier_access::of(c);
  std::vector<outcome> memo = outcomes(c, vars);
  explanation e;
  e.result = decide_with(cp, vars, memo, true);
  if (e.result.ok()) {
    const auto& t = cp.pol.tiers[e.result.tier];
    e.tier = t.id;
    e.tier_name = t.name;
    if (cp.tiers[e.result.tier].has_rule) {
      collect(cp, cp.tiers[e.result.tier].parts, memo, outcome::met, e.deciding);
    } else {
      for (std::size_t h = 0; h < e.result.tier; ++h)
        collect(cp, cp.tiers[h].parts, memo, outcome::not_met, e.deciding);
    }
  }
  e.criteria.reserve(cp.criteria.size());
  for (std::size_t i = 0; i < cp.criteria.size(); ++i)
    e.criteria.push_back(report(c, vars, i, memo));
  // A combination that is an error carries its first erroneous part's cause, named: parts may
  // come after it in policy order, so this runs once every leaf's error is known.
  auto cause = [&](auto&& self, std::uint32_t i) -> std::string {
    if (cp.criteria[i].condition) return e.criteria[i].error;
    for (auto p : cp.criteria[i].parts)
      if (memo[p] == outcome::error) return cp.pol.criteria[p].id + ": " + self(self, p);
    return "a part could not be evaluated";
  };
  for (std::uint32_t i = 0; i < cp.criteria.size(); ++i)
    if (memo[i] == outcome::error && !cp.criteria[i].condition)
      e.criteria[i].error = cause(cause, i);
  if (!e.result.ok() && e.result.error_criterion < cp.criteria.size()) {
    e.error_criterion = cp.pol.criteria[e.result.error_criterion].id;
    e.error = e.criteria[e.result.error_criterion].error;
  }
  return e;
}

}  // namespace detail

std::size_t classifier::tier_count() const noexcept { return impl_->tiers.size(); }
const std::string& classifier::tier_id(std::size_t index) const {
  return impl_->pol.tiers.at(index).id;
}
const localized_name& classifier::tier_name(std::size_t index) const {
  return impl_->pol.tiers.at(index).name;
}
std::string_view classifier::tier_id(const decision& d) const noexcept {
  return d.ok() && d.tier < impl_->pol.tiers.size() ? std::string_view(impl_->pol.tiers[d.tier].id)
                                                    : std::string_view();
}
std::optional<std::size_t> classifier::tier_index(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < impl_->pol.tiers.size(); ++i)
    if (impl_->pol.tiers[i].id == id) return i;
  return std::nullopt;
}
std::size_t classifier::criterion_count() const noexcept { return impl_->criteria.size(); }
const std::string& classifier::criterion_id(std::size_t index) const {
  return impl_->pol.criteria.at(index).id;
}
const record_parser& classifier::parser() const noexcept { return impl_->parser; }
const policy& classifier::source_policy() const noexcept { return impl_->pol; }

}  // namespace keyaccount
