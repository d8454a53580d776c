#include "keyaccount/expr/compiler.hpp"

#include "keyaccount/expr/checker.hpp"
#include "keyaccount/expr/parser.hpp"
#include "keyaccount/expr/planner.hpp"

namespace keyaccount::expr {

compile_result compile(std::string_view source, const declarations& decls,
                       const compile_options& options) {
  compile_result result;
  parse_result parsed = parse(source, options);
  if (!parsed.ast) {
    result.diagnostics = std::move(parsed.diagnostics);
    return result;
  }
  std::vector<std::string> implicit;
  result.diagnostics = check(*parsed.ast, decls, options, implicit);
  if (!result.diagnostics.empty()) return result;
  result.program = plan(*parsed.ast, decls, options, implicit);
  return result;
}

}  // namespace keyaccount::expr
