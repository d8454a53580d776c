#pragma once
/// \file
/// Stage 4: a compiled, immutable expression, and the variable bindings it evaluates against.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr {

namespace detail {
struct program_data;
}
class declarations;
class program;
class column_bindings;
class vector_program;

/// Values bound to variables for one evaluation, by slot (fast) or by name. Slots follow the
/// declaration order of the `declarations` the programs were compiled with, so one activation
/// serves every program compiled from the same declarations.
/// Not synchronised: fill it on one thread; concurrent evaluations may then read it.
class activation {
 public:
  activation() = default;
  /// An activation with a slot for each variable of `decls`.
  explicit activation(const declarations& decls);
  /// An activation with a slot for each variable `p` reads (including the undeclared names an
  /// unchecked program looks up).
  explicit activation(const program& p);

  /// Binds the variable in `slot`. Throws std::out_of_range for a slot beyond size().
  void set(std::size_t slot, value v);
  /// Binds variable `name`. Throws std::out_of_range when no slot has that name.
  void set(std::string_view name, value v);
  /// Unbinds every variable (keeps the layout), e.g. before the next customer.
  void clear() noexcept;

  std::size_t size() const noexcept { return values_.size(); }
  /// The value in `slot`, or nullptr when unbound.
  const value* get(std::size_t slot) const noexcept {
    return slot < values_.size() && bound_[slot] ? &values_[slot] : nullptr;
  }

 private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::vector<value> values_;
  std::vector<unsigned char> bound_;
};

/// A compiled expression. Immutable and thread-safe: copies share the compiled plan (a copy
/// is a reference-count increment), and any number of threads may evaluate it at once.
class program {
 public:
  /// The type the checker inferred (dyn when unchecked).
  const type& result_type() const noexcept;
  /// Evaluates against `vars`. Never throws for bad data: problems are error values (see
  /// value::is_error). Allocation-free for scalar expressions over borrowed data.
  value evaluate(const activation& vars) const;
  /// Names of the variable slots this program reads, indexed by slot.
  const std::vector<std::string>& variable_names() const noexcept;
  /// The slot of variable `name`, if the program has one.
  std::optional<std::size_t> slot_of(std::string_view name) const noexcept;
  /// The source text it was compiled from.
  const std::string& source() const noexcept;

 private:
  friend program make_program(std::shared_ptr<const detail::program_data> data);
  friend std::optional<vector_program> vectorize(const program& p, const column_bindings& columns);
  std::shared_ptr<const detail::program_data> data_;
};

}  // namespace keyaccount::expr
