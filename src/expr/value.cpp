#include "keyaccount/expr/value.hpp"

#include <charconv>
#include <cmath>
#include <functional>

#include "map_data.hpp"
#include "number_format.hpp"

namespace keyaccount::expr {

std::string_view to_string(value_kind k) noexcept {
  switch (k) {
    case value_kind::null:
      return "null_type";
    case value_kind::boolean:
      return "bool";
    case value_kind::int64:
      return "int";
    case value_kind::float64:
      return "double";
    case value_kind::string:
      return "string";
    case value_kind::list:
      return "list";
    case value_kind::map:
      return "map";
    case value_kind::date:
      return "date";
    case value_kind::object:
      return "object";
    case value_kind::error:
      return "error";
  }
  return "?";
}

namespace detail {

constexpr std::size_t index_threshold = 16;

std::size_t key_hash(const value& key) noexcept {
  switch (key.kind()) {
    case value_kind::boolean:
      return std::hash<bool>{}(key.as_bool());
    case value_kind::int64:
      return std::hash<std::int64_t>{}(key.as_int());
    case value_kind::float64: {
      double d = key.as_double();
      if (d == std::trunc(d) && d >= -9.2e18 && d <= 9.2e18) {
        return std::hash<std::int64_t>{}(static_cast<std::int64_t>(d));
      }
      return std::hash<double>{}(d);
    }
    case value_kind::string:
      return std::hash<std::string_view>{}(key.as_string());
    default:
      return 0;
  }
}

void map_data::build_index() {
  if (entries.size() <= index_threshold) return;
  index.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) index.emplace(key_hash(entries[i].first), i);
}

const value* map_data::find(const value& key) const noexcept {
  if (index.empty()) {
    for (const auto& e : entries) {
      if (equals(e.first, key)) return &e.second;
    }
    return nullptr;
  }
  auto [lo, hi] = index.equal_range(key_hash(key));
  for (auto it = lo; it != hi; ++it) {
    if (equals(entries[it->second].first, key)) return &entries[it->second].second;
  }
  return nullptr;
}

const value* map_data::find_string(std::string_view key) const noexcept {
  return find(value::borrowed_string(key));
}

}  // namespace detail

// ---- list_view -------------------------------------------------------------------------------

value list_view::operator[](std::size_t i) const noexcept {
  switch (storage_) {
    case storage::doubles:
      return value::float64(static_cast<const double*>(data_)[i]);
    case storage::ints:
      return value::int64(static_cast<const std::int64_t*>(data_)[i]);
    case storage::values:
      break;
  }
  return static_cast<const value*>(data_)[i];
}
std::span<const value> list_view::values() const noexcept {
  if (storage_ != storage::values) return {};
  return {static_cast<const value*>(data_), size_};
}
std::span<const double> list_view::doubles() const noexcept {
  if (storage_ != storage::doubles) return {};
  return {static_cast<const double*>(data_), size_};
}
std::span<const std::int64_t> list_view::ints() const noexcept {
  if (storage_ != storage::ints) return {};
  return {static_cast<const std::int64_t*>(data_), size_};
}

// ---- factories -------------------------------------------------------------------------------

value value::boolean(bool b) noexcept {
  value v;
  v.kind_ = value_kind::boolean;
  v.payload_.i = 0;
  v.payload_.b = b;
  return v;
}
value value::int64(std::int64_t i) noexcept {
  value v;
  v.kind_ = value_kind::int64;
  v.payload_.i = i;
  return v;
}
value value::float64(double d) noexcept {
  value v;
  v.kind_ = value_kind::float64;
  v.payload_.d = d;
  return v;
}
value value::string(std::string s) {
  auto owned = std::make_shared<const std::string>(std::move(s));
  value v = borrowed_string(*owned);
  v.owner_ = std::move(owned);
  return v;
}
value value::borrowed_string(std::string_view s) noexcept {
  value v;
  v.kind_ = value_kind::string;
  v.payload_.span = {s.data(), s.size()};
  return v;
}
value value::list(std::vector<value> elements) {
  auto owned = std::make_shared<const std::vector<value>>(std::move(elements));
  value v = borrowed_list(*owned);
  v.owner_ = std::move(owned);
  return v;
}
value value::borrowed_list(std::span<const value> elements) noexcept {
  value v;
  v.kind_ = value_kind::list;
  v.storage_ = list_view::storage::values;
  v.payload_.span = {elements.data(), elements.size()};
  return v;
}
value value::double_list(std::vector<double> elements) {
  auto owned = std::make_shared<const std::vector<double>>(std::move(elements));
  value v = borrowed_doubles(*owned);
  v.owner_ = std::move(owned);
  return v;
}
value value::borrowed_doubles(std::span<const double> elements) noexcept {
  value v;
  v.kind_ = value_kind::list;
  v.storage_ = list_view::storage::doubles;
  v.payload_.span = {elements.data(), elements.size()};
  return v;
}
value value::int_list(std::vector<std::int64_t> elements) {
  auto owned = std::make_shared<const std::vector<std::int64_t>>(std::move(elements));
  value v = borrowed_ints(*owned);
  v.owner_ = std::move(owned);
  return v;
}
value value::borrowed_ints(std::span<const std::int64_t> elements) noexcept {
  value v;
  v.kind_ = value_kind::list;
  v.storage_ = list_view::storage::ints;
  v.payload_.span = {elements.data(), elements.size()};
  return v;
}
value value::map(std::vector<map_entry> entries) {
  auto data = std::make_shared<detail::map_data>();
  data->entries.reserve(entries.size());
  for (auto& e : entries) {
    if (e.first.is_error()) return e.first;
    if (e.second.is_error()) return e.second;
    auto k = e.first.kind();
    if (k != value_kind::boolean && k != value_kind::int64 && k != value_kind::string) {
      return error("unsupported map key type: " + std::string(to_string(k)));
    }
    data->entries.push_back(std::move(e));
  }
  data->build_index();
  // Duplicates are checked after indexing so large literal maps stay O(n).
  for (std::size_t i = 0; i < data->entries.size(); ++i) {
    const value* found = data->find(data->entries[i].first);
    if (found != &data->entries[i].second) {
      return error("repeated key in map: " + data->entries[i].first.debug_string());
    }
  }
  value v;
  v.kind_ = value_kind::map;
  v.payload_.ptr = data.get();
  v.owner_ = std::move(data);
  return v;
}
value value::object(std::string type_name, std::vector<std::pair<std::string, value>> fields) {
  auto data = std::make_shared<detail::map_data>();
  data->type_name = std::move(type_name);
  data->entries.reserve(fields.size());
  for (auto& [name, v] : fields) data->entries.emplace_back(value::string(name), std::move(v));
  data->build_index();
  value v;
  v.kind_ = value_kind::object;
  v.payload_.ptr = data.get();
  v.owner_ = std::move(data);
  return v;
}
value value::from_date(expr::date d) noexcept {
  value v;
  v.kind_ = value_kind::date;
  v.payload_.i = 0;
  v.payload_.days = d.days_since_epoch();
  return v;
}
value value::error(std::string message) {
  auto owned = std::make_shared<const std::string>(std::move(message));
  value v;
  v.kind_ = value_kind::error;
  v.payload_.ptr = owned.get();
  v.owner_ = std::move(owned);
  return v;
}

// ---- accessors -------------------------------------------------------------------------------

list_view value::as_list() const noexcept {
  list_view l;
  l.data_ = payload_.span.data;
  l.size_ = payload_.span.size;
  l.storage_ = storage_;
  return l;
}

std::string_view value::error_message() const noexcept {
  return *static_cast<const std::string*>(payload_.ptr);
}

std::span<const value::map_entry> value::entries() const noexcept {
  if (kind_ != value_kind::map && kind_ != value_kind::object) return {};
  return static_cast<const detail::map_data*>(payload_.ptr)->entries;
}

const value* value::find(const value& key) const noexcept {
  if (kind_ != value_kind::map && kind_ != value_kind::object) return nullptr;
  return static_cast<const detail::map_data*>(payload_.ptr)->find(key);
}

const value* value::find_field(std::string_view name) const noexcept {
  if (kind_ != value_kind::map && kind_ != value_kind::object) return nullptr;
  return static_cast<const detail::map_data*>(payload_.ptr)->find_string(name);
}

std::string_view value::object_type_name() const noexcept {
  if (kind_ != value_kind::object) return {};
  return static_cast<const detail::map_data*>(payload_.ptr)->type_name;
}

value value::sliced(std::size_t offset, std::size_t count) const noexcept {
  value v = *this;
  std::size_t elem_size = storage_ == list_view::storage::values    ? sizeof(value)
                          : storage_ == list_view::storage::doubles ? sizeof(double)
                                                                    : sizeof(std::int64_t);
  v.payload_.span.data = static_cast<const char*>(payload_.span.data) + offset * elem_size;
  v.payload_.span.size = count;
  return v;
}

value slice_list(const value& list, std::size_t offset, std::size_t count) noexcept {
  return list.sliced(offset, count);
}

value value::to_owned() const {
  switch (kind_) {
    case value_kind::string:
      return owner_ ? *this : value::string(std::string(as_string()));
    case value_kind::list: {
      auto l = as_list();
      switch (l.storage_kind()) {
        case list_view::storage::doubles:
          return value::double_list({l.doubles().begin(), l.doubles().end()});
        case list_view::storage::ints:
          return value::int_list({l.ints().begin(), l.ints().end()});
        case list_view::storage::values: {
          std::vector<value> out;
          out.reserve(l.size());
          for (const auto& e : l.values()) out.push_back(e.to_owned());
          return value::list(std::move(out));
        }
      }
      return *this;
    }
    case value_kind::map:
    case value_kind::object: {
      // Entries of maps are always owned copies of what was put in, unless borrowed strings or
      // lists were put in; rebuild only then.
      bool all_owned = true;
      for (const auto& e : entries()) {
        if ((e.first.is_string() || e.first.is_list() || e.second.is_string() ||
             e.second.is_list()) &&
            (!e.first.owner_ || !e.second.owner_)) {
          all_owned = false;
        }
      }
      if (all_owned) return *this;
      if (kind_ == value_kind::object) {
        std::vector<std::pair<std::string, value>> fields;
        for (const auto& e : entries())
          fields.emplace_back(std::string(e.first.as_string()), e.second.to_owned());
        return value::object(std::string(object_type_name()), std::move(fields));
      }
      std::vector<map_entry> out;
      for (const auto& e : entries()) out.emplace_back(e.first.to_owned(), e.second.to_owned());
      return value::map(std::move(out));
    }
    default:
      return *this;
  }
}

namespace {
void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  out += '"';
}
}  // namespace

std::string value::debug_string() const {
  switch (kind_) {
    case value_kind::null:
      return "null";
    case value_kind::boolean:
      return as_bool() ? "true" : "false";
    case value_kind::int64:
      return std::to_string(as_int());
    case value_kind::float64:
      return detail::format_double(as_double());
    case value_kind::string: {
      std::string out;
      append_quoted(out, as_string());
      return out;
    }
    case value_kind::date:
      return "date(\"" + as_date().to_string() + "\")";
    case value_kind::error:
      return "error(" + std::string(error_message()) + ")";
    case value_kind::list: {
      std::string out = "[";
      auto l = as_list();
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (i) out += ", ";
        out += l[i].debug_string();
      }
      return out + "]";
    }
    case value_kind::map:
    case value_kind::object: {
      std::string out = kind_ == value_kind::object ? std::string(object_type_name()) + "{" : "{";
      bool first = true;
      for (const auto& [k, v] : entries()) {
        if (!first) out += ", ";
        first = false;
        out += k.debug_string() + ": " + v.debug_string();
      }
      return out + "}";
    }
  }
  return "?";
}

// ---- equality --------------------------------------------------------------------------------

bool equals(const value& a, const value& b) noexcept {
  if (a.kind() != b.kind()) {
    // Heterogeneous numeric equality: compare as doubles (the spec's reference behaviour).
    if (a.is_int() && b.is_double()) return static_cast<double>(a.as_int()) == b.as_double();
    if (a.is_double() && b.is_int()) return a.as_double() == static_cast<double>(b.as_int());
    return false;
  }
  switch (a.kind()) {
    case value_kind::null:
      return true;
    case value_kind::boolean:
      return a.as_bool() == b.as_bool();
    case value_kind::int64:
      return a.as_int() == b.as_int();
    case value_kind::float64:
      return a.as_double() == b.as_double();
    case value_kind::string:
      return a.as_string() == b.as_string();
    case value_kind::date:
      return a.as_date() == b.as_date();
    case value_kind::error:
      return false;
    case value_kind::list: {
      auto la = a.as_list();
      auto lb = b.as_list();
      if (la.size() != lb.size()) return false;
      for (std::size_t i = 0; i < la.size(); ++i) {
        if (!equals(la[i], lb[i])) return false;
      }
      return true;
    }
    case value_kind::object:
      if (a.object_type_name() != b.object_type_name()) return false;
      [[fallthrough]];
    case value_kind::map: {
      auto ea = a.entries();
      if (ea.size() != b.entries().size()) return false;
      for (const auto& [k, v] : ea) {
        const value* other = b.find(k);
        if (!other || !equals(v, *other)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace keyaccount::expr
