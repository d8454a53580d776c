// keyaccount._core's CEL functions: cel_evaluate, cel_compile and the CelProgram class, wrapped
// by keyaccount/cel.py. Python values are converted to owned CEL values on the way in (so the
// GIL can be released while evaluating) and back to plain Python objects on the way out.
#include "bindings.hpp"
// datetime.h needs Python.h, which pybind11 (through bindings.hpp) includes first.
#include <datetime.h>
#include <pybind11/stl.h>

#include <cmath>
#include <string>
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/expr.hpp"

namespace py = pybind11;
namespace ex = keyaccount::expr;

namespace keyaccount::python {

namespace {

[[noreturn]] void raise_input_error(const std::string& message) {
  raise_python_error("InputError", py::make_tuple(message));
}

ex::value to_value(py::handle obj, const ex::type& want, int depth = 0);

ex::value to_value_untyped(py::handle obj, int depth) {
  return to_value(obj, ex::type::dyn(), depth);
}

// A Python object as a CEL value of type `want` (dyn: whatever it naturally is).
ex::value to_value(py::handle obj, const ex::type& want, int depth) {
  if (depth > 64) raise_input_error("value nested too deeply");
  ++depth;
  if (obj.is_none()) return ex::value::null();
  if (py::isinstance<py::bool_>(obj)) return ex::value::boolean(obj.cast<bool>());
  if (py::isinstance<py::int_>(obj)) {
    if (want.kind() == ex::type_kind::float64) return ex::value::float64(obj.cast<double>());
    try {
      return ex::value::int64(obj.cast<std::int64_t>());
    } catch (const py::cast_error&) {
      raise_input_error("integer " + py::str(obj).cast<std::string>() + " does not fit in int64");
    }
  }
  if (py::isinstance<py::float_>(obj)) return ex::value::float64(obj.cast<double>());
  if (py::isinstance<py::str>(obj)) {
    auto s = obj.cast<std::string>();
    if (want.kind() == ex::type_kind::date) {
      auto d = ex::date::parse(s);
      if (!d) raise_input_error(keyaccount::field_check::not_a_date(s));
      return ex::value::from_date(*d);
    }
    return ex::value::string(std::move(s));
  }
  if (PyDate_Check(obj.ptr())) {
    if (PyDateTime_Check(obj.ptr())) raise_input_error("a datetime is not a date; pass .date()");
    auto d = ex::date::from_ymd(PyDateTime_GET_YEAR(obj.ptr()), PyDateTime_GET_MONTH(obj.ptr()),
                                PyDateTime_GET_DAY(obj.ptr()));
    if (!d) raise_input_error("date out of range");
    return ex::value::from_date(*d);
  }
  if (PyBytes_Check(obj.ptr()) || PyByteArray_Check(obj.ptr()) || PyMemoryView_Check(obj.ptr())) {
    // CEL bytes are not supported by the engine; a list of small ints would be a silent
    // misreading.
    raise_input_error("cannot convert Python bytes to a CEL value (decode them to a str)");
  }
  // numpy scalars (numpy.int64, numpy.bool_, numpy.float32, numpy.datetime64, ...) and numpy
  // arrays: as the Python values their item() / tolist() give (int, bool, float, date, lists).
  if (!py::isinstance<py::list>(obj) && !py::isinstance<py::tuple>(obj) &&
      py::hasattr(obj, "__array__") && py::hasattr(obj, "dtype")) {
    py::object arr = py::module_::import("numpy").attr("asarray")(obj);
    const auto kind = py::str(arr.attr("dtype").attr("kind")).cast<std::string>();
    if (kind == "S" || kind == "V" || kind == "m")
      raise_input_error("cannot convert a numpy value of dtype " +
                        py::str(arr.attr("dtype")).cast<std::string>() + " to a CEL value");
    if (kind == "M") {  // dates: whole days only (a time of day is not a date)
      py::object days = arr.attr("astype")("datetime64[D]");
      py::object exact = py::module_::import("numpy").attr("array_equal")(days, arr, true);
      if (!exact.cast<bool>()) raise_input_error("a datetime is not a date; pass .date()");
      arr = days;
    }
    py::object plain =
        arr.attr("ndim").cast<int>() == 0 ? arr.attr("item")() : arr.attr("tolist")();
    return to_value(plain, want, depth);
  }
  if (py::isinstance<py::dict>(obj)) {
    std::vector<ex::value::map_entry> entries;
    for (auto [k, v] : obj.cast<py::dict>()) {
      entries.emplace_back(to_value(k, want.key(), depth), to_value(v, want.value(), depth));
    }
    ex::value m = ex::value::map(std::move(entries));
    if (m.is_error()) raise_input_error(std::string(m.error_message()));
    return m;
  }
  // Lists, tuples, numpy arrays and other sequences (not strings, handled above).
  if (py::isinstance<py::sequence>(obj)) {
    auto seq = py::reinterpret_borrow<py::sequence>(obj);
    const ex::type& elem = want.elem();
    bool all_float = true;
    for (auto item : seq) {
      if (!(py::isinstance<py::float_>(item) ||
            (elem.kind() == ex::type_kind::float64 && py::isinstance<py::int_>(item) &&
             !py::isinstance<py::bool_>(item)))) {
        all_float = false;
        break;
      }
    }
    if (all_float && (seq.size() > 0 || elem.kind() == ex::type_kind::float64)) {
      // Series of floats are stored unboxed, like the columnar data they usually come from.
      std::vector<double> out;
      out.reserve(seq.size());
      for (auto item : seq) out.push_back(item.cast<double>());
      return ex::value::double_list(std::move(out));
    }
    std::vector<ex::value> out;
    out.reserve(seq.size());
    for (auto item : seq) out.push_back(to_value(item, elem, depth));
    return ex::value::list(std::move(out));
  }
  raise_input_error("cannot convert a Python " +
                    py::str(py::type::of(obj).attr("__name__")).cast<std::string>() +
                    " to a CEL value");
}

py::object to_python(const ex::value& v) {
  switch (v.kind()) {
    case ex::value_kind::null:
      return py::none();
    case ex::value_kind::boolean:
      return py::bool_(v.as_bool());
    case ex::value_kind::int64:
      return py::int_(v.as_int());
    case ex::value_kind::float64:
      return py::float_(v.as_double());
    case ex::value_kind::string:
      return py::str(v.as_string().data(), v.as_string().size());
    case ex::value_kind::date: {
      ex::date d = v.as_date();
      return py::reinterpret_steal<py::object>(PyDate_FromDate(d.year(), d.month(), d.day()));
    }
    case ex::value_kind::list: {
      auto l = v.as_list();
      py::list out(l.size());
      for (std::size_t i = 0; i < l.size(); ++i) out[i] = to_python(l[i]);
      return out;
    }
    case ex::value_kind::map:
    case ex::value_kind::object: {
      py::dict out;
      for (const auto& [k, item] : v.entries()) out[to_python(k)] = to_python(item);
      return out;
    }
    case ex::value_kind::error:
      raise_python_error("EvaluationError", py::make_tuple(std::string(v.error_message())));
  }
  return py::none();
}

[[noreturn]] void raise_diagnostics(const std::string& source,
                                    const std::vector<ex::diagnostic>& diagnostics) {
  py::list diags;
  for (const auto& d : diagnostics) {
    py::dict item;
    item["code"] = d.code;
    item["message"] = d.message;
    item["line"] = d.line;
    item["column"] = d.column;
    item["offset"] = d.offset;
    diags.append(item);
  }
  std::string shown = source;
  if (shown.size() > 80) {
    // Cut at a character boundary: half a UTF-8 sequence would make the message undecodable.
    std::size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "...";
  }
  std::string message = "invalid expression `" + shown + "`:";
  for (const auto& d : diagnostics) {
    message += "\n  " + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message +
               " [" + d.code + "]";
  }
  raise_python_error("ExpressionError", py::make_tuple(message, diags));
}

/// A compiled expression with its declarations (the Python face of expr::program).
/// Immutable; evaluate() releases the GIL while the C++ evaluation runs.
class py_program {
 public:
  py_program(const std::string& source, ex::declarations decls) : decls_(std::move(decls)) {
    auto compiled = ex::compile(source, decls_);
    if (!compiled.ok()) raise_diagnostics(source, compiled.diagnostics);
    program_ = *compiled.program;
  }

  py::object evaluate(const py::object& variables) const {
    ex::activation bindings(decls_);
    if (!variables.is_none()) {
      for (auto [k, v] : variables.cast<py::dict>()) {
        auto name = py::str(k).cast<std::string>();
        auto slot = decls_.slot_of(name);
        if (!slot) raise_input_error("variable '" + name + "' is not declared");
        bindings.set(*slot, to_value(v, decls_.variables()[*slot].var_type));
      }
    }
    ex::value result;
    {
      py::gil_scoped_release release;
      result = program_.evaluate(bindings);
    }
    return to_python(result);
  }

  std::string result_type() const { return program_.result_type().to_string(); }
  const std::string& source() const { return program_.source(); }
  py::dict declarations() const {
    py::dict out;
    for (const auto& v : decls_.variables()) out[py::str(v.name)] = v.var_type.to_string();
    return out;
  }

 private:
  ex::declarations decls_;
  ex::program program_;
};

ex::declarations declarations_from(const py::object& declared) {
  ex::declarations decls;
  if (declared.is_none()) return decls;
  for (auto [k, v] : declared.cast<py::dict>()) {
    auto name = py::str(k).cast<std::string>();
    auto text = py::str(v).cast<std::string>();
    auto t = ex::type::parse(text);
    if (!t) raise_input_error("unknown type '" + text + "' for variable '" + name + "'");
    try {
      decls.add_variable(name, *t);
    } catch (const std::invalid_argument& e) {
      raise_input_error(e.what());
    }
  }
  return decls;
}

}  // namespace

void bind_expr(py::module_& m) {
  PyDateTime_IMPORT;

  py::class_<py_program>(m, "CelProgram",
                         "A compiled CEL expression. Immutable; evaluate it as often as needed.")
      .def("evaluate", &py_program::evaluate, py::arg("variables") = py::none(),
           "Evaluates with the given {name: value} bindings.")
      .def_property_readonly("result_type", &py_program::result_type)
      .def_property_readonly("source", &py_program::source)
      .def_property_readonly("declarations", &py_program::declarations)
      .def("__repr__", [](const py_program& p) {
        return "<keyaccount.cel.Program `" + p.source() + "` -> " + p.result_type() + ">";
      });

  m.def(
      "cel_compile",
      [](const std::string& source, const py::object& declared) {
        return py_program(source, declarations_from(declared));
      },
      py::arg("expr"), py::arg("declarations") = py::none(),
      "Compiles a CEL expression against {name: type text} declarations.");

  m.def(
      "cel_evaluate",
      [](const std::string& source, const py::object& variables) {
        // Each variable is declared with the type of the value given for it.
        ex::declarations decls;
        std::vector<ex::value> values;
        if (!variables.is_none()) {
          for (auto [k, v] : variables.cast<py::dict>()) {
            auto name = py::str(k).cast<std::string>();
            values.push_back(to_value_untyped(v, 0));
            try {
              decls.add_variable(name, ex::type_of(values.back()));
            } catch (const std::invalid_argument& e) {
              raise_input_error(e.what());
            }
          }
        }
        auto compiled = ex::compile(source, decls);
        if (!compiled.ok()) raise_diagnostics(source, compiled.diagnostics);
        ex::activation bindings(decls);
        for (std::size_t i = 0; i < values.size(); ++i) bindings.set(i, std::move(values[i]));
        ex::value result;
        {
          py::gil_scoped_release release;
          result = compiled.program->evaluate(bindings);
        }
        return to_python(result);
      },
      py::arg("expr"), py::arg("variables") = py::none(),
      "Compiles and evaluates a CEL expression once.");
}

}  // namespace keyaccount::python
