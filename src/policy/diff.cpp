// Structural diff of two policies, over their canonical JSON (keyaccount/policy/diff.hpp).
#include "keyaccount/policy/diff.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "keyaccount/expr/parser.hpp"

namespace keyaccount {
namespace {

using json = nlohmann::json;

// The sections in the order of the policy format (docs/policy-format.md); any other member
// follows in name order.
const std::vector<std::string>& section_order() {
  static const std::vector<std::string> order{
      "format_version", "document",     "articles",   "organization",       "customer_schema",
      "parameters",     "criteria",     "tiers",      "dynamic_management", "ownership",
      "principles",     "calendars",    "activities", "complaints",         "peak_season",
      "symposium",      "supply_watch", "workflows"};
  return order;
}

// Members holding CEL: compared as syntax trees.
bool is_expression(const std::string& key) {
  return key == "condition" || key == "entry_condition" || key == "observed" || key == "target" ||
         key == "precondition";
}

void render(const expr::node& n, std::string& out) {
  out += '(';
  out += std::to_string(static_cast<int>(n.kind));
  out += ' ';
  if (n.kind == expr::node_kind::literal) out += n.literal.debug_string();
  out += n.name;
  if (n.member) out += " .";
  if (n.test_only) out += " has";
  if (n.macro != expr::macro_kind::none) out += " m" + std::to_string(static_cast<int>(n.macro));
  for (const auto& child : n.children) {
    out += ' ';
    if (child) render(*child, out);
  }
  out += ')';
}

// The syntax tree of a CEL expression as text, or nullopt when it does not parse.
std::optional<std::string> tree_of(const std::string& source) {
  auto parsed = expr::parse(source);
  if (!parsed.ast || !parsed.ast->root) return std::nullopt;
  std::string out;
  render(*parsed.ast->root, out);
  return out;
}

bool same_expression(const json& a, const json& b) {
  if (!a.is_string() || !b.is_string()) return a == b;
  if (a == b) return true;
  auto ta = tree_of(a.get<std::string>());
  auto tb = tree_of(b.get<std::string>());
  return ta && tb && *ta == *tb;
}

// The member that identifies the items of a list, if every item (of both lists) has a distinct
// text one: "id", or "mark" for revisions.
std::optional<std::string> item_key(const json& a, const json& b) {
  if (a.empty() && b.empty()) return std::nullopt;
  for (const char* key : {"id", "mark"}) {
    bool ok = true;
    for (const json* list : {&a, &b}) {
      std::set<std::string> seen;
      for (const auto& item : *list) {
        if (!item.is_object() || !item.contains(key) || !item[key].is_string() ||
            !seen.insert(item[key].get<std::string>()).second) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (ok) return std::string(key);
  }
  return std::nullopt;
}

std::string article_of(const json& a, const json& b, const std::string& outer) {
  for (const json* v : {&b, &a})
    if (v->is_object() && v->contains("article") && (*v)["article"].is_string() &&
        !(*v)["article"].get<std::string>().empty())
      return (*v)["article"].get<std::string>();
  return outer;
}

class differ {
 public:
  explicit differ(std::vector<policy_change>& out) : out_(out) {}

  void section(const std::string& name, const json* a, const json* b) {
    section_ = name;
    if (a == nullptr) {
      add(name, change_kind::added, article_of(json(), *b, ""), json(), *b);
    } else if (b == nullptr) {
      add(name, change_kind::removed, article_of(*a, json(), ""), *a, json());
    } else {
      compare(name, name, *a, *b, "");
    }
  }

 private:
  void add(const std::string& path, change_kind kind, const std::string& article, json old_value,
           json new_value) {
    out_.push_back({section_, path, kind, article, std::move(old_value), std::move(new_value)});
  }

  void compare(const std::string& path, const std::string& key, const json& a, const json& b,
               const std::string& article) {
    if (is_expression(key) ? same_expression(a, b) : a == b) return;
    if (a.is_object() && b.is_object()) {
      const std::string here = article_of(a, b, article);
      std::set<std::string> keys;
      for (const auto& [k, v] : a.items()) keys.insert(k);
      for (const auto& [k, v] : b.items()) keys.insert(k);
      for (const auto& k : keys) {
        const std::string sub = path + "." + k;
        if (!a.contains(k)) {
          add(sub, change_kind::added, here, json(), b[k]);
        } else if (!b.contains(k)) {
          add(sub, change_kind::removed, here, a[k], json());
        } else {
          compare(sub, k, a[k], b[k], here);
        }
      }
      return;
    }
    if (a.is_array() && b.is_array()) {
      if (auto id = item_key(a, b)) {
        compare_items(path, *id, a, b, article);
        return;
      }
    }
    add(path, change_kind::changed, article, a, b);
  }

  void compare_items(const std::string& path, const std::string& id, const json& a, const json& b,
                     const std::string& article) {
    std::map<std::string, const json*> old_items, new_items;
    std::vector<std::string> old_order, new_order;
    for (const auto& item : a) {
      old_items[item[id].get<std::string>()] = &item;
      old_order.push_back(item[id].get<std::string>());
    }
    for (const auto& item : b) {
      new_items[item[id].get<std::string>()] = &item;
      new_order.push_back(item[id].get<std::string>());
    }
    // Removed items at their old place, then the kept and added ones in the new order.
    for (const auto& name : old_order)
      if (!new_items.count(name))
        add(path + "[" + name + "]", change_kind::removed,
            article_of(*old_items[name], json(), article), *old_items[name], json());
    std::vector<std::string> kept_old, kept_new;
    for (const auto& name : old_order)
      if (new_items.count(name)) kept_old.push_back(name);
    for (const auto& name : new_order) {
      const json& item = *new_items[name];
      if (!old_items.count(name)) {
        add(path + "[" + name + "]", change_kind::added, article_of(json(), item, article), json(),
            item);
        continue;
      }
      kept_new.push_back(name);
      compare(path + "[" + name + "]", "", *old_items[name], item, article);
    }
    if (kept_old != kept_new) add(path, change_kind::reordered, article, kept_old, kept_new);
  }

  std::vector<policy_change>& out_;
  std::string section_;
};

json identity(const policy& p) {
  return {{"id", p.document.id}, {"version", p.document.version}, {"hash", p.content_hash}};
}

// A value for one line of text: JSON, long ones cut.
std::string shown(const json& v, std::size_t limit) {
  if (v.is_null()) return "-";
  std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "…";
  }
  return text;
}

const char* mark(change_kind k) {
  switch (k) {
    case change_kind::added:
      return "+";
    case change_kind::removed:
      return "-";
    case change_kind::reordered:
      return "↕";
    case change_kind::changed:
      break;
  }
  return "~";
}

std::map<std::string, std::size_t> counts(const std::vector<policy_change>& changes) {
  std::map<std::string, std::size_t> n;
  for (const auto& c : changes) ++n[c.section];
  return n;
}

std::string short_hash(const policy& p) { return p.content_hash.substr(0, 12); }

}  // namespace

std::string_view to_string(change_kind k) noexcept {
  switch (k) {
    case change_kind::added:
      return "added";
    case change_kind::removed:
      return "removed";
    case change_kind::reordered:
      return "reordered";
    case change_kind::changed:
      break;
  }
  return "changed";
}

std::vector<policy_change> diff_policies(const policy& old_policy, const policy& new_policy) {
  if (old_policy.canonical_text.empty() || new_policy.canonical_text.empty())
    throw std::invalid_argument("diff_policies: a policy was not loaded (no canonical form)");
  const json a = json::parse(old_policy.canonical_text);
  const json b = json::parse(new_policy.canonical_text);
  std::vector<std::string> sections = section_order();
  std::set<std::string> others;
  for (const json* doc : {&a, &b})
    for (const auto& [k, v] : doc->items())
      if (std::find(sections.begin(), sections.end(), k) == sections.end()) others.insert(k);
  sections.insert(sections.end(), others.begin(), others.end());
  std::vector<policy_change> out;
  differ d(out);
  for (const auto& s : sections) {
    const json* x = a.contains(s) ? &a[s] : nullptr;
    const json* y = b.contains(s) ? &b[s] : nullptr;
    if (x == nullptr && y == nullptr) continue;
    d.section(s, x, y);
  }
  return out;
}

json diff_to_json(const policy& old_policy, const policy& new_policy,
                  const std::vector<policy_change>& changes) {
  json list = json::array();
  for (const auto& c : changes)
    list.push_back({{"section", c.section},
                    {"path", c.path},
                    {"kind", std::string(to_string(c.kind))},
                    {"article", c.article},
                    {"old", c.old_value},
                    {"new", c.new_value}});
  json sections = json::object();
  for (const auto& [s, n] : counts(changes)) sections[s] = n;
  return {{"old", identity(old_policy)},
          {"new", identity(new_policy)},
          {"changes", std::move(list)},
          {"sections", std::move(sections)}};
}

std::string diff_to_text(const policy& old_policy, const policy& new_policy,
                         const std::vector<policy_change>& changes) {
  std::ostringstream out;
  out << old_policy.document.id << " " << old_policy.document.version << " ("
      << short_hash(old_policy) << ") → " << new_policy.document.id << " "
      << new_policy.document.version << " (" << short_hash(new_policy) << "): " << changes.size()
      << (changes.size() == 1 ? " change\n" : " changes\n");
  for (const auto& c : changes) {
    out << mark(c.kind) << ' ' << c.path;
    if (!c.article.empty()) out << " (" << c.article << ")";
    out << ": ";
    if (c.kind == change_kind::added)
      out << "added " << shown(c.new_value, 100);
    else if (c.kind == change_kind::removed)
      out << "removed " << shown(c.old_value, 100);
    else
      out << shown(c.old_value, 60) << " → " << shown(c.new_value, 60);
    out << '\n';
  }
  return out.str();
}

std::string diff_to_markdown(const policy& old_policy, const policy& new_policy,
                             const std::vector<policy_change>& changes) {
  auto cell = [](const json& v) {
    if (v.is_null()) return std::string();
    std::string text = shown(v, 80);
    std::string escaped;
    for (char ch : text) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
    // A backtick inside would close the code span: use a longer fence then (CommonMark).
    const std::string fence = escaped.find('`') == std::string::npos ? "`" : "`` ";
    const std::string close = fence == "`" ? "`" : " ``";
    return fence + escaped + close;
  };
  std::ostringstream out;
  out << "### Policy diff: `" << old_policy.document.id << "` " << old_policy.document.version
      << " → `" << new_policy.document.id << "` " << new_policy.document.version << "\n\n";
  out << "Content hash `" << short_hash(old_policy) << "` → `" << short_hash(new_policy) << "`; **"
      << changes.size() << (changes.size() == 1 ? " change**" : " changes**");
  if (!changes.empty()) {
    out << " (";
    bool first = true;
    for (const auto& [s, n] : counts(changes)) {
      out << (first ? "" : ", ") << s << ": " << n;
      first = false;
    }
    out << ")";
  }
  out << "\n\n";
  if (changes.empty()) return out.str();
  out << "| | where | article | old | new |\n|---|---|---|---|---|\n";
  for (const auto& c : changes)
    out << "| " << to_string(c.kind) << " | `" << c.path << "` | " << c.article << " | "
        << cell(c.old_value) << " | " << cell(c.new_value) << " |\n";
  return out.str();
}

}  // namespace keyaccount
