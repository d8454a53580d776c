// keyaccount schema [NAME]: prints a JSON Schema compiled into this build (schema/*.schema.json):
// of keyaccount's input files (policy, tests), for editors and other validators, and of the
// commands' JSON reports (validate-report, test-report, ...), for programs that read them.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"

namespace keyaccount::cli {
namespace detail {
// Generated from schema/*.schema.json by cmake/embed_file.cmake (src/cli/CMakeLists.txt).
std::string_view policy_schema_text() noexcept;
std::string_view policy_tests_schema_text() noexcept;
std::string_view validate_report_schema_text() noexcept;
std::string_view test_report_schema_text() noexcept;
std::string_view classify_record_schema_text() noexcept;
std::string_view plan_report_schema_text() noexcept;
std::string_view compliance_report_schema_text() noexcept;
std::string_view allocate_report_schema_text() noexcept;
std::string_view symposium_report_schema_text() noexcept;
std::string_view supply_report_schema_text() noexcept;
std::string_view diff_report_schema_text() noexcept;
}  // namespace detail

namespace {

using schema_text = std::string_view (*)() noexcept;

// NAME on the command line → the schema (schema/<file>.schema.json).
const std::vector<std::pair<std::string, schema_text>>& schemas() {
  static const std::vector<std::pair<std::string, schema_text>> table{
      {"policy", detail::policy_schema_text},
      {"tests", detail::policy_tests_schema_text},
      {"validate-report", detail::validate_report_schema_text},
      {"test-report", detail::test_report_schema_text},
      {"classify-record", detail::classify_record_schema_text},
      {"plan-report", detail::plan_report_schema_text},
      {"compliance-report", detail::compliance_report_schema_text},
      {"allocate-report", detail::allocate_report_schema_text},
      {"symposium-report", detail::symposium_report_schema_text},
      {"supply-report", detail::supply_report_schema_text},
      {"diff-report", detail::diff_report_schema_text},
  };
  return table;
}

}  // namespace

void add_schema_command(CLI::App& app, context& ctx) {
  auto which = std::make_shared<std::string>("policy");
  std::vector<std::string> names;
  std::string list;
  for (const auto& [name, text] : schemas()) {
    names.push_back(name);
    list += (list.empty() ? "" : ", ") + name;
  }
  CLI::App* sub = app.add_subcommand(
      "schema",
      "Print a JSON Schema: of policy files (policy, the default), of policy test files "
      "(tests), or of a command's JSON report (validate-report, test-report, ...)");
  sub->add_option("which", *which, list)->check(CLI::IsMember(names));
  sub->callback([which, &ctx] {
    // The schemas end with a newline already.
    for (const auto& [name, text] : schemas())
      if (name == *which) ctx.out << text();
    ctx.out.flush();
    ctx.exit_code = exit_ok;
  });
}

}  // namespace keyaccount::cli
