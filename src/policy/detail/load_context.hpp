#pragma once
// Internal to the loader: collecting diagnostics, reading typed members of JSON objects, and
// the references to resolve once every declaration has been read.

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/core/date.hpp"
#include "keyaccount/policy/diagnostics.hpp"
#include "keyaccount/policy/model.hpp"
#include "keyaccount/policy/source_document.hpp"

namespace keyaccount::detail {

/// What kind of declaration a reference names (each has its own `undefined_<kind>` code).
enum class reference_kind {
  department,
  position,
  tier,
  workflow,
  field,
  article,
  criterion,
  parameter,
  festival
};

/// An id used somewhere that must be declared elsewhere.
struct reference {
  reference_kind kind;
  std::string id;
  std::string pointer;
};

/// Diagnostics and pending references of one load.
class load_context {
 public:
  load_context(const source_document& doc, std::vector<diagnostic>& diagnostics)
      : doc_(doc), diagnostics_(diagnostics) {}

  void error(std::string code, std::string message, std::string pointer);
  void warning(std::string code, std::string message, std::string pointer);
  /// Reports at the key of `pointer` (for unknown or duplicate members) rather than its value.
  void error_at_key(std::string code, std::string message, std::string pointer);
  /// Reports at an explicit position (inside an expression, say).
  void error_at(std::string code, std::string message, std::string pointer,
                const text_position& at);
  void refer(reference_kind kind, std::string id, std::string pointer) {
    references_.push_back(reference{kind, std::move(id), std::move(pointer)});
  }
  [[nodiscard]] const std::vector<reference>& references() const noexcept { return references_; }
  /// Whether an error has been reported so far (checks that need a sound policy skip then).
  [[nodiscard]] bool has_errors() const noexcept {
    return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
  }
  [[nodiscard]] const source_document& document() const noexcept { return doc_; }

 private:
  void add(severity level, std::string code, std::string message, std::string pointer, bool at_key);
  const source_document& doc_;
  std::vector<diagnostic>& diagnostics_;
  std::vector<reference> references_;
};

/// The name of a JSON value's type for messages: "a string", "an array", ...
[[nodiscard]] std::string describe_type(const nlohmann::json& value);

/// True for a template blank: null or a string of underscores such as "____".
[[nodiscard]] bool is_blank(const nlohmann::json& value);

/// The template's placeholder for a name in `text` ("XX" of "XX企业", "××", the full-width
/// "ＸＸ"): a run of two or more X, × or Ｘ that is not part of an ASCII word ("XXL", "MAX_X"
/// are not). Empty when there is none.
[[nodiscard]] std::string_view name_placeholder(std::string_view text);

/// Reads the members of one JSON object, reporting wrong types and missing members as it goes
/// and, in finish(), every member that no one asked for (unknown_field, with a suggestion).
class object_reader {
 public:
  /// Reports wrong_type when `value` is not an object; the reader then returns defaults.
  object_reader(load_context& ctx, const nlohmann::json* value, std::string pointer);
  object_reader(const object_reader&) = delete;
  object_reader& operator=(const object_reader&) = delete;

  [[nodiscard]] bool valid() const noexcept { return object_ != nullptr; }
  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  [[nodiscard]] std::string pointer_of(std::string_view key) const {
    return append_pointer(pointer_, key);
  }
  [[nodiscard]] load_context& context() const noexcept { return ctx_; }

  /// The member `key`, or nullptr when absent (missing_field when `required`).
  const nlohmann::json* member(std::string_view key, bool required);

  std::string text(std::string_view key, bool required);
  std::optional<std::string> optional_text(std::string_view key);
  /// An `unfilled_field` warning when `text` (the value of `key`) holds the template's
  /// placeholder for a name ("XX企业"): like a "____" blank, it must be filled in.
  void warn_placeholder(std::string_view key, const std::string& text);
  /// `name` + `name_zh` (both optional unless `required`, which requires `name`).
  localized_name name(bool required = false);
  /// An integer within [min, max]; `fallback` when absent or wrong.
  int integer(std::string_view key, bool required, int min, int max, int fallback);
  double number(std::string_view key, bool required, double min, double fallback);
  bool boolean(std::string_view key, bool fallback);
  std::optional<date> date_value(std::string_view key, bool required);
  std::optional<month_day> month_day_value(std::string_view key, bool required);
  std::vector<std::string> text_list(std::string_view key, bool required);
  /// A text member that must be one of `allowed`; `fallback` when absent or wrong.
  std::string one_of(std::string_view key, bool required,
                     std::initializer_list<std::string_view> allowed, std::string fallback);
  /// An array member, each element handed to `each(element, pointer, index)`.
  template <class F>
  void for_each(std::string_view key, bool required, F&& each) {
    const nlohmann::json* v = member(key, required);
    if (v == nullptr) return;
    std::string p = pointer_of(key);
    if (!v->is_array()) {
      wrong_type(p, "an array", *v);
      return;
    }
    for (std::size_t i = 0; i < v->size(); ++i) each((*v)[i], append_pointer(p, i), i);
  }

  /// Marks the members that extensions may use as known: "$schema", "$comment", "x-*".
  void finish();
  ~object_reader() { finish(); }

  void wrong_type(const std::string& pointer, std::string_view expected,
                  const nlohmann::json& actual);

 private:
  load_context& ctx_;
  const nlohmann::json* object_;
  std::string pointer_;
  std::vector<std::string> asked_;
  bool finished_ = false;
};

}  // namespace keyaccount::detail
