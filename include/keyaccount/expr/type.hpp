#pragma once
/// \file
/// CEL types as the checker sees them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyaccount::expr {

/// The kinds of type the checker knows. `param` is a type parameter in an overload signature
/// (e.g. the `A` of `size(list(A))`); `error` marks a subexpression that already failed to check.
enum class type_kind : std::uint8_t {
  dyn,
  null,
  boolean,
  int64,
  float64,
  string,
  date,
  list,
  map,
  object,
  param,
  error,
};

/// A CEL type with value semantics: dyn, null, bool, int, double, string, date (extension),
/// list(elem), map(key, value), named object types with declared fields, and type parameters.
/// Immutable once built; copies share their parameters. Safe to share between threads.
class type {
 public:
  /// One declared field of an object type.
  struct field {
    std::string name;
    std::shared_ptr<const type> field_type;
  };

  /// dyn.
  type() noexcept = default;

  static type dyn() { return type(type_kind::dyn); }
  static type null() { return type(type_kind::null); }
  static type boolean() { return type(type_kind::boolean); }
  static type int64() { return type(type_kind::int64); }
  static type float64() { return type(type_kind::float64); }
  static type string() { return type(type_kind::string); }
  static type date() { return type(type_kind::date); }
  static type error() { return type(type_kind::error); }
  static type list(type elem);
  static type map(type key, type value);
  /// A struct-like object type named `name` with the given fields (order is kept).
  static type object(std::string name, std::vector<std::pair<std::string, type>> fields);
  static type param(std::string name);

  /// Parses type text: `dyn`, `null`, `bool`, `int`, `double`, `string`, `date`, `list(T)`,
  /// `map(K, V)`. Returns nothing on malformed text. (Object types are declared in code.)
  static std::optional<type> parse(std::string_view text);

  type_kind kind() const noexcept { return kind_; }
  bool is_dyn() const noexcept { return kind_ == type_kind::dyn; }
  /// Element type of a list; dyn for other kinds.
  const type& elem() const noexcept;
  /// Key / value type of a map; dyn for other kinds.
  const type& key() const noexcept;
  const type& value() const noexcept;
  /// Name of an object type or of a type parameter; empty otherwise.
  const std::string& name() const noexcept;
  /// Declared fields of an object type (empty for other kinds).
  const std::vector<field>& fields() const noexcept;
  /// The type of field `name` of an object type, or nullptr when it has none.
  const type* find_field(std::string_view name) const noexcept;

  /// CEL spelling: `int`, `list(double)`, `map(string, int)`, the object's name, ...
  std::string to_string() const;

  friend bool operator==(const type& a, const type& b) noexcept;

 private:
  struct data;
  explicit type(type_kind k) noexcept : kind_(k) {}
  type_kind kind_ = type_kind::dyn;
  std::shared_ptr<const data> data_;
};

}  // namespace keyaccount::expr
