#include "policy/detail/validator.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "core/suggest.hpp"
#include "keyaccount/expr/compiler.hpp"
#include "keyaccount/policy/expressions.hpp"
#include "keyaccount/workflow/deadlock.hpp"
#include "policy/detail/check_steps.hpp"
#include "policy/detail/text_template.hpp"

namespace keyaccount::detail {

check_steps& validator_steps() noexcept {
  thread_local check_steps steps;
  return steps;
}

namespace {

// Every check is near-linear in the size of the policy (a policy may hold up to 200,000 values):
// look-ups go through an index built once, never a scan of a list per item, and graphs are
// walked without recursion. Each check counts its steps (check_steps.hpp) for the growth test.

// Index of the first item of each id: what policy::find_* return, without their linear scan.
template <class T>
std::unordered_map<std::string_view, std::size_t> index_by_id(const std::vector<T>& items) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, i);
  return index;
}

// "Did you mean" compares a misspelt id with every declared one. With thousands of undefined
// references to thousands of ids that is quadratic, so only the first ones get a suggestion:
// nobody reads past the first screenful of the same mistake.
constexpr std::size_t max_suggestions = 100;

std::string ptr(std::string_view base, std::size_t index) { return append_pointer(base, index); }
std::string ptr(std::string_view base, std::size_t index, std::string_view key) {
  return append_pointer(append_pointer(base, index), key);
}

// Reports ids that occur twice in one list of declarations.
template <class T>
void check_unique_ids(const std::vector<T>& items, std::string_view base, std::string_view what,
                      load_context& ctx) {
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& id = items[i].id;
    ++validator_steps().unique_ids;
    if (id.empty()) continue;
    auto [it, inserted] = first.emplace(id, i);
    if (!inserted) {
      ctx.error("duplicate_id",
                std::string(what) + " id `" + id + "` is already declared at " +
                    append_pointer(base, it->second),
                ptr(base, i, "id"));
    }
  }
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const auto& x : items) ids.push_back(x.id);
  return ids;
}

void collect_field_paths(const std::vector<field>& fields, const std::string& prefix,
                         std::vector<std::string>& out) {
  for (const auto& f : fields) {
    out.push_back(prefix + f.id);
    if (f.type == field_type::object) collect_field_paths(f.fields, prefix + f.id + ".", out);
  }
}

void check_field_ids(const std::vector<field>& fields, const std::string& base, load_context& ctx) {
  check_unique_ids(fields, base, "field", ctx);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].type == field_type::object) {
      check_field_ids(fields[i].fields, ptr(base, i, "fields"), ctx);
    }
  }
}

struct kind_info {
  const char* code;
  const char* noun;
};

kind_info describe(reference_kind kind) {
  switch (kind) {
    case reference_kind::department:
      return {"undefined_department", "department"};
    case reference_kind::position:
      return {"undefined_position", "position"};
    case reference_kind::tier:
      return {"undefined_tier", "tier"};
    case reference_kind::workflow:
      return {"undefined_workflow", "workflow"};
    case reference_kind::field:
      return {"undefined_field", "customer field"};
    case reference_kind::article:
      return {"undefined_article", "article"};
    case reference_kind::criterion:
      return {"undefined_criterion", "criterion"};
    case reference_kind::parameter:
      return {"undefined_parameter", "parameter"};
    case reference_kind::festival:
      return {"undefined_festival", "festival"};
  }
  return {"undefined_reference", "declaration"};
}

void check_references(const policy& p, load_context& ctx) {
  std::map<reference_kind, std::vector<std::string>> declared{
      {reference_kind::department, ids_of(p.org.departments)},
      {reference_kind::position, ids_of(p.org.positions)},
      {reference_kind::tier, ids_of(p.tiers)},
      {reference_kind::workflow, ids_of(p.workflows)},
      {reference_kind::article, ids_of(p.articles)},
      {reference_kind::criterion, ids_of(p.criteria)},
      {reference_kind::parameter, ids_of(p.parameters)},
      {reference_kind::festival, ids_of(p.festivals)},
  };
  collect_field_paths(p.customers.fields, "", declared[reference_kind::field]);
  std::map<reference_kind, std::unordered_set<std::string_view>> known;
  for (const auto& [kind, ids] : declared) known[kind].insert(ids.begin(), ids.end());
  auto& steps = validator_steps().references;
  std::size_t suggested = 0;
  for (const auto& r : ctx.references()) {
    ++steps;
    if (known[r.kind].count(r.id) > 0) continue;
    const auto& ids = declared[r.kind];
    std::string hint;
    if (suggested < max_suggestions) {
      ++suggested;
      steps += ids.size();
      hint = did_you_mean(r.id, ids);
    }
    kind_info info = describe(r.kind);
    ctx.error(info.code, std::string("undefined ") + info.noun + " `" + r.id + "`" + hint,
              r.pointer);
  }
}

/// The settings of `a` that a customer's record may override (Art. 6.3): those its cadence
/// uses, and who is responsible.
std::vector<std::string> overridable_settings(const activity& a) {
  std::vector<std::string> settings;
  if (a.when.every_days > 0) settings.push_back("every_days");
  if (a.when.every_months > 0) settings.push_back("every_months");
  if (a.when.yearly_on) settings.push_back("yearly_on");
  if (!a.when.festivals.empty()) settings.push_back("lead_days");
  settings.push_back("responsible");
  return settings;
}

/// Art. 6.3: every `principles[].overridable` entry is `<activity>.<setting>` naming a real
/// activity and a setting it has (an override of a setting the activity does not use would be
/// read by nothing, silently).
void check_overridable_settings(const policy& p, load_context& ctx) {
  std::unordered_map<std::string_view, const activity*> activities;
  for (const auto& a : p.activities) activities.emplace(a.id, &a);
  std::vector<std::string> all_settings;  // built on the first error only: "did you mean"
  auto& steps = validator_steps().references;
  std::size_t suggested = 0;
  for (std::size_t i = 0; i < p.principles.size(); ++i) {
    const auto& entries = p.principles[i].overridable;
    for (std::size_t j = 0; j < entries.size(); ++j) {
      ++steps;
      const std::string& entry = entries[j];
      auto dot = entry.find('.');
      std::string activity_id = entry.substr(0, dot);
      std::string setting = dot == std::string::npos ? "" : entry.substr(dot + 1);
      auto found = activities.find(activity_id);
      std::string problem;
      if (found == activities.end()) {
        problem = "no activity `" + activity_id + "`";
      } else {
        const cadence& when = found->second->when;
        // A cadence of no kind was refused by the loader already: no second error from it.
        if (when.every_days == 0 && when.every_months == 0 && !when.yearly_on &&
            when.festivals.empty() && !when.by_plan) {
          continue;
        }
        auto settings = overridable_settings(*found->second);
        if (std::find(settings.begin(), settings.end(), setting) != settings.end()) continue;
        std::string listed;
        for (const auto& s : settings) listed += (listed.empty() ? "" : ", ") + s;
        problem = "activity `" + activity_id + "` has no overridable setting `" + setting +
                  "` (it has: " + listed + ")";
      }
      std::string hint;
      if (suggested < max_suggestions) {
        ++suggested;
        if (all_settings.empty()) {
          for (const auto& a : p.activities) {
            for (const auto& s : overridable_settings(a)) all_settings.push_back(a.id + "." + s);
          }
        }
        steps += all_settings.size();
        hint = did_you_mean(entry, all_settings);
      }
      ctx.error("invalid_value",
                "overridable setting `" + entry + "`: " + problem +
                    "; an entry is `<activity>.<setting>`" + hint,
                append_pointer(ptr("/principles", i, "overridable"), j));
    }
  }
}

void check_reporting_line(const policy& p, load_context& ctx) {
  const auto& positions = p.org.positions;
  const std::size_t n = positions.size();
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  auto& steps = validator_steps().reporting_line;
  // Whom each position reports to, by index (an undefined one is reported elsewhere).
  const auto index = index_by_id(positions);
  std::vector<std::size_t> up(n, none);
  for (std::size_t i = 0; i < n; ++i) {
    ++steps;
    if (!positions[i].reports_to) continue;
    auto it = index.find(*positions[i].reports_to);
    if (it != index.end()) up[i] = it->second;
  }
  // Each position has one superior, so following the line from every position in turn, and
  // stopping at any position an earlier walk reached, visits each position once. A walk that
  // comes back to a position it reached itself has closed a circle.
  std::vector<std::size_t> walk_of(n, none);
  std::vector<std::vector<std::size_t>> circles;
  for (std::size_t start = 0; start < n; ++start) {
    std::size_t at = start;
    while (at != none && walk_of[at] == none) {
      ++steps;
      walk_of[at] = start;
      at = up[at];
    }
    if (at == none || walk_of[at] != start) continue;
    std::vector<std::size_t> circle;
    std::size_t m = at;
    do {
      ++steps;
      circle.push_back(m);
      m = up[m];
    } while (m != at);
    // Reported at its first position in file order, the circle listed from there.
    std::rotate(circle.begin(), std::min_element(circle.begin(), circle.end()), circle.end());
    circles.push_back(std::move(circle));
  }
  std::sort(circles.begin(), circles.end());
  for (const auto& circle : circles) {
    std::string path;
    for (std::size_t m : circle) path += positions[m].id + " → ";
    ctx.error("reporting_cycle",
              "the reporting line goes round in a circle: " + path + positions[circle[0]].id +
                  "; escalation would never reach the top",
              ptr("/organization/positions", circle[0], "reports_to"));
  }
}

void check_criteria_graph(const policy& p, load_context& ctx) {
  auto& steps = validator_steps().criteria_graph;
  const auto index = index_by_id(p.criteria);
  const std::size_t n = p.criteria.size();
  // The parts of each criterion as indices (the first criterion of an id, as find_criterion).
  std::vector<std::vector<std::size_t>> parts(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& part : p.criteria[i].parts) {
      ++steps;
      if (auto it = index.find(part); it != index.end()) parts[i].push_back(it->second);
    }
  // Depth-first search with an explicit stack (a chain of thousands of criteria would overflow
  // the call stack): grey = on the current path, whose positions are kept to cut a circle out.
  enum : std::uint8_t { white, grey, black };
  std::vector<std::uint8_t> colour(n, white);
  std::vector<std::size_t> path_at(n, 0);  // position on the path, while grey
  std::vector<bool> in_cycle(n, false);
  std::vector<std::size_t> path;
  struct frame {
    std::size_t node;
    std::size_t next_part;
  };
  std::vector<frame> stack;
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != white) continue;
    stack.push_back({root, 0});
    colour[root] = grey;
    path_at[root] = path.size();
    path.push_back(root);
    while (!stack.empty()) {
      frame& f = stack.back();
      if (f.next_part == parts[f.node].size()) {
        colour[f.node] = black;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const std::size_t next = parts[f.node][f.next_part++];
      ++steps;
      if (colour[next] == grey) {
        if (!in_cycle[next]) {  // reported once per criterion that closes a circle
          in_cycle[next] = true;
          std::string text;
          for (std::size_t k = path_at[next]; k < path.size(); ++k) {
            ++steps;
            text += p.criteria[path[k]].id + " → ";
          }
          ctx.error("criterion_cycle",
                    "criteria refer to each other in a circle: " + text + p.criteria[next].id,
                    ptr("/criteria", next));
        }
      } else if (colour[next] == white) {
        colour[next] = grey;
        path_at[next] = path.size();
        path.push_back(next);
        stack.push_back({next, 0});
      }
    }
  }

  // Criteria that no tier uses, directly or through a composite, never decide anything.
  std::vector<bool> used(n, false);
  std::vector<std::size_t> pending;
  for (const auto& t : p.tiers) {
    if (!t.rule) continue;
    for (const auto& part : t.rule->parts) {
      ++steps;
      if (auto it = index.find(part); it != index.end()) pending.push_back(it->second);
    }
  }
  while (!pending.empty()) {
    const std::size_t c = pending.back();
    pending.pop_back();
    ++steps;
    if (used[c]) continue;
    used[c] = true;
    pending.insert(pending.end(), parts[c].begin(), parts[c].end());
  }
  // A criterion sharing the id of an earlier one is used when that id is (duplicate_id says
  // the rest).
  for (std::size_t i = 0; i < n; ++i) {
    const auto first = index.find(p.criteria[i].id);
    const bool is_used = first != index.end() && used[first->second];
    if (!p.criteria[i].id.empty() && !is_used) {
      ctx.warning("unused_criterion",
                  "criterion `" + p.criteria[i].id + "` is not used by any tier",
                  ptr("/criteria", i, "id"));
    }
  }
}

void check_tiers(const policy& p, load_context& ctx) {
  if (!ctx.document().root().contains("tiers")) return;  // missing_field already
  if (p.tiers.empty()) {
    ctx.error("missing_fallback", "the policy declares no tier; at least a fallback is needed",
              "/tiers");
    return;
  }
  std::size_t fallback = p.tiers.size();
  for (std::size_t i = 0; i < p.tiers.size(); ++i) {
    if (!p.tiers[i].fallback) continue;
    if (fallback != p.tiers.size()) {
      ctx.error("invalid_value", "only one tier can be the fallback", ptr("/tiers", i, "fallback"));
    } else {
      fallback = i;
    }
  }
  if (fallback == p.tiers.size()) {
    ctx.error("missing_fallback",
              "no tier has \"fallback\": true; the last tier must take every customer the "
              "others do not",
              ptr("/tiers", p.tiers.size() - 1));
  } else if (fallback + 1 != p.tiers.size()) {
    ctx.error("unreachable_tier",
              "tier `" + p.tiers[fallback + 1].id +
                  "` comes after the fallback tier and can never be chosen; move the fallback "
                  "last",
              ptr("/tiers", fallback + 1));
  }
}

void check_document_dates(const document_control& d, load_context& ctx) {
  if (d.approved_on && d.effective_on && *d.effective_on < *d.approved_on) {
    ctx.error("effective_before_approval",
              "the policy takes effect on " + d.effective_on->to_string() +
                  ", before it is approved on " + d.approved_on->to_string() +
                  " (Art. 14: it takes effect once the General Manager signs)",
              "/document/effective_on");
  }
  if (d.drafted_on && d.reviewed_on && *d.reviewed_on < *d.drafted_on) {
    ctx.error("date_order",
              "reviewed on " + d.reviewed_on->to_string() + ", before it was drafted on " +
                  d.drafted_on->to_string(),
              "/document/reviewed_on");
  }
  const auto& before_approval = d.reviewed_on ? d.reviewed_on : d.drafted_on;
  if (before_approval && d.approved_on && *d.approved_on < *before_approval) {
    ctx.error("date_order",
              "approved on " + d.approved_on->to_string() + ", before it was " +
                  (d.reviewed_on ? "reviewed" : "drafted") + " on " + before_approval->to_string(),
              "/document/approved_on");
  }
}

// Revision marks count up: numbers compare numerically part by part ("1.10" > "1.9"), letters
// by length then alphabet ("AA" > "Z").
bool mark_less(const std::string& a, const std::string& b) {
  auto is_numeric = [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(),
                                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  };
  if (is_numeric(a) && is_numeric(b)) {
    std::vector<long> pa, pb;
    auto split = [](const std::string& s, std::vector<long>& out) {
      std::size_t start = 0;
      while (start <= s.size()) {
        std::size_t dot = s.find('.', start);
        std::string part =
            s.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        out.push_back(part.empty() || part.size() > 9 ? 0 : std::stol(part));
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    };
    split(a, pa);
    split(b, pb);
    return pa < pb;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void check_revisions(const document_control& d, load_context& ctx) {
  for (std::size_t i = 1; i < d.revisions.size(); ++i) {
    const revision& prev = d.revisions[i - 1];
    const revision& cur = d.revisions[i];
    if (!mark_less(prev.mark, cur.mark)) {
      ctx.error("revision_not_increasing",
                "revision mark \"" + cur.mark + "\" does not count up from \"" + prev.mark +
                    "\"; the log lists revisions oldest first",
                ptr("/document/revisions", i, "mark"));
    }
    if (cur.on < prev.on) {
      ctx.error("revision_not_increasing",
                "revision \"" + cur.mark + "\" is dated " + cur.on.to_string() +
                    ", before the previous revision's " + prev.on.to_string(),
                ptr("/document/revisions", i, "date"));
    }
  }
}

int total_headcount(const policy& p,
                    const std::unordered_map<std::string_view, std::size_t>& position_index,
                    const std::vector<std::string>& positions, bool& bounded) {
  int total = 0;
  bounded = true;
  std::unordered_set<std::string_view> seen;
  for (const auto& id : positions) {
    ++validator_steps().workflows;
    if (!seen.insert(id).second) continue;
    auto it = position_index.find(id);
    if (it == position_index.end()) continue;
    const position* pos = &p.org.positions[it->second];
    if (!pos->headcount) {
      bounded = false;
      continue;
    }
    total += *pos->headcount;
  }
  return total;
}

void check_workflows(const policy& p, load_context& ctx) {
  const auto position_index = index_by_id(p.org.positions);
  for (std::size_t w = 0; w < p.workflows.size(); ++w) {
    const workflow& wf = p.workflows[w];
    std::string base = ptr("/workflows", w);
    check_unique_ids(wf.steps, append_pointer(base, "steps"), "step", ctx);
    check_unique_ids(wf.request_fields, append_pointer(base, "request_fields"), "field", ctx);
    if (wf.initiators.empty()) {
      ctx.error("workflow_no_actor",
                "workflow `" + wf.id + "` lists no initiator: nobody can submit a request",
                append_pointer(base, "initiators"));
    }
    if (wf.steps.empty()) {
      ctx.error("workflow_no_steps", "workflow `" + wf.id + "` has no steps to approve",
                append_pointer(base, "steps"));
    }
    for (std::size_t s = 0; s < wf.steps.size(); ++s) {
      const workflow_step& step = wf.steps[s];
      std::string at = ptr(append_pointer(base, "steps"), s);
      if (step.approvers.empty()) {
        ctx.error("workflow_no_actor",
                  "step `" + step.id + "` lists no approver position: nobody can act on it",
                  append_pointer(at, "approvers"));
        continue;
      }
      bool bounded = false;
      int people = total_headcount(p, position_index, step.approvers, bounded);
      if (step.mode == approval_mode::quorum && bounded && step.quorum > people) {
        ctx.error("workflow_cannot_complete",
                  "step `" + step.id + "` needs " + std::to_string(step.quorum) +
                      " approvals but its positions have a headcount of only " +
                      std::to_string(people),
                  append_pointer(at, "quorum"));
      }
      if (step.mode != approval_mode::quorum && step.quorum != 0) {
        ctx.warning("ignored_field", "`quorum` only applies to mode \"quorum\"",
                    append_pointer(at, "quorum"));
      }
      // With separation of duties, a step whose only possible approver is the only possible
      // requester can never be approved.
      if (wf.separation_of_duties && bounded && people == 1 && !wf.initiators.empty()) {
        const std::unordered_set<std::string_view> approvers(step.approvers.begin(),
                                                             step.approvers.end());
        validator_steps().workflows += approvers.size() + wf.initiators.size();
        bool same = std::all_of(wf.initiators.begin(), wf.initiators.end(),
                                [&](const std::string& id) { return approvers.count(id) > 0; });
        bool initiators_bounded = false;
        int requesters = total_headcount(p, position_index, wf.initiators, initiators_bounded);
        if (same && initiators_bounded && requesters == 1) {
          ctx.error("workflow_cannot_complete",
                    "step `" + step.id +
                        "` can only be approved by the one person who also "
                        "submits the request, which separation of duties forbids",
                    append_pointer(at, "approvers"));
        }
      }
    }
  }
}

// Art. 12 (issue 16): an instance that can reach a state where nobody may act on any date is
// stuck for good. Found by playing the workflow with made-up holders of the positions (see
// workflows::find_deadlock); one path per workflow, at the step it gets stuck on.
//
// The search plays every state, so its cost grows with the workflow's positions and steps, and
// each play compiles the policy's workflows. To keep `validate` fast on any policy under the
// size limits, only workflows of a size a real approval chain has are played, and only in a
// policy of at most kMaxWorkflowsPlayed workflows; larger ones are not checked for deadlocks
// (docs/diagnostics.md says so). Found when a reporting-line growth test timed out.
constexpr std::size_t kMaxWorkflowsPlayed = 64;
constexpr std::size_t kMaxPositionsPlayed = 32;
constexpr std::size_t kMaxStepsPlayed = 16;

bool small_enough_to_play(const workflow& wf) {
  if (wf.steps.size() > kMaxStepsPlayed) return false;
  std::set<std::string> positions(wf.initiators.begin(), wf.initiators.end());
  for (const auto& step : wf.steps) positions.insert(step.approvers.begin(), step.approvers.end());
  return positions.size() <= kMaxPositionsPlayed;
}

void check_workflow_deadlocks(const policy& p, load_context& ctx) {
  if (p.workflows.size() > kMaxWorkflowsPlayed) return;
  for (std::size_t w = 0; w < p.workflows.size(); ++w) {
    const workflow& wf = p.workflows[w];
    if (!small_enough_to_play(wf)) continue;
    auto stuck = workflows::find_deadlock(p, wf);
    if (!stuck) continue;
    std::string path;
    for (const auto& a : stuck->actions) path += (path.empty() ? "" : ", ") + a;
    std::string message = "workflow `" + wf.id + "` can get stuck: " + path +
                          "; then nobody may act at step `" + wf.steps[stuck->step].id +
                          "` on any date (" + stuck->why + ")";
    if (!stuck->assumptions.empty()) {
      std::string assumed;
      for (const auto& a : stuck->assumptions) assumed += (assumed.empty() ? "" : ", ") + a;
      message += " when " + assumed;
    }
    ctx.error("workflow_may_deadlock", std::move(message),
              ptr(append_pointer(ptr("/workflows", w), "steps"), stuck->step));
  }
}

// A parameter no expression mentions is probably a leftover or a typo in an expression.
void check_parameters_used(const policy& p, load_context& ctx) {
  std::string all;
  auto add = [&](const std::string& e) { all += e + '\n'; };
  for (const auto& c : p.criteria) {
    add(c.condition);
    if (c.explain) {
      add(c.explain->observed);
      add(c.explain->target);
      add(c.explain->precondition);
      add(c.explain->shortfall.en);
      add(c.explain->shortfall.zh);
    }
  }
  for (const auto& w : p.workflows) {
    add(w.entry_condition);
    for (const auto& s : w.steps) add(s.condition);
  }
  // Every `params.<name>` in the text, collected in one pass (searching the text once per
  // parameter was quadratic in the size of the policy).
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::unordered_set<std::string_view> mentioned;
  const std::string_view text(all);
  const std::string_view prefix = "params.";
  for (auto at = text.find(prefix); at != std::string_view::npos; at = text.find(prefix, at + 1)) {
    std::size_t end = at + prefix.size();
    while (end < text.size() && ident(text[end])) ++end;
    mentioned.insert(text.substr(at + prefix.size(), end - at - prefix.size()));
  }
  validator_steps().parameters_used += text.size() + p.parameters.size();
  for (std::size_t i = 0; i < p.parameters.size(); ++i) {
    const bool found = mentioned.count(p.parameters[i].id) > 0;
    if (!found && !p.parameters[i].id.empty()) {
      ctx.warning("unused_parameter",
                  "parameter `" + p.parameters[i].id + "` is not used by any expression",
                  ptr("/parameters", i, "id"));
    }
  }
}

void check_customer_schema(const policy& p, load_context& ctx) {
  if (!ctx.document().root().contains("customer_schema")) return;  // missing_field already
  check_field_ids(p.customers.fields, "/customer_schema/fields", ctx);
  auto id = std::find_if(p.customers.fields.begin(), p.customers.fields.end(),
                         [](const field& f) { return f.id == "id"; });
  if (id == p.customers.fields.end()) {
    ctx.error("missing_id_field",
              "the customer schema needs a field `id` (string) to tell customers apart",
              "/customer_schema/fields");
  } else if (id->type != field_type::string_) {
    ctx.error("invalid_value", "the customer field `id` must have type \"string\"",
              ptr("/customer_schema/fields",
                  static_cast<std::size_t>(id - p.customers.fields.begin()), "type"));
  }
}

// CEL expressions are compiled against the same declarations the evaluators use; each problem
// is reported where it is inside the expression, mapped back to the file.
class expression_checker {
 public:
  expression_checker(load_context& ctx) : ctx_(ctx) {}

  // `offset`: where `source` starts inside the string at `pointer` (a template placeholder).
  void check(const std::string& source, const std::string& pointer, const expr::declarations& decls,
             bool must_be_bool, std::string_view what, std::size_t offset = 0) {
    if (source.empty()) return;
    expr::compile_result result = expr::compile(source, decls);
    for (const auto& d : result.diagnostics) {
      auto at = ctx_.document().string_content_position(pointer, offset + d.offset);
      std::string message = std::string(what) + ": " + d.message;
      message += " [" + d.code + "]";
      if (at) {
        ctx_.error_at("invalid_expression", message, pointer, *at);
      } else {
        ctx_.error("invalid_expression", message, pointer);
      }
    }
    if (!result.program) return;
    const expr::type& t = result.program->result_type();
    if (must_be_bool && !t.is_dyn() && t.kind() != expr::type_kind::boolean) {
      ctx_.error("condition_not_bool",
                 std::string(what) + " must be true or false, but it gives " + t.to_string(),
                 pointer);
    }
  }

  // A message template: each `{...}` placeholder is `gap` or a CEL expression; a `{` without its
  // `}` or an empty placeholder would make the classifier refuse the policy.
  void check_template(const std::string& text, const std::string& pointer,
                      const expr::declarations& decls, const std::string& what) {
    split_template_result split = split_template(text);
    if (split.unclosed_at) {
      report_at("invalid_template",
                what +
                    ": the '{' here has no closing '}' (write a placeholder as {gap} or "
                    "{CEL expression})",
                pointer, *split.unclosed_at);
      return;
    }
    for (const auto& piece : split.pieces) {
      if (!piece.placeholder || piece.text == "gap") continue;
      if (blank_placeholder(piece.text)) {
        report_at("invalid_template",
                  what + ": an empty placeholder '{}' (write {gap} or {CEL expression})", pointer,
                  piece.offset - 1);
        continue;
      }
      check(piece.text, pointer, decls, false, what, piece.offset);
    }
  }

 private:
  void report_at(std::string code, std::string message, const std::string& pointer,
                 std::size_t offset) {
    auto at = ctx_.document().string_content_position(pointer, offset);
    if (at) {
      ctx_.error_at(std::move(code), std::move(message), pointer, *at);
    } else {
      ctx_.error(std::move(code), std::move(message), pointer);
    }
  }

  load_context& ctx_;
};

// The pointer of the `id` of the field named `id` among `fields` (nested ones too), or "".
std::string field_id_pointer(const std::vector<field>& fields, const std::string& base,
                             const std::string& id) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].id == id) return ptr(base, i, "id");
    std::string nested = field_id_pointer(fields[i].fields, ptr(base, i, "fields"), id);
    if (!nested.empty()) return nested;
  }
  return {};
}

// Declarations fail for field ids that cannot be CEL variables ("first-order", "in", or
// "as_of", which the engine declares itself); report those instead of checking expressions,
// at the offending id when the message names one ('first-order'), else at the field list.
std::optional<expr::declarations> declarations_or_report(
    const std::vector<field>& fields, load_context& ctx,
    const std::function<expr::declarations()>& make, const std::string& pointer) {
  try {
    return make();
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    std::string at = pointer;
    auto close = what.rfind('\'');
    auto open =
        close == std::string::npos || close == 0 ? std::string::npos : what.rfind('\'', close - 1);
    if (open != std::string::npos) {
      std::string id = what.substr(open + 1, close - open - 1);
      std::string found = field_id_pointer(fields, pointer, id);
      if (!found.empty()) at = found;
    }
    ctx.error("invalid_identifier",
              "a field id cannot be used in expressions: " + what +
                  "; ids must be identifiers (letters, digits, _) and not reserved words",
              at);
    return std::nullopt;
  }
}

void check_expressions(const policy& p, load_context& ctx) {
  expression_checker checker(ctx);
  auto customer = declarations_or_report(
      p.customers.fields, ctx, [&] { return customer_declarations(p); }, "/customer_schema/fields");
  if (customer) {
    for (std::size_t i = 0; i < p.criteria.size(); ++i) {
      const criterion& c = p.criteria[i];
      std::string base = ptr("/criteria", i);
      checker.check(c.condition, append_pointer(base, "condition"), *customer, true,
                    "condition of " + c.id);
      if (!c.explain) continue;
      std::string e = append_pointer(base, "explain");
      checker.check(c.explain->observed, append_pointer(e, "observed"), *customer, false,
                    "observed value of " + c.id);
      checker.check(c.explain->target, append_pointer(e, "target"), *customer, false,
                    "target of " + c.id);
      checker.check(c.explain->precondition, append_pointer(e, "precondition"), *customer, true,
                    "precondition of " + c.id);
      checker.check_template(c.explain->shortfall.en, append_pointer(e, "shortfall"), *customer,
                             "shortfall message of " + c.id);
      checker.check_template(c.explain->shortfall.zh, append_pointer(e, "shortfall_zh"), *customer,
                             "Chinese shortfall message of " + c.id);
      checker.check_template(c.explain->precondition_failed.en,
                             append_pointer(e, "precondition_failed"), *customer,
                             "precondition message of " + c.id);
      checker.check_template(c.explain->precondition_failed.zh,
                             append_pointer(e, "precondition_failed_zh"), *customer,
                             "Chinese precondition message of " + c.id);
    }
  }
  if (customer && p.supply_watch) {
    // The demand rule is a customer's projected demand for a month: a number (Art. 7.1).
    const std::string at = "/supply_watch/demand";
    checker.check(p.supply_watch->demand, at, *customer, false, "demand rule of supply_watch");
    auto compiled = expr::compile(p.supply_watch->demand, *customer);
    if (compiled.program) {
      const expr::type& t = compiled.program->result_type();
      if (!t.is_dyn() && t.kind() != expr::type_kind::float64 && t.kind() != expr::type_kind::int64)
        ctx.error("invalid_expression",
                  "demand rule of supply_watch must give a number (a month's demand), but it "
                  "gives " +
                      t.to_string(),
                  at);
    }
  }
  for (std::size_t w = 0; w < p.workflows.size(); ++w) {
    const workflow& wf = p.workflows[w];
    std::string base = ptr("/workflows", w);
    auto request = declarations_or_report(
        wf.request_fields, ctx, [&] { return request_declarations(p, wf); },
        append_pointer(base, "request_fields"));
    if (!request) continue;
    checker.check(wf.entry_condition, append_pointer(base, "entry_condition"), *request, true,
                  "entry condition of workflow " + wf.id);
    for (std::size_t s = 0; s < wf.steps.size(); ++s) {
      checker.check(wf.steps[s].condition,
                    append_pointer(ptr(append_pointer(base, "steps"), s), "condition"), *request,
                    true, "condition of step " + wf.steps[s].id);
    }
  }
}

}  // namespace

void validate(const policy& p, load_context& ctx, const load_options& /*options*/) {
  check_unique_ids(p.articles, "/articles", "article", ctx);
  check_unique_ids(p.org.departments, "/organization/departments", "department", ctx);
  check_unique_ids(p.org.positions, "/organization/positions", "position", ctx);
  check_unique_ids(p.parameters, "/parameters", "parameter", ctx);
  check_unique_ids(p.criteria, "/criteria", "criterion", ctx);
  check_unique_ids(p.tiers, "/tiers", "tier", ctx);
  check_unique_ids(p.principles, "/principles", "principle", ctx);
  check_unique_ids(p.festivals, "/calendars/festivals", "festival", ctx);
  check_unique_ids(p.activities, "/activities", "activity", ctx);
  check_unique_ids(p.workflows, "/workflows", "workflow", ctx);
  if (p.symposium && p.find_activity(p.symposium->id)) {
    // Plans and findings name the event by its id, as they name activities.
    ctx.error("duplicate_id",
              "symposium id `" + p.symposium->id +
                  "` is also an activity's id: the symposium (Art. 10) is one yearly event, "
                  "not a per-customer activity; drop the activity or rename one",
              "/symposium/id");
  }
  if (p.supply_watch && !p.supply_watch->product_field.empty()) {
    // A customer's demand is for the one product this field names (compared per product).
    const auto& fields = p.customers.fields;
    auto f = std::find_if(fields.begin(), fields.end(),
                          [&](const field& x) { return x.id == p.supply_watch->product_field; });
    if (f != fields.end() && f->type != field_type::string_ && f->type != field_type::enumeration)
      ctx.error("invalid_value",
                "supply_watch.product_field `" + f->id +
                    "` must be a string or enum customer field (the product a customer's demand "
                    "is for)",
                "/supply_watch/product_field");
  }
  if (p.complaints) {
    check_unique_ids(p.complaints->categories, "/complaints/categories", "category", ctx);
  }
  check_customer_schema(p, ctx);
  check_references(p, ctx);
  check_overridable_settings(p, ctx);
  check_reporting_line(p, ctx);
  check_criteria_graph(p, ctx);
  check_tiers(p, ctx);
  check_document_dates(p.document, ctx);
  check_revisions(p.document, ctx);
  check_workflows(p, ctx);
  check_parameters_used(p, ctx);
  check_expressions(p, ctx);
  // Playing the workflows needs a sound organisation and sound workflows: only then.
  if (!ctx.has_errors()) check_workflow_deadlocks(p, ctx);
}

}  // namespace keyaccount::detail
