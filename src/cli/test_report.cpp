#include "test_report.hpp"

#include <cstdio>

namespace keyaccount::cli {
namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string s;
  for (const auto& x : xs) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string percent(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", p);
  return buffer;
}

// Text for XML attributes and character data. XML 1.0 has no place for control characters
// other than tab and line ends: they become U+FFFD.
std::string xml_escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (c < 0x20 || c == 0x7F)
          out += "\xEF\xBF\xBD";
        else
          out += ch;
    }
  }
  return out;
}

std::string coverage_line(const test_run& run) {
  return "coverage: " + percent(run.total.coverage_percent()) + " (" +
         std::to_string(run.total.covered) + " of " + std::to_string(run.total.criterion_count) +
         " criteria seen both met and not met)";
}

std::string threshold_message(const test_run& run) {
  return "coverage " + percent(run.total.coverage_percent()) + " is below the threshold of " +
         percent(*run.threshold);
}

}  // namespace

void print_test_text(const test_run& run, std::ostream& out) {
  for (const auto& f : run.files) {
    for (const auto& failure : f.report.failures) {
      out << f.file << ": FAIL: " << failure.name << '\n';
      for (const auto& m : failure.mismatches) out << "    " << m << '\n';
    }
    out << f.file << ": " << f.report.passed << " passed, " << f.report.failures.size()
        << " failed\n";
  }
  const auto& total = run.total;
  if (!total.unexercised.empty())
    out << "criteria no test exercised: " << join(total.unexercised) << '\n';
  if (!total.never_met.empty())
    out << "criteria never met in any test: " << join(total.never_met) << '\n';
  if (!total.never_unmet.empty())
    out << "criteria never unmet in any test: " << join(total.never_unmet) << '\n';
  if (total.unexercised.empty() && total.never_met.empty() && total.never_unmet.empty())
    out << "coverage: every criterion exercised, both met and not met\n";
  out << coverage_line(run) << '\n';
  if (run.below_threshold())
    out << "error[coverage_below_threshold]: " << threshold_message(run) << '\n';
  out << (run.ok() ? "PASS" : "FAIL") << ": " << run.passed << " passed, " << run.failed
      << " failed\n";
}

// JUnit XML as CI servers read it (Jenkins, GitLab, Azure, GitHub test reporters): a testsuite
// per file, a testcase per case, a failure listing expected against actual. The coverage is a
// property of every suite; a threshold it misses is a failing case of its own suite, so the CI's
// test view shows why the job failed.
void print_test_junit(const test_run& run, std::ostream& out) {
  const auto& t = run.total;
  const std::size_t tests = run.passed + run.failed + (run.threshold ? 1 : 0);
  const std::size_t failures = run.failed + (run.below_threshold() ? 1 : 0);
  char figure[32];
  std::snprintf(figure, sizeof figure, "%.1f", t.coverage_percent());
  auto properties = [&](std::ostream& o) {
    o << "    <properties>\n"
      << "      <property name=\"policy\" value=\"" << xml_escape(run.policy) << "\"/>\n"
      << "      <property name=\"coverage\" value=\"" << figure << "\"/>\n"
      << "      <property name=\"criteria\" value=\"" << t.criterion_count << "\"/>\n"
      << "      <property name=\"criteria_covered\" value=\"" << t.covered << "\"/>\n"
      << "    </properties>\n";
  };
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"keyaccount test\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"0\">\n";
  for (const auto& f : run.files) {
    out << "  <testsuite name=\"" << xml_escape(f.file) << "\" tests=\"" << f.report.cases.size()
        << "\" failures=\"" << f.report.failures.size() << "\" errors=\"0\" skipped=\"0\">\n";
    properties(out);
    for (const auto& c : f.report.cases) {
      out << "    <testcase name=\"" << xml_escape(c.name) << "\" classname=\""
          << xml_escape(f.file) << '"';
      if (c.mismatches.empty()) {
        out << "/>\n";
        continue;
      }
      out << ">\n      <failure type=\"mismatch\" message=\"" << xml_escape(c.mismatches.front())
          << "\">";
      for (std::size_t i = 0; i < c.mismatches.size(); ++i)
        out << (i ? "\n" : "") << xml_escape(c.mismatches[i]);
      out << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  if (run.threshold) {
    out << "  <testsuite name=\"coverage\" tests=\"1\" failures=\""
        << (run.below_threshold() ? 1 : 0) << "\" errors=\"0\" skipped=\"0\">\n";
    properties(out);
    out << "    <testcase name=\"coverage is at least " << xml_escape(percent(*run.threshold))
        << "\" classname=\"coverage\"";
    if (run.below_threshold()) {
      out << ">\n      <failure type=\"coverage_below_threshold\" message=\""
          << xml_escape(threshold_message(run)) << "\">" << xml_escape(coverage_line(run));
      if (!t.never_met.empty()) out << "\nnever met: " << xml_escape(join(t.never_met));
      if (!t.never_unmet.empty()) out << "\nnever unmet: " << xml_escape(join(t.never_unmet));
      out << "</failure>\n    </testcase>\n";
    } else {
      out << "/>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace keyaccount::cli
