#include "bindings.hpp"

namespace py = pybind11;

namespace keyaccount::python {

// Not built yet: the workflow area binds nothing so far.
void bind_workflow(py::module_& /*m*/) {}

}  // namespace keyaccount::python
