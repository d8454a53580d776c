// The table reader of numpy columns (keyaccount._core.columns.read_column): a number, int,
// bool or date column given as a numpy array (typed, or of Python objects) and an optional mask
// of missing values becomes the typed array the C++ batch reads, every value checked by the
// library (io/table_cell.hpp) in the record reader's words. keyaccount/_table.py only turns
// pandas, list and extension columns into (numpy array, mask); nothing is checked in Python.
//
// What is missing: a masked value; NaN in a float column; None, NaN, pandas' NA and NaT in an
// object column (python_cells.hpp); NaT in a datetime64 column.
#include <pybind11/numpy.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/io/table_cell.hpp"
#include "python_cells.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

using problems = std::vector<std::pair<std::size_t, std::string>>;

field_type type_named(const std::string& kind) {
  if (kind == "number") return field_type::number;
  if (kind == "int") return field_type::integer;
  if (kind == "bool") return field_type::boolean;
  if (kind == "date") return field_type::date_;
  throw py::value_error("read_column: kind must be number, int, bool or date, not " + kind);
}

// One element of a typed (non-object) numpy array as a cell.
class typed_elements {
 public:
  explicit typed_elements(const py::array& a)
      : base_(static_cast<const char*>(a.data())),
        stride_(a.ndim() == 1 ? a.strides(0) : 0),
        kind_(a.dtype().kind()),
        size_(static_cast<int>(a.dtype().itemsize())),
        words_(kind_ == 'U' || kind_ == 'S' ? "a string"
               : kind_ == 'm'               ? "a timedelta64"
                                            : "a " + py::str(a.dtype()).cast<std::string>()) {}

  [[nodiscard]] io::table_cell operator[](std::size_t i) const {
    const char* p = base_ + static_cast<py::ssize_t>(i) * stride_;
    io::table_cell c;
    switch (kind_) {
      case 'b':
        c.what = io::table_cell::kind::boolean;
        c.boolean = *p != 0;
        return c;
      case 'i': {
        c.what = io::table_cell::kind::integer;
        c.integer = size_ == 8   ? load<std::int64_t>(p)
                    : size_ == 4 ? load<std::int32_t>(p)
                    : size_ == 2 ? load<std::int16_t>(p)
                                 : load<std::int8_t>(p);
        return c;
      }
      case 'u': {
        const std::uint64_t u = size_ == 8   ? load<std::uint64_t>(p)
                                : size_ == 4 ? load<std::uint32_t>(p)
                                : size_ == 2 ? load<std::uint16_t>(p)
                                             : load<std::uint8_t>(p);
        if (u > static_cast<std::uint64_t>(INT64_MAX)) {
          c.what = io::table_cell::kind::big_unsigned;
          c.big = u;
        } else {
          c.what = io::table_cell::kind::integer;
          c.integer = static_cast<std::int64_t>(u);
        }
        return c;
      }
      case 'f': {
        // float32 or float64: read_column converts any other width first.
        const double d = size_ == 8 ? load<double>(p) : load<float>(p);
        if (!std::isnan(d)) {
          c.what = io::table_cell::kind::number;
          c.number = d;
        }
        return c;
      }
      case 'M':
        if (load<std::int64_t>(p) != INT64_MIN) {  // NaT is missing; the unit is the caller's
          c.what = io::table_cell::kind::other;
          c.text = "a date";
        }
        return c;
      default:
        c.what = io::table_cell::kind::other;
        c.text = words_;
        return c;
    }
  }

 private:
  template <class T>
  static T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  const char* base_;
  py::ssize_t stride_;
  char kind_;
  int size_;
  std::string words_;
};

// Reads every row with `read(cell, row)`; `cell_at(row)` gives the cells.
template <class Cells, class Read>
void read_rows(std::size_t n, const std::uint8_t* masked, const Cells& cell_at,
               std::vector<std::uint8_t>& missing, Read&& read) {
  for (std::size_t i = 0; i < n; ++i) {
    if (masked != nullptr && masked[i] != 0) {
      missing[i] = 1;
      continue;
    }
    const io::table_cell c = cell_at(i);
    if (c.what == io::table_cell::kind::missing)
      missing[i] = 1;
    else
      read(c, i);
  }
}

py::list problem_list(const problems& found) {
  py::list out;
  for (const auto& [row, message] : found) out.append(py::make_tuple(row, message));
  return out;
}

// (values, mask of missing values or None, [(row, message)]).
py::tuple read_column(const std::string& kind, py::array values, const py::object& mask,
                      const std::string& field, bool required) {
  const field_type type = type_named(kind);
  // The elements are read in this machine's byte order: a column in the other is converted.
  if (const char order = values.dtype().byteorder();
      order == (std::endian::native == std::endian::little ? '>' : '<'))
    values = values.attr("astype")(values.dtype().attr("newbyteorder")("="));
  // Half and extended precision are read as float64 (typed_elements reads float32 and float64
  // only): never a value taken for missing.
  if (values.dtype().kind() == 'f' && values.dtype().itemsize() != 4 &&
      values.dtype().itemsize() != 8)
    values = values.attr("astype")("float64");
  if (values.ndim() != 1)
    raise_input(field + ": a column must be one-dimensional, not of " +
                    std::to_string(values.ndim()) + " dimensions",
                field);
  const auto n = static_cast<std::size_t>(values.shape(0));
  const std::uint8_t* masked = nullptr;
  py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast> mask_bytes;
  if (!mask.is_none()) {
    mask_bytes = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(mask);
    if (!mask_bytes || mask_bytes.ndim() != 1 || static_cast<std::size_t>(mask_bytes.size()) != n)
      throw py::value_error(field + ": the missing-value mask must be 1-D, one byte per row");
    masked = mask_bytes.data();
  }
  const char k = values.dtype().kind();
  // The fast paths: a float column for a number field (NaN marks a missing value), an int64
  // column for an int field, a bool column for a bool field, none masked: taken as they are.
  if (masked == nullptr) {
    if (type == field_type::number && k == 'f')
      return py::make_tuple(
          py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values),
          py::none(), py::list());
    if (type == field_type::integer && k == 'i')
      return py::make_tuple(
          py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(values),
          py::none(), py::list());
    if (type == field_type::boolean && k == 'b')
      return py::make_tuple(
          py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(values),
          py::none(), py::list());
  }
  std::vector<std::uint8_t> missing(n, 0);
  problems found;
  std::string why;
  auto bad = [&](std::size_t row) { found.emplace_back(row, std::move(why)); };
  auto read_all = [&](auto&& read) {
    if (k == 'O') {
      std::vector<PyObject*> items(n);
      const auto* base = static_cast<const char*>(values.data());
      for (std::size_t i = 0; i < n; ++i)
        items[i] = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) *
                                                                  values.strides(0));
      std::string words;
      read_rows(
          n, masked, [&](std::size_t i) { return cell_of(items[i], words); }, missing, read);
    } else {
      const typed_elements cells(values);
      read_rows(
          n, masked, [&](std::size_t i) { return cells[i]; }, missing, read);
    }
  };
  py::object out;
  bool marks_itself = false;  // NaN / INT32_MIN mark missing values in the array itself
  switch (type) {
    case field_type::number: {
      py::array_t<double> v(static_cast<py::ssize_t>(n));
      double* d = v.mutable_data();
      read_all([&](const io::table_cell& c, std::size_t i) {
        if (!io::read_number(c, d[i], why)) bad(i);
      });
      for (std::size_t i = 0; i < n; ++i)
        if (missing[i]) d[i] = std::nan("");
      out = v;
      marks_itself = true;
      break;
    }
    case field_type::integer: {
      py::array_t<std::int64_t> v(static_cast<py::ssize_t>(n));
      std::int64_t* d = v.mutable_data();
      std::fill_n(d, n, 0);
      read_all([&](const io::table_cell& c, std::size_t i) {
        if (!io::read_integer(c, d[i], why)) bad(i);
      });
      out = v;
      break;
    }
    case field_type::boolean: {
      py::array_t<std::uint8_t> v(static_cast<py::ssize_t>(n));
      std::uint8_t* d = v.mutable_data();
      std::fill_n(d, n, 0);
      read_all([&](const io::table_cell& c, std::size_t i) {
        if (!io::read_boolean(c, d[i], why)) bad(i);
      });
      out = v;
      break;
    }
    default: {  // date
      py::array_t<std::int32_t> v(static_cast<py::ssize_t>(n));
      std::int32_t* d = v.mutable_data();
      std::fill_n(d, n, INT32_MIN);
      read_all([&](const io::table_cell& c, std::size_t i) {
        if (!io::read_date(c, d[i], why)) bad(i);
      });
      for (std::size_t i = 0; i < n; ++i)
        if (missing[i]) d[i] = INT32_MIN;
      out = v;
      marks_itself = true;
      break;
    }
  }
  py::object mask_out = py::none();
  if (!marks_itself) {
    if (required) {
      for (std::size_t i = 0; i < n; ++i)
        if (missing[i]) found.emplace_back(i, field_check::missing_required());
    } else if (std::find(missing.begin(), missing.end(), 1) != missing.end()) {
      py::array_t<bool> m(static_cast<py::ssize_t>(n));
      std::copy(missing.begin(), missing.end(), m.mutable_data());
      mask_out = m;
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return py::make_tuple(out, mask_out, problem_list(found));
}

}  // namespace

void bind_table_columns(py::module_& m) {
  // The one wording of a missing required value, for the adapters that mark one (a null list).
  m.attr("MISSING_REQUIRED") = field_check::missing_required();
  // And of NaN or an infinity where a number belongs (a record dict's values are checked in
  // Python before they become JSON, which has no such numbers).
  m.attr("NOT_FINITE") = field_check::not_finite();
  m.def("read_column", &read_column, py::arg("kind"), py::arg("values"), py::arg("missing"),
        py::arg("field"), py::arg("required"),
        "A number / int / bool / date column (a 1-D numpy array, typed or of objects, and a "
        "mask of missing values or None) read as the batch reads it: (float64 / int64 / uint8 / "
        "int32-days values, bool mask of missing values for an optional int or bool column or "
        "None, [(row, message)] of the values refused, in the record reader's words).");
  m.def(
      "is_missing", [](const py::handle& x) { return is_missing_cell(x.ptr()); }, py::arg("value"),
      "Whether a value is no value: None, NaN, pandas' NA and NaT, numpy's NaT.");
  m.def(
      "kind_of",
      [](const py::handle& x) {
        std::string words;
        return io::kind_words(cell_of(x.ptr(), words));
      },
      py::arg("value"), "What a value is in an error's words: 'a string', 'a number', ...");
  m.def(
      "expected_words",
      [](const std::string& kind) {
        static const std::pair<const char*, field_type> types[] = {
            {"number", field_type::number}, {"int", field_type::integer},
            {"bool", field_type::boolean},  {"date", field_type::date_},
            {"series", field_type::series}, {"string_list", field_type::string_list},
            {"object", field_type::object}};
        for (const auto& [name, t] : types)
          if (kind == name) return std::string(io::expected_words(t));
        return std::string(io::expected_words(field_type::string_));
      },
      py::arg("kind"), "What a field of this type takes, in an error's words ('a number', ...).");
}

}  // namespace keyaccount::python
