// `keyaccount eval EXPR [--var NAME[:TYPE]=JSON]...`: compiles and evaluates one CEL expression,
// printing the result as JSON. Exit 0 with a value, 1 on an evaluation error, 2 on a parse or
// type error or a bad --var.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"
#include "keyaccount/expr.hpp"
#include "keyaccount/json/parse.hpp"

namespace keyaccount::cli {

namespace {

struct eval_args {
  std::string expression;
  std::vector<std::string> vars;
};

struct parsed_var {
  std::string name;
  expr::type var_type;
  expr::value var_value;
};

// NAME=JSON or NAME:TYPE=JSON (e.g. `first_order:date="2024-01-31"`); throws
// std::invalid_argument with a message for the user.
parsed_var parse_var(const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw std::invalid_argument("--var expects NAME=JSON or NAME:TYPE=JSON, got '" + spec + "'");
  }
  std::string name = spec.substr(0, eq);
  std::optional<expr::type> declared;
  if (auto colon = name.find(':'); colon != std::string::npos) {
    declared = expr::type::parse(name.substr(colon + 1));
    if (!declared)
      throw std::invalid_argument("--var " + name + ": unknown type '" + name.substr(colon + 1) +
                                  "'");
    name = name.substr(0, colon);
  }
  nlohmann::json j;
  try {
    j = parse_json(spec.substr(eq + 1));
  } catch (const json_error& e) {
    throw std::invalid_argument("--var " + name + ": the value is not valid JSON (" + e.what() +
                                "; strings need quotes: " + name + "='\"text\"')");
  }
  expr::value v = declared ? expr::from_json(j, *declared) : expr::from_json(j);
  if (v.is_error())
    throw std::invalid_argument("--var " + name + ": " + std::string(v.error_message()));
  expr::type t = declared ? *declared : expr::type_of(v);
  return {std::move(name), std::move(t), std::move(v)};
}

int run_eval(const eval_args& args, context& ctx) {
  expr::declarations decls;
  std::vector<parsed_var> vars;
  try {
    for (const auto& spec : args.vars) {
      vars.push_back(parse_var(spec));
      decls.add_variable(vars.back().name, vars.back().var_type);
    }
  } catch (const std::invalid_argument& e) {
    ctx.err << "keyaccount eval: " << e.what() << '\n';
    return exit_usage;
  }
  auto compiled = expr::compile(args.expression, decls);
  if (!compiled.ok()) {
    for (const auto& d : compiled.diagnostics) {
      ctx.err << "keyaccount eval: " << d.line << ':' << d.column << ": error: " << d.message
              << " [" << d.code << "]\n";
    }
    return exit_usage;
  }
  expr::activation bindings(decls);
  for (std::size_t i = 0; i < vars.size(); ++i) bindings.set(i, vars[i].var_value);
  expr::value result = compiled.program->evaluate(bindings);
  if (result.is_error()) {
    ctx.err << "keyaccount eval: evaluation error: " << result.error_message() << '\n';
    return exit_failure;
  }
  ctx.out << expr::to_json(result).dump() << '\n';
  return exit_ok;
}

}  // namespace

void add_eval_command(CLI::App& app, context& ctx) {
  auto args = std::make_shared<eval_args>();
  CLI::App* cmd =
      app.add_subcommand("eval", "Evaluate a CEL expression and print the result as JSON");
  cmd->add_option("expression", args->expression, "The CEL expression")->required();
  cmd->add_option("--var", args->vars,
                  "Bind a variable: NAME=JSON, or NAME:TYPE=JSON with TYPE such as date, "
                  "double, list(double)")
      ->allow_extra_args(false);
  cmd->callback([args, &ctx] { ctx.exit_code = run_eval(*args, ctx); });
}

}  // namespace keyaccount::cli
