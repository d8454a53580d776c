#include "keyaccount/expr/json.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace keyaccount::expr {

using nlohmann::json;

json to_json(const value& v) {
  switch (v.kind()) {
    case value_kind::null:
      return nullptr;
    case value_kind::boolean:
      return v.as_bool();
    case value_kind::int64:
      return v.as_int();
    case value_kind::float64: {
      double d = v.as_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    case value_kind::string:
      return std::string(v.as_string());
    case value_kind::date:
      return v.as_date().to_string();
    case value_kind::list: {
      json out = json::array();
      auto l = v.as_list();
      for (std::size_t i = 0; i < l.size(); ++i) out.push_back(to_json(l[i]));
      return out;
    }
    case value_kind::map:
    case value_kind::object: {
      json out = json::object();
      for (const auto& [k, item] : v.entries()) {
        std::string key = k.is_string() ? std::string(k.as_string()) : k.debug_string();
        out[key] = to_json(item);
      }
      return out;
    }
    case value_kind::error:
      throw std::invalid_argument("an error value has no JSON form: " +
                                  std::string(v.error_message()));
  }
  return nullptr;
}

value from_json(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return value::null();
    case json::value_t::boolean:
      return value::boolean(j.get<bool>());
    case json::value_t::number_integer:
      return value::int64(j.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return value::int64(static_cast<std::int64_t>(u));
      }
      return value::float64(static_cast<double>(u));
    }
    case json::value_t::number_float:
      return value::float64(j.get<double>());
    case json::value_t::string:
      return value::string(j.get<std::string>());
    case json::value_t::array: {
      std::vector<value> out;
      out.reserve(j.size());
      for (const auto& e : j) out.push_back(from_json(e));
      return value::list(std::move(out));
    }
    case json::value_t::object: {
      std::vector<value::map_entry> out;
      for (const auto& [k, e] : j.items()) out.emplace_back(value::string(k), from_json(e));
      return value::map(std::move(out));
    }
    default:
      throw std::invalid_argument("unsupported JSON value: " + j.dump());
  }
}

namespace {
[[noreturn]] void mismatch(const json& j, const type& t) {
  std::string text = j.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  throw std::invalid_argument("JSON " + text + " is not a " + t.to_string());
}
}  // namespace

value from_json(const json& j, const type& t) {
  switch (t.kind()) {
    case type_kind::dyn:
    case type_kind::param:
    case type_kind::error:
      return from_json(j);
    case type_kind::null:
      if (!j.is_null()) mismatch(j, t);
      return value::null();
    case type_kind::boolean:
      if (!j.is_boolean()) mismatch(j, t);
      return value::boolean(j.get<bool>());
    case type_kind::int64: {
      if (j.is_number_integer() &&
          !(j.is_number_unsigned() &&
            j.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
        return value::int64(j.get<std::int64_t>());
      if (j.is_number_float()) {
        double d = j.get<double>();
        if (d == std::trunc(d) && std::abs(d) < 9.2e18)
          return value::int64(static_cast<std::int64_t>(d));
      }
      mismatch(j, t);
    }
    case type_kind::float64:
      if (j.is_number()) return value::float64(j.get<double>());
      if (j.is_string()) {
        auto s = j.get<std::string>();
        if (s == "NaN") return value::float64(std::numeric_limits<double>::quiet_NaN());
        if (s == "Infinity") return value::float64(std::numeric_limits<double>::infinity());
        if (s == "-Infinity") return value::float64(-std::numeric_limits<double>::infinity());
      }
      mismatch(j, t);
    case type_kind::string:
      if (!j.is_string()) mismatch(j, t);
      return value::string(j.get<std::string>());
    case type_kind::date: {
      if (!j.is_string()) mismatch(j, t);
      auto d = date::parse(j.get_ref<const std::string&>());
      if (!d) mismatch(j, t);
      return value::from_date(*d);
    }
    case type_kind::list: {
      if (!j.is_array()) mismatch(j, t);
      if (t.elem().kind() == type_kind::float64) {
        std::vector<double> out;
        out.reserve(j.size());
        for (const auto& e : j) out.push_back(from_json(e, t.elem()).as_double());
        return value::double_list(std::move(out));
      }
      std::vector<value> out;
      out.reserve(j.size());
      for (const auto& e : j) out.push_back(from_json(e, t.elem()));
      return value::list(std::move(out));
    }
    case type_kind::map: {
      if (!j.is_object()) mismatch(j, t);
      std::vector<value::map_entry> out;
      for (const auto& [k, e] : j.items())
        out.emplace_back(value::string(k), from_json(e, t.value()));
      return value::map(std::move(out));
    }
    case type_kind::object: {
      if (!j.is_object()) mismatch(j, t);
      std::vector<std::pair<std::string, value>> fields;
      for (const auto& [k, e] : j.items()) {
        const type* ft = t.find_field(k);
        if (!ft) throw std::invalid_argument(t.name() + " has no field '" + k + "'");
        fields.emplace_back(k, from_json(e, *ft));
      }
      return value::object(t.name(), std::move(fields));
    }
  }
  mismatch(j, t);
}

}  // namespace keyaccount::expr
