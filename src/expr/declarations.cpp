#include "keyaccount/expr/declarations.hpp"

#include <stdexcept>

namespace keyaccount::expr {

namespace {
bool is_identifier(const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}
}  // namespace

void declarations::check_new_name(const std::string& name) const {
  if (!is_identifier(name)) {
    throw std::invalid_argument("not a CEL identifier: '" + name + "'");
  }
  if (slot_of(name) || find_constant(name)) {
    throw std::invalid_argument("'" + name + "' is already declared");
  }
}

std::size_t declarations::add_variable(std::string name, type var_type) {
  check_new_name(name);
  variables_.push_back(variable{std::move(name), std::move(var_type)});
  return variables_.size() - 1;
}

void declarations::add_constant(std::string name, value constant_value) {
  type t = type_of(constant_value);
  add_constant(std::move(name), std::move(constant_value), std::move(t));
}

void declarations::add_constant(std::string name, value constant_value, type constant_type) {
  check_new_name(name);
  if (constant_value.is_error()) {
    throw std::invalid_argument("constant '" + name + "' is an error value");
  }
  constants_.push_back(
      constant{std::move(name), std::move(constant_type), constant_value.to_owned()});
}

std::optional<std::size_t> declarations::slot_of(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < variables_.size(); ++i) {
    if (variables_[i].name == name) return i;
  }
  return {};
}

const declarations::constant* declarations::find_constant(std::string_view name) const noexcept {
  for (const auto& c : constants_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

namespace {
type join(const std::optional<type>& acc, const type& t) {
  if (!acc) return t;
  return *acc == t ? t : type::dyn();
}
}  // namespace

type type_of(const value& v) {
  switch (v.kind()) {
    case value_kind::null:
      return type::null();
    case value_kind::boolean:
      return type::boolean();
    case value_kind::int64:
      return type::int64();
    case value_kind::float64:
      return type::float64();
    case value_kind::string:
      return type::string();
    case value_kind::date:
      return type::date();
    case value_kind::error:
      return type::error();
    case value_kind::list: {
      auto l = v.as_list();
      if (l.storage_kind() == list_view::storage::doubles) return type::list(type::float64());
      if (l.storage_kind() == list_view::storage::ints) return type::list(type::int64());
      std::optional<type> elem;
      for (const auto& e : l.values()) elem = join(elem, type_of(e));
      return type::list(elem.value_or(type::dyn()));
    }
    case value_kind::map: {
      std::optional<type> k, val;
      for (const auto& [key, item] : v.entries()) {
        k = join(k, type_of(key));
        val = join(val, type_of(item));
      }
      return type::map(k.value_or(type::dyn()), val.value_or(type::dyn()));
    }
    case value_kind::object: {
      std::vector<std::pair<std::string, type>> fields;
      for (const auto& [key, item] : v.entries()) {
        fields.emplace_back(std::string(key.as_string()), type_of(item));
      }
      return type::object(std::string(v.object_type_name()), std::move(fields));
    }
  }
  return type::dyn();
}

}  // namespace keyaccount::expr
