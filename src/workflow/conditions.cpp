// Step conditions: the seam between the workflow engine and the CEL engine (keyaccount::expr).
// The engine only sees `condition_fn`; this file compiles the policy's CEL text into one, with
// the same declarations the validator type-checks against (request_declarations), so a policy
// that validates runs.
#include <algorithm>
#include <memory>

#include "keyaccount/expr/compiler.hpp"
#include "keyaccount/expr/json.hpp"
#include "keyaccount/policy/expressions.hpp"
#include "keyaccount/workflow/engine.hpp"

namespace keyaccount::workflows {

condition_compiler default_condition_compiler() {
  return [](std::string_view text, const workflow& definition,
            const policy& p) -> std::variant<condition_fn, std::string> {
    auto decls = std::make_shared<const expr::declarations>(request_declarations(p, definition));
    expr::compile_result compiled = expr::compile(text, *decls);
    if (!compiled.ok()) {
      std::string message;
      for (const auto& d : compiled.diagnostics) {
        if (!message.empty()) message += "; ";
        message += "column " + std::to_string(d.column) + ": " + d.message;
      }
      return message.empty() ? std::string("does not compile") : message;
    }
    auto slot = decls->slot_of("request");
    if (!slot) return std::string("no `request` variable declared");
    expr::type request_type = decls->variables()[*slot].var_type;
    return condition_fn([program = std::move(*compiled.program), decls, slot = *slot,
                         request_type](const nlohmann::json& request) {
      condition_value out;
      // Absent optional fields may arrive as null: CEL sees them as absent (has() is false).
      bool has_null =
          request.is_object() && std::any_of(request.begin(), request.end(),
                                             [](const nlohmann::json& v) { return v.is_null(); });
      nlohmann::json present;
      if (has_null) {
        present = nlohmann::json::object();
        for (const auto& [key, v] : request.items()) {
          if (!v.is_null()) present[key] = v;
        }
      }
      expr::activation vars(*decls);
      try {
        vars.set(slot, expr::from_json(has_null ? present : request, request_type));
      } catch (const std::exception& e) {
        out.error = std::string("the request does not fit its declared fields: ") + e.what();
        return out;
      }
      expr::value v = program.evaluate(vars);
      if (v.is_error()) {
        out.error = std::string(v.error_message());
      } else if (!v.is_bool()) {
        out.error = "it gave " + v.debug_string() + ", not true or false";
      } else {
        out.value = v.as_bool();
      }
      return out;
    });
  };
}

}  // namespace keyaccount::workflows
