#pragma once
/// \file
/// Runtime values of CEL expressions, including error values.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyaccount/expr/date.hpp"

namespace keyaccount::expr {

/// The kinds of runtime value.
enum class value_kind : std::uint8_t {
  null,
  boolean,
  int64,
  float64,
  string,
  list,
  map,
  date,
  object,
  error,  ///< CEL semantics: an evaluation error is a value that flows through the expression
};

/// Spelling of a value kind, as in CEL type names (`int`, `double`, `list`, ...).
std::string_view to_string(value_kind k) noexcept;

class value;
namespace detail {
struct map_data;
}

/// A read-only view of a list value's elements. Lists are stored in one of three ways so that
/// caller-owned columnar data (a `std::span<const double>`) can be evaluated without copying.
/// Valid while the value it came from is alive; read-only, so any number of threads may use it.
class list_view {
 public:
  enum class storage : std::uint8_t { values, doubles, ints };

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  storage storage_kind() const noexcept { return storage_; }
  /// Element `i` (unchecked; `i < size()`).
  value operator[](std::size_t i) const noexcept;
  /// The underlying elements; each is empty unless storage_kind() matches.
  std::span<const value> values() const noexcept;
  std::span<const double> doubles() const noexcept;
  std::span<const std::int64_t> ints() const noexcept;

 private:
  friend class value;
  const void* data_ = nullptr;
  std::size_t size_ = 0;
  storage storage_ = storage::values;
};

/// A CEL value: null, bool, int, double, string, list, map, date, object or error.
///
/// Scalars are held inline. Strings, lists, maps, objects and error messages are either owned
/// (shared, immutable, reference counted: copying a value never copies its contents) or
/// *borrowed* from the caller (`borrowed_*` factories), in which case the caller keeps the data
/// alive while the value or anything derived from it is in use. A value is immutable; distinct
/// values may be used from different threads concurrently.
class value {
 public:
  using map_entry = std::pair<value, value>;

  /// null.
  value() noexcept { payload_.i = 0; }

  static value null() noexcept { return value(); }
  static value boolean(bool b) noexcept;
  static value int64(std::int64_t i) noexcept;
  static value float64(double d) noexcept;
  static value string(std::string s);
  /// A string that borrows `s`: no copy, the caller keeps it alive.
  static value borrowed_string(std::string_view s) noexcept;
  static value list(std::vector<value> elements);
  static value borrowed_list(std::span<const value> elements) noexcept;
  static value double_list(std::vector<double> elements);
  /// A list of doubles that borrows caller-owned memory (e.g. a column of a table).
  static value borrowed_doubles(std::span<const double> elements) noexcept;
  static value int_list(std::vector<std::int64_t> elements);
  static value borrowed_ints(std::span<const std::int64_t> elements) noexcept;
  /// A map. Keys must be bool, int or string; a repeated key or another key kind gives an
  /// error value (CEL semantics) rather than an exception.
  static value map(std::vector<map_entry> entries);
  /// An object of a declared object type: named fields, absent fields simply left out.
  static value object(std::string type_name, std::vector<std::pair<std::string, value>> fields);
  static value from_date(expr::date d) noexcept;
  /// An error value carrying `message`.
  static value error(std::string message);

  value_kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == value_kind::null; }
  bool is_bool() const noexcept { return kind_ == value_kind::boolean; }
  bool is_int() const noexcept { return kind_ == value_kind::int64; }
  bool is_double() const noexcept { return kind_ == value_kind::float64; }
  bool is_string() const noexcept { return kind_ == value_kind::string; }
  bool is_list() const noexcept { return kind_ == value_kind::list; }
  bool is_map() const noexcept { return kind_ == value_kind::map; }
  bool is_date() const noexcept { return kind_ == value_kind::date; }
  bool is_object() const noexcept { return kind_ == value_kind::object; }
  bool is_error() const noexcept { return kind_ == value_kind::error; }

  // Accessors: each requires the matching kind (unchecked, like std::optional::operator*).
  bool as_bool() const noexcept { return payload_.b; }
  std::int64_t as_int() const noexcept { return payload_.i; }
  double as_double() const noexcept { return payload_.d; }
  std::string_view as_string() const noexcept {
    return {static_cast<const char*>(payload_.span.data), payload_.span.size};
  }
  expr::date as_date() const noexcept { return expr::date::from_days(payload_.days); }
  list_view as_list() const noexcept;
  /// The message of an error value.
  std::string_view error_message() const noexcept;

  // Maps and objects (fields are string-keyed entries).
  /// Entries of a map or fields of an object, in insertion order.
  std::span<const map_entry> entries() const noexcept;
  /// The value at `key` in a map (CEL key equality: 1 and 1.0 find the same entry), or nullptr.
  const value* find(const value& key) const noexcept;
  /// The field `name` of an object or string key `name` of a map, or nullptr.
  const value* find_field(std::string_view name) const noexcept;
  /// The type name of an object value.
  std::string_view object_type_name() const noexcept;

  /// The same value with borrowed strings and lists copied, so that it owns all it refers to.
  value to_owned() const;

  /// Human-readable CEL-like text (`[1, 2.5, "a"]`, `date("2024-01-31")`), for messages.
  std::string debug_string() const;

 private:
  friend class list_view;
  value sliced(std::size_t offset, std::size_t count) const noexcept;
  friend value slice_list(const value& list, std::size_t offset, std::size_t count) noexcept;

  value_kind kind_ = value_kind::null;
  list_view::storage storage_ = list_view::storage::values;
  union payload {
    bool b;
    std::int64_t i;
    double d;
    std::int32_t days;
    struct {
      const void* data;
      std::size_t size;
    } span;
    const void* ptr;
  } payload_;
  // Keeps owned contents alive; null for scalars and borrowed data.
  std::shared_ptr<const void> owner_;
};

/// Elements [offset, offset + count) of a list value, sharing its storage (no copy).
value slice_list(const value& list, std::size_t offset, std::size_t count) noexcept;

/// CEL equality (`==`): numbers compare across int and double, NaN equals nothing, lists and
/// maps compare element-wise, values of different kinds are unequal.
bool equals(const value& a, const value& b) noexcept;

}  // namespace keyaccount::expr
