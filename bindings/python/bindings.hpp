#pragma once
// One function per binding area (bind_<area>.cpp), called by module.cpp.
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace keyaccount {
class classifier;
struct explanation;
}  // namespace keyaccount

namespace keyaccount::python {

void bind_errors(pybind11::module_& m);
void bind_cli(pybind11::module_& m);
void bind_policy(pybind11::module_& m);
/// keyaccount._core.policy.amend_policy (bind_policy.cpp), bound once the workflow classes are.
void bind_amend(pybind11::module_& m);
void bind_expr(pybind11::module_& m);
void bind_workflow(pybind11::module_& m);
void bind_care(pybind11::module_& m);
void bind_classify(pybind11::module_& m);
/// keyaccount._core.classify.run_policy_tests (bind_policy_tests.cpp).
void bind_policy_tests(pybind11::module_& m);
void bind_spark_sql(pybind11::module_& m);
void bind_columns(pybind11::module_& m);
/// The numpy table reader (table_columns.cpp), in keyaccount._core.columns.
void bind_table_columns(pybind11::module_& m);

/// Explanations are made a range of this many rows at a time, then turned into columns: only
/// one range's explanations (several KB per customer) exist at once.
constexpr std::size_t explain_rows = 4096;

/// How explanation text columns reach Python (explanation_columns.cpp): one str object per
/// cell in object arrays, or per range of rows the buffers of an Arrow utf8 (`string`, int32
/// offsets) or large_utf8 (`large_string`, int64 offsets) array, no Python object per cell.
enum class text_columns { objects, string, large_string };
/// "objects" / "string" / "large_string"; anything else raises ValueError.
text_columns parse_text_columns(const std::string& name);

/// Explanation columns of `rows` rows to fill: numpy arrays for .met (bool) and the numbers
/// (float64); text columns as object arrays, or (Arrow modes) empty lists that each filled range
/// appends its (offsets, data, validity or None, null count) chunk to.
pybind11::dict blank_explanation_columns(const classifier& c, std::size_t rows, text_columns text);
/// Writes `explanations` (one per row) into `columns` from row `offset` (text chunks are
/// appended). `blank`, when not null, holds one byte per row of this range: non-zero writes the
/// row as one that could not be read (no outcome, null texts, "" deciding).
void fill_explanation_columns(const classifier& c, std::span<const explanation> explanations,
                              const pybind11::dict& columns, std::size_t offset, text_columns text,
                              const std::uint8_t* blank);
/// The explanation columns of `explanations` (one per row): {"<criterion>.met": array, ...,
/// "deciding": array or chunk list}.
pybind11::dict explanation_columns(const classifier& c, std::span<const explanation> explanations,
                                   text_columns text);
/// The columns of a list of such dicts, each concatenated in order (a text column's chunk lists
/// joined).
pybind11::dict concatenate_columns(const pybind11::list& parts);

/// Raises the Python exception class `name` from keyaccount._errors with the given arguments.
[[noreturn]] void raise_python_error(const char* name, const pybind11::tuple& args);

/// Raises keyaccount.InputError with `field` and `row` attributes (the row in a table, when
/// known, else None).
[[noreturn]] void raise_input(const std::string& message, const std::string& field,
                              pybind11::object row = pybind11::none());

}  // namespace keyaccount::python
