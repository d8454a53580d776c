// keyaccount._core.classify.run_policy_tests: keyaccount.run_tests, by the library's own run of
// policy test files (io::run_policy_test_files), so its report and its refusals are word for word
// what `keyaccount test --format json` prints.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "keyaccount/io/policy_test_files.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

std::string run_policy_tests(const keyaccount::policy& p, const std::string& policy_name,
                             const std::vector<std::string>& files,
                             std::optional<double> threshold) {
  io::test_run run;
  try {
    py::gil_scoped_release unlocked;
    run = io::run_policy_test_files(p, policy_name, files, threshold);
  } catch (const io::test_file_error& e) {
    // The command's line, `FILE:LINE:COL: error[invalid_test_file]: ...`, as the message.
    raise_input(e.diagnostic(), "");
  }
  return io::to_json(run).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void bind_policy_tests(py::module_& m) {
  m.def("run_policy_tests", &run_policy_tests, py::arg("policy"), py::arg("policy_name"),
        py::arg("files"), py::arg("threshold") = py::none(),
        "Runs policy test files against a CompiledPolicy; the report as JSON text (what "
        "`keyaccount test --format json` prints). Raises InputError for a file that cannot be "
        "read or is not a valid test file.");
}

}  // namespace keyaccount::python
