// Column conversions for the DataFrame path: columns of Python objects (lists, the numpy object
// arrays pandas' to_numpy(dtype=object) gives) to the typed arrays the C++ batch reads. The
// Python layer (keyaccount/classify.py) calls them and falls back to pandas for other types.
//
// Why the conversions read in two passes: a DataFrame built from records keeps each row's
// objects wherever the allocator put them, so reading one is a cache miss (often a TLB miss
// too). A first, tight pass only collects what the conversion needs (the ten bytes of a date,
// a list's item array and size) into a contiguous buffer; with so little work per row the
// processor keeps many of those misses in flight at once. The second pass works on the buffer.
#include <pybind11/numpy.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bindings.hpp"
#include "keyaccount/classify/record.hpp"
#include "keyaccount/classify/repeated_ids.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/expr/value.hpp"
#include "keyaccount/io/table_cell.hpp"
#include "keyaccount/policy/date.hpp"
#include "python_cells.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

// The items of a column (a list, a 1-D numpy object array, any other sequence) as borrowed
// pointers. Reading a numpy object array through the sequence protocol costs tens of
// nanoseconds per item (numpy's scalar conversion); its data pointer costs nothing.
class object_column {
 public:
  explicit object_column(const py::object& values) {
    if (PyList_Check(values.ptr())) {
      owner_ = values;
      take_list();
      return;
    }
    if (py::isinstance<py::array>(values)) {
      auto arr = py::reinterpret_borrow<py::array>(values);
      if (arr.dtype().kind() == 'O' && arr.ndim() == 1) {
        owner_ = values;
        const auto* base = static_cast<const char*>(arr.data());
        items_.resize(static_cast<std::size_t>(arr.shape(0)));
        for (std::size_t i = 0; i < items_.size(); ++i)
          items_[i] = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) *
                                                                     arr.strides(0));
        return;
      }
    }
    owner_ = py::list(values);  // any other iterable: one list, then as above
    take_list();
  }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] PyObject* operator[](std::size_t i) const noexcept { return items_[i]; }

 private:
  void take_list() {
    const auto n = PyList_GET_SIZE(owner_.ptr());
    items_.resize(static_cast<std::size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i)
      items_[static_cast<std::size_t>(i)] = PyList_GET_ITEM(owner_.ptr(), i);
  }

  py::object owner_;  // keeps the items alive
  std::vector<PyObject*> items_;
};

// How far ahead of the row being read its objects are prefetched: far enough to cover a
// memory access, near enough that the lines are still cached when the row is reached.
constexpr std::size_t prefetch_rows = 8;

// Whether `x` is a str stored as compact ASCII (what pandas, json and string formatting produce
// for dates and codes), whose text can then be read straight from the object.
bool compact_ascii(PyObject* x) { return PyUnicode_CheckExact(x) && PyUnicode_IS_COMPACT_ASCII(x); }

// Any str's UTF-8 text (the slow, general path).
std::string_view utf8(PyObject* x) {
  Py_ssize_t size = 0;
  const char* text = PyUnicode_AsUTF8AndSize(x, &size);
  if (text == nullptr) throw py::error_already_set();
  return {text, static_cast<std::size_t>(size)};
}

// --- date strings ------------------------------------------------------------------------------

constexpr std::int32_t missing_day = INT32_MIN;

// Pass-one record of a date cell: its ten characters when it is a plain "YYYY-MM-DD"-sized str.
struct date_cell {
  std::array<char, 10> text;
  bool plain;
};

// The values a column could not hold: (row, message in the record reader's words), row order.
using problems = std::vector<std::pair<std::size_t, std::string>>;

py::list problem_list(const problems& found) {
  py::list out;
  for (const auto& [row, message] : found) out.append(py::make_tuple(row, message));
  return out;
}

// A cell's date (io::read_date), INT32_MIN for a missing cell; a refusal goes to `found`.
std::int32_t days_of(const io::table_cell& c, std::size_t row, problems& found) {
  std::int32_t days = missing_day;
  std::string why;
  if (c.what != io::table_cell::kind::missing && !io::read_date(c, days, why))
    found.emplace_back(row, std::move(why));
  return days;
}

std::int32_t days_of(std::string_view text, std::size_t row, problems& found) {
  io::table_cell c;
  c.what = io::table_cell::kind::text;
  c.text = text;
  return days_of(c, row, found);
}

// A column of dates (mostly "YYYY-MM-DD" strings; date objects; None, NaN, NA, NaT: missing)
// to (int32 days since 1970-01-01, INT32_MIN for missing; [(row, message)] of the cells that
// are not dates).
py::tuple date_days(const py::object& column) {
  const object_column values(column);
  const std::size_t n = values.size();
  std::vector<date_cell> cells(n);
  for (std::size_t i = 0; i < n; ++i) {  // pass one: gather the text
    if (i + prefetch_rows < n) __builtin_prefetch(values[i + prefetch_rows]);
    PyObject* x = values[i];
    date_cell& cell = cells[i];
    cell.plain = compact_ascii(x) && PyUnicode_GET_LENGTH(x) == 10;
    if (cell.plain) std::memcpy(cell.text.data(), PyUnicode_DATA(x), cell.text.size());
  }
  py::array_t<std::int32_t> out(static_cast<py::ssize_t>(n));
  std::int32_t* days = out.mutable_data();
  problems found;
  std::string words;
  for (std::size_t i = 0; i < n; ++i) {  // pass two: parse
    days[i] = cells[i].plain
                  ? days_of(std::string_view(cells[i].text.data(), cells[i].text.size()), i, found)
                  : days_of(cell_of(values[i], words), i, found);
  }
  return py::make_tuple(out, problem_list(found));
}

// --- category strings --------------------------------------------------------------------------

// A column of strings (None, NaN, NA, NaT: missing) to (int32 codes, categories in order of
// first appearance, [(row, message)] of the cells that are not text, coded -1).
//
// A category column holds few distinct values, and often the very same str objects (literals,
// a pandas Categorical's categories, a generator's choices): a small cache keyed by the object's
// address codes those without reading the object at all. Other cells are looked up by text.
py::tuple category_codes(const py::object& column) {
  const object_column values(column);  // keeps the strings the views below point into
  const std::size_t n = values.size();
  py::array_t<std::int32_t> codes(static_cast<py::ssize_t>(n));
  std::int32_t* out = codes.mutable_data();
  struct cached {
    PyObject* object = nullptr;
    std::int32_t code = 0;
  };
  std::array<cached, 64> by_address{};
  std::unordered_map<std::string_view, std::int32_t> by_text;
  py::list categories;
  problems found;
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* x = values[i];
    cached& slot = by_address[(reinterpret_cast<std::uintptr_t>(x) >> 4) % by_address.size()];
    if (slot.object == x) {
      out[i] = slot.code;
      continue;
    }
    if (i + prefetch_rows < n) __builtin_prefetch(values[i + prefetch_rows]);
    if (is_missing_cell(x)) {
      out[i] = -1;
      continue;
    }
    if (!PyUnicode_Check(x)) {  // refused in the library's words, never str()-ed
      std::string words, why;
      if (!io::read_text(cell_of(x, words), why)) found.emplace_back(i, std::move(why));
      out[i] = -1;
      continue;
    }
    auto [it, added] = by_text.try_emplace(utf8(x), static_cast<std::int32_t>(by_text.size()));
    if (added) categories.append(py::reinterpret_borrow<py::object>(x));
    out[i] = it->second;
    slot = {x, it->second};
  }
  return py::make_tuple(codes, categories, problem_list(found));
}

// --- Arrow string columns ----------------------------------------------------------------------

// One chunk of a pyarrow `string` or `large_string` array read through its buffers, without a
// Python object per cell: how pandas keeps StringDtype("pyarrow") columns (its default string
// type when pyarrow is installed). The Python layer passes each chunk as a tuple
// (offsets: int32 or int64 array, data: uint8 array, validity: uint8 array or None,
// offset, length); the buffers are checked here so that a bad tuple is an error, not a read out
// of bounds.
class arrow_strings {
 public:
  arrow_strings(const py::handle& chunk, const std::string& field) {
    const py::tuple t(py::reinterpret_borrow<py::object>(chunk));  // a tuple, or an error
    if (t.size() != 5) throw py::value_error(field + ": an Arrow chunk is a 5-tuple");
    offset_ = t[3].cast<std::size_t>();
    length_ = t[4].cast<std::size_t>();
    if (!py::isinstance<py::array>(t[0]))
      throw py::value_error(field + ": Arrow offsets must be a numpy array");
    auto offsets = py::reinterpret_borrow<py::array>(t[0]);
    auto data = py::array_t<std::uint8_t, py::array::c_style>::ensure(t[1]);
    if (!data) throw py::value_error(field + ": Arrow data must be a uint8 array");
    keep_ = {offsets, data};
    data_ = reinterpret_cast<const char*>(data.data());
    const bool integer = offsets.dtype().kind() == 'i';
    if (integer && offsets.dtype().itemsize() == 4) {
      auto o = py::array_t<std::int32_t, py::array::c_style>::ensure(offsets);
      keep_.push_back(o);
      read_offsets(o.data(), static_cast<std::size_t>(o.size()), data.size(), field);
    } else if (integer && offsets.dtype().itemsize() == 8) {
      auto o = py::array_t<std::int64_t, py::array::c_style>::ensure(offsets);
      keep_.push_back(o);
      read_offsets(o.data(), static_cast<std::size_t>(o.size()), data.size(), field);
    } else {
      throw py::value_error(field + ": Arrow offsets must be int32 or int64");
    }
    if (!t[2].is_none()) {
      auto v = py::array_t<std::uint8_t, py::array::c_style>::ensure(t[2]);
      if (!v || static_cast<std::size_t>(v.size()) * 8 < offset_ + length_)
        throw py::value_error(field + ": the Arrow validity bitmap is too short");
      keep_.push_back(v);
      validity_ = v.data();
    }
  }
  [[nodiscard]] std::size_t size() const noexcept { return length_; }
  [[nodiscard]] bool is_null(std::size_t i) const noexcept {
    const std::size_t bit = offset_ + i;
    return validity_ != nullptr && ((validity_[bit / 8] >> (bit % 8)) & 1) == 0;
  }
  [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
    return {data_ + begin_[i], static_cast<std::size_t>(begin_[i + 1] - begin_[i])};
  }

 private:
  // Copies this chunk's offsets as int64 after checking that they count up within the data.
  template <class Offset>
  void read_offsets(const Offset* o, std::size_t count, py::ssize_t data_size,
                    const std::string& field) {
    // Written so that no sum can wrap round: offset_ + length_ < count afterwards.
    if (length_ > 0 && (offset_ >= count || length_ > count - offset_ - 1))
      throw py::value_error(field + ": the Arrow offsets are too short");
    begin_.resize(length_ + 1);
    for (std::size_t i = 0; i <= length_ && length_ > 0; ++i) {
      begin_[i] = static_cast<std::int64_t>(o[offset_ + i]);
      if (begin_[i] < 0 || begin_[i] > data_size || (i > 0 && begin_[i] < begin_[i - 1]))
        throw py::value_error(field + ": the Arrow offsets are out of order or out of the data");
    }
  }

  std::vector<py::object> keep_;  // the arrays the pointers below read
  const char* data_ = nullptr;
  std::vector<std::int64_t> begin_{0};
  const std::uint8_t* validity_ = nullptr;
  std::size_t offset_ = 0, length_ = 0;
};

// The chunks of an Arrow string column, all kept readable until the conversion ends (the
// category index holds views into them).
std::vector<arrow_strings> read_chunks(const py::list& chunks, const std::string& field) {
  std::vector<arrow_strings> out;
  for (const auto& c : chunks) out.emplace_back(c, field);
  return out;
}

std::size_t total_rows(const std::vector<arrow_strings>& chunks) {
  std::size_t n = 0;
  for (const auto& c : chunks) n += c.size();
  return n;
}

// Calls f(row, text or nothing for a null) for every cell, rows counted across the chunks.
template <class F>
void for_each_cell(const std::vector<arrow_strings>& chunks, F&& f) {
  std::size_t row = 0;
  for (const auto& cells : chunks) {
    for (std::size_t i = 0; i < cells.size(); ++i, ++row) {
      f(row, cells.is_null(i) ? std::optional<std::string_view>{}
                              : std::optional<std::string_view>{cells[i]});
    }
  }
}

// An Arrow string column of "YYYY-MM-DD" dates (null: missing) to (int32 days, problems), as
// date_days.
py::tuple arrow_date_days(const py::list& chunk_list, const std::string& field) {
  const auto chunks = read_chunks(chunk_list, field);
  py::array_t<std::int32_t> out(static_cast<py::ssize_t>(total_rows(chunks)));
  std::int32_t* days = out.mutable_data();
  problems found;
  for_each_cell(chunks, [&](std::size_t row, std::optional<std::string_view> text) {
    days[row] = text ? days_of(*text, row, found) : missing_day;
  });
  return py::make_tuple(out, problem_list(found));
}

// An Arrow string column to (int32 codes, categories in order of first appearance), as
// category_codes; null cells get -1.
py::tuple arrow_category_codes(const py::list& chunk_list, const std::string& field) {
  const auto chunks = read_chunks(chunk_list, field);
  py::array_t<std::int32_t> codes(static_cast<py::ssize_t>(total_rows(chunks)));
  std::int32_t* out = codes.mutable_data();
  // Most category columns hold a handful of values: comparing a cell with each of the first few
  // categories is cheaper than hashing it. Every category is in `by_text`; the first
  // `few_limit` are also in `few`.
  constexpr std::size_t few_limit = 16;
  std::vector<std::string_view> few;
  std::unordered_map<std::string_view, std::int32_t> by_text;  // views into `chunks`' buffers
  py::list categories;
  auto code_of = [&](std::string_view text) {
    for (std::size_t c = 0; c < few.size(); ++c)
      if (few[c] == text) return static_cast<std::int32_t>(c);
    if (by_text.size() < few_limit) few.push_back(text);  // then it is new
    auto [it, added] = by_text.try_emplace(text, static_cast<std::int32_t>(by_text.size()));
    if (added) categories.append(py::str(text.data(), text.size()));
    return it->second;
  };
  for_each_cell(chunks, [&](std::size_t row, std::optional<std::string_view> text) {
    out[row] = text ? code_of(*text) : -1;
  });
  return py::make_tuple(codes, categories);
}

// --- series (list columns) ---------------------------------------------------------------------

[[noreturn]] void raise_not_finite(const std::string& field, std::size_t row, std::size_t month) {
  const std::string where = field + "[" + std::to_string(month) + "]";
  raise_input(where + ": row " + std::to_string(row) + ": " + field_check::not_finite(), where,
              py::int_(row));
}

[[noreturn]] void raise_boolean_month(const std::string& field, std::size_t row,
                                      std::size_t month) {
  const std::string where = field + "[" + std::to_string(month) + "]";
  raise_input(where + ": row " + std::to_string(row) + ": expected a number, got a boolean", where,
              py::int_(row));
}

// Python's bool and numpy's (numpy.bool_, named numpy.bool in numpy 2): numbers to the number
// protocol, but never a month's amount.
bool is_boolean(PyObject* x) {
  if (PyBool_Check(x)) return true;
  const char* name = Py_TYPE(x)->tp_name;
  return std::strcmp(name, "numpy.bool") == 0 || std::strcmp(name, "numpy.bool_") == 0;
}

// A series cell that is not a list, refused as the record reader refuses it ("expected an array
// of numbers, got a number").
[[noreturn]] void raise_not_list(const std::string& field, std::size_t row, PyObject* x) {
  std::string words;
  raise_input(field + ": row " + std::to_string(row) + ": " +
                  io::wrong_kind(field_type::series, cell_of(x, words)),
              field, py::int_(row));
}

// A block of `rows` × `width` doubles and the lengths, filled row by row; each row's unused tail
// is zeroed.
struct series_output {
  py::array_t<double> block;
  py::array_t<std::int64_t> lengths;
  series_output(std::size_t rows, std::size_t width)
      : block({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)}),
        lengths(static_cast<py::ssize_t>(rows)) {}
  [[nodiscard]] std::size_t width() const { return static_cast<std::size_t>(block.shape(1)); }
  [[nodiscard]] double* row(std::size_t i) { return block.mutable_data() + i * width(); }
  void end_row(std::size_t i, std::size_t size) {
    lengths.mutable_data()[i] = static_cast<std::int64_t>(size);
    std::fill(row(i) + size, row(i) + width(), 0.0);
  }
};

// Whether `s` is a list or a tuple, whose items are then read straight from its item array
// (null for an empty list).
bool item_array(PyObject* s, PyObject**& items) {
  if (PyList_CheckExact(s)) {
    items = reinterpret_cast<PyListObject*>(s)->ob_item;
    return true;
  }
  if (PyTuple_CheckExact(s)) {
    items = reinterpret_cast<PyTupleObject*>(s)->ob_item;
    return true;
  }
  return false;
}

// A float or int element as a double without running any Python code; false for other types.
bool builtin_number(PyObject* x, double& v) {
  if (PyFloat_Check(x)) {  // float and its subclasses (numpy.float64)
    v = PyFloat_AS_DOUBLE(x);
    return true;
  }
  if (PyLong_CheckExact(x)) {
    v = PyLong_AsDouble(x);
    if (v == -1.0 && PyErr_Occurred()) {  // beyond a double's range
      PyErr_Clear();
      v = std::nan("");
    }
    return true;
  }
  return false;
}

// The usual column: lists (or tuples) of floats or ints. Nothing here runs Python code, so the
// borrowed item arrays stay valid throughout. Empty when some cell is of another type.
std::optional<py::tuple> series_block_of_lists(const object_column& rows,
                                               const std::string& field) {
  struct cell {
    PyObject** items;
    std::size_t size;
  };
  const std::size_t n = rows.size();
  std::vector<cell> cells(n);
  std::size_t width = 0;
  for (std::size_t i = 0; i < n; ++i) {  // pass one: each row's item array and size
    if (i + prefetch_rows < n) __builtin_prefetch(rows[i + prefetch_rows]);
    PyObject* s = rows[i];
    if (!item_array(s, cells[i].items)) return std::nullopt;
    cells[i].size = static_cast<std::size_t>(Py_SIZE(s));
    width = std::max(width, cells[i].size);
  }
  series_output out(n, width);
  for (std::size_t i = 0; i < n; ++i) {  // pass two: the values
    // Two stages of prefetch: a later row's item array, then (once that has arrived) the float
    // objects it points to.
    if (i + prefetch_rows < n && cells[i + prefetch_rows].items != nullptr)
      __builtin_prefetch(cells[i + prefetch_rows].items);
    if (i + prefetch_rows / 2 < n) {
      const cell& ahead = cells[i + prefetch_rows / 2];
      for (std::size_t j = 0; j < ahead.size; ++j) __builtin_prefetch(ahead.items[j]);
    }
    double* row = out.row(i);
    for (std::size_t j = 0; j < cells[i].size; ++j) {
      if (!builtin_number(cells[i].items[j], row[j])) return std::nullopt;
      if (!std::isfinite(row[j])) raise_not_finite(field, i, j);
    }
    out.end_row(i, cells[i].size);
  }
  return py::make_tuple(out.block, out.lengths, py::none());
}

// Whether a month may be read as a number: Python's int and float (and their subclasses) and
// numpy's integer and floating scalars, as json.dumps takes them for one record. Other objects
// with a number protocol (Decimal, Fraction, ...) are refused, as they are for one record.
bool number_month(PyObject* x) {
  if (PyFloat_Check(x) || PyLong_Check(x)) return true;
  // Kept for the life of the process (never released at exit, after the interpreter).
  static PyObject* const numpy_number = [] {
    auto np = py::module_::import("numpy");
    return py::make_tuple(np.attr("integer"), np.attr("floating")).release().ptr();
  }();
  const int is = PyObject_IsInstance(x, numpy_number);
  if (is < 0) throw py::error_already_set();
  return is == 1;
}

[[noreturn]] void raise_not_a_number(const std::string& field, std::size_t row, std::size_t month,
                                     PyObject* x) {
  const std::string where = field + "[" + std::to_string(month) + "]";
  std::string words;
  raise_input(where + ": row " + std::to_string(row) + ": " +
                  io::wrong_kind(field_type::number, cell_of(x, words)),
              where, py::int_(row));
}

// Any other column (numpy arrays, missing cells, other element types, ...) through the sequence
// protocol. That may run Python code, so each row is held by a reference of its own. A missing
// cell (None, NaN, pandas' NA) is an empty row marked in the returned mask (None when no cell
// is missing).
py::tuple series_block_by_protocol(const object_column& column, const std::string& field) {
  const std::size_t n = column.size();
  std::vector<py::object> rows(n);
  std::vector<std::size_t> sizes(n);
  // Text cells: "60;70;80", read as the CLI reads a CSV cell (the record reader's own rule).
  std::unordered_map<std::size_t, std::vector<double>> texts;
  keyaccount::field series_field;
  series_field.id = field;
  series_field.type = field_type::series;
  std::size_t width = 0;
  py::object missing = py::none();
  for (std::size_t i = 0; i < n; ++i) rows[i] = py::reinterpret_borrow<py::object>(column[i]);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* s = rows[i].ptr();
    // An empty text cell is no value, as an empty CSV cell.
    if (is_missing_cell(s) || (PyUnicode_Check(s) && PyUnicode_GET_LENGTH(s) == 0)) {
      if (missing.is_none()) {
        py::array_t<bool> mask(static_cast<py::ssize_t>(n));
        std::fill_n(mask.mutable_data(), n, false);
        missing = mask;
      }
      static_cast<bool*>(py::reinterpret_borrow<py::array>(missing).mutable_data())[i] = true;
      sizes[i] = 0;
      continue;
    }
    if (PyUnicode_Check(s) && PyUnicode_GET_LENGTH(s) > 0) {
      std::vector<double>& xs = texts[i];
      try {
        const auto value = field_value_from_text(series_field, utf8(s), field);
        const auto items = value.as_list().doubles();
        xs.assign(items.begin(), items.end());
      } catch (const input_error& e) {
        std::string what = e.what();
        const std::string prefix = e.field() + ": ";
        if (what.compare(0, prefix.size(), prefix) == 0) what.erase(0, prefix.size());
        raise_input(e.field() + ": row " + std::to_string(i) + ": " + what, e.field(), py::int_(i));
      }
      sizes[i] = xs.size();
      width = std::max(width, sizes[i]);
      continue;
    }
    if (!PySequence_Check(s) || PyUnicode_Check(s)) raise_not_list(field, i, s);
    const Py_ssize_t size = PySequence_Size(s);
    if (size < 0) throw py::error_already_set();
    sizes[i] = static_cast<std::size_t>(size);
    width = std::max(width, sizes[i]);
  }
  series_output out(n, width);
  for (std::size_t i = 0; i < n; ++i) {
    double* row = out.row(i);
    if (auto text = texts.find(i); text != texts.end()) {
      std::copy(text->second.begin(), text->second.end(), row);
      out.end_row(i, sizes[i]);
      continue;
    }
    for (std::size_t j = 0; j < sizes[i]; ++j) {
      // A sequence that shrank meanwhile gives an IndexError here: reported as not a number.
      auto x = py::reinterpret_steal<py::object>(
          PySequence_GetItem(rows[i].ptr(), static_cast<Py_ssize_t>(j)));
      if (x && is_boolean(x.ptr())) raise_boolean_month(field, i, j);
      if (x && !x.is_none() && !number_month(x.ptr())) raise_not_a_number(field, i, j, x.ptr());
      double v = x && !x.is_none() ? PyFloat_AsDouble(x.ptr()) : -1.0;
      if (v == -1.0 && (PyErr_Occurred() || !x || x.is_none())) v = std::nan("");
      PyErr_Clear();
      if (!std::isfinite(v)) raise_not_finite(field, i, j);
      row[j] = v;
    }
    out.end_row(i, sizes[i]);
  }
  return py::make_tuple(out.block, out.lengths, missing);
}

// A list column given as flat values and offsets (row i is values[offsets[i]:offsets[i+1]], as
// Arrow stores list<double>) to a row-major block + lengths. Non-finite values are left for the
// batch to report, located, like a NaN in a 2-D block.
py::tuple series_from_offsets(
    const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& offsets,
    const py::array_t<double, py::array::c_style | py::array::forcecast>& values,
    const std::string& field) {
  if (offsets.ndim() != 1 || offsets.size() < 1 || values.ndim() != 1)
    throw py::value_error(field + ": offsets must be 1-D with at least one element");
  const std::int64_t* o = offsets.data();
  const auto n = static_cast<std::size_t>(offsets.size() - 1);
  std::size_t width = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (o[i] < 0 || o[i + 1] < o[i] || o[i + 1] > values.size())
      throw py::value_error(field + ": offsets must count up within the values");
    width = std::max(width, static_cast<std::size_t>(o[i + 1] - o[i]));
  }
  series_output out(n, width);
  for (std::size_t i = 0; i < n; ++i) {
    const auto size = static_cast<std::size_t>(o[i + 1] - o[i]);
    std::copy_n(values.data() + o[i], size, out.row(i));
    out.end_row(i, size);
  }
  return py::make_tuple(out.block, out.lengths);
}

// The lengths a 2-D block of months right-padded with NaN says (each row's last month that is
// not NaN, plus one; 0 for a row of NaN), or None when no row ends in NaN (every series is the
// block's width). Each row is read from its end, so a full row costs one read: the same answer
// as numpy's isnan/argmax over the whole block, without its two block-sized temporaries.
py::object padded_lengths(const py::array_t<double, py::array::c_style>& block) {
  if (block.ndim() != 2) throw py::value_error("padded_lengths: expected a 2-D block");
  const auto rows = static_cast<std::size_t>(block.shape(0));
  const auto width = static_cast<std::size_t>(block.shape(1));
  const double* data = block.data();
  py::array_t<std::int64_t> lengths(static_cast<py::ssize_t>(rows));
  std::int64_t* out = lengths.mutable_data();
  bool padded = false;
  {
    py::gil_scoped_release unlocked;  // reads the block, writes the new array
    for (std::size_t i = 0; i < rows; ++i) {
      const double* row = data + i * width;
      std::size_t n = width;
      while (n > 0 && std::isnan(row[n - 1])) --n;
      padded |= n != width;
      out[i] = static_cast<std::int64_t>(n);
    }
  }
  if (!padded) return py::none();
  return lengths;
}

// A list column (one sequence of numbers per row) to a row-major block + lengths + the mask of
// missing cells (None when none is missing).
py::tuple series_block(const py::object& column, const std::string& field) {
  const object_column rows(column);
  if (auto block = series_block_of_lists(rows, field)) return *block;
  return series_block_by_protocol(rows, field);
}

// --- the id column ------------------------------------------------------------------------

// The refusals of an id column's cells, as the record reader refuses one record's id: a
// missing id when the id is required, an empty one, one that is not text.
py::list id_problems(const py::object& column, bool required) {
  const object_column values(column);
  problems found;
  std::string words, why;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i + prefetch_rows < values.size()) __builtin_prefetch(values[i + prefetch_rows]);
    PyObject* x = values[i];
    if (PyUnicode_Check(x) && PyUnicode_GET_LENGTH(x) > 0) continue;  // the usual case
    const io::table_cell c = cell_of(x, words);
    if (c.what == io::table_cell::kind::missing) {
      if (required) found.emplace_back(i, field_check::missing_required());
    } else if (!io::read_id(c, why)) {
      found.emplace_back(i, std::move(why));
    }
  }
  return problem_list(found);
}

// The same for an Arrow string id column (its chunks as arrow_category_codes takes them).
py::list arrow_id_problems(const py::list& chunk_list, bool required) {
  const auto chunks = read_chunks(chunk_list, "id");
  problems found;
  for_each_cell(chunks, [&](std::size_t row, std::optional<std::string_view> text) {
    if (!text) {
      if (required) found.emplace_back(row, field_check::missing_required());
    } else if (text->empty()) {
      found.emplace_back(row, field_check::empty_id());
    }
  });
  return problem_list(found);
}

// (rows, first rows) as two int64 arrays.
py::tuple row_pairs(const std::vector<std::pair<std::size_t, std::size_t>>& found) {
  py::array_t<std::int64_t> rows(static_cast<py::ssize_t>(found.size()));
  py::array_t<std::int64_t> firsts(static_cast<py::ssize_t>(found.size()));
  auto r = rows.mutable_unchecked<1>();
  auto f = firsts.mutable_unchecked<1>();
  for (std::size_t i = 0; i < found.size(); ++i) {
    r(static_cast<py::ssize_t>(i)) = static_cast<std::int64_t>(found[i].first);
    f(static_cast<py::ssize_t>(i)) = static_cast<std::int64_t>(found[i].second);
  }
  return py::make_tuple(rows, firsts);
}

// The rows of an id column (None / NaN / "" for no id; another object by its str(), as the
// CLI's CSV reads every id as text) whose id an earlier row gave, and those earlier rows. An
// ASCII str is read in place (its UTF-8 is its own buffer), its object prefetched a few rows
// ahead as the conversions do (the objects are wherever the allocator put them).
py::tuple repeated_id_rows(const py::object& values) {
  const object_column column(values);
  std::vector<std::string_view> ids(column.size());
  std::vector<std::uint64_t> hashes(column.size());  // while the id is in the cache
  std::vector<py::object> texts;  // the str() of ids that are not str, kept alive
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (i + prefetch_rows < column.size()) __builtin_prefetch(column[i + prefetch_rows]);
    PyObject* x = column[i];
    if (is_missing_cell(x)) continue;
    if (!PyUnicode_Check(x)) {
      texts.push_back(py::str(py::handle(x)));
      x = texts.back().ptr();
    }
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(x, &size);
    if (text == nullptr) throw py::error_already_set();
    ids[i] = std::string_view(text, static_cast<std::size_t>(size));
    hashes[i] = id_hash(ids[i]);
  }
  std::vector<std::pair<std::size_t, std::size_t>> found;
  {
    py::gil_scoped_release release;  // the views read immutable str objects the column holds
    found = repeated_ids(ids, hashes);
  }
  return row_pairs(found);
}

// The same for an Arrow string id column (its chunks as arrow_category_codes takes them): the
// ids read in the Arrow buffers, no Python object per row.
py::tuple arrow_repeated_id_rows(const py::list& chunk_list) {
  const auto chunks = read_chunks(chunk_list, "id");
  std::vector<std::string_view> ids(total_rows(chunks));
  for_each_cell(chunks, [&](std::size_t row, std::optional<std::string_view> text) {
    if (text) ids[row] = *text;
  });
  std::vector<std::pair<std::size_t, std::size_t>> found;
  {
    py::gil_scoped_release release;  // the views read buffers `chunks` holds
    found = repeated_ids(ids);
  }
  return row_pairs(found);
}

}  // namespace

void bind_columns(py::module_& m) {
  m.def("repeated_id_rows", &repeated_id_rows, py::arg("ids"),
        "(rows, first rows) of the ids an earlier row gave (docs/tables.md)");
  m.def("arrow_repeated_id_rows", &arrow_repeated_id_rows, py::arg("chunks"),
        "repeated_id_rows of an Arrow string column's chunks");
  m.def(
      "given_twice",
      [](const std::string& id, const std::string& first) { return given_twice(id, first); },
      py::arg("id"), py::arg("first"));
  m.def("padded_lengths", &padded_lengths, py::arg("block"),
        "The int64 lengths of a 2-D float64 block of months right-padded with NaN (0 for a row "
        "of NaN), or None when no row ends in NaN.");
  m.def("series_block", &series_block, py::arg("rows"), py::arg("field"),
        "A list column to (2-D float64 block, int64 lengths, bool mask of missing cells or "
        "None); InputError names a bad element.");
  m.def("id_problems", &id_problems, py::arg("values"), py::arg("required"),
        "[(row, message)] of the ids the record reader would refuse (missing, empty, not text).");
  m.def("arrow_id_problems", &arrow_id_problems, py::arg("chunks"), py::arg("required"),
        "id_problems of an Arrow string column's chunks.");
  m.def("series_from_offsets", &series_from_offsets, py::arg("offsets"), py::arg("values"),
        py::arg("field"),
        "Flat values and int64 offsets (n + 1) to (2-D float64 block, int64 lengths).");
  m.def("date_days", &date_days, py::arg("values"),
        "A column of dates (text or date objects) to (int32 days, INT32_MIN: missing; "
        "[(row, message)] of the cells that are not dates).");
  m.def("category_codes", &category_codes, py::arg("values"),
        "A column of strings to (int32 codes, categories, [(row, message)] of cells not text).");
  m.def("arrow_date_days", &arrow_date_days, py::arg("chunks"), py::arg("field"),
        "Arrow string chunks [(offsets, data, validity, offset, length)] of dates to (int32 "
        "days, [(row, message)]).");
  m.def("arrow_category_codes", &arrow_category_codes, py::arg("chunks"), py::arg("field"),
        "Arrow string chunks [(offsets, data, validity, offset, length)] to (codes, categories).");
}

}  // namespace keyaccount::python
