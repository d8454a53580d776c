#pragma once
/// \file
/// The bridge from a policy to the CEL engine: which variables and constants the policy's
/// expressions see. The validator type-checks with these declarations and every evaluator
/// (classifier, workflows) compiles with the same ones, so a policy that validates runs.

#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// The CEL type of a declared field: string → string, number → double, int → int, bool → bool,
/// date → date, enum → string, series → list(double), string_list → list(string),
/// person → string, object → an object type named after the field with its declared fields.
[[nodiscard]] expr::type cel_type_of(const field& f);

/// The policy's parameters as the object constant `params` (number → double, int → int).
[[nodiscard]] expr::value parameters_value(const policy& p);

/// For conditions over a customer (criteria and their explanations): one variable per customer
/// field, in schema order (so slot i is field i), then `as_of: date`; plus the constant `params`.
[[nodiscard]] expr::declarations customer_declarations(const policy& p);

/// The slot of `as_of` in customer_declarations(p): the number of customer fields.
[[nodiscard]] inline std::size_t as_of_slot(const policy& p) noexcept {
  return p.customers.fields.size();
}

/// For a workflow's step conditions: the variable `request` (an object with the workflow's
/// request fields) and the constant `params`.
[[nodiscard]] expr::declarations request_declarations(const policy& p, const workflow& w);

}  // namespace keyaccount
