#include "classify/spark_sql_expression.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "classify/spark_sql_months.hpp"
#include "classify/spark_sql_text.hpp"

namespace keyaccount::detail {
namespace {

using expr::node;
using expr::node_kind;
using expr::reference_kind;
using expr::type_kind;

// A translated subexpression: its SQL, its CEL kind, whether it may be NaN (the result of
// double arithmetic; a field or element that passed the checks is finite), and its value when
// it is a constant (a literal or a parameter).
struct piece {
  piece(std::string text, type_kind k, bool nan = false, std::optional<expr::value> value = {})
      : sql(std::move(text)), kind(k), maybe_nan(nan), constant(std::move(value)) {}
  std::string sql;
  type_kind kind = type_kind::dyn;
  bool maybe_nan = false;
  std::optional<expr::value> constant;
  std::optional<sql_months> months{};  // a list: the months it holds
  // `months.trailing(x, test)`, kept so that comparing it with a constant needs no lambda.
  std::optional<std::pair<sql_months, sql_month_test>> trailing{};
};

std::string size_of(const piece& list) {
  return list.months ? list.months->size() : "size(" + list.sql + ")";
}

// Whether `n` reads the comprehension variable `name`.
bool mentions(const node& n, const std::string& name) {
  if (n.kind == node_kind::ident && n.ref == reference_kind::local && n.name == name) return true;
  for (const auto& child : n.children)
    if (child && mentions(*child, name)) return true;
  return false;
}

std::string flipped(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

piece literal(const expr::value& v) {
  switch (v.kind()) {
    case expr::value_kind::boolean:
      return {v.as_bool() ? "TRUE" : "FALSE", type_kind::boolean, false, v};
    case expr::value_kind::int64:
      return {sql_bigint(v.as_int()), type_kind::int64, false, v};
    case expr::value_kind::float64:
      return {sql_double(v.as_double()), type_kind::float64, false, v};
    case expr::value_kind::string:
      return {sql_string(v.as_string()), type_kind::string, false, v};
    default:
      throw sql_refusal("a constant of type " + std::string(expr::to_string(v.kind())) +
                        " is not translated");
  }
}

std::string relation_sql(const std::string& name) {
  if (name == "_<_") return "<";
  if (name == "_<=_") return "<=";
  if (name == "_>_") return ">";
  if (name == "_>=_") return ">=";
  if (name == "_==_") return "=";
  if (name == "_!=_") return "<>";
  return {};
}

class translator {
 public:
  explicit translator(const sql_condition_context& ctx) : ctx_(ctx) {}

  std::size_t comprehensions = 0;

  piece of(const node& n) {
    switch (n.kind) {
      case node_kind::literal:
        return literal(n.literal);
      case node_kind::ident:
        return ident(n);
      case node_kind::select:
        return select(n);
      case node_kind::call:
        return call(n);
      case node_kind::comprehension:
        return comprehension(n);
      case node_kind::list:
        throw sql_refusal("a list is translated only as the constant list of `in`");
      case node_kind::map:
        throw sql_refusal("a map is not translated");
    }
    throw sql_refusal("an unknown expression");
  }

 private:
  piece ident(const node& n) {
    if (n.ref == reference_kind::local) {
      for (auto it = locals_.rbegin(); it != locals_.rend(); ++it)
        if (it->first == n.name) return {it->second, n.checked_type.kind(), false, std::nullopt};
      throw sql_refusal("the variable `" + n.name + "` is not translated");
    }
    if (n.ref == reference_kind::constant) {
      const auto& constants = ctx_.decls->constants();
      if (n.ref_index < constants.size()) return literal(constants[n.ref_index].const_value);
      throw sql_refusal("the constant `" + n.name + "` is not translated");
    }
    if (n.ref != reference_kind::variable) throw sql_refusal("`" + n.name + "` is not declared");
    const std::size_t slot = n.ref_index;
    const auto& fields = *ctx_.fields;
    if (slot == fields.size()) return {sql_date(ctx_.as_of), type_kind::date, false, std::nullopt};
    if (slot > fields.size()) throw sql_refusal("`" + n.name + "` is not translated");
    const field& f = fields[slot];
    if (!f.required)
      throw sql_refusal("it reads the optional field `" + f.id +
                        "` (its absent value is a CEL error the SQL does not word)");
    if (ctx_.read[slot].empty()) throw sql_refusal(ctx_.unreadable[slot]);
    const type_kind kind = n.checked_type.kind();
    if (kind == type_kind::list && n.checked_type.elem().kind() != type_kind::float64)
      throw sql_refusal("the list field `" + f.id + "` is not translated");
    if (kind == type_kind::object || kind == type_kind::map || kind == type_kind::dyn)
      throw sql_refusal("the field `" + f.id + "` is not translated");
    piece out(ctx_.read[slot], kind);
    if (kind == type_kind::list) out.months = sql_months{ctx_.read[slot]};
    return out;
  }

  piece select(const node& n) {
    if (!n.test_only && !n.children.empty() && n.children[0]->kind == node_kind::ident &&
        n.children[0]->ref == reference_kind::constant) {
      const auto& constants = ctx_.decls->constants();
      const std::uint32_t index = n.children[0]->ref_index;
      if (index < constants.size())
        if (const expr::value* v = constants[index].const_value.find_field(n.name))
          return literal(*v);
    }
    throw sql_refusal("`." + n.name + "` of a value other than params is not translated");
  }

  piece call(const node& n) {
    const std::string& f = n.name;
    if (f == "_&&_" || f == "_||_") {
      std::string sql = "(";
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        piece p = boolean(*n.children[i]);
        if (i > 0) sql += f == "_&&_" ? " AND " : " OR ";
        sql += p.sql;
      }
      return {sql + ")", type_kind::boolean, false, std::nullopt};
    }
    if (f == "!_" && n.children.size() == 1)
      return {"(NOT " + boolean(*n.children[0]).sql + ")", type_kind::boolean, false, std::nullopt};
    if (std::string op = relation_sql(f); !op.empty() && n.children.size() == 2)
      return relation(op, of(*n.children[0]), of(*n.children[1]));
    if (f == "@in" && n.children.size() == 2) return in(of(*n.children[0]), *n.children[1]);
    if ((f == "_+_" || f == "_-_" || f == "_*_") && n.children.size() == 2)
      return arithmetic(f, of(*n.children[0]), of(*n.children[1]));
    if (f == "-_" && n.children.size() == 1) return negate(of(*n.children[0]));
    if (f == "size" && n.children.size() == 1) {
      piece p = of(*n.children[0]);
      if (p.kind != type_kind::list) throw sql_refusal("size() of a non-list is not translated");
      return {size_of(p), type_kind::int64};
    }
    if (f == "last" && n.member && n.children.size() == 2) return last(n);
    if (f == "months_between" && !n.member && n.children.size() == 2) {
      piece a = of(*n.children[0]), b = of(*n.children[1]);
      if (a.kind != type_kind::date || b.kind != type_kind::date)
        throw sql_refusal("months_between() of non-dates is not translated");
      // docs/cel.md: (y2−y1)·12 + (m2−m1), minus 1 when to's day of month is before from's.
      return {"((year(" + b.sql + ") - year(" + a.sql + ")) * 12 + (month(" + b.sql + ") - month(" +
                  a.sql + ")) - IF(day(" + b.sql + ") < day(" + a.sql + "), 1, 0))",
              type_kind::int64, false, std::nullopt};
    }
    if (f == "/" || f == "_/_" || f == "_%_")
      throw sql_refusal("division is not translated (dividing by zero is a CEL error)");
    if (f == "_?_:_") throw sql_refusal("the conditional `?:` is not translated");
    if (f == "_[_]") throw sql_refusal("indexing is not translated (out of range is a CEL error)");
    throw sql_refusal("the function " + f + "() is not translated");
  }

  piece boolean(const node& n) {
    piece p = of(n);
    if (p.kind != type_kind::boolean)
      throw sql_refusal("a non-boolean operand of a logical operator");
    return p;
  }

  static piece relation(const std::string& op, const piece& a, const piece& b) {
    if (a.trailing && b.constant && b.constant->is_int())
      if (auto sql = trailing_relation(op, *a.trailing, b.constant->as_int()))
        return {*sql, type_kind::boolean, false, std::nullopt};
    if (b.trailing && a.constant && a.constant->is_int())
      if (auto sql = trailing_relation(flipped(op), *b.trailing, a.constant->as_int()))
        return {*sql, type_kind::boolean, false, std::nullopt};
    if (a.kind != b.kind)
      throw sql_refusal("a relation between values of different types is not translated");
    switch (a.kind) {
      case type_kind::int64:
      case type_kind::float64:
      case type_kind::string:
      case type_kind::date:
        break;
      case type_kind::boolean:
        if (op == "=" || op == "<>") break;
        [[fallthrough]];
      default:
        throw sql_refusal("this relation is not translated");
    }
    std::string sql = "(" + a.sql + " " + op + " " + b.sql + ")";
    if (a.maybe_nan || b.maybe_nan) {
      // CEL (IEEE): NaN is unordered and unequal to everything; Spark orders NaN above every
      // number and equal to itself.
      const std::string nan = "isnan(" + a.sql + ") OR isnan(" + b.sql + ")";
      sql = op == "<>" ? "(" + nan + " OR " + sql + ")" : "(NOT (" + nan + ") AND " + sql + ")";
    }
    return {sql, type_kind::boolean, false, std::nullopt};
  }

  // `run OP k` through trailing_at_least, for OP one of >= > < <= (k small enough that k + 1
  // does not overflow Spark's INT sizes).
  static std::optional<std::string> trailing_relation(
      const std::string& op, const std::pair<sql_months, sql_month_test>& t, std::int64_t k) {
    if (k >= std::numeric_limits<std::int32_t>::max() - 1) return std::nullopt;
    const auto& [months, test] = t;
    if (op == ">=") return trailing_at_least(months, test, k);
    if (op == ">") return trailing_at_least(months, test, k + 1);
    if (op == "<") return "(NOT " + trailing_at_least(months, test, k) + ")";
    if (op == "<=") return "(NOT " + trailing_at_least(months, test, k + 1) + ")";
    return std::nullopt;
  }

  // The test of a comprehension over `var` as a threshold, when it is one.
  std::optional<sql_month_test> element_threshold(const node& test, const std::string& var) {
    if (test.kind != node_kind::call || test.children.size() != 2) return std::nullopt;
    std::string op = relation_sql(test.name);
    if (op.empty() || op == "=" || op == "<>") return std::nullopt;
    const node& left = *test.children[0];
    const node& right = *test.children[1];
    auto is_var = [&](const node& n) {
      return n.kind == node_kind::ident && n.ref == reference_kind::local && n.name == var;
    };
    const node* bound = nullptr;
    if (is_var(left) && !mentions(right, var)) {
      bound = &right;
    } else if (is_var(right) && !mentions(left, var)) {
      bound = &left;
      op = flipped(op);
    } else {
      return std::nullopt;
    }
    piece b = of(*bound);
    if (b.kind != type_kind::float64 || b.maybe_nan) return std::nullopt;
    return sql_month_test{op, b.sql};
  }

  piece in(const piece& item, const node& list) {
    if (item.kind != type_kind::string && item.kind != type_kind::int64)
      throw sql_refusal("`in` is translated for a string or an int");
    if (list.kind != node_kind::list)
      throw sql_refusal("`in` is translated for a list written in the condition only");
    std::vector<piece> values;
    for (const auto& child : list.children) values.push_back(of(*child));
    std::string sql;
    for (const piece& v : values) {
      if (!v.constant || v.kind != item.kind)
        throw sql_refusal("`in` is translated for a list of constants of the value's type");
      sql += (sql.empty() ? "" : ", ") + v.sql;
    }
    if (values.empty()) return {"FALSE", type_kind::boolean, false, std::nullopt};
    return {"(" + item.sql + " IN (" + sql + "))", type_kind::boolean, false, std::nullopt};
  }

  static piece arithmetic(const std::string& f, const piece& a, const piece& b) {
    if (a.kind != type_kind::float64 || b.kind != type_kind::float64)
      throw sql_refusal(
          "arithmetic other than on doubles is not translated (int overflow is "
          "a CEL error)");
    const char op = f[1];
    return {"(" + a.sql + " " + op + " " + b.sql + ")", type_kind::float64, true, std::nullopt};
  }

  static piece negate(const piece& a) {
    if (a.constant && a.constant->is_int() &&
        a.constant->as_int() != std::numeric_limits<std::int64_t>::min())
      return literal(expr::value::int64(-a.constant->as_int()));
    if (a.constant && a.constant->is_double())
      return literal(expr::value::float64(-a.constant->as_double()));
    if (a.kind != type_kind::float64)
      throw sql_refusal("negating an int is not translated (it can overflow)");
    return {"(- " + a.sql + ")", type_kind::float64, a.maybe_nan, std::nullopt};
  }

  piece last(const node& n) {
    piece series = of(*n.children[0]);
    piece count = of(*n.children[1]);
    if (series.kind != type_kind::list)
      throw sql_refusal(".last() of a non-list is not translated");
    if (!count.constant || !count.constant->is_int())
      throw sql_refusal(".last(k) is translated for a constant k only");
    const std::int64_t k = count.constant->as_int();
    if (k < 0) throw sql_refusal(".last() of a negative count is a CEL error");
    if (k > std::numeric_limits<std::int32_t>::max()) return series;  // every element
    // The newest k elements, all of them when the series is shorter (docs/cel.md).
    if (!series.months) throw sql_refusal(".last() of this list is not translated");
    sql_months months = *series.months;
    months.take = months.take ? std::min(*months.take, k) : k;
    piece out(months.sql(), type_kind::list);
    out.months = months;
    return out;
  }

  piece comprehension(const node& n) {
    if (!locals_.empty()) throw sql_refusal("a comprehension inside another is not translated");
    switch (n.macro) {
      case expr::macro_kind::all:
      case expr::macro_kind::exists:
      case expr::macro_kind::exists_one:
      case expr::macro_kind::count:
      case expr::macro_kind::trailing:
        break;
      default:
        throw sql_refusal("this comprehension macro (map, filter, longest_run) is not translated");
    }
    if (n.children.size() != 2) throw sql_refusal("this comprehension is not translated");
    piece range = of(*n.children[0]);
    if (range.kind != type_kind::list)
      throw sql_refusal("a comprehension over a non-list is not translated");
    const std::string x = "ka_x";
    locals_.emplace_back(n.name, x);
    piece test = boolean(*n.children[1]);
    locals_.pop_back();
    ++comprehensions;
    const std::string lambda = x + " -> " + test.sql;
    // The range's months are finite numbers (the checks passed): spark_sql_months.hpp.
    std::optional<sql_month_test> bound;
    if (range.months) bound = element_threshold(*n.children[1], n.name);
    if (bound && n.macro == expr::macro_kind::all)
      return {all_months(*range.months, *bound), type_kind::boolean};
    if (bound && n.macro == expr::macro_kind::exists)
      return {any_month(*range.months, *bound), type_kind::boolean};
    switch (n.macro) {
      case expr::macro_kind::all:
        return {"forall(" + range.sql + ", " + lambda + ")", type_kind::boolean, false, {}};
      case expr::macro_kind::exists:
        return {"exists(" + range.sql + ", " + lambda + ")", type_kind::boolean, false, {}};
      case expr::macro_kind::exists_one:
        return {
            "(size(filter(" + range.sql + ", " + lambda + ")) = 1)", type_kind::boolean, false, {}};
      case expr::macro_kind::count:
        return {"size(filter(" + range.sql + ", " + lambda + "))", type_kind::int64, false, {}};
      case expr::macro_kind::trailing:
        // The run of newest elements meeting the test: reset at each one that does not.
        {
          piece run("aggregate(" + range.sql + ", 0, (ka_run, " + x + ") -> IF(" + test.sql +
                        ", ka_run + 1, 0))",
                    type_kind::int64);
          if (bound) run.trailing = std::make_pair(*range.months, *bound);
          return run;
        }
      default:
        throw sql_refusal("this comprehension macro is not translated");
    }
  }

  const sql_condition_context& ctx_;
  std::vector<std::pair<std::string, std::string>> locals_;  // CEL name, SQL name
};

}  // namespace

sql_condition condition_sql(const expr::ast& tree, const sql_condition_context& ctx) {
  if (!tree.root) throw sql_refusal("an empty condition");
  translator t(ctx);
  piece p = t.of(*tree.root);
  if (p.kind != type_kind::boolean) throw sql_refusal("a condition that is not a boolean");
  return {p.sql, t.comprehensions};
}

}  // namespace keyaccount::detail
