#include "policy_option.hpp"

#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "diagnostic_format.hpp"
#include "input_file.hpp"
#include "keyaccount/policy/in_force.hpp"
#include "keyaccount/policy/loader.hpp"

namespace keyaccount::cli {

std::optional<policy> load_policy_option(const std::string& path, context& ctx) {
  if (path.empty()) return default_policy();
  std::ifstream in;
  if (!open_input_file(path, "policy file", in, ctx.err)) {
    ctx.exit_code = exit_usage;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  load_result result = load_policy(text.str());
  if (result.value) return std::move(result.value);
  for (const auto& d : result.diagnostics) print_text(ctx.err, path, text.str(), d);
  ctx.err << path << ": the policy has errors; run `keyaccount validate " << path
          << "` for the full report\n";
  ctx.exit_code = exit_failure;
  return std::nullopt;
}

void warn_if_not_in_force(const policy& p, date as_of, std::string_view command, context& ctx) {
  if (auto late = check_in_force(p, as_of))
    ctx.err << "keyaccount " << command << ": warning[" << not_in_force::code
            << "]: " << late->message << "; proceeding anyway\n";
}

}  // namespace keyaccount::cli
