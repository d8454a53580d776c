// keyaccount._core.classify.to_spark_sql: the Spark SQL of a compiled policy for a DataFrame's
// columns (keyaccount/classify/spark_sql.hpp), for keyaccount.spark.classify(engine="sql").
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "keyaccount/classify/spark_sql.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

std::tuple<std::string, std::string, std::string> to_spark_sql(
    const std::shared_ptr<classifier>& c, const std::string& as_of,
    const std::vector<std::pair<std::string, std::string>>& columns) {
  const auto day = date::parse(as_of);
  if (!day) throw std::invalid_argument("as_of: expected a date YYYY-MM-DD, got \"" + as_of + "\"");
  std::vector<spark_column> spark;
  spark.reserve(columns.size());
  for (const auto& [name, type] : columns) spark.push_back({name, type});
  spark_sql sql = keyaccount::to_spark_sql(*c, *day, spark);
  return {std::move(sql.tier), std::move(sql.error), std::move(sql.refusal)};
}

}  // namespace

void bind_spark_sql(py::module_& m) {
  m.def("to_spark_sql", &to_spark_sql, py::arg("classifier"), py::arg("as_of"), py::arg("columns"),
        "The Spark SQL of a Classifier on `as_of` (YYYY-MM-DD) for a DataFrame of `columns` "
        "[(name, Spark type as DataType.simpleString() writes it)], in its order: (tier, "
        "error, refusal). `tier` gives a row's tier id where `error` is NULL; `error` words a "
        "row that cannot be classified as classify(on_error='skip') does. When the policy or "
        "a column cannot be translated exactly, both are '' and `refusal` says why.");
}

}  // namespace keyaccount::python
