// keyaccount._core: the one extension module. Each area binds itself in its own
// bind_<area>.cpp into a submodule of the same name (keyaccount._core.policy, ...), so the
// module's names are grouped the way the library's layers are, each group with its own stub
// (keyaccount/_core/<area>.pyi). This file only wires them together, in dependency order: a class
// must be registered before a function naming it is, or its signature (and so its stub) shows the
// C++ type.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "keyaccount/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "keyaccount's C++ core. Private: import from the keyaccount package instead.";
  m.attr("__version__") = std::string(keyaccount::version());
  // The exception translator is global: it binds no names.
  keyaccount::python::bind_errors(m);
  auto policy = m.def_submodule("policy", "Policies: loading, diagnostics, diffs, amendments.");
  keyaccount::python::bind_policy(policy);
  auto expr = m.def_submodule("expr", "CEL expressions: evaluate and compile.");
  keyaccount::python::bind_expr(expr);
  auto workflow = m.def_submodule("workflow", "People, workflow instances and ownership.");
  keyaccount::python::bind_workflow(workflow);
  keyaccount::python::bind_amend(policy);
  auto classify = m.def_submodule("classify", "The classifier and its batch entry points.");
  keyaccount::python::bind_classify(classify);
  keyaccount::python::bind_policy_tests(classify);
  keyaccount::python::bind_spark_sql(classify);
  auto columns = m.def_submodule("columns", "Python and Arrow columns turned into C++ blocks.");
  keyaccount::python::bind_columns(columns);
  keyaccount::python::bind_table_columns(columns);
  auto care = m.def_submodule("care", "Care plans, compliance, events, allocation.");
  keyaccount::python::bind_care(care);
  auto cli = m.def_submodule("cli", "The `keyaccount` command.");
  keyaccount::python::bind_cli(cli);
}
