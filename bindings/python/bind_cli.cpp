#include <pybind11/iostream.h>
#include <pybind11/stl.h>

#include <iostream>

#include "bindings.hpp"
#include "cli.hpp"

namespace py = pybind11;

namespace keyaccount::python {

void bind_cli(py::module_& m) {
  m.def(
      "run_cli",
      [](const std::vector<std::string>& args) {
        // Route C++ output through Python's sys.stdout / sys.stderr so that redirection
        // (pytest's capture, notebooks) sees it.
        py::scoped_ostream_redirect out(std::cout, py::module_::import("sys").attr("stdout"));
        py::scoped_estream_redirect err(std::cerr, py::module_::import("sys").attr("stderr"));
        return keyaccount::cli::run(args, std::cout, std::cerr);
      },
      py::arg("args"),
      "Runs the keyaccount command line with `args` (without the program name); returns the exit "
      "code.");
}

}  // namespace keyaccount::python
