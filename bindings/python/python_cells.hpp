#pragma once
// One Python object (a cell of an object column, a value of a record) as the library's
// io::table_cell, so that the library checks and words it (io/table_cell.hpp): the one place
// where the binding decides what a Python value is and whether it is missing.
#include <pybind11/pybind11.h>

#include <string>

#include "keyaccount/io/table_cell.hpp"

namespace keyaccount::python {

/// Whether `x` is no value: None, a float NaN (Python's or numpy's), pandas' NA and NaT,
/// numpy's NaT.
[[nodiscard]] bool is_missing_cell(PyObject* x);

/// What `x` is. A str cell's text points into `x` (which must outlive the cell); `words` keeps
/// the words of an `other` cell ("a Decimal", "an array"). Never calls str() on a value.
[[nodiscard]] io::table_cell cell_of(PyObject* x, std::string& words);

}  // namespace keyaccount::python
