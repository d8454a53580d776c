// Builds the evaluation plan from a checked tree: binds each call to its implementation, folds
// subtrees whose inputs are all constants (literals and declared constants such as the policy's
// parameters) into single constants, and precompiles constant regular expressions.
#include "keyaccount/expr/planner.hpp"

#include "program_data.hpp"

namespace keyaccount::expr {

program make_program(std::shared_ptr<const detail::program_data> data) {
  program p;
  p.data_ = std::move(data);
  return p;
}

namespace {

using detail::eval_ptr;

class planner {
 public:
  planner(const declarations& decls, const compile_options& options)
      : decls_(decls), options_(options) {}

  eval_ptr plan(const node& n) { return plan_kind(n); }

 private:
  const declarations& decls_;
  const compile_options& options_;
  std::vector<eval_ptr> plan_children(const node& n, std::size_t from = 0) {
    std::vector<eval_ptr> out;
    out.reserve(n.children.size());
    for (std::size_t i = from; i < n.children.size(); ++i) out.push_back(plan(*n.children[i]));
    return out;
  }

  static bool all_constant(const std::vector<eval_ptr>& parts) {
    for (const auto& p : parts)
      if (!p->constant()) return false;
    return true;
  }

  // Evaluates a node built from constants only.
  eval_ptr evaluate_now(eval_ptr e) {
    activation none;
    detail::eval_context ctx;
    ctx.vars = &none;
    ctx.iterations_left = options_.max_comprehension_iterations;
    ctx.max_regex_program_size = options_.max_regex_program_size;
    return detail::make_constant(e->eval(ctx));
  }

  eval_ptr maybe_fold(eval_ptr e, bool constant_inputs) {
    return constant_inputs ? evaluate_now(std::move(e)) : std::move(e);
  }

  eval_ptr plan_kind(const node& n) {
    switch (n.kind) {
      case node_kind::literal:
        return detail::make_constant(n.literal);
      case node_kind::ident:
        switch (n.ref) {
          case reference_kind::local:
            return detail::make_local(n.ref_index);
          case reference_kind::constant:
            return detail::make_constant(decls_.constants()[n.ref_index].const_value);
          case reference_kind::variable:
            return detail::make_variable(n.ref_index, n.name);
          case reference_kind::none:
            break;
        }
        return detail::make_constant(value::error("unresolved name '" + n.name + "'"));
      case node_kind::select: {
        eval_ptr operand = plan(*n.children[0]);
        bool c = operand->constant() != nullptr;
        return maybe_fold(detail::make_select(std::move(operand), n.name, n.test_only), c);
      }
      case node_kind::list: {
        auto parts = plan_children(n);
        bool c = all_constant(parts);
        return maybe_fold(detail::make_list(std::move(parts)), c);
      }
      case node_kind::map: {
        auto parts = plan_children(n);
        bool c = all_constant(parts);
        return maybe_fold(detail::make_map(std::move(parts)), c);
      }
      case node_kind::comprehension:
        return detail::make_comprehension(n.macro, n.ref_index, plan_children(n));
      case node_kind::call:
        return plan_call(n);
    }
    return detail::make_constant(value::error("unknown node"));
  }

  eval_ptr plan_call(const node& n) {
    auto parts = plan_children(n);
    bool c = all_constant(parts);
    if (n.name == "_&&_" && parts.size() == 2)
      return maybe_fold(detail::make_and(std::move(parts[0]), std::move(parts[1])), c);
    if (n.name == "_||_" && parts.size() == 2)
      return maybe_fold(detail::make_or(std::move(parts[0]), std::move(parts[1])), c);
    if (n.name == "_?_:_" && parts.size() == 3)
      return maybe_fold(
          detail::make_conditional(std::move(parts[0]), std::move(parts[1]), std::move(parts[2])),
          c);
    if (n.name == "matches" && parts.size() == 2 && !c && parts[1]->constant() &&
        parts[1]->constant()->is_string()) {
      // The pattern is known now: compile it once, not per evaluation.
      auto re =
          detail::compile_regex(parts[1]->constant()->as_string(), options_.max_regex_program_size);
      return detail::make_matches(std::move(parts[0]), std::move(re));
    }
    const detail::function_def* f = detail::find_function(n.name);
    if (!f) return detail::make_unbound_function(n.name);
    if (parts.size() == 2 &&
        (n.name == "_<_" || n.name == "_<=_" || n.name == "_>_" || n.name == "_>=_")) {
      return maybe_fold(detail::make_relation(*f, std::move(parts[0]), std::move(parts[1])), c);
    }
    return maybe_fold(detail::make_call(*f, std::move(parts)), c);
  }
};

}  // namespace

program plan(const ast& tree, const declarations& decls, const compile_options& options,
             const std::vector<std::string>& implicit_variables) {
  auto data = std::make_shared<detail::program_data>();
  data->source = tree.source;
  data->result_type = tree.root->checked_type;
  data->root = planner(decls, options).plan(*tree.root);
  auto names = std::make_shared<std::vector<std::string>>();
  for (const auto& v : decls.variables()) names->push_back(v.name);
  for (const auto& v : implicit_variables) names->push_back(v);
  data->variable_names = std::move(names);
  data->local_slots = tree.local_slots;
  data->max_iterations = options.max_comprehension_iterations;
  data->max_regex_program_size = options.max_regex_program_size;
  return make_program(std::move(data));
}

}  // namespace keyaccount::expr
