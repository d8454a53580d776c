#pragma once
/// \file
/// Pictures of a workflow definition (Mermaid flowchart or Graphviz DOT), optionally with an
/// instance's progress marked: approved steps green, the current step yellow, skipped steps
/// grey and dashed, the final state highlighted. Free functions: thread-safe.

#include <string>

#include "keyaccount/policy/model.hpp"
#include "keyaccount/workflow/instance.hpp"

namespace keyaccount::workflows {

/// The picture formats.
enum class graph_format { mermaid, dot };

/// Draws `definition`; when `progress` is given (an instance of that workflow), marks it.
[[nodiscard]] std::string draw(const workflow& definition, graph_format format,
                               const instance* progress = nullptr);

}  // namespace keyaccount::workflows
