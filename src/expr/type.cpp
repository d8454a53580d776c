#include "keyaccount/expr/type.hpp"

#include <cctype>

namespace keyaccount::expr {

struct type::data {
  std::vector<type> params;  // list: [elem]; map: [key, value]
  std::string name;          // object or type parameter name
  std::vector<field> fields;
};

namespace {
const type& dyn_type() {
  static const type t;
  return t;
}
const std::string& empty_string() {
  static const std::string s;
  return s;
}
const std::vector<type::field>& no_fields() {
  static const std::vector<type::field> f;
  return f;
}
}  // namespace

type type::list(type elem) {
  type t(type_kind::list);
  auto d = std::make_shared<data>();
  d->params.push_back(std::move(elem));
  t.data_ = std::move(d);
  return t;
}

type type::map(type key, type value) {
  type t(type_kind::map);
  auto d = std::make_shared<data>();
  d->params.push_back(std::move(key));
  d->params.push_back(std::move(value));
  t.data_ = std::move(d);
  return t;
}

type type::object(std::string name, std::vector<std::pair<std::string, type>> fields) {
  type t(type_kind::object);
  auto d = std::make_shared<data>();
  d->name = std::move(name);
  for (auto& [n, ft] : fields) {
    d->fields.push_back(field{std::move(n), std::make_shared<const type>(std::move(ft))});
  }
  t.data_ = std::move(d);
  return t;
}

type type::param(std::string name) {
  type t(type_kind::param);
  auto d = std::make_shared<data>();
  d->name = std::move(name);
  t.data_ = std::move(d);
  return t;
}

const type& type::elem() const noexcept {
  return kind_ == type_kind::list ? data_->params[0] : dyn_type();
}
const type& type::key() const noexcept {
  return kind_ == type_kind::map ? data_->params[0] : dyn_type();
}
const type& type::value() const noexcept {
  return kind_ == type_kind::map ? data_->params[1] : dyn_type();
}
const std::string& type::name() const noexcept { return data_ ? data_->name : empty_string(); }
const std::vector<type::field>& type::fields() const noexcept {
  return data_ ? data_->fields : no_fields();
}
const type* type::find_field(std::string_view name) const noexcept {
  for (const auto& f : fields()) {
    if (f.name == name) return f.field_type.get();
  }
  return nullptr;
}

std::string type::to_string() const {
  switch (kind_) {
    case type_kind::dyn:
      return "dyn";
    case type_kind::null:
      return "null_type";
    case type_kind::boolean:
      return "bool";
    case type_kind::int64:
      return "int";
    case type_kind::float64:
      return "double";
    case type_kind::string:
      return "string";
    case type_kind::date:
      return "date";
    case type_kind::list:
      return "list(" + elem().to_string() + ")";
    case type_kind::map:
      return "map(" + key().to_string() + ", " + value().to_string() + ")";
    case type_kind::object:
      return name();
    case type_kind::param:
      return name();
    case type_kind::error:
      return "*error*";
  }
  return "?";
}

bool operator==(const type& a, const type& b) noexcept {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case type_kind::list:
      return a.elem() == b.elem();
    case type_kind::map:
      return a.key() == b.key() && a.value() == b.value();
    case type_kind::object:
    case type_kind::param:
      return a.name() == b.name();
    default:
      return true;
  }
}

namespace {
// Recursive-descent parser for type text; depth-limited so hostile input cannot exhaust the stack.
struct type_text_parser {
  std::string_view s;
  std::size_t pos = 0;
  int depth = 0;

  void skip() {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
  }
  bool eat(char c) {
    skip();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  std::string_view word() {
    skip();
    std::size_t start = pos;
    while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '_'))
      ++pos;
    return s.substr(start, pos - start);
  }
  std::optional<type> parse() {
    if (++depth > 32) return {};
    auto w = word();
    std::optional<type> result;
    if (w == "dyn" || w == "any")
      result = type::dyn();
    else if (w == "null" || w == "null_type")
      result = type::null();
    else if (w == "bool")
      result = type::boolean();
    else if (w == "int")
      result = type::int64();
    else if (w == "double" || w == "number")
      result = type::float64();
    else if (w == "string")
      result = type::string();
    else if (w == "date")
      result = type::date();
    else if (w == "list") {
      if (!eat('(')) return {};
      auto e = parse();
      if (!e || !eat(')')) return {};
      result = type::list(*e);
    } else if (w == "map") {
      if (!eat('(')) return {};
      auto k = parse();
      if (!k || !eat(',')) return {};
      auto v = parse();
      if (!v || !eat(')')) return {};
      result = type::map(*k, *v);
    }
    --depth;
    return result;
  }
};
}  // namespace

std::optional<type> type::parse(std::string_view text) {
  type_text_parser p{text};
  auto t = p.parse();
  p.skip();
  if (!t || p.pos != text.size()) return {};
  return t;
}

}  // namespace keyaccount::expr
