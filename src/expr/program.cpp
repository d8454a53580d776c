#include "keyaccount/expr/program.hpp"

#include <array>
#include <stdexcept>

#include "keyaccount/expr/declarations.hpp"
#include "program_data.hpp"

namespace keyaccount::expr {

// ---- activation ------------------------------------------------------------------------------

activation::activation(const declarations& decls) {
  auto names = std::make_shared<std::vector<std::string>>();
  for (const auto& v : decls.variables()) names->push_back(v.name);
  values_.resize(names->size());
  bound_.resize(names->size(), 0);
  names_ = std::move(names);
}

activation::activation(const program& p) {
  // The activation may outlive the program: it keeps its own copy of the names.
  names_ = std::make_shared<const std::vector<std::string>>(p.variable_names());
  values_.resize(names_->size());
  bound_.resize(names_->size(), 0);
}

void activation::set(std::size_t slot, value v) {
  if (slot >= values_.size()) {
    throw std::out_of_range("activation has no slot " + std::to_string(slot));
  }
  values_[slot] = std::move(v);
  bound_[slot] = 1;
}

void activation::set(std::string_view name, value v) {
  if (names_) {
    for (std::size_t i = 0; i < names_->size(); ++i) {
      if ((*names_)[i] == name) return set(i, std::move(v));
    }
  }
  throw std::out_of_range("no variable named '" + std::string(name) + "' is declared");
}

void activation::clear() noexcept {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    values_[i] = value();
    bound_[i] = 0;
  }
}

// ---- program ---------------------------------------------------------------------------------

const type& program::result_type() const noexcept { return data_->result_type; }
const std::vector<std::string>& program::variable_names() const noexcept {
  return *data_->variable_names;
}
const std::string& program::source() const noexcept { return data_->source; }

std::optional<std::size_t> program::slot_of(std::string_view name) const noexcept {
  const auto& names = *data_->variable_names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  return {};
}

value program::evaluate(const activation& vars) const {
  detail::eval_context ctx;
  ctx.vars = &vars;
  ctx.iterations_left = data_->max_iterations;
  ctx.max_regex_program_size = data_->max_regex_program_size;
  // Comprehension variables live on this thread's stack when few (the usual case), so that
  // evaluation does not allocate and programs stay shareable.
  constexpr std::size_t inline_locals = 8;
  if (data_->local_slots == 0) return data_->root->eval(ctx);
  if (data_->local_slots <= inline_locals) {
    std::array<value, inline_locals> locals;
    ctx.locals = locals.data();
    return data_->root->eval(ctx);
  }
  std::vector<value> locals(data_->local_slots);
  ctx.locals = locals.data();
  return data_->root->eval(ctx);
}

}  // namespace keyaccount::expr
