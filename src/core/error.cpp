#include "keyaccount/core/error.hpp"

#include <utility>

namespace keyaccount {

std::string_view to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::input:
      return "input";
    case error_kind::json:
      return "json";
    case error_kind::read:
      return "read";
    case error_kind::people:
      return "people";
    case error_kind::policy:
      return "policy";
    case error_kind::amend:
      return "amend";
    case error_kind::classifier:
      return "classifier";
    case error_kind::workflow_format:
      return "workflow_format";
    case error_kind::workflow_compile:
      return "workflow_compile";
    case error_kind::plan:
      return "plan";
    case error_kind::calendar:
      return "calendar";
    case error_kind::complaint:
      return "complaint";
    case error_kind::allocation:
      return "allocation";
    case error_kind::supply:
      return "supply";
  }
  return "input";
}

bool location::empty() const noexcept {
  return file.empty() && line == 0 && column == 0 && pointer.empty() && field.empty() && !row;
}

std::string location::to_string() const {
  std::string out;
  auto add = [&](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += ": ";
    out += part;
  };
  // The place in a text: FILE:LINE:COLUMN as compilers write it; without a file name, the
  // wording of the JSON and record readers ("line 4, column 2").
  std::string place = file;
  if (!file.empty()) {
    if (line) place += ':' + std::to_string(line);
    if (line && column) place += ':' + std::to_string(column);
  } else if (line) {
    place = "line " + std::to_string(line) + (column ? ", column " + std::to_string(column) : "");
  }
  add(place);
  add(pointer);
  if (row) add("row " + std::to_string(*row));
  add(field);
  return out;
}

namespace {
std::string located(const location& where, const std::string& message) {
  const std::string place = where.to_string();
  return place.empty() ? message : place + ": " + message;
}
}  // namespace

error::error(error_kind kind, location where, const std::string& message)
    : std::runtime_error(located(where, message)),
      kind_(kind),
      where_(std::move(where)),
      message_(message),
      problems_{std::string(what())} {}

error::error(error_kind kind, const std::string& what, std::vector<std::string> problems,
             location where)
    : std::runtime_error(what),
      kind_(kind),
      where_(std::move(where)),
      message_(what),
      problems_(std::move(problems)) {
  // Never empty: an error that gathered no problem is its own one problem.
  if (problems_.empty()) problems_.push_back(what);
}

std::string error::listing(std::string_view title, const std::vector<std::string>& problems) {
  std::string out(title);
  for (const auto& p : problems) out += "\n  " + p;
  return out;
}

}  // namespace keyaccount
