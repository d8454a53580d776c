#include "keyaccount/workflow/graph.hpp"

#include <cctype>
#include <sstream>
#include <vector>

namespace keyaccount::workflows {
namespace {

std::string mode_text(const workflow_step& s) {
  std::string positions;
  for (const auto& a : s.approvers) positions += (positions.empty() ? "" : ", ") + a;
  switch (s.mode) {
    case approval_mode::one_of:
      return "one of: " + positions;
    case approval_mode::all_of:
      return "all of: " + positions;
    case approval_mode::quorum:
      return std::to_string(s.quorum) + " of: " + positions;
  }
  return positions;
}

// Lines of a step's label; the caller escapes and joins them.
std::vector<std::string> step_lines(const workflow_step& s) {
  std::vector<std::string> lines{s.name.en.empty() ? s.id : s.name.en, mode_text(s)};
  if (!s.condition.empty()) lines.push_back("only if " + s.condition);
  if (s.deadline_days > 0) {
    lines.push_back(std::to_string(s.deadline_days) + " days" +
                    (s.escalation == "superior" ? ", then the superior" : ""));
  }
  return lines;
}

std::string escape_mermaid(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"')
      out += "#quot;";
    else if (c == '<')
      out += "#lt;";
    else if (c == '>')
      out += "#gt;";
    else
      out += c;
  }
  return out;
}

std::string escape_dot(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string node_id(const std::string& step_id) {
  std::string out = "s_";
  for (char c : step_id) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

// The mark of a step in `progress`: "done", "active", "skipped" or "".
std::string mark_of(const instance* progress, std::size_t i) {
  if (!progress || i >= progress->steps.size()) return "";
  switch (progress->steps[i].status) {
    case step_status::approved:
      return "done";
    case step_status::active:
      return "active";
    case step_status::skipped:
      return "skipped";
    case step_status::pending:
      return "";
  }
  return "";
}

}  // namespace

std::string draw(const workflow& def, graph_format format, const instance* progress) {
  std::ostringstream o;
  std::string initiators;
  for (const auto& i : def.initiators) initiators += (initiators.empty() ? "" : ", ") + i;
  const std::string title = def.name.en.empty() ? def.id : def.name.en;
  const bool ended_ok = progress && progress->state == instance_state::approved;
  const bool ended_bad = progress && (progress->state == instance_state::rejected ||
                                      progress->state == instance_state::withdrawn);
  const std::string end_bad_label =
      progress && progress->state == instance_state::withdrawn ? "withdrawn" : "rejected";
  // Edges: start → each step → approved; a conditional step can be bypassed.
  std::vector<std::pair<std::string, std::string>> edges;
  std::vector<std::pair<std::string, std::string>> bypass;
  std::vector<std::string> ids{"start"};
  for (const auto& s : def.steps) ids.push_back(node_id(s.id));
  ids.push_back("approved");
  for (std::size_t i = 0; i + 1 < ids.size(); ++i) {
    edges.emplace_back(ids[i], ids[i + 1]);
    if (i < def.steps.size() && !def.steps[i].condition.empty()) {
      bypass.emplace_back(ids[i], ids[i + 2]);
    }
  }

  if (format == graph_format::mermaid) {
    o << "---\ntitle: " << escape_mermaid(title) << "\n---\n";
    o << "flowchart LR\n";
    o << "  start([\"submitted by " << escape_mermaid(initiators) << "\"])\n";
    for (std::size_t i = 0; i < def.steps.size(); ++i) {
      std::string label;
      for (const auto& line : step_lines(def.steps[i])) {
        label += (label.empty() ? "" : "<br/>") + escape_mermaid(line);
      }
      o << "  " << node_id(def.steps[i].id) << "[\"" << label << "\"]\n";
    }
    o << "  approved([\"approved\"])\n";
    o << "  ended([\"" << end_bad_label << "\"])\n";
    for (const auto& [a, b] : edges) o << "  " << a << " --> " << b << "\n";
    for (const auto& [a, b] : bypass) o << "  " << a << " -. \"condition false\" .-> " << b << "\n";
    for (const auto& s : def.steps) o << "  " << node_id(s.id) << " -. \"reject\" .-> ended\n";
    if (progress) {
      o << "  classDef done fill:#c8e6c9,stroke:#2e7d32\n";
      o << "  classDef active fill:#fff59d,stroke:#f9a825,stroke-width:3px\n";
      o << "  classDef skipped fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4\n";
      o << "  classDef bad fill:#ffcdd2,stroke:#c62828\n";
      o << "  class start done\n";
      for (std::size_t i = 0; i < def.steps.size(); ++i) {
        auto m = mark_of(progress, i);
        if (!m.empty()) o << "  class " << node_id(def.steps[i].id) << " " << m << "\n";
      }
      if (ended_ok) o << "  class approved done\n";
      if (ended_bad) o << "  class ended bad\n";
    }
    return o.str();
  }

  o << "digraph \"" << escape_dot(def.id) << "\" {\n";
  o << "  label=\"" << escape_dot(title)
    << "\";\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  auto fill = [&](const std::string& mark) -> std::string {
    if (mark == "done") return ", style=\"rounded,filled\", fillcolor=\"#c8e6c9\"";
    if (mark == "active") return ", style=\"rounded,filled,bold\", fillcolor=\"#fff59d\"";
    if (mark == "skipped") return ", style=\"rounded,filled,dashed\", fillcolor=\"#eeeeee\"";
    if (mark == "bad") return ", style=\"rounded,filled\", fillcolor=\"#ffcdd2\"";
    return "";
  };
  o << "  start [shape=oval, label=\"submitted by " << escape_dot(initiators) << "\""
    << fill(progress ? "done" : "") << "];\n";
  for (std::size_t i = 0; i < def.steps.size(); ++i) {
    std::string label;
    for (const auto& line : step_lines(def.steps[i])) {
      label += (label.empty() ? "" : "\\n") + escape_dot(line);
    }
    o << "  " << node_id(def.steps[i].id) << " [label=\"" << label << "\""
      << fill(mark_of(progress, i)) << "];\n";
  }
  o << "  approved [shape=oval" << fill(ended_ok ? "done" : "") << "];\n";
  o << "  ended [shape=oval, label=\"" << end_bad_label << "\"" << fill(ended_bad ? "bad" : "")
    << "];\n";
  for (const auto& [a, b] : edges) o << "  " << a << " -> " << b << ";\n";
  for (const auto& [a, b] : bypass) {
    o << "  " << a << " -> " << b << " [style=dashed, label=\"condition false\"];\n";
  }
  for (const auto& s : def.steps) {
    o << "  " << node_id(s.id) << " -> ended [style=dotted, label=\"reject\"];\n";
  }
  o << "}\n";
  return o.str();
}

}  // namespace keyaccount::workflows
