// Step conditions: the seam between the workflow engine and the CEL engine (keyaccount::expr).
#include "keyaccount/workflow/engine.hpp"

namespace keyaccount::workflows {

condition_compiler default_condition_compiler() {
  // The CEL engine is not part of this build yet: every condition compiles to one that refuses
  // to evaluate, saying why. A condition that cannot be evaluated must never silently pass.
  return [](std::string_view text, const workflow&, const policy&)
             -> std::variant<condition_fn, std::string> {
    std::string message = "the CEL engine is not available in this build, so `" +
                          std::string(text) + "` cannot be evaluated";
    return condition_fn([message](const nlohmann::json&) {
      return condition_value{std::nullopt, message};
    });
  };
}

}  // namespace keyaccount::workflows
