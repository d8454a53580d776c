#include "nodes.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <span>

#include "vector_kernels.hpp"

namespace keyaccount::expr::detail {

kernel_ptr eval_node::vectorize(vector_builder&) const { return nullptr; }

namespace {

class constant_node final : public eval_node {
 public:
  explicit constant_node(value v) : v_(std::move(v)) {}
  value eval(eval_context&) const override { return v_; }
  const value* constant() const noexcept override { return &v_; }
  kernel_ptr vectorize(vector_builder&) const override { return vector_constant(v_); }

 private:
  value v_;
};

class variable_node final : public eval_node {
 public:
  variable_node(std::uint32_t slot, std::string name) : slot_(slot), name_(std::move(name)) {}
  value eval(eval_context& ctx) const override {
    if (const value* v = ctx.vars->get(slot_)) return *v;
    return value::error("no value bound for variable '" + name_ + "'");
  }
  kernel_ptr vectorize(vector_builder& b) const override { return vector_variable(b, slot_); }

 private:
  std::uint32_t slot_;
  std::string name_;
};

class local_node final : public eval_node {
 public:
  explicit local_node(std::uint32_t slot) : slot_(slot) {}
  value eval(eval_context& ctx) const override { return ctx.locals[slot_]; }
  const std::uint32_t* local_slot() const noexcept override { return &slot_; }

 private:
  std::uint32_t slot_;
};

class select_node final : public eval_node {
 public:
  select_node(eval_ptr operand, std::string field, bool test_only)
      : operand_(std::move(operand)), field_(std::move(field)), test_only_(test_only) {}
  value eval(eval_context& ctx) const override {
    value v = operand_->eval(ctx);
    if (v.is_error()) return v;
    if (!v.is_map() && !v.is_object()) {
      return value::error("no such overload: cannot select field '" + field_ + "' from " +
                          std::string(to_string(v.kind())));
    }
    const value* f = v.find_field(field_);
    if (test_only_) return value::boolean(f != nullptr);
    if (!f) {
      return value::error(v.is_object() ? "field '" + field_ + "' is not set"
                                        : "no such key: \"" + field_ + "\"");
    }
    return *f;
  }

 private:
  eval_ptr operand_;
  std::string field_;
  bool test_only_;
};

// Calls with their arguments evaluated into a stack array: no allocation per call.
template <std::size_t N>
class call_node final : public eval_node {
 public:
  call_node(const function_def& f, std::vector<eval_ptr> args) : impl_(f.impl), name_(f.name) {
    for (std::size_t i = 0; i < N; ++i) args_[i] = std::move(args[i]);
  }
  value eval(eval_context& ctx) const override {
    if constexpr (N == 1) {
      value a = args_[0]->eval(ctx);
      if (a.is_error()) return a;  // strict: an error argument is the result
      return impl_(&a, 1, ctx);
    } else {
      std::array<value, N> vals;
      for (std::size_t i = 0; i < N; ++i) {
        vals[i] = args_[i]->eval(ctx);
        if (vals[i].is_error()) return vals[i];
      }
      return impl_(vals.data(), N, ctx);
    }
  }

  // The functions with a columnar form; constant arguments (`in` lists, `last` counts) are
  // read at build time.
  kernel_ptr vectorize(vector_builder& b) const override {
    if constexpr (N == 1) {
      if (name_ == "!_") return vector_not(args_[0]->vectorize(b));
      if (name_ == "size") return vector_size(args_[0]->vectorize(b));
    } else if constexpr (N == 2) {
      if (name_ == "_==_" || name_ == "_!=_")
        return vector_relation(name_ == "_==_" ? 4 : 5, args_[0]->vectorize(b),
                               args_[1]->vectorize(b));
      if (name_ == "@in" && args_[1]->constant())
        return vector_in(args_[0]->vectorize(b), *args_[1]->constant());
      if (name_ == "last" && args_[1]->constant())
        return vector_last(args_[0]->vectorize(b), *args_[1]->constant());
      if (name_ == "months_between")
        return vector_months_between(args_[0]->vectorize(b), args_[1]->vectorize(b));
    }
    return nullptr;
  }

 private:
  function_impl impl_;
  std::string_view name_;  // the registry's definitions live as long as the program
  std::array<eval_ptr, N> args_;
};

// A number that converts to double without rounding, so that comparing doubles against it as
// a double gives CEL's exact heterogeneous numeric ordering.
std::optional<double> exact_double(const value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->as_double();
  constexpr std::int64_t exact_limit = std::int64_t{1} << 53;
  if (v->is_int() && v->as_int() >= -exact_limit && v->as_int() <= exact_limit)
    return static_cast<double>(v->as_int());
  return std::nullopt;
}

// `<`, `<=`, `>`, `>=`: the common double/double and int/int cases are compared inline; every
// other combination goes through the general implementation (mixed numbers, strings, errors).
template <int Op>
class relation_node final : public eval_node {
 public:
  relation_node(function_impl general, eval_ptr a, eval_ptr b)
      : general_(general), a_(std::move(a)), b_(std::move(b)) {
    using op = element_test::op;
    constexpr op as_written[] = {op::less, op::less_equal, op::greater, op::greater_equal};
    constexpr op mirrored[] = {op::greater, op::greater_equal, op::less, op::less_equal};
    if (const std::uint32_t* slot = a_->local_slot()) {
      if (auto c = exact_double(b_->constant())) test_ = element_test{*slot, as_written[Op], *c};
    } else if (const std::uint32_t* slot_b = b_->local_slot()) {
      if (auto c = exact_double(a_->constant())) test_ = element_test{*slot_b, mirrored[Op], *c};
    }
  }
  const element_test* as_element_test() const noexcept override {
    return test_ ? &*test_ : nullptr;
  }
  value eval(eval_context& ctx) const override {
    std::array<value, 2> v{a_->eval(ctx), b_->eval(ctx)};
    if (v[0].is_double() && v[1].is_double())
      return value::boolean(test(v[0].as_double(), v[1].as_double()));
    if (v[0].is_int() && v[1].is_int()) return value::boolean(test(v[0].as_int(), v[1].as_int()));
    if (v[0].is_error()) return v[0];
    if (v[1].is_error()) return v[1];
    return general_(v.data(), 2, ctx);
  }
  kernel_ptr vectorize(vector_builder& b) const override {
    return vector_relation(Op, a_->vectorize(b), b_->vectorize(b));
  }

 private:
  template <typename T>
  static bool test(T x, T y) {
    if constexpr (Op == 0) return x < y;
    if constexpr (Op == 1) return x <= y;
    if constexpr (Op == 2) return x > y;
    return x >= y;  // NaN: false for every operator, as CEL requires
  }
  function_impl general_;
  eval_ptr a_, b_;
  std::optional<element_test> test_;
};

class call_node_n final : public eval_node {
 public:
  call_node_n(function_impl impl, std::vector<eval_ptr> args)
      : impl_(impl), args_(std::move(args)) {}
  value eval(eval_context& ctx) const override {
    std::vector<value> vals;
    vals.reserve(args_.size());
    for (const auto& a : args_) {
      vals.push_back(a->eval(ctx));
      if (vals.back().is_error()) return vals.back();
    }
    return impl_(vals.data(), vals.size(), ctx);
  }

 private:
  function_impl impl_;
  std::vector<eval_ptr> args_;
};

class unbound_function_node final : public eval_node {
 public:
  explicit unbound_function_node(std::string name) : name_(std::move(name)) {}
  value eval(eval_context&) const override {
    return value::error("unbound function '" + name_ + "'");
  }

 private:
  std::string name_;
};

// && and || are commutative in CEL: a false (true) operand decides the result even when the
// other operand is an error, whichever side the error is on.
template <bool IsAnd>
class logic_node final : public eval_node {
 public:
  logic_node(eval_ptr a, eval_ptr b) : a_(std::move(a)), b_(std::move(b)) {}
  value eval(eval_context& ctx) const override {
    value l = a_->eval(ctx);
    if (l.is_bool() && l.as_bool() != IsAnd) return l;
    value r = b_->eval(ctx);
    if (r.is_bool() && r.as_bool() != IsAnd) return r;
    if (l.is_bool() && r.is_bool()) return l;
    if (l.is_error()) return l;
    if (r.is_error()) return r;
    std::array<value, 2> args{l, r};
    return no_such_overload(IsAnd ? "_&&_" : "_||_", args.data(), 2);
  }
  kernel_ptr vectorize(vector_builder& b) const override {
    return vector_logic(IsAnd, a_->vectorize(b), b_->vectorize(b));
  }

 private:
  eval_ptr a_, b_;
};

class conditional_node final : public eval_node {
 public:
  conditional_node(eval_ptr c, eval_ptr t, eval_ptr f)
      : c_(std::move(c)), t_(std::move(t)), f_(std::move(f)) {}
  value eval(eval_context& ctx) const override {
    value c = c_->eval(ctx);
    if (c.is_error()) return c;
    if (!c.is_bool()) return no_such_overload("_?_:_", &c, 1);
    return c.as_bool() ? t_->eval(ctx) : f_->eval(ctx);
  }

 private:
  eval_ptr c_, t_, f_;
};

class list_node final : public eval_node {
 public:
  explicit list_node(std::vector<eval_ptr> elems) : elems_(std::move(elems)) {}
  value eval(eval_context& ctx) const override {
    std::vector<value> out;
    out.reserve(elems_.size());
    for (const auto& e : elems_) {
      out.push_back(e->eval(ctx));
      if (out.back().is_error()) return out.back();
    }
    return value::list(std::move(out));
  }

 private:
  std::vector<eval_ptr> elems_;
};

class map_node final : public eval_node {
 public:
  explicit map_node(std::vector<eval_ptr> kv) : kv_(std::move(kv)) {}
  value eval(eval_context& ctx) const override {
    std::vector<value::map_entry> out;
    out.reserve(kv_.size() / 2);
    for (std::size_t i = 0; i + 1 < kv_.size(); i += 2) {
      value k = kv_[i]->eval(ctx);
      if (k.is_error()) return k;
      value v = kv_[i + 1]->eval(ctx);
      if (v.is_error()) return v;
      out.emplace_back(std::move(k), std::move(v));
    }
    return value::map(std::move(out));
  }

 private:
  std::vector<eval_ptr> kv_;
};

value iteration_limit() { return value::error("comprehension iteration limit exceeded"); }

class comprehension_node final : public eval_node {
 public:
  comprehension_node(macro_kind macro, std::uint32_t slot, std::vector<eval_ptr> parts)
      : macro_(macro), slot_(slot), parts_(std::move(parts)) {
    if (parts_.size() == 2 && macro_ != macro_kind::map && macro_ != macro_kind::filter) {
      const element_test* t = parts_[1]->as_element_test();
      if (t != nullptr && t->slot == slot_) test_ = t;
    }
  }

  value eval(eval_context& ctx) const override {
    value range = parts_[0]->eval(ctx);
    if (range.is_error()) return range;
    std::size_t n = 0;
    list_view list;
    std::span<const value::map_entry> entries;
    if (range.is_list()) {
      list = range.as_list();
      n = list.size();
    } else if (range.is_map()) {
      entries = range.entries();
      n = entries.size();
    } else {
      return no_such_overload("comprehension", &range, 1);
    }
    if (test_ != nullptr && entries.empty() && list.storage_kind() == list_view::storage::doubles &&
        ctx.iterations_left >= n)
      return eval_doubles(list.doubles(), ctx);
    // Binds element i to the variable and evaluates part p; counts against the budget.
    auto step = [&](std::size_t i, std::size_t part, value& out) {
      if (ctx.iterations_left == 0) return false;
      --ctx.iterations_left;
      if (!entries.empty())
        ctx.locals[slot_] = entries[i].first;
      else if (list.storage_kind() == list_view::storage::doubles)
        ctx.locals[slot_] = value::float64(list.doubles()[i]);
      else
        ctx.locals[slot_] = list[i];
      out = parts_[part]->eval(ctx);
      return true;
    };
    value p;
    switch (macro_) {
      case macro_kind::all:
      case macro_kind::exists: {
        const bool decisive = macro_ == macro_kind::exists;  // exists stops at true, all at false
        value first_error;
        bool have_error = false;
        for (std::size_t i = 0; i < n; ++i) {
          if (!step(i, 1, p)) return iteration_limit();
          if (p.is_bool()) {
            if (p.as_bool() == decisive) return p;
          } else if (!have_error) {
            // Errors are absorbed if a later element decides the result (commutative, as &&/||).
            have_error = true;
            first_error = p.is_error() ? p : no_such_overload(decisive ? "exists" : "all", &p, 1);
          }
        }
        if (have_error) return first_error;
        return value::boolean(!decisive);
      }
      case macro_kind::exists_one: {
        std::int64_t count = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (!step(i, 1, p)) return iteration_limit();
          if (p.is_error()) return p;
          if (!p.is_bool()) return no_such_overload("exists_one", &p, 1);
          if (p.as_bool()) ++count;
        }
        return value::boolean(count == 1);
      }
      case macro_kind::count:
      case macro_kind::longest_run: {
        std::int64_t count = 0, run = 0, best = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (!step(i, 1, p)) return iteration_limit();
          if (p.is_error()) return p;
          if (!p.is_bool())
            return no_such_overload(macro_ == macro_kind::count ? "count" : "longest_run", &p, 1);
          if (p.as_bool()) {
            ++count;
            best = std::max(best, ++run);
          } else {
            run = 0;
          }
        }
        return value::int64(macro_ == macro_kind::count ? count : best);
      }
      case macro_kind::trailing: {
        std::int64_t count = 0;
        for (std::size_t i = n; i-- > 0;) {
          if (!step(i, 1, p)) return iteration_limit();
          if (p.is_error()) return p;
          if (!p.is_bool()) return no_such_overload("trailing", &p, 1);
          if (!p.as_bool()) break;
          ++count;
        }
        return value::int64(count);
      }
      case macro_kind::filter:
      case macro_kind::map: {
        std::vector<value> out;
        const bool filtering = macro_ == macro_kind::filter || parts_.size() == 3;
        for (std::size_t i = 0; i < n; ++i) {
          if (!step(i, 1, p)) return iteration_limit();
          if (p.is_error()) return p;
          if (filtering) {
            if (!p.is_bool()) return no_such_overload("filter", &p, 1);
            if (!p.as_bool()) continue;
            if (macro_ == macro_kind::filter) {
              out.push_back(ctx.locals[slot_]);
              continue;
            }
            p = parts_[2]->eval(ctx);
            if (p.is_error()) return p;
          }
          out.push_back(std::move(p));
        }
        return value::list(std::move(out));
      }
      case macro_kind::none:
        break;
    }
    return value::error("unknown comprehension");
  }

  kernel_ptr vectorize(vector_builder& b) const override {
    if (test_ == nullptr || parts_.size() != 2) return nullptr;
    return vector_comprehension(b, macro_, parts_[0]->vectorize(b), *test_);
  }

 private:
  // The same macros over a series of doubles with a predicate `x OP constant`: no value is built
  // per element and no error can occur, so the results (and the iterations charged against the
  // budget) are exactly those of the general loop, at a fraction of its cost.
  value eval_doubles(std::span<const double> xs, eval_context& ctx) const {
    const element_test& test = *test_;
    const std::size_t n = xs.size();
    std::size_t stepped = n;
    value result;
    switch (macro_) {
      case macro_kind::all:
      case macro_kind::exists: {
        const bool decisive = macro_ == macro_kind::exists;
        result = value::boolean(!decisive);
        for (std::size_t i = 0; i < n; ++i) {
          if (test(xs[i]) == decisive) {
            stepped = i + 1;
            result = value::boolean(decisive);
            break;
          }
        }
        break;
      }
      case macro_kind::exists_one:
      case macro_kind::count:
      case macro_kind::longest_run: {
        std::int64_t count = 0, run = 0, best = 0;
        for (double x : xs) {
          if (test(x)) {
            ++count;
            best = std::max(best, ++run);
          } else {
            run = 0;
          }
        }
        if (macro_ == macro_kind::exists_one)
          result = value::boolean(count == 1);
        else
          result = value::int64(macro_ == macro_kind::count ? count : best);
        break;
      }
      case macro_kind::trailing: {
        std::size_t count = 0;
        while (count < n && test(xs[n - 1 - count])) ++count;
        stepped = count < n ? count + 1 : n;
        result = value::int64(static_cast<std::int64_t>(count));
        break;
      }
      default:
        return value::error("unknown comprehension");
    }
    ctx.iterations_left -= stepped;
    return result;
  }

  macro_kind macro_;
  std::uint32_t slot_;
  std::vector<eval_ptr> parts_;
  const element_test* test_ = nullptr;  // owned by parts_[1]
};

class matches_node final : public eval_node {
 public:
  matches_node(eval_ptr text, compiled_regex re) : text_(std::move(text)), re_(std::move(re)) {}
  value eval(eval_context& ctx) const override {
    value t = text_->eval(ctx);
    if (t.is_error()) return t;
    if (!t.is_string()) return no_such_overload("matches", &t, 1);
    if (!re_.re) return value::error(re_.error);
    return value::boolean(regex_search(*re_.re, t.as_string()));
  }

 private:
  eval_ptr text_;
  compiled_regex re_;
};

}  // namespace

eval_ptr make_constant(value v) { return std::make_unique<constant_node>(std::move(v)); }
eval_ptr make_variable(std::uint32_t slot, std::string name) {
  return std::make_unique<variable_node>(slot, std::move(name));
}
eval_ptr make_local(std::uint32_t slot) { return std::make_unique<local_node>(slot); }
eval_ptr make_select(eval_ptr operand, std::string field, bool test_only) {
  return std::make_unique<select_node>(std::move(operand), std::move(field), test_only);
}
eval_ptr make_call(const function_def& f, std::vector<eval_ptr> args) {
  switch (args.size()) {
    case 1:
      return std::make_unique<call_node<1>>(f, std::move(args));
    case 2:
      return std::make_unique<call_node<2>>(f, std::move(args));
    case 3:
      return std::make_unique<call_node<3>>(f, std::move(args));
    default:
      return std::make_unique<call_node_n>(f.impl, std::move(args));
  }
}
eval_ptr make_relation(const function_def& f, eval_ptr a, eval_ptr b) {
  if (f.name == "_<_")
    return std::make_unique<relation_node<0>>(f.impl, std::move(a), std::move(b));
  if (f.name == "_<=_")
    return std::make_unique<relation_node<1>>(f.impl, std::move(a), std::move(b));
  if (f.name == "_>_")
    return std::make_unique<relation_node<2>>(f.impl, std::move(a), std::move(b));
  return std::make_unique<relation_node<3>>(f.impl, std::move(a), std::move(b));
}
eval_ptr make_unbound_function(std::string name) {
  return std::make_unique<unbound_function_node>(std::move(name));
}
eval_ptr make_and(eval_ptr a, eval_ptr b) {
  return std::make_unique<logic_node<true>>(std::move(a), std::move(b));
}
eval_ptr make_or(eval_ptr a, eval_ptr b) {
  return std::make_unique<logic_node<false>>(std::move(a), std::move(b));
}
eval_ptr make_conditional(eval_ptr c, eval_ptr t, eval_ptr f) {
  return std::make_unique<conditional_node>(std::move(c), std::move(t), std::move(f));
}
eval_ptr make_list(std::vector<eval_ptr> elements) {
  return std::make_unique<list_node>(std::move(elements));
}
eval_ptr make_map(std::vector<eval_ptr> keys_and_values) {
  return std::make_unique<map_node>(std::move(keys_and_values));
}
eval_ptr make_comprehension(macro_kind macro, std::uint32_t slot, std::vector<eval_ptr> parts) {
  return std::make_unique<comprehension_node>(macro, slot, std::move(parts));
}
eval_ptr make_matches(eval_ptr text, compiled_regex re) {
  return std::make_unique<matches_node>(std::move(text), std::move(re));
}

}  // namespace keyaccount::expr::detail
