#include "policy/detail/load_context.hpp"

#include "core/suggest.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/json/parse.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace keyaccount::detail {

void load_context::add(severity level, std::string code, std::string message, std::string pointer,
                       bool at_key) {
  diagnostic d{level, std::move(code), std::move(message), std::move(pointer), 0, 0};
  if (at_key) {
    if (auto at = doc_.key_position(d.pointer)) {
      d.line = at->line;
      d.column = at->column;
    }
  }
  doc_.locate(d);
  diagnostics_.push_back(std::move(d));
}

void load_context::error(std::string code, std::string message, std::string pointer) {
  add(severity::error, std::move(code), std::move(message), std::move(pointer), false);
}
void load_context::warning(std::string code, std::string message, std::string pointer) {
  add(severity::warning, std::move(code), std::move(message), std::move(pointer), false);
}
void load_context::error_at(std::string code, std::string message, std::string pointer,
                            const text_position& at) {
  diagnostics_.push_back(diagnostic{severity::error, std::move(code), std::move(message),
                                    std::move(pointer), at.line, at.column});
}

void load_context::error_at_key(std::string code, std::string message, std::string pointer) {
  add(severity::error, std::move(code), std::move(message), std::move(pointer), true);
}

std::string describe_type(const nlohmann::json& value) {
  // A policy's diagnostics tell an integer from a fraction (an `int` parameter given 2.5 reads
  // "found a number"); every other kind is worded as every reader words it.
  if (value.is_number_integer()) return "an integer";
  return kind_of(value);
}

bool is_blank(const nlohmann::json& value) {
  if (value.is_null()) return true;
  if (!value.is_string()) return false;
  const auto& s = value.get_ref<const std::string&>();
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c == '_'; });
}

std::string_view name_placeholder(std::string_view text) {
  // The characters a template writes for "some company": X, × (U+00D7) and Ｘ (U+FF38).
  auto mark_at = [&](std::size_t i) -> std::size_t {
    if (text[i] == 'X') return 1;
    if (text.substr(i, 2) == "\xC3\x97") return 2;
    if (text.substr(i, 3) == "\xEF\xBC\xB8") return 3;
    return 0;
  };
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i, marks = 0;
    while (end < text.size()) {
      const std::size_t n = mark_at(end);
      if (n == 0) break;
      end += n;
      ++marks;
    }
    if (marks == 0) {
      ++i;
      continue;
    }
    const bool inside_word = (i > 0 && word(text[i - 1])) || (end < text.size() && word(text[end]));
    if (marks >= 2 && !inside_word) return text.substr(i, end - i);
    i = end;
  }
  return {};
}

object_reader::object_reader(load_context& ctx, const nlohmann::json* value, std::string pointer)
    : ctx_(ctx), object_(value), pointer_(std::move(pointer)) {
  if (object_ != nullptr && !object_->is_object()) {
    wrong_type(pointer_, "an object", *object_);
    object_ = nullptr;
  }
}

void object_reader::wrong_type(const std::string& pointer, std::string_view expected,
                               const nlohmann::json& actual) {
  ctx_.error("wrong_type", "expected " + std::string(expected) + ", found " + describe_type(actual),
             pointer);
}

const nlohmann::json* object_reader::member(std::string_view key, bool required) {
  asked_.emplace_back(key);
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end()) {
    if (required) {
      ctx_.error("missing_field", "missing required field `" + std::string(key) + "`", pointer_);
    }
    return nullptr;
  }
  return &*it;
}

std::string object_reader::text(std::string_view key, bool required) {
  const nlohmann::json* v = member(key, required);
  if (v == nullptr) return {};
  if (!v->is_string()) {
    wrong_type(pointer_of(key), "a string", *v);
    return {};
  }
  if (is_blank(*v)) {
    ctx_.warning("unfilled_field",
                 "`" + std::string(key) + "` is still the template's blank \"____\"; fill it in",
                 pointer_of(key));
  } else {
    warn_placeholder(key, v->get_ref<const std::string&>());
  }
  return v->get<std::string>();
}

void object_reader::warn_placeholder(std::string_view key, const std::string& text) {
  const std::string_view mark = name_placeholder(text);
  if (mark.empty()) return;
  ctx_.warning("unfilled_field",
               "`" + std::string(key) + "` still holds the template's placeholder \"" +
                   std::string(mark) + "\" (in \"" + text +
                   "\"); write the company's name in its place",
               pointer_of(key));
}

std::optional<std::string> object_reader::optional_text(std::string_view key) {
  const nlohmann::json* v = member(key, false);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    wrong_type(pointer_of(key), "a string or null", *v);
    return std::nullopt;
  }
  warn_placeholder(key, v->get_ref<const std::string&>());
  return v->get<std::string>();
}

localized_name object_reader::name(bool required) {
  localized_name n;
  n.en = text("name", required);
  n.zh = text("name_zh", false);
  return n;
}

int object_reader::integer(std::string_view key, bool required, int min, int max, int fallback) {
  const nlohmann::json* v = member(key, required);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer()) {
    wrong_type(pointer_of(key), "an integer", *v);
    return fallback;
  }
  // An unsigned value beyond int64 would wrap round to a negative number: compare (and quote)
  // it as written.
  bool fits = !v->is_number_unsigned() ||
              v->get<std::uint64_t>() <=
                  static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::int64_t value = fits ? v->get<std::int64_t>() : 0;
  if (!fits || value < min || value > max) {
    ctx_.error("out_of_range",
               "`" + std::string(key) + "` is " + v->dump() + ", outside " + std::to_string(min) +
                   ".." + std::to_string(max),
               pointer_of(key));
    return fallback;
  }
  return static_cast<int>(value);
}

double object_reader::number(std::string_view key, bool required, double min, double fallback) {
  const nlohmann::json* v = member(key, required);
  if (v == nullptr) return fallback;
  if (!v->is_number()) {
    wrong_type(pointer_of(key), "a number", *v);
    return fallback;
  }
  double value = v->get<double>();
  if (!std::isfinite(value) || value < min) {
    ctx_.error("out_of_range", "`" + std::string(key) + "` must be at least " + std::to_string(min),
               pointer_of(key));
    return fallback;
  }
  return value;
}

bool object_reader::boolean(std::string_view key, bool fallback) {
  const nlohmann::json* v = member(key, false);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) {
    wrong_type(pointer_of(key), "true or false", *v);
    return fallback;
  }
  return v->get<bool>();
}

std::optional<date> object_reader::date_value(std::string_view key, bool required) {
  const nlohmann::json* v = member(key, required);
  if (v == nullptr) return std::nullopt;
  if (is_blank(*v) && v->is_string()) {
    ctx_.error("unfilled_field", "`" + std::string(key) + "` is still the template's blank",
               pointer_of(key));
    return std::nullopt;
  }
  if (!v->is_string()) {
    wrong_type(pointer_of(key), "a date string \"YYYY-MM-DD\"", *v);
    return std::nullopt;
  }
  auto parsed = date::parse(v->get_ref<const std::string&>());
  if (!parsed) {
    ctx_.error("invalid_date", field_check::not_a_date(v->get<std::string>()), pointer_of(key));
  }
  return parsed;
}

std::optional<month_day> object_reader::month_day_value(std::string_view key, bool required) {
  const nlohmann::json* v = member(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    wrong_type(pointer_of(key), "a day of the year \"MM-DD\"", *v);
    return std::nullopt;
  }
  auto parsed = month_day::parse(v->get_ref<const std::string&>());
  if (!parsed) {
    ctx_.error("invalid_date",
               "\"" + v->get<std::string>() + "\" is not a valid day of the year \"MM-DD\"",
               pointer_of(key));
  }
  return parsed;
}

std::vector<std::string> object_reader::text_list(std::string_view key, bool required) {
  std::vector<std::string> out;
  for_each(key, required, [&](const nlohmann::json& item, const std::string& p, std::size_t) {
    if (!item.is_string()) {
      wrong_type(p, "a string", item);
      return;
    }
    out.push_back(item.get<std::string>());
  });
  return out;
}

std::string object_reader::one_of(std::string_view key, bool required,
                                  std::initializer_list<std::string_view> allowed,
                                  std::string fallback) {
  const nlohmann::json* v = member(key, required);
  if (v == nullptr) return fallback;
  if (!v->is_string()) {
    wrong_type(pointer_of(key), "a string", *v);
    return fallback;
  }
  const auto& s = v->get_ref<const std::string&>();
  std::vector<std::string> options(allowed.begin(), allowed.end());
  if (std::find(options.begin(), options.end(), s) != options.end()) return s;
  std::string list;
  for (const auto& o : options) list += (list.empty() ? "" : ", ") + o;
  ctx_.error("invalid_value",
             "`" + std::string(key) + "` is \"" + s + "\"; expected one of " + list +
                 did_you_mean(s, options),
             pointer_of(key));
  return fallback;
}

void object_reader::finish() {
  if (finished_) return;
  finished_ = true;
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    if (std::find(asked_.begin(), asked_.end(), key) != asked_.end()) continue;
    if (key == "$schema" || key == "$comment" || key.rfind("x-", 0) == 0) continue;
    ctx_.error_at_key("unknown_field",
                      "unknown field `" + key + "`" + did_you_mean(key, asked_) +
                          "; extensions go in fields named x-...",
                      pointer_of(key));
  }
}

}  // namespace keyaccount::detail
