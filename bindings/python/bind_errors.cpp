// Errors cross the boundary as the exception classes of keyaccount/_errors.py (one class per
// C++ error kind, all under keyaccount.Error), never as a RuntimeError carrying a string.
#include "bindings.hpp"

namespace py = pybind11;

namespace keyaccount::python {

void raise_python_error(const char* name, const py::tuple& args) {
  py::object cls = py::module_::import("keyaccount._errors").attr(name);
  py::object instance = cls(*args);
  PyErr_SetObject(cls.ptr(), instance.ptr());
  throw py::error_already_set();
}

void bind_errors(py::module_& /*m*/) {}

}  // namespace keyaccount::python
