#include "keyaccount/policy/expressions.hpp"

#include <cmath>

namespace keyaccount {
namespace {

std::vector<std::pair<std::string, expr::type>> field_types(const std::vector<field>& fields) {
  std::vector<std::pair<std::string, expr::type>> out;
  out.reserve(fields.size());
  for (const auto& f : fields) out.emplace_back(f.id, cel_type_of(f));
  return out;
}

}  // namespace

expr::type cel_type_of(const field& f) {
  switch (f.type) {
    case field_type::number:
      return expr::type::float64();
    case field_type::integer:
      return expr::type::int64();
    case field_type::boolean:
      return expr::type::boolean();
    case field_type::date_:
      return expr::type::date();
    case field_type::series:
      return expr::type::list(expr::type::float64());
    case field_type::string_list:
      return expr::type::list(expr::type::string());
    case field_type::object:
      return expr::type::object(f.id, field_types(f.fields));
    case field_type::string_:
    case field_type::enumeration:
    case field_type::person:
      return expr::type::string();
  }
  return expr::type::dyn();
}

expr::value parameters_value(const policy& p) {
  std::vector<std::pair<std::string, expr::value>> fields;
  fields.reserve(p.parameters.size());
  for (const auto& param : p.parameters) {
    // The loader refuses an int parameter past 2^53 in magnitude, so the cast is defined.
    fields.emplace_back(
        param.id, param.type == field_type::integer && std::abs(param.value) <= 9007199254740992.0
                      ? expr::value::int64(static_cast<std::int64_t>(param.value))
                      : expr::value::float64(param.value));
  }
  return expr::value::object("params", std::move(fields));
}

expr::declarations customer_declarations(const policy& p) {
  expr::declarations decls;
  for (const auto& f : p.customers.fields) decls.add_variable(f.id, cel_type_of(f));
  decls.add_variable("as_of", expr::type::date());
  decls.add_constant("params", parameters_value(p));
  return decls;
}

expr::declarations request_declarations(const policy& p, const workflow& w) {
  expr::declarations decls;
  decls.add_variable("request", expr::type::object("request", field_types(w.request_fields)));
  decls.add_constant("params", parameters_value(p));
  return decls;
}

}  // namespace keyaccount
