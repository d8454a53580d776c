// Errors cross the boundary as the exception classes of keyaccount/_errors.py (one class per
// C++ error kind, all under keyaccount.Error), never as a RuntimeError carrying a string.
#include <string>
#include <utility>

#include "bindings.hpp"

namespace py = pybind11;

namespace keyaccount::python {

void raise_python_error(const char* name, const py::tuple& args) {
  py::object cls = py::module_::import("keyaccount._errors").attr(name);
  py::object instance = cls(*args);
  PyErr_SetObject(cls.ptr(), instance.ptr());
  throw py::error_already_set();
}

void raise_input(const std::string& message, const std::string& field, py::object row) {
  py::object cls = py::module_::import("keyaccount._errors").attr("InputError");
  py::object instance = cls(message);
  instance.attr("field") = field;
  instance.attr("row") = std::move(row);
  PyErr_SetObject(cls.ptr(), instance.ptr());
  throw py::error_already_set();
}

void bind_errors(py::module_& /*m*/) {}

}  // namespace keyaccount::python
