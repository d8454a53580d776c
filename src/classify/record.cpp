#include "keyaccount/classify/record.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/utf8.hpp"
#include "expr/number_format.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/expr/date.hpp"
#include "keyaccount/json/parse.hpp"

namespace keyaccount {
namespace {

using nlohmann::json;

[[noreturn]] void wrong_type(const std::string& path, const char* expected, const json& j) {
  throw input_error(path, field_check::wrong_kind(expected, kind_of(j)));
}

expr::value date_value(std::string_view text, const std::string& path) {
  auto d = expr::date::parse(text);
  if (!d) throw input_error(path, field_check::not_a_date(text));
  return expr::value::from_date(*d);
}

expr::value enum_value(const field& f, std::string text, const std::string& path) {
  if (std::find(f.values.begin(), f.values.end(), text) == f.values.end()) {
    std::string allowed;
    for (const auto& v : f.values) allowed += (allowed.empty() ? "" : ", ") + v;
    throw input_error(path, "\"" + text + "\" is not one of " + allowed);
  }
  return expr::value::string(std::move(text));
}

// A number written with a fraction or exponent for an integer field: taken when it is whole
// (4.0 is 4, as a spreadsheet or pandas often writes an integer column), refused otherwise.
std::int64_t whole_number(double d, const std::string& shown, const std::string& path) {
  if (auto n = field_check::whole_number(d)) return *n;
  throw input_error(path, field_check::why_not_whole(d, shown));
}

double finite_number(double d, const std::string& path) {
  if (!std::isfinite(d)) throw input_error(path, field_check::not_finite());
  return d;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> items;
  if (text.empty()) return items;
  std::size_t start = 0;
  for (;;) {
    auto at = text.find(sep, start);
    items.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return items;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

expr::value field_value_from_json(const field& f, const json& j, const std::string& path) {
  switch (f.type) {
    case field_type::string_:
    case field_type::person:
      if (!j.is_string()) wrong_type(path, "a string", j);
      return expr::value::string(j.get<std::string>());
    case field_type::enumeration:
      if (!j.is_string()) wrong_type(path, "a string", j);
      return enum_value(f, j.get<std::string>(), path);
    case field_type::number:
      if (!j.is_number()) wrong_type(path, "a number", j);
      return expr::value::float64(finite_number(j.get<double>(), path));
    case field_type::integer:
      if (j.is_number_float())
        return expr::value::int64(
            whole_number(j.get<double>(), expr::detail::format_double(j.get<double>()), path));
      if (!j.is_number_integer()) wrong_type(path, "a whole number", j);
      // JSON keeps 2^63 .. 2^64-1 as unsigned: taken as int64 they would wrap to negatives.
      if (j.is_number_unsigned() &&
          j.get<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw input_error(path, field_check::beyond_int64(j.dump()));
      return expr::value::int64(j.get<std::int64_t>());
    case field_type::boolean:
      if (!j.is_boolean()) wrong_type(path, "true or false", j);
      return expr::value::boolean(j.get<bool>());
    case field_type::date_:
      if (!j.is_string()) throw input_error(path, field_check::not_a_date_kind(kind_of(j)));
      return date_value(j.get_ref<const std::string&>(), path);
    case field_type::series: {
      if (!j.is_array()) wrong_type(path, "an array of numbers", j);
      std::vector<double> xs;
      xs.reserve(j.size());
      for (std::size_t i = 0; i < j.size(); ++i) {
        std::string at = path + "[" + std::to_string(i) + "]";
        if (!j[i].is_number()) wrong_type(at, "a number", j[i]);
        xs.push_back(finite_number(j[i].get<double>(), at));
      }
      return expr::value::double_list(std::move(xs));
    }
    case field_type::string_list: {
      if (!j.is_array()) wrong_type(path, "an array of strings", j);
      std::vector<expr::value> xs;
      for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_string()) wrong_type(path + "[" + std::to_string(i) + "]", "a string", j[i]);
        xs.push_back(expr::value::string(j[i].get<std::string>()));
      }
      return expr::value::list(std::move(xs));
    }
    case field_type::object: {
      if (!j.is_object()) wrong_type(path, "an object", j);
      std::vector<std::pair<std::string, expr::value>> members;
      for (const auto& member : j.items()) {
        // Named, not a structured binding: the lambda below captures `key` (clang < 16 cannot
        // capture a structured binding).
        const std::string& key = member.key();
        const auto& item = member.value();
        auto it = std::find_if(f.fields.begin(), f.fields.end(),
                               [&](const field& sub) { return sub.id == key; });
        if (it == f.fields.end()) throw input_error(path + "." + key, "unknown field");
        if (item.is_null()) continue;
        members.emplace_back(key, field_value_from_json(*it, item, path + "." + key));
      }
      for (const auto& sub : f.fields) {
        if (!sub.required) continue;
        bool found = std::any_of(members.begin(), members.end(),
                                 [&](const auto& m) { return m.first == sub.id; });
        if (!found) throw input_error(path + "." + sub.id, field_check::missing_required());
      }
      return expr::value::object(f.id, std::move(members));
    }
  }
  throw input_error(path, "unsupported field type");
}

expr::value field_value_from_text(const field& f, std::string_view text, const std::string& path) {
  if (auto bad = detail::first_invalid_utf8(text))
    throw input_error(path, "not valid UTF-8 (byte " + std::to_string(*bad + 1) +
                                " of the cell): save the file as UTF-8");
  switch (f.type) {
    case field_type::string_:
    case field_type::person:
      return expr::value::string(std::string(text));
    case field_type::enumeration:
      return enum_value(f, std::string(trim(text)), path);
    case field_type::number: {
      auto d = expr::detail::parse_double(trim(text));
      if (!d) throw input_error(path, "\"" + std::string(text) + "\" is not a number");
      return expr::value::float64(finite_number(*d, path));
    }
    case field_type::integer: {
      auto t = trim(text);
      std::int64_t i = 0;
      auto r = std::from_chars(t.data(), t.data() + t.size(), i);
      if (r.ec == std::errc::result_out_of_range)
        throw input_error(path, field_check::beyond_int64(t));
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) {
        // "4.0" or "1e3": a decimal is read when it is a whole number.
        if (auto d = expr::detail::parse_double(t))
          return expr::value::int64(whole_number(*d, std::string(t), path));
        throw input_error(path, field_check::not_a_whole_number("\"" + std::string(text) + "\""));
      }
      return expr::value::int64(i);
    }
    case field_type::boolean: {
      auto t = trim(text);
      if (t == "true") return expr::value::boolean(true);
      if (t == "false") return expr::value::boolean(false);
      throw input_error(path, "\"" + std::string(text) + "\" is not true or false");
    }
    case field_type::date_:
      return date_value(trim(text), path);
    case field_type::series: {
      std::vector<double> xs;
      auto items = split(trim(text), ';');
      for (std::size_t i = 0; i < items.size(); ++i) {
        std::string at = path + "[" + std::to_string(i) + "]";
        auto d = expr::detail::parse_double(trim(items[i]));
        if (!d) throw input_error(at, "\"" + std::string(items[i]) + "\" is not a number");
        xs.push_back(finite_number(*d, at));
      }
      return expr::value::double_list(std::move(xs));
    }
    case field_type::string_list: {
      std::vector<expr::value> xs;
      for (auto item : split(text, ';')) xs.push_back(expr::value::string(std::string(trim(item))));
      return expr::value::list(std::move(xs));
    }
    case field_type::object: {
      json j;
      try {
        j = parse_json(text);
      } catch (const json_error& e) {
        throw input_error(path, std::string("expected a JSON object: ") + e.what());
      }
      return field_value_from_json(f, j, path);
    }
  }
  throw input_error(path, "unsupported field type");
}

record_parser::record_parser(const policy& p) : fields_(p.customers.fields) {
  id_slot_ = slot_of("id");
  if (id_slot_ && fields_[*id_slot_].type != field_type::string_) id_slot_.reset();
}

void record_parser::take_id(customer_record& r) const {
  if (!id_slot_ || !r.get(*id_slot_)) return;
  std::string_view id = r.get(*id_slot_)->as_string();
  // An empty id cannot tell a customer apart, nor name it in an error or a report.
  if (id.empty()) throw input_error(fields_[*id_slot_].id, field_check::empty_id());
  r.set_id(std::string(id));
}

std::optional<std::size_t> record_parser::slot_of(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].id == id) return i;
  return std::nullopt;
}

customer_record record_parser::from_json(const json& object) const {
  if (!object.is_object()) wrong_type("", "a JSON object (one customer)", object);
  customer_record r(fields_.size());
  for (const auto& [key, item] : object.items()) {
    auto slot = slot_of(key);
    if (!slot) throw input_error(key, "unknown field (not in the policy's customer schema)");
    if (item.is_null()) continue;
    r.set(*slot, field_value_from_json(fields_[*slot], item, key));
  }
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].required && !r.get(i))
      throw input_error(fields_[i].id, field_check::missing_required());
  take_id(r);
  return r;
}

customer_record record_parser::from_json_text(std::string_view text) const {
  json j;
  try {
    j = parse_json(text);
  } catch (const json_error& e) {
    throw input_error("", std::string("not valid JSON: ") + e.what());
  }
  return from_json(j);
}

std::vector<std::size_t> record_parser::map_columns(std::span<const std::string> header) const {
  std::vector<std::size_t> columns;
  std::vector<bool> seen(fields_.size());
  for (const auto& name : header) {
    auto slot = slot_of(trim(name));
    if (!slot) throw input_error(name, "unknown column (not in the policy's customer schema)");
    if (seen[*slot]) throw input_error(name, "column appears twice");
    seen[*slot] = true;
    columns.push_back(*slot);
  }
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].required && !seen[i])
      throw input_error(fields_[i].id, "required column is missing");
  return columns;
}

customer_record record_parser::from_text(std::span<const std::size_t> columns,
                                         std::span<const std::string> cells) const {
  if (cells.size() != columns.size())
    throw input_error("", "expected " + std::to_string(columns.size()) + " cells, got " +
                              std::to_string(cells.size()));
  customer_record r(fields_.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const field& f = fields_[columns[c]];
    // An empty cell is an absent value, except for a series or list (an empty list).
    if (cells[c].empty() && f.type != field_type::series && f.type != field_type::string_list)
      continue;
    r.set(columns[c], field_value_from_text(f, cells[c], f.id));
  }
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].required && !r.get(i))
      throw input_error(fields_[i].id, "required field is empty");
  take_id(r);
  return r;
}

std::string after_as_of_message(std::string_view value, std::string_view as_of) {
  return std::string(value) + " is after the as-of date " + std::string(as_of) +
         " (a fact cannot be dated after the day it is known on)";
}

namespace {

// The first date in `v` (the value of `path`) after `as_of`, with its path, searched through
// object members.
void check_value_not_after(const expr::value& v, const std::string& path, std::int32_t as_of) {
  if (v.is_date()) {
    if (v.as_date().days_since_epoch() > as_of)
      throw input_error(path, after_as_of_message(v.as_date().to_string(),
                                                  expr::date::from_days(as_of).to_string()));
  } else if (v.is_object()) {
    for (const auto& [key, member] : v.entries())
      if (key.is_string())
        check_value_not_after(member, path + "." + std::string(key.as_string()), as_of);
  }
}

}  // namespace

void check_dates_not_after(const customer_record& record, const std::vector<field>& fields,
                           std::int32_t as_of) {
  const std::size_t n = std::min(record.size(), fields.size());
  for (std::size_t i = 0; i < n; ++i) {
    const field& f = fields[i];
    if (f.type != field_type::date_ && f.type != field_type::object) continue;
    if (const expr::value* v = record.get(i)) check_value_not_after(*v, f.id, as_of);
  }
}

}  // namespace keyaccount
