#pragma once
/// \file
/// JSON forms of workflow instances and actions (the instance format is documented in
/// docs/workflows.md). `instance_from_json(to_json(i)) == i` for every instance, and
/// `to_json(instance_from_json(j)) == j` for every JSON the library wrote.
/// Free functions over values: thread-safe.

#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keyaccount/core/error.hpp"
#include "keyaccount/workflow/instance.hpp"

namespace keyaccount::workflows {

/// A JSON instance or action is malformed. `where()` is the JSON pointer of the offending
/// value (e.g. `/history/2/on`), or "line L, column C" for text that is not JSON at all, or ""
/// for JSON the reader refuses as a whole (nested too deep, a number past a double's range):
/// `where().pointer`, or `where().line` and `.column`. Kind `error_kind::workflow_format`.
class format_error : public error {
 public:
  format_error(location where, const std::string& problem)
      : error(error_kind::workflow_format, std::move(where), problem) {}
};

/// The JSON form of an instance (format version 1).
[[nodiscard]] nlohmann::json to_json(const instance& inst);
/// Reads an instance; throws `format_error` locating the first problem. Never crashes on
/// hostile input.
[[nodiscard]] instance instance_from_json(const nlohmann::json& j);
/// Parses JSON text, then reads it as an instance; throws `format_error`.
[[nodiscard]] instance instance_from_json_text(std::string_view text);

/// The JSON form of an action: `{"action": "approve", "actor": "fay", "on": "2026-01-05", ...}`
/// with optional `request_id`, `expected_version`, `step`, `comment`, `delegate_to`, `until`,
/// `request`.
[[nodiscard]] nlohmann::json to_json(const action& a);
/// Reads an action; throws `format_error`.
[[nodiscard]] action action_from_json(const nlohmann::json& j);

/// `{"kind": "not_authorized", "message": "..."}`.
[[nodiscard]] nlohmann::json to_json(const refusal& r);

}  // namespace keyaccount::workflows
