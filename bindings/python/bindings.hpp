#pragma once
// One function per binding area (bind_<area>.cpp), called by module.cpp.
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string>

namespace keyaccount {
class classifier;
struct explanation;
}  // namespace keyaccount

namespace keyaccount::python {

void bind_errors(pybind11::module_& m);
void bind_cli(pybind11::module_& m);
void bind_policy(pybind11::module_& m);
/// keyaccount._core.policy.amend_policy (bind_policy.cpp), bound once the workflow classes are.
void bind_amend(pybind11::module_& m);
void bind_expr(pybind11::module_& m);
void bind_workflow(pybind11::module_& m);
void bind_care(pybind11::module_& m);
void bind_classify(pybind11::module_& m);
void bind_columns(pybind11::module_& m);

/// Explanations are made a range of this many rows at a time, then turned into columns: only
/// one range's explanations (several KB per customer) exist at once.
constexpr std::size_t explain_rows = 4096;

/// The explanation columns of `explanations` (one per row): {"<criterion>.met": array, ...,
/// "deciding": array} (bind_classify.cpp).
pybind11::dict explanation_columns(const classifier& c, std::span<const explanation> explanations);
/// The columns of a list of such dicts, each concatenated in order.
pybind11::dict concatenate_columns(const pybind11::list& parts);

/// Raises the Python exception class `name` from keyaccount._errors with the given arguments.
[[noreturn]] void raise_python_error(const char* name, const pybind11::tuple& args);

/// Raises keyaccount.InputError with `field` and `row` attributes (the row in a table, when
/// known, else None).
[[noreturn]] void raise_input(const std::string& message, const std::string& field,
                              pybind11::object row = pybind11::none());

}  // namespace keyaccount::python
