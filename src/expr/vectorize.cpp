// Columnar evaluation: column bindings, and building a program's kernel tree (columns.hpp).
#include <stdexcept>

#include "keyaccount/expr/columns.hpp"
#include "program_data.hpp"
#include "vector_kernels.hpp"

namespace keyaccount::expr {

void column_bindings::set_column(std::size_t slot, column_view c) {
  if (slot >= entries_.size())
    throw std::out_of_range("column bindings have no slot " + std::to_string(slot));
  entries_[slot] = {entry::kind::column, c, value()};
}

void column_bindings::set_value(std::size_t slot, value v) {
  if (slot >= entries_.size())
    throw std::out_of_range("column bindings have no slot " + std::to_string(slot));
  entries_[slot] = {entry::kind::scalar, column_view{}, std::move(v)};
}

const column_bindings::entry& column_bindings::at(std::size_t slot) const {
  if (slot >= entries_.size())
    throw std::out_of_range("column bindings have no slot " + std::to_string(slot));
  return entries_[slot];
}

vector_program::vector_program(std::shared_ptr<const detail::vector_kernel> root, std::size_t cost)
    : root_(std::move(root)), cost_(cost) {}

void vector_program::evaluate(std::size_t first, std::size_t count, std::uint8_t* out,
                              const std::uint8_t* need) const {
  if (count > chunk) throw std::invalid_argument("vector_program::evaluate: more rows than chunk");
  detail::lane l;
  root_->eval(first, count, need, l);
  for (std::size_t i = 0; i < count; ++i)  // known ? flag : 2, without a branch
    out[i] = static_cast<std::uint8_t>((l.flag[i] & l.known[i]) | ((l.known[i] ^ 1) << 1));
}

std::optional<vector_program> vectorize(const program& p, const column_bindings& columns) {
  detail::vector_builder b(columns, p.data_->max_iterations);
  detail::kernel_ptr root = p.data_->root->vectorize(b);
  if (!root || root->kind() != detail::lane_kind::boolean) return std::nullopt;
  b.finish();
  return vector_program(std::shared_ptr<const detail::vector_kernel>(std::move(root)),
                        b.comprehensions());
}

}  // namespace keyaccount::expr
