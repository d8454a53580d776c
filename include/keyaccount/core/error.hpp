#pragma once
/// \file
/// The one error model of the library: every exception it throws for bad input or a refused
/// policy derives from `keyaccount::error`, which says what kind of error it is (`kind()`),
/// where it is (`where()`) and every problem found (`problems()`). Callers that only report an
/// error catch `keyaccount::error`; callers that branch catch the derived class or switch on the
/// kind. The Python package maps each kind to one exception class (bindings/python/
/// bind_errors.cpp, keyaccount/_errors.py; docs/errors.md lists them). In the core layer, below
/// everything, so that every layer can throw it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace keyaccount {

/// What kind of error an exception is: one value per exception class of the library, so a
/// translator (the Python binding) needs no list of classes.
enum class error_kind : std::uint8_t {
  input,             ///< a customer record or argument does not fit the schema (input_error)
  json,              ///< text that is not JSON, or JSON the reader refuses (json_error)
  read,              ///< an input file that cannot be read on (io::read_error)
  people,            ///< people who do not fit the organisation (org::input_error)
  policy,            ///< a policy with error diagnostics (policy_error)
  amend,             ///< an amendment refused (amend_error)
  classifier,        ///< criteria that do not compile into a classifier (classifier_error)
  workflow_format,   ///< a stored workflow instance or action malformed (workflows::format_error)
  workflow_compile,  ///< workflows that do not compile (workflows::compile_error)
  plan,              ///< accounts that cannot be planned (care::plan_error)
  calendar,          ///< an unusable festival calendar (care::calendar_error)
  complaint,         ///< complaints refused (care::complaint_error)
  allocation,        ///< allocation input refused (care::allocation_error)
  supply,            ///< supply-watch input refused (care::supply_error)
};

/// "input", "json", "read", "people", "policy", "amend", "classifier", "workflow_format",
/// "workflow_compile", "plan", "calendar", "complaint", "allocation", "supply".
[[nodiscard]] std::string_view to_string(error_kind k) noexcept;

/// Where an error is. Every part is optional (empty string, 0, or no row): a file reader knows
/// the file and line, a JSON reader a pointer, a record checker the field, a table reader the row.
struct location {
  std::string file{};     ///< a file name, as given
  std::size_t line{};     ///< 1-based; 0 when unknown
  std::size_t column{};   ///< 1-based; 0 when unknown
  std::string pointer{};  ///< a JSON pointer ("/history/2/on")
  std::string field{};    ///< a field of a record, with an index when it applies ("series[3]")
  std::optional<std::size_t> row{};  ///< a row of a table (0-based)

  /// Whether nothing is known.
  [[nodiscard]] bool empty() const noexcept;
  /// The one wording of a place, its known parts joined by ": " in this order:
  /// `FILE:LINE:COLUMN` (or `line L, column C` without a file), the pointer, `row N`, the field.
  /// "" when empty. Messages put it in front: `to_string() + ": " + message`.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const location&, const location&) = default;
};

/// The root of the library's exceptions. what() is the whole message, located; `problems()`
/// lists every problem found, each a message starting with its own place (a list of problems
/// for the errors that gather them, else what() alone: never empty).
class error : public std::runtime_error {
 public:
  /// One problem at `where`: what() and the only problem are `where.to_string(): message`
  /// (`message` alone when `where` is empty).
  error(error_kind kind, location where, const std::string& message);
  /// Several problems: what() is `what` (e.g. a title followed by the problems), `problems`
  /// each located by its text.
  error(error_kind kind, const std::string& what, std::vector<std::string> problems,
        location where = {});

  [[nodiscard]] error_kind kind() const noexcept { return kind_; }
  [[nodiscard]] const location& where() const noexcept { return where_; }
  /// The message without its place in front (what() of an error gathering problems).
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }

  /// `title` and then each problem on its own line, indented: the what() of the errors that
  /// gather problems ("invalid people\n  people[2].positions[0]: unknown position \"x\"").
  [[nodiscard]] static std::string listing(std::string_view title,
                                           const std::vector<std::string>& problems);

 private:
  error_kind kind_;
  location where_;
  std::string message_;
  std::vector<std::string> problems_;
};

}  // namespace keyaccount
