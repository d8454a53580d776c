#pragma once
// Columnar evaluation kernels (internal): the columnar form of an evaluation plan. Each kernel
// computes one plan node for a chunk of rows into a lane; a row the kernel cannot establish is
// left unknown, and unknowns propagate exactly as CEL errors would (absorbed by a decisive
// `&&`/`||` operand), so that a known result always equals the row-at-a-time result.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keyaccount/expr/ast.hpp"
#include "keyaccount/expr/columns.hpp"
#include "nodes.hpp"

namespace keyaccount::expr::detail {

/// What a kernel's lane holds.
enum class lane_kind : std::uint8_t {
  boolean,  ///< `flag`
  number,   ///< `num`: CEL ints (within ±2^53) and doubles, both exactly as doubles
  date,     ///< `i32`: days since 1970-01-01
  text,     ///< `i32`: codes into the kernel's `texts()`
  series    ///< `ptr`/`len`: a list of doubles
};

/// A kernel's results for one chunk of rows. Lives on the evaluating thread's stack.
struct lane {
  static constexpr std::size_t n = vector_program::chunk;
  std::array<std::uint8_t, n> known;  ///< 1: the row's value is below; 0: undecided
  std::array<std::uint8_t, n> flag;
  std::array<double, n> num;
  std::array<std::int32_t, n> i32;
  /// Series: ptr[i], len[i] address readable memory in every row, known or not, so that loops
  /// may run over unknown rows too (their results are ignored) instead of branching.
  std::array<const double*, n> ptr;
  std::array<std::uint32_t, n> len;
};

class vector_kernel {
 public:
  explicit vector_kernel(lane_kind k) : kind_(k) {}
  virtual ~vector_kernel() = default;
  vector_kernel(const vector_kernel&) = delete;
  vector_kernel& operator=(const vector_kernel&) = delete;

  [[nodiscard]] lane_kind kind() const noexcept { return kind_; }
  /// Text kernels: the strings their codes stand for.
  [[nodiscard]] virtual const std::vector<std::string>* texts() const noexcept { return nullptr; }
  /// Number kernels of a constant: the constant.
  [[nodiscard]] virtual const double* constant_number() const noexcept { return nullptr; }
  /// Date kernels of a constant: the constant, as days since 1970-01-01.
  [[nodiscard]] virtual const std::int32_t* constant_date() const noexcept { return nullptr; }
  /// Count kernels (`trailing`) whose result is only compared with `>= cap`: they may stop
  /// counting at cap. Returns whether this kernel does.
  virtual bool cap_count(std::uint32_t) noexcept { return false; }
  /// Number kernels: `this OP c` for a constant c (OP as vector_relation's `relation`) as a
  /// cheaper kernel of this one's inputs, or nullptr when there is none. A kernel returned has
  /// taken those inputs over: this one is then empty and must be discarded.
  virtual std::unique_ptr<vector_kernel> compared_with(int /*relation*/, double /*c*/) {
    return nullptr;
  }
  /// Fills out.known[0, count) and the values of the known rows for rows first + i. Rows with
  /// need[i] == 0 (need may be null: every row) may be skipped and left unknown: costly kernels
  /// (comprehensions) skip them, as the interpreter's short circuit would.
  virtual void eval(std::size_t first, std::size_t count, const std::uint8_t* need,
                    lane& out) const = 0;

 private:
  lane_kind kind_;
};

/// Context while building kernels from a plan.
class vector_builder {
 public:
  vector_builder(const column_bindings& columns, std::uint64_t max_iterations)
      : columns_(columns), max_iterations_(max_iterations) {}
  [[nodiscard]] const column_bindings& columns() const noexcept { return columns_; }
  /// Comprehension kernels register here; finish() gives each its share of the budget.
  void add_comprehension(class comprehension_kernel* k) { comprehensions_.push_back(k); }
  /// How many comprehensions the program runs per row (its cost, roughly).
  [[nodiscard]] std::size_t comprehensions() const noexcept { return comprehensions_.size(); }
  void finish();

 private:
  const column_bindings& columns_;
  std::uint64_t max_iterations_;
  std::vector<class comprehension_kernel*> comprehensions_;
};

// Factories used by the plan nodes' vectorize(). Each returns nullptr when its inputs have no
// columnar form (then neither has the program).
kernel_ptr vector_constant(const value& v);
kernel_ptr vector_variable(const vector_builder& b, std::uint32_t slot);
/// relation: 0 `<`, 1 `<=`, 2 `>`, 3 `>=`, 4 `==`, 5 `!=`.
kernel_ptr vector_relation(int relation, kernel_ptr a, kernel_ptr b);
kernel_ptr vector_logic(bool is_and, kernel_ptr a, kernel_ptr b);
kernel_ptr vector_not(kernel_ptr a);
/// `x in list` for a constant list.
kernel_ptr vector_in(kernel_ptr x, const value& list);
kernel_ptr vector_size(kernel_ptr series);
/// `series.last(k)` for a constant k.
kernel_ptr vector_last(kernel_ptr series, const value& k);
kernel_ptr vector_months_between(kernel_ptr from, kernel_ptr to);
kernel_ptr vector_comprehension(vector_builder& b, macro_kind macro, kernel_ptr range,
                                const element_test& test);

}  // namespace keyaccount::expr::detail
