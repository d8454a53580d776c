#pragma once
// One function per binding area (bind_<area>.cpp), called by module.cpp.
#include <pybind11/pybind11.h>

#include <string>

namespace keyaccount::python {

void bind_errors(pybind11::module_& m);
void bind_cli(pybind11::module_& m);
void bind_policy(pybind11::module_& m);
void bind_expr(pybind11::module_& m);
void bind_workflow(pybind11::module_& m);
void bind_care(pybind11::module_& m);
void bind_classify(pybind11::module_& m);
void bind_columns(pybind11::module_& m);

/// Raises the Python exception class `name` from keyaccount._errors with the given arguments.
[[noreturn]] void raise_python_error(const char* name, const pybind11::tuple& args);

/// Raises keyaccount.InputError with `field` and `row` attributes (the row in a table, when
/// known, else None).
[[noreturn]] void raise_input(const std::string& message, const std::string& field,
                              pybind11::object row = pybind11::none());

}  // namespace keyaccount::python
