// Errors cross the boundary as the exception classes of keyaccount/_errors.py (one class per
// C++ error kind, all under keyaccount.Error), never as a RuntimeError carrying a string. One
// translator maps every keyaccount::error by its kind, with its problems and its place, so no
// binding function catches an error only to raise it again as another class.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/amend.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

/// The class of keyaccount._errors (or keyaccount.amend) each kind is raised as
/// (docs/errors.md lists them).
const char* class_of(error_kind k) noexcept {
  switch (k) {
    case error_kind::input:
    case error_kind::json:
    case error_kind::read:
      return "InputError";
    case error_kind::people:
      return "PeopleError";
    case error_kind::policy:
      return "PolicyError";
    case error_kind::amend:
      return "AmendmentError";
    case error_kind::classifier:
      return "ClassifierError";
    case error_kind::workflow_format:
      return "InstanceFormatError";
    case error_kind::workflow_compile:
      return "WorkflowError";
    case error_kind::plan:
      return "PlanError";
    case error_kind::calendar:
      return "CalendarError";
    case error_kind::complaint:
      return "ComplaintError";
    case error_kind::allocation:
      return "AllocationError";
    case error_kind::supply:
      return "SupplyError";
  }
  return "InputError";
}

py::object none_if_zero(std::size_t n) { return n ? py::object(py::int_(n)) : py::none(); }

/// Sets the Python exception for `e`: its class by kind, what() as the message, and the
/// attributes every keyaccount.Error has (problems, where, file, line, column, pointer, field,
/// row, error_kind).
void set_python_error(const error& e) {
  py::object cls;
  py::object instance;
  if (e.kind() == error_kind::amend) {
    cls = py::module_::import("keyaccount.amend").attr("AmendmentError");
    const auto& refusal = static_cast<const amend_error&>(e).refusal();
    instance = cls(std::string(to_string(refusal)), std::string(e.what()));
  } else {
    cls = py::module_::import("keyaccount._errors").attr(class_of(e.kind()));
    instance = cls(std::string(e.what()));
  }
  const location& at = e.where();
  // An error about one thing is its own one problem: left to follow its message (which the
  // Python layer may reword with a record's place).
  if (e.problems().size() != 1 || e.problems()[0] != e.what()) {
    py::list problems;
    for (const auto& p : e.problems()) problems.append(p);
    instance.attr("problems") = problems;
  }
  instance.attr("where") = at.to_string();
  instance.attr("file") = at.file;
  instance.attr("line") = none_if_zero(at.line);
  instance.attr("column") = none_if_zero(at.column);
  instance.attr("pointer") = at.pointer;
  instance.attr("field") = at.field;
  instance.attr("row") = at.row ? py::object(py::int_(*at.row)) : py::none();
  instance.attr("error_kind") = std::string(to_string(e.kind()));
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace

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

void bind_errors(py::module_& /*m*/) {
  // The one translator: any keyaccount::error that leaves a binding function, and JSON the
  // library's readers refused by nlohmann's exceptions (a value of the wrong type in a record).
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const error& e) {
      set_python_error(e);
    } catch (const nlohmann::json::exception& e) {
      py::object cls = py::module_::import("keyaccount._errors").attr("InputError");
      py::object instance = cls(std::string(e.what()));
      PyErr_SetObject(cls.ptr(), instance.ptr());
    }
  });
}

}  // namespace keyaccount::python
