// keyaccount workflow list|graph: the policy's approval workflows (Art. 11-14).
#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>

#include "cli.hpp"
#include "commands.hpp"
#include "input_file.hpp"
#include "keyaccount/workflow/graph.hpp"
#include "keyaccount/workflow/json.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {
namespace {

struct graph_args {
  std::string policy;
  std::string name;
  std::string format = "mermaid";
  std::string instance;
};

void run_graph(const graph_args& args, context& ctx) {
  auto p = load_policy_option(args.policy, ctx);
  if (!p) return;
  const workflow* def = p->find_workflow(args.name);
  if (!def) {
    ctx.err << "keyaccount workflow graph: the policy has no workflow \"" << args.name
            << "\"; it has:";
    for (const auto& w : p->workflows) ctx.err << ' ' << w.id;
    ctx.err << '\n';
    ctx.exit_code = exit_usage;
    return;
  }
  std::optional<workflows::instance> progress;
  if (!args.instance.empty()) {
    std::ifstream in;
    if (!open_input_file(args.instance, "instance file", in, ctx.err)) {
      ctx.exit_code = exit_usage;
      return;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      progress = workflows::instance_from_json_text(text);
    } catch (const workflows::format_error& e) {
      // At the member it names (a JSON pointer), or at what parse_json refused in the text.
      ctx.err << locate_in_json(args.instance, text, e.where().pointer)
              << ": error[invalid_instance]: " << e.what() << '\n';
      ctx.exit_code = exit_failure;
      return;
    }
    if (progress->workflow != def->id) {
      ctx.err << args.instance << ": error[invalid_instance]: the instance is of workflow \""
              << progress->workflow << "\", not \"" << def->id << "\"\n";
      ctx.exit_code = exit_failure;
      return;
    }
  }
  auto format =
      args.format == "dot" ? workflows::graph_format::dot : workflows::graph_format::mermaid;
  ctx.out << workflows::draw(*def, format, progress ? &*progress : nullptr);
  ctx.exit_code = exit_ok;
}

}  // namespace

void add_workflow_command(CLI::App& app, context& ctx) {
  CLI::App* wf = app.add_subcommand("workflow", "Approval workflows: list them, draw them");
  wf->require_subcommand(1);

  auto list_policy = std::make_shared<std::string>();
  CLI::App* list = wf->add_subcommand("list", "List the policy's workflows with their steps");
  list->add_option("--policy", *list_policy, "Policy file (default: the embedded policy)");
  list->callback([list_policy, &ctx] {
    auto p = load_policy_option(*list_policy, ctx);
    if (!p) return;
    for (const auto& w : p->workflows) {
      ctx.out << w.id << " (" << (w.article.empty() ? "-" : w.article) << "): ";
      for (std::size_t i = 0; i < w.steps.size(); ++i)
        ctx.out << (i ? " -> " : "") << w.steps[i].id;
      ctx.out << '\n';
    }
    ctx.exit_code = exit_ok;
  });

  auto args = std::make_shared<graph_args>();
  CLI::App* graph = wf->add_subcommand(
      "graph", "Draw a workflow (Mermaid or Graphviz DOT), optionally with an instance's progress");
  graph->add_option("name", args->name, "Workflow id, e.g. gift_request")->required();
  graph->add_option("--policy", args->policy, "Policy file (default: the embedded policy)");
  graph->add_option("--format", args->format, "mermaid (default) or dot")
      ->check(CLI::IsMember({"mermaid", "dot"}));
  graph->add_option("--instance", args->instance,
                    "Instance JSON file: marks approved, current and skipped steps");
  graph->callback([args, &ctx] { run_graph(*args, ctx); });
}

}  // namespace keyaccount::cli
