#include "bindings.hpp"
#include "keyaccount/policy/default_policy.hpp"

namespace py = pybind11;

namespace keyaccount::python {

void bind_policy(py::module_& m) {
  m.def(
      "default_policy_text", [] { return std::string(keyaccount::default_policy_text()); },
      "The JSON text of the embedded default policy.");
}

}  // namespace keyaccount::python
