// keyaccount validate [--format text|json|github|sarif] [--strict] [FILE...]  (FILE `-`: stdin)
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "diagnostic_format.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"

namespace keyaccount::cli {
namespace {

struct validate_options {
  std::string format = "text";
  bool strict = false;
  std::vector<std::string> files;
};

struct file_report {
  std::string name;
  std::string text;
  std::vector<diagnostic> diagnostics;
  bool unreadable = false;
  bool from_file = true;  ///< false for standard input and the embedded policy
};

// `-`: the policy on standard input (an editor's buffer piped in, a generated policy), reported
// as <stdin>. Read only up to the size limit, so an endless stream costs no more memory than a
// file would.
file_report check_stdin() {
  file_report report{"<stdin>", {}, {}, false, false};
  const std::size_t limit = parse_limits{}.max_bytes;
  std::istreambuf_iterator<char> it(std::cin), end;
  while (it != end && report.text.size() <= limit) report.text.push_back(*it++);
  if (report.text.size() > limit) {
    report.text.clear();
    report.diagnostics.push_back(diagnostic{
        severity::error, "file_too_large",
        "standard input has more than the limit of " + std::to_string(limit) + " bytes", "", 1, 1});
    return report;
  }
  report.diagnostics = load_policy(report.text).diagnostics;
  return report;
}

file_report check_file(const std::string& name) {
  if (name == "-") return check_stdin();
  file_report report{name, {}, {}, false};
  std::error_code ec;
  // A directory or a device opens fine on some systems but is no policy: refuse it up front.
  bool regular = std::filesystem::is_regular_file(name, ec);
  std::ifstream in;
  if (regular) in.open(name, std::ios::binary);
  if (!regular || !in) {
    report.unreadable = true;
    report.diagnostics.push_back(diagnostic{severity::error, "unreadable_file",
                                            std::filesystem::is_directory(name, ec)
                                                ? "this is a directory, not a policy file"
                                                : "cannot read the file",
                                            "", 0, 0});
    return report;
  }
  // Oversized files are refused before they are read, so a huge file costs no memory.
  auto size = std::filesystem::file_size(name, ec);
  if (!ec && size > parse_limits{}.max_bytes) {
    report.diagnostics = load_policy_file(name).diagnostics;
    return report;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  report.text = buffer.str();
  report.diagnostics = load_policy(report.text).diagnostics;
  return report;
}

int run_validate(const validate_options& o, context& ctx) {
  std::vector<file_report> reports;
  if (o.files.empty()) {
    // No file: validate the embedded default policy.
    file_report r{"<default policy>", std::string(default_policy_text()), {}, false, false};
    r.diagnostics = load_policy(r.text).diagnostics;
    reports.push_back(std::move(r));
  }
  for (const auto& f : o.files) reports.push_back(check_file(f));

  bool failed = false;
  bool unreadable = false;
  nlohmann::json json_out = {{"files", nlohmann::json::array()}};
  for (const auto& r : reports) {
    bool errors = has_errors(r.diagnostics);
    bool warnings = r.diagnostics.size() > 0 && !errors;
    bool valid = !errors && !(o.strict && warnings);
    failed |= !valid;
    unreadable |= r.unreadable;
    if (o.format == "json") {
      nlohmann::json ds = nlohmann::json::array();
      for (const auto& d : r.diagnostics) ds.push_back(to_json(d));
      json_out["files"].push_back({{"file", r.name}, {"valid", valid}, {"diagnostics", ds}});
    } else if (o.format == "github") {
      for (const auto& d : r.diagnostics) print_github(ctx.out, r.name, d);
    } else if (o.format == "sarif") {
      // One log for every file, written below.
    } else {
      for (const auto& d : r.diagnostics) print_text(ctx.out, r.name, r.text, d);
      std::size_t e = 0, w = 0;
      for (const auto& d : r.diagnostics) (d.level == severity::error ? e : w)++;
      ctx.out << r.name << ": " << (valid ? "valid" : "invalid") << " (" << e << " error"
              << (e == 1 ? "" : "s") << ", " << w << " warning" << (w == 1 ? "" : "s") << ")\n";
    }
  }
  if (o.format == "json")
    ctx.out << json_out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (o.format == "sarif") {
    std::vector<sarif_input> inputs;
    for (const auto& r : reports) inputs.push_back({r.name, r.from_file, &r.diagnostics, r.text});
    ctx.out << to_sarif(inputs).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            << '\n';
  }
  if (unreadable) return exit_usage;
  return failed ? exit_failure : exit_ok;
}

}  // namespace

void add_validate_command(CLI::App& app, context& ctx) {
  auto options = std::make_shared<validate_options>();
  CLI::App* sub = app.add_subcommand(
      "validate", "Check policy files and report every problem (default: the embedded policy)");
  sub->add_option("--format", options->format,
                  "Output: text, json, github (annotations) or sarif (SARIF 2.1.0 log)")
      ->check(CLI::IsMember({"text", "json", "github", "sarif"}));
  sub->add_flag("--strict", options->strict, "Fail on warnings too");
  sub->add_option("files", options->files, "Policy files (JSON); - reads standard input");
  sub->callback([options, &ctx] { ctx.exit_code = run_validate(*options, ctx); });
}

}  // namespace keyaccount::cli
