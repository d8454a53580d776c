#include "bindings.hpp"

namespace py = pybind11;

namespace keyaccount::python {

// Not built yet: the expr area binds nothing so far.
void bind_expr(py::module_& /*m*/) {}

}  // namespace keyaccount::python
