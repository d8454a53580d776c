// keyaccount schema [policy|tests]: prints a JSON Schema of keyaccount's input files, the one
// compiled into this build (schema/*.schema.json), for editors and other validators.
#include <memory>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "commands.hpp"

namespace keyaccount::cli {
namespace detail {
// Generated from schema/*.schema.json by cmake/embed_file.cmake (src/cli/CMakeLists.txt).
std::string_view policy_schema_text() noexcept;
std::string_view policy_tests_schema_text() noexcept;
}  // namespace detail

void add_schema_command(CLI::App& app, context& ctx) {
  auto which = std::make_shared<std::string>("policy");
  CLI::App* sub = app.add_subcommand(
      "schema",
      "Print the JSON Schema of policy files (policy, the default) or of policy test "
      "files (tests)");
  sub->add_option("which", *which, "policy or tests")->check(CLI::IsMember({"policy", "tests"}));
  sub->callback([which, &ctx] {
    // The schemas end with a newline already.
    ctx.out << (*which == "tests" ? detail::policy_tests_schema_text()
                                  : detail::policy_schema_text());
    ctx.out.flush();
    ctx.exit_code = exit_ok;
  });
}

}  // namespace keyaccount::cli
