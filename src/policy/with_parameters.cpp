// with_parameters: a policy with new parameter values, loaded and validated again. In the loading
// layer (it runs the loader), apart from the content hash in identity.cpp, which the classify
// layer uses for provenance.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/suggest.hpp"
#include "keyaccount/policy/loader.hpp"

namespace keyaccount {

policy with_parameters(const policy& p, const std::map<std::string, double>& values) {
  if (p.canonical_text.empty())
    throw std::invalid_argument("with_parameters: the policy was not loaded (no canonical form)");
  nlohmann::json document = nlohmann::json::parse(p.canonical_text);
  auto& params = document["parameters"];
  std::vector<std::string> ids;
  for (const auto& param : p.parameters) ids.push_back(param.id);
  std::vector<diagnostic> problems;
  for (const auto& [name, value] : values) {
    auto it = std::find(ids.begin(), ids.end(), name);
    if (it == ids.end()) {
      problems.push_back(
          diagnostic{severity::error, "unknown_parameter",
                     "the policy has no parameter `" + name + "`" + detail::did_you_mean(name, ids),
                     "/parameters", 0, 0});
      continue;
    }
    auto index = static_cast<std::size_t>(it - ids.begin());
    if (!std::isfinite(value)) {
      problems.push_back(diagnostic{severity::error, "parameter_out_of_range",
                                    "parameter `" + name + "` must be a finite number",
                                    "/parameters/" + std::to_string(index) + "/value", 0, 0});
      continue;
    }
    if (p.parameters[index].type == field_type::integer && std::trunc(value) != value) {
      problems.push_back(diagnostic{severity::error, "wrong_type",
                                    "parameter `" + name + "` is an int; " +
                                        nlohmann::json(value).dump() + " is not a whole number",
                                    "/parameters/" + std::to_string(index) + "/value", 0, 0});
      continue;
    }
    // A whole value of an `int` parameter is written as an integer; any other stays a number,
    // which the loader refuses for an `int` parameter (wrong_type, naming it).
    auto& slot = params.at(index)["value"];
    if (p.parameters[index].type == field_type::integer && std::trunc(value) == value &&
        std::abs(value) <= 9007199254740992.0)
      slot = static_cast<std::int64_t>(value);
    else
      slot = value;
  }
  if (!problems.empty()) throw policy_error(std::move(problems));
  load_result result = load_policy(document.dump());
  if (!result.value) {
    // The text was made here, one line: the JSON pointer is the place to show.
    for (auto& d : result.diagnostics) d.line = d.column = 0;
    throw policy_error(std::move(result.diagnostics));
  }
  return std::move(*result.value);
}

}  // namespace keyaccount
