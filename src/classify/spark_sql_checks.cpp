#include "classify/spark_sql_checks.hpp"

#include <algorithm>

#include "classify/spark_sql_text.hpp"
#include "keyaccount/classify/format.hpp"
#include "keyaccount/classify/record.hpp"
#include "keyaccount/core/field_check.hpp"

namespace keyaccount::detail {
namespace {

// Stands for a row's value in the words of an error (sql_words_around): a character no
// wording function writes itself.
constexpr std::string_view marker = "\x01";

// The Spark types each field type is read from exactly as the Arrow reader reads the Arrow
// type Spark hands it (io/arrow_table.hpp): how to read the value, and whether it can be NaN.
struct reading {
  std::string sql;
  bool nan = false;
};

bool integer_type(const std::string& t) {
  return t == "bigint" || t == "int" || t == "smallint" || t == "tinyint";
}

std::optional<reading> read_as(const field& f, const std::string& type, const std::string& col) {
  switch (f.type) {
    case field_type::number:
      if (type == "double") return reading{col, true};
      if (type == "float") return reading{"CAST(" + col + " AS DOUBLE)", true};
      if (integer_type(type)) return reading{"CAST(" + col + " AS DOUBLE)", false};
      return std::nullopt;
    case field_type::integer:
      if (integer_type(type)) return reading{"CAST(" + col + " AS BIGINT)", false};
      return std::nullopt;
    case field_type::boolean:
      if (type == "boolean") return reading{col, false};
      return std::nullopt;
    case field_type::date_:
      if (type == "date") return reading{col, false};
      return std::nullopt;
    case field_type::string_:
    case field_type::enumeration:
    case field_type::person:
      if (type == "string") return reading{col, false};
      return std::nullopt;
    case field_type::series:
      if (type == "array<double>") return reading{col, false};
      return std::nullopt;
    case field_type::string_list:
    case field_type::object:
      return std::nullopt;
  }
  return std::nullopt;
}

const char* type_name(field_type t) {
  switch (t) {
    case field_type::number:
      return "number";
    case field_type::integer:
      return "int";
    case field_type::boolean:
      return "bool";
    case field_type::date_:
      return "date";
    case field_type::enumeration:
      return "enum";
    case field_type::series:
      return "series";
    case field_type::string_list:
      return "string_list";
    case field_type::object:
      return "object";
    case field_type::person:
      return "person";
    case field_type::string_:
      return "string";
  }
  return "?";
}

std::string infinity() { return "CAST('Infinity' AS DOUBLE)"; }

class checks {
 public:
  void when(std::string condition, const std::string& field, const std::string& message) {
    add(std::move(condition), sql_string(row_error_text(field, message)));
  }
  void add(std::string condition, std::string message_sql) {
    whens_ += " WHEN " + condition + " THEN " + message_sql;
    conditions_.push_back(std::move(condition));
  }
  [[nodiscard]] const std::string& text() const noexcept { return whens_; }
  [[nodiscard]] const std::vector<std::string>& conditions() const noexcept { return conditions_; }

 private:
  std::string whens_;
  std::vector<std::string> conditions_;
};

}  // namespace

sql_row_checks row_checks(const classifier& c, date as_of, std::span<const spark_column> columns) {
  const auto& fields = c.parser().fields();
  const auto& used = c.fields_used();
  sql_row_checks out;
  out.read.resize(fields.size());
  out.unreadable.resize(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i)
    out.unreadable[i] = "the field `" + fields[i].id + "` has no column";
  // The Arrow reader's own problems (the id) come before the batch's checks of the other
  // columns, which follow the DataFrame's column order.
  checks ids, values;
  std::vector<bool> seen(fields.size());
  for (const spark_column& column : columns) {
    const auto slot = c.parser().slot_of(column.name);
    if (!slot)
      throw sql_refusal("the column `" + column.name + "` is not in the policy's customer schema");
    if (seen[*slot]) throw sql_refusal("the column `" + column.name + "` appears twice");
    seen[*slot] = true;
    const field& f = fields[*slot];
    const std::string col = sql_column(column.name);
    const bool is_id = column.name == "id" && f.type == field_type::string_;
    if (is_id) {
      if (column.type != "string")
        throw sql_refusal("the id column is of Spark type " + column.type + ", not string");
      if (f.required) ids.when(col + " IS NULL", f.id, field_check::missing_required());
      ids.when(col + " = ''", f.id, field_check::empty_id());
    }
    if (!used[*slot]) continue;
    const auto r = read_as(f, column.type, col);
    if (!r)
      throw sql_refusal("the column `" + column.name + "` is of Spark type " + column.type +
                        ", which the SQL does not read as keyaccount reads a " + type_name(f.type) +
                        " field");
    out.read[*slot] = r->sql;
    // Absent: NULL, or NaN for a number (as the batch reads a table).
    const std::string absent =
        r->nan ? "(" + col + " IS NULL OR isnan(" + col + "))" : col + " IS NULL";
    if (f.required) values.when(absent, f.id, field_check::missing_required());
    switch (f.type) {
      case field_type::number:
        if (r->nan)
          values.when("abs(" + col + ") = " + infinity(), f.id, field_check::not_finite());
        break;
      case field_type::date_: {
        // Spark's DATE covers 0001-01-01..9999-12-31: never "date outside" that range.
        const std::string words = after_as_of_message(marker, as_of.to_string());
        values.add(
            col + " > " + sql_date(as_of),
            sql_words_around(row_error_text(f.id, words), marker, "CAST(" + col + " AS STRING)"));
        break;
      }
      case field_type::enumeration: {
        std::string allowed;
        for (const auto& v : f.values) allowed += (allowed.empty() ? "" : ", ") + sql_string(v);
        values.add(
            allowed.empty() ? col + " IS NOT NULL" : col + " NOT IN (" + allowed + ")",
            sql_words_around(row_error_text(f.id, field_check::not_allowed(marker)), marker, col));
        break;
      }
      case field_type::series: {
        // A null month is not finite either (the Arrow reader reads it as NaN).
        const std::string bad = "ka_v IS NULL OR isnan(ka_v) OR abs(ka_v) = " + infinity();
        const std::string index =
            "CAST(array_position(transform(" + col + ", ka_v -> " + bad + "), TRUE) - 1 AS STRING)";
        const std::string field_words = std::string(f.id) + "[" + std::string(marker) + "]";
        // One lambda over the months: measured faster on Spark 4.3 than array_contains,
        // array_max and array_min (three loops of compiled code) together.
        values.add("exists(" + col + ", ka_v -> " + bad + ")",
                   sql_words_around(row_error_text(field_words, field_check::not_finite()), marker,
                                    index));
        out.series.emplace_back(f.id, col);
        break;
      }
      default:
        break;
    }
  }
  out.error_whens = ids.text() + values.text();
  out.conditions = ids.conditions();
  out.conditions.insert(out.conditions.end(), values.conditions().begin(),
                        values.conditions().end());
  return out;
}

}  // namespace keyaccount::detail
