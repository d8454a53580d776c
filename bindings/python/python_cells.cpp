// Python objects described as io::table_cell (python_cells.hpp). The checks and the words of a
// refusal are the library's; this file only tells which kind of value an object holds.
#include "python_cells.hpp"

#include <datetime.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>

#include "keyaccount/expr/date.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

bool named(PyObject* x, const char* a, const char* b) {
  const char* name = Py_TYPE(x)->tp_name;
  return std::strcmp(name, a) == 0 || std::strcmp(name, b) == 0;
}

// pandas' NA and NaT, recognised by their type names (pandas need not be imported).
bool pandas_missing(PyObject* x) {
  return named(x, "NAType", "pandas._libs.missing.NAType") ||
         named(x, "NaTType", "pandas._libs.tslibs.nattype.NaTType");
}

// numpy's integer and floating scalar types, imported once (numpy is a dependency).
PyObject* numpy_type(const char* name) {
  return py::object(py::module_::import("numpy").attr(name)).release().ptr();  // never freed
}

bool is_instance(PyObject* x, PyObject* type) {
  const int is = PyObject_IsInstance(x, type);
  if (is < 0) throw py::error_already_set();
  return is == 1;
}

bool numpy_bool(PyObject* x) { return named(x, "numpy.bool_", "numpy.bool"); }

// A numpy.datetime64 scalar as days since 1970-01-01; empty for NaT.
std::optional<std::int64_t> datetime64_days(PyObject* x) {
  auto days = py::reinterpret_borrow<py::object>(x)
                  .attr("astype")("datetime64[D]")
                  .attr("astype")("int64")
                  .cast<std::int64_t>();
  if (days == INT64_MIN) return std::nullopt;  // NaT
  return days;
}

// An int (Python's or numpy's, already an index) as a cell: int64, past it, or other words.
io::table_cell integer_cell(PyObject* x, std::string& words) {
  io::table_cell c;
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(x, &overflow);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow == 0) {
    c.what = io::table_cell::kind::integer;
    c.integer = v;
    return c;
  }
  if (overflow > 0) {
    const unsigned long long u = PyLong_AsUnsignedLongLong(x);
    if (!(u == static_cast<unsigned long long>(-1) && PyErr_Occurred())) {
      c.what = io::table_cell::kind::big_unsigned;
      c.big = u;
      return c;
    }
    PyErr_Clear();
  }
  // Beyond even uint64: a number, shown as a double (as JSON would carry it).
  c.what = io::table_cell::kind::number;
  c.number = PyLong_AsDouble(x);
  if (c.number == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    c.number = overflow > 0 ? HUGE_VAL : -HUGE_VAL;
  }
  (void)words;
  return c;
}

}  // namespace

bool is_missing_cell(PyObject* x) {
  if (x == Py_None) return true;
  if (PyFloat_Check(x)) return std::isnan(PyFloat_AS_DOUBLE(x));
  if (PyUnicode_Check(x) || PyLong_Check(x)) return false;
  if (pandas_missing(x)) return true;
  static PyObject* const floating = numpy_type("floating");
  if (is_instance(x, floating)) return std::isnan(PyFloat_AsDouble(x));
  if (named(x, "numpy.datetime64", "datetime64")) return !datetime64_days(x);
  return false;
}

io::table_cell cell_of(PyObject* x, std::string& words) {
  io::table_cell c;
  if (PyUnicode_Check(x)) {  // str and numpy.str_
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(x, &size);
    if (text == nullptr) throw py::error_already_set();
    c.what = io::table_cell::kind::text;
    c.text = {text, static_cast<std::size_t>(size)};
    return c;
  }
  if (is_missing_cell(x)) return c;
  if (PyBool_Check(x) || numpy_bool(x)) {
    const int truth = PyObject_IsTrue(x);
    if (truth < 0) throw py::error_already_set();
    c.what = io::table_cell::kind::boolean;
    c.boolean = truth == 1;
    return c;
  }
  if (PyFloat_Check(x)) {
    c.what = io::table_cell::kind::number;
    c.number = PyFloat_AS_DOUBLE(x);
    return c;
  }
  if (PyLong_Check(x)) return integer_cell(x, words);
  static PyObject* const integer = numpy_type("integer");
  static PyObject* const floating = numpy_type("floating");
  if (is_instance(x, integer)) {
    auto index = py::reinterpret_steal<py::object>(PyNumber_Index(x));
    if (!index) throw py::error_already_set();
    return integer_cell(index.ptr(), words);
  }
  if (is_instance(x, floating)) {
    c.what = io::table_cell::kind::number;
    c.number = PyFloat_AsDouble(x);
    if (c.number == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    return c;
  }
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  }
  if (PyDate_Check(x)) {  // date, datetime, pandas' Timestamp: its own (wall-clock) day
    auto d = expr::date::from_ymd(PyDateTime_GET_YEAR(x), PyDateTime_GET_MONTH(x),
                                  PyDateTime_GET_DAY(x));
    if (d) {
      c.what = io::table_cell::kind::date;
      c.days = d->days_since_epoch();
      return c;
    }
  }
  if (named(x, "numpy.datetime64", "datetime64")) {
    if (auto days = datetime64_days(x); days && *days > INT32_MIN && *days <= INT32_MAX) {
      c.what = io::table_cell::kind::date;
      c.days = static_cast<std::int32_t>(*days);
      return c;
    }
  }
  c.what = io::table_cell::kind::other;
  if (PyList_Check(x) || PyTuple_Check(x))
    words = "an array";
  else if (PyDict_Check(x))
    words = "an object";
  else if (PyDate_Check(x) || named(x, "numpy.datetime64", "datetime64"))
    words = "a date outside 0001-01-01..9999-12-31";
  else {
    std::string name = Py_TYPE(x)->tp_name;
    if (auto dot = name.rfind('.'); dot != std::string::npos) name.erase(0, dot + 1);
    words = "a " + name;
  }
  c.text = words;
  return c;
}

}  // namespace keyaccount::python
