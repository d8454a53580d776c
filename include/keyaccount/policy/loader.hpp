#pragma once
/// \file
/// Loading a policy: JSON text → validated `policy` + diagnostics. Nothing downstream re-parses
/// JSON. Loading never throws for a bad policy: every problem becomes a diagnostic.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/diagnostics.hpp"
#include "keyaccount/policy/model.hpp"
#include "keyaccount/policy/source_document.hpp"

namespace keyaccount {

/// The format versions this library reads ("MAJOR.MINOR"; any 1.x).
inline constexpr std::string_view policy_format_version = "1.0";

/// Options of load_policy().
struct load_options {
  parse_limits limits;                       ///< bounds on the JSON input
  std::size_t max_expression_length = 4096;  ///< bytes of one CEL expression
};

/// The outcome of loading: the policy when there is no error, and every diagnostic found.
struct load_result {
  std::optional<policy> value;          ///< set when no diagnostic is an error
  std::vector<diagnostic> diagnostics;  ///< errors and warnings, in file order
  [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
};

/// Loads a policy from JSON text. Thread-safe (no shared state).
[[nodiscard]] load_result load_policy(std::string_view json_text, const load_options& = {});

/// Loads a policy file. An unreadable file gives one diagnostic with code `unreadable_file`.
[[nodiscard]] load_result load_policy_file(const std::filesystem::path& path,
                                           const load_options& = {});

/// The embedded default policy (the seed, policies/key-account-policy.json), loaded once.
/// Thread-safe. The default policy is tested to load without diagnostics.
[[nodiscard]] const policy& default_policy();

/// Thrown by the *_or_throw helpers: carries every diagnostic. Kind `error_kind::policy`; its
/// problems are the error diagnostics, each `PLACE: error[CODE]: message`.
class policy_error : public error {
 public:
  explicit policy_error(std::vector<diagnostic> diagnostics);
  [[nodiscard]] const std::vector<diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  policy_error(std::vector<std::string> problems, std::vector<diagnostic> diagnostics);
  std::vector<diagnostic> diagnostics_;
};

/// load_policy(), throwing policy_error when the policy has an error.
[[nodiscard]] policy load_policy_or_throw(std::string_view json_text, const load_options& = {});

/// A new policy: `p` with the parameters named in `values` set to the given values, loaded and
/// validated again like any policy text (ranges, whole numbers for `int` parameters), with its
/// own canonical form and content hash. Throws policy_error whose
/// diagnostics name each problem: `unknown_parameter` (with "did you mean") for a name the
/// policy does not have, `parameter_out_of_range` or `wrong_type` for a value it refuses; the
/// diagnostics carry JSON pointers into the policy (no line or column). Throws
/// std::invalid_argument when `p` was not produced by the loader (it has no canonical form).
[[nodiscard]] policy with_parameters(const policy& p, const std::map<std::string, double>& values);

}  // namespace keyaccount
