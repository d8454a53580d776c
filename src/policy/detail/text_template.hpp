#pragma once
// Internal: an explanation's message template ("needs {gap} more months above
// {params.monthly_shipment_min} 万元") split into literal text and `{...}` placeholders. One
// splitter serves both the validator, which reports a broken template where it is in the policy
// file, and the classifier, which compiles the placeholders; so a template the validator accepts
// is one the classifier can compile.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyaccount::detail {

/// One piece of a template: literal text, or the text between `{` and `}` (a CEL expression, or
/// `gap` for the distance to the target).
struct template_piece {
  bool placeholder = false;
  std::string text;
  std::size_t offset = 0;  ///< byte offset of `text` in the template
};

/// A template split into pieces, or where it is broken.
struct split_template_result {
  std::vector<template_piece> pieces;
  /// Byte offset of a `{` that has no `}` after it, when the template is broken.
  std::optional<std::size_t> unclosed_at;
};

/// Splits `text` at `{...}` placeholders. A placeholder ends at the first `}` after its `{`.
[[nodiscard]] split_template_result split_template(std::string_view text);

/// Whether a placeholder's text is only spaces (nothing to compile or show).
[[nodiscard]] bool blank_placeholder(std::string_view text) noexcept;

}  // namespace keyaccount::detail
