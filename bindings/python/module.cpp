// keyaccount._core: the one extension module. Each area binds itself in its own
// bind_<area>.cpp; this file only wires them together, in dependency order.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "keyaccount/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "keyaccount's C++ core. Private: import from the keyaccount package instead.";
  m.attr("__version__") = std::string(keyaccount::version());
  keyaccount::python::bind_errors(m);
  keyaccount::python::bind_cli(m);
  keyaccount::python::bind_policy(m);
  keyaccount::python::bind_expr(m);
  keyaccount::python::bind_workflow(m);
  keyaccount::python::bind_classify(m);
  keyaccount::python::bind_columns(m);
  keyaccount::python::bind_care(m);
}
