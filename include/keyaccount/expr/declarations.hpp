#pragma once
/// \file
/// The names an expression may use: typed variables and named constants.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr {

/// The environment expressions are compiled against. Variables get slots in declaration order,
/// so every program compiled from the same declarations reads the same activation layout (bind a
/// customer once, evaluate many programs). Constants are folded into programs.
/// Not synchronised: build it on one thread, then share it read-only.
class declarations {
 public:
  struct variable {
    std::string name;
    expr::type var_type;
  };
  struct constant {
    std::string name;
    expr::type const_type;
    value const_value;
  };

  /// Declares variable `name`; returns its slot. Throws std::invalid_argument when the name is
  /// already declared or is not an identifier.
  std::size_t add_variable(std::string name, type var_type);
  /// Declares a named constant (e.g. the policy's `params` object), typed from its value.
  void add_constant(std::string name, value constant_value);
  /// Declares a named constant with an explicit type.
  void add_constant(std::string name, value constant_value, type constant_type);

  const std::vector<variable>& variables() const noexcept { return variables_; }
  const std::vector<constant>& constants() const noexcept { return constants_; }
  /// The slot of variable `name`, if declared.
  std::optional<std::size_t> slot_of(std::string_view name) const noexcept;
  const constant* find_constant(std::string_view name) const noexcept;

 private:
  void check_new_name(const std::string& name) const;
  std::vector<variable> variables_;
  std::vector<constant> constants_;
};

/// The type a value has (lists and maps of mixed element types are `list(dyn)`/`map(..., dyn)`;
/// objects get an object type with one field per present field).
type type_of(const value& v);

}  // namespace keyaccount::expr
