#pragma once
/// \file
/// Conversions between CEL values and JSON.

#include <nlohmann/json.hpp>

#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr {

/// JSON for a value: numbers, strings, booleans, null, arrays, objects (map keys as text),
/// dates as `"YYYY-MM-DD"`; non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
/// Throws std::invalid_argument for an error value.
nlohmann::json to_json(const value& v);

/// A value from JSON: integers become int (beyond int64: double), other numbers double,
/// arrays lists, objects maps with string keys.
value from_json(const nlohmann::json& j);

/// A value of type `t` from JSON: numbers widen to double where `t` says double, strings
/// become dates where it says date, objects become objects of an object type.
/// Throws std::invalid_argument when the JSON does not fit the type.
value from_json(const nlohmann::json& j, const type& t);

}  // namespace keyaccount::expr
