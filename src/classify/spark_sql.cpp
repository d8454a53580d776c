#include "keyaccount/classify/spark_sql.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "classify/spark_sql_checks.hpp"
#include "classify/spark_sql_expression.hpp"
#include "classify/spark_sql_text.hpp"
#include "keyaccount/expr/checker.hpp"
#include "keyaccount/expr/parser.hpp"
#include "keyaccount/policy/expressions.hpp"

namespace keyaccount {
namespace {

using detail::sql_refusal;

// The tiers of a policy as one CASE expression over its criteria's translated conditions.
class tier_translator {
 public:
  tier_translator(const policy& p, detail::sql_condition_context ctx)
      : pol_(p), ctx_(std::move(ctx)), memo_(p.criteria.size()) {}

  std::string tiers() {
    std::string sql = "CASE";
    for (const tier& t : pol_.tiers) {
      if (!t.rule) return sql + " ELSE " + detail::sql_string(t.id) + " END";
      sql += " WHEN " + combine(t.rule->combine, t.rule->at_least, t.rule->parts) + " THEN " +
             detail::sql_string(t.id);
    }
    // decide_outcomes() then gives no tier: an error ("no tier could be decided") for a row no
    // rule holds for, which the SQL does not word.
    throw sql_refusal("the policy has no fallback tier (a tier without a rule)");
  }

  // The most comprehensions one translated condition runs.
  [[nodiscard]] std::size_t comprehensions() const noexcept { return comprehensions_; }

 private:
  // As the classifier combines outcomes (all, any, at least k), none of them an error: the
  // translated conditions are never NULL for a row that passed the checks.
  std::string combine(combinator how, int at_least, const std::vector<std::string>& parts) {
    std::vector<std::string> sql;
    for (const auto& id : parts) sql.push_back(criterion(id));
    const std::size_t n = sql.size();
    const std::size_t need = how == combinator::all ? n
                             : how == combinator::any
                                 ? 1
                                 : static_cast<std::size_t>(std::max(at_least, 0));
    if (need == 0) return "TRUE";
    if (need > n) return "FALSE";
    std::string out = "(";
    if (need == n || need == 1) {
      for (std::size_t i = 0; i < n; ++i) out += (i ? (need == n ? " AND " : " OR ") : "") + sql[i];
      return out + ")";
    }
    for (std::size_t i = 0; i < n; ++i) out += (i ? " + " : "") + ("IF(" + sql[i] + ", 1, 0)");
    return out + " >= " + std::to_string(need) + ")";
  }

  std::string criterion(const std::string& id) {
    std::size_t index = pol_.criteria.size();
    for (std::size_t i = 0; i < pol_.criteria.size(); ++i)
      if (pol_.criteria[i].id == id) index = i;
    if (index == pol_.criteria.size()) throw sql_refusal("unknown criterion " + id);
    if (memo_[index]) return *memo_[index];
    const keyaccount::criterion& c = pol_.criteria[index];
    std::string sql;
    if (c.is_leaf()) {
      try {
        sql = condition(c.condition);
      } catch (const sql_refusal& e) {
        throw sql_refusal("criterion " + c.id + " (`" + c.condition + "`): " + e.what());
      }
    } else {
      sql = combine(c.combine, c.at_least, c.parts);
    }
    memo_[index] = sql;
    return sql;
  }

  // The condition parsed and checked as the classifier compiles it (customer_declarations).
  std::string condition(const std::string& source) {
    auto parsed = expr::parse(source);
    if (!parsed.ast) throw sql_refusal("it does not parse");
    std::vector<std::string> implicit;
    if (!expr::check(*parsed.ast, *ctx_.decls, {}, implicit).empty())
      throw sql_refusal("it does not type-check");
    detail::sql_condition sql = detail::condition_sql(*parsed.ast, ctx_);
    comprehensions_ = std::max(comprehensions_, sql.comprehensions);
    return sql.text;
  }

  const policy& pol_;
  detail::sql_condition_context ctx_;
  std::vector<std::optional<std::string>> memo_;
  std::size_t comprehensions_ = 0;
};

// A good row: none of the checks' `conditions` holds.
std::string good_row(const std::vector<std::string>& conditions) {
  std::string good;
  for (const auto& c : conditions)
    good += (good.empty() ? "" : " AND ") + ("(" + c + ") IS NOT TRUE");
  return good;
}

}  // namespace

spark_sql to_spark_sql(const classifier& c, date as_of, std::span<const spark_column> columns) {
  try {
    const policy& p = c.source_policy();
    detail::sql_row_checks checks = detail::row_checks(c, as_of, columns);
    const expr::declarations decls = customer_declarations(p);
    detail::sql_condition_context ctx{&decls, &c.parser().fields(), checks.read, checks.unreadable,
                                      as_of};
    tier_translator tiers(p, std::move(ctx));
    spark_sql out;
    out.tier = tiers.tiers();
    std::string whens = checks.error_whens;
    std::vector<std::string> conditions = checks.conditions;
    if (const std::size_t k = tiers.comprehensions(); k > 0) {
      // k comprehensions over at most n elements each take at most k·n of the interpreter's
      // steps: up to n = budget / k no condition can run out of them. Past it the interpreter
      // may give an error, which the SQL does not word: the query fails instead.
      const std::uint64_t limit = expr::compile_options{}.max_comprehension_iterations / k;
      for (const auto& [id, col] : checks.series) {
        conditions.push_back("size(" + col + ") > " + std::to_string(limit));
        whens += " WHEN " + conditions.back() + " THEN raise_error(concat(" +
                 detail::sql_string(id + ": a series of ") + ", CAST(size(" + col +
                 ") AS STRING), " +
                 detail::sql_string(
                     " values is longer than the Spark SQL engine "
                     "classifies exactly (" +
                     std::to_string(limit) + "); classify with engine=\"arrow\"") +
                 "))";
      }
    }
    if (conditions.empty()) {
      out.error = "CAST(NULL AS STRING)";
      return out;
    }
    // Only the conditions are evaluated for a good row (compiled to Java by Spark, shared by the
    // two expressions as a common subexpression). A bad row's words are computed inside a
    // one-element transform(): a Spark that interprets lambda functions keeps the wording code
    // out of the generated method, which the JVM's JIT compiler leaves interpreted past 8000
    // bytes of bytecode. Spark 4.3 compiles lambdas too; its largest generated method for the
    // default policy is then about 5 200 bytes (docs/spark.md, Speed).
    const std::string good = good_row(conditions);
    out.tier = "CASE WHEN " + good + " THEN " + out.tier + " END";
    out.error = "CASE WHEN " + good +
                " THEN CAST(NULL AS STRING) ELSE element_at(transform(array(0), " +
                "ka_row -> CASE" + whens + " END), 1) END";
    return out;
  } catch (const sql_refusal& e) {
    spark_sql out;
    out.refusal = e.what();
    return out;
  }
}

}  // namespace keyaccount
