// Name resolution and type checking. Every problem is reported (not only the first), each at
// the offset of the node it concerns; a failed subexpression is typed `error` so that it does
// not cause a cascade of follow-on diagnostics.
#include "keyaccount/expr/checker.hpp"

#include <algorithm>

#include "core/suggest.hpp"
#include "functions.hpp"

namespace keyaccount::expr {

namespace {

using detail::global;
using detail::overload;
using detail::t_a;
using detail::t_bool;
using substitution = std::vector<std::pair<std::string, type>>;

const type* bound(const substitution& s, const std::string& name) {
  for (const auto& [n, t] : s)
    if (n == name) return &t;
  return nullptr;
}

bool is_loose(const type& t) {
  return t.kind() == type_kind::dyn || t.kind() == type_kind::error || t.kind() == type_kind::param;
}

// Whether an argument of type `arg` may be passed where `param` is expected, binding the type
// parameters of `param` in `s`.
bool assignable(const type& param, const type& arg, substitution& s) {
  if (param.kind() == type_kind::param) {
    if (const type* b = bound(s, param.name())) {
      if (is_loose(*b) || is_loose(arg)) return true;
      substitution inner = s;
      return assignable(*b, arg, inner);
    }
    s.emplace_back(param.name(), is_loose(arg) ? type::dyn() : arg);
    return true;
  }
  if (is_loose(arg) || param.kind() == type_kind::dyn) return true;
  if (param.kind() != arg.kind()) return false;
  switch (param.kind()) {
    case type_kind::list:
      return assignable(param.elem(), arg.elem(), s);
    case type_kind::map:
      return assignable(param.key(), arg.key(), s) && assignable(param.value(), arg.value(), s);
    case type_kind::object:
      return param.name() == arg.name();
    default:
      return true;
  }
}

type substitute(const type& t, const substitution& s) {
  switch (t.kind()) {
    case type_kind::param: {
      const type* b = bound(s, t.name());
      return b ? *b : type::dyn();
    }
    case type_kind::list:
      return type::list(substitute(t.elem(), s));
    case type_kind::map:
      return type::map(substitute(t.key(), s), substitute(t.value(), s));
    default:
      return t;
  }
}

// The common type of list elements or map keys/values: the type itself when all agree, dyn
// otherwise (CEL's checker does the same for mixed literals).
type join(const std::optional<type>& acc, const type& t) {
  if (t.kind() == type_kind::error) return acc.value_or(type::dyn());
  if (!acc) return t;
  return *acc == t ? t : type::dyn();
}

std::string display_name(const std::string& function) {
  if (function == "@in") return "in";
  return function;
}

class checker {
 public:
  checker(ast& tree, const declarations& decls, const compile_options& options,
          std::vector<std::string>& implicit)
      : tree_(tree), decls_(decls), options_(options), implicit_(implicit) {}

  std::vector<diagnostic> run() {
    tree_.root->checked_type = visit(*tree_.root);
    tree_.local_slots = max_locals_;
    return std::move(diagnostics_);
  }

 private:
  struct local {
    std::string name;
    type local_type;
  };

  ast& tree_;
  const declarations& decls_;
  const compile_options& options_;
  std::vector<std::string>& implicit_;
  std::vector<diagnostic> diagnostics_;
  std::vector<local> scopes_;
  std::uint32_t max_locals_ = 0;

  bool checking() const { return options_.check_types; }

  type report(const node& n, std::string code, std::string message) {
    if (checking()) {
      diagnostics_.push_back(
          make_diagnostic(tree_.source, n.offset, std::move(code), std::move(message)));
    }
    return type::error();
  }

  type visit(node& n) {
    type t = visit_kind(n);
    if (!checking()) t = type::dyn();
    n.checked_type = t;
    return t;
  }

  type visit_kind(node& n) {
    switch (n.kind) {
      case node_kind::literal:
        return type_of(n.literal);
      case node_kind::ident:
        return visit_ident(n);
      case node_kind::select:
        return visit_select(n);
      case node_kind::call:
        return visit_call(n);
      case node_kind::list: {
        std::optional<type> elem;
        for (auto& c : n.children) elem = join(elem, visit(*c));
        return type::list(elem.value_or(type::dyn()));
      }
      case node_kind::map: {
        std::optional<type> key, val;
        for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
          type k = visit(*n.children[i]);
          if (checking() && !is_loose(k) && k.kind() != type_kind::string &&
              k.kind() != type_kind::int64 && k.kind() != type_kind::boolean) {
            report(*n.children[i], "type_mismatch",
                   "map keys must be bool, int or string, not " + k.to_string());
          }
          key = join(key, k);
          val = join(val, visit(*n.children[i + 1]));
        }
        return type::map(key.value_or(type::dyn()), val.value_or(type::dyn()));
      }
      case node_kind::comprehension:
        return visit_comprehension(n);
    }
    return type::dyn();
  }

  type visit_ident(node& n) {
    for (std::size_t i = scopes_.size(); i-- > 0;) {
      if (scopes_[i].name == n.name) {
        n.ref = reference_kind::local;
        n.ref_index = static_cast<std::uint32_t>(i);
        return scopes_[i].local_type;
      }
    }
    if (auto slot = decls_.slot_of(n.name)) {
      n.ref = reference_kind::variable;
      n.ref_index = static_cast<std::uint32_t>(*slot);
      return decls_.variables()[*slot].var_type;
    }
    const auto& constants = decls_.constants();
    for (std::size_t i = 0; i < constants.size(); ++i) {
      if (constants[i].name == n.name) {
        n.ref = reference_kind::constant;
        n.ref_index = static_cast<std::uint32_t>(i);
        return constants[i].const_type;
      }
    }
    if (!checking()) {
      // Unchecked mode: an undeclared name is a variable looked up in the activation at run time.
      auto it = std::find(implicit_.begin(), implicit_.end(), n.name);
      std::size_t k = static_cast<std::size_t>(it - implicit_.begin());
      if (it == implicit_.end()) implicit_.push_back(n.name);
      n.ref = reference_kind::variable;
      n.ref_index = static_cast<std::uint32_t>(decls_.variables().size() + k);
      return type::dyn();
    }
    return report(n, "undeclared_reference",
                  "undeclared reference to '" + n.name + "'" + suggest_name(n.name));
  }

  // " (did you mean `x`?)" for a misspelt name in scope: a comprehension variable, a declared
  // variable or constant.
  std::string suggest_name(const std::string& name) const {
    std::vector<std::string> names;
    for (const auto& s : scopes_) names.push_back(s.name);
    for (const auto& v : decls_.variables()) names.push_back(v.name);
    for (const auto& c : decls_.constants()) names.push_back(c.name);
    return keyaccount::detail::did_you_mean(name, names);
  }

  type visit_select(node& n) {
    type operand = visit(*n.children[0]);
    type result = type::dyn();
    switch (operand.kind()) {
      case type_kind::object: {
        const type* f = operand.find_field(n.name);
        if (!f) {
          std::vector<std::string> names;
          for (const auto& field : operand.fields()) names.push_back(field.name);
          return report(n, "undefined_field",
                        "'" + operand.to_string() + "' has no field '" + n.name + "'" +
                            keyaccount::detail::did_you_mean(n.name, names));
        }
        result = *f;
        break;
      }
      case type_kind::map:
        if (!is_loose(operand.key()) && operand.key().kind() != type_kind::string) {
          return report(n, "unsupported_selection",
                        "cannot select '" + n.name + "' from " + operand.to_string());
        }
        result = operand.value();
        break;
      case type_kind::dyn:
      case type_kind::param:
      case type_kind::error:
        break;
      default:
        return report(
            n, "unsupported_selection",
            "type '" + operand.to_string() + "' has no fields (selecting '" + n.name + "')");
    }
    return n.test_only ? type::boolean() : result;
  }

  type resolve(const node& n, const std::string& name, const std::vector<overload>& overloads,
               const std::vector<type>& args) {
    std::optional<type> result;
    bool any = false;
    for (const auto& o : overloads) {
      if (o.member != n.member || o.params.size() != args.size()) continue;
      substitution s;
      bool ok = true;
      for (std::size_t i = 0; i < args.size() && ok; ++i) ok = assignable(o.params[i], args[i], s);
      if (!ok) continue;
      type r = substitute(o.result, s);
      result = any ? (*result == r ? r : type::dyn()) : r;
      any = true;
    }
    if (any) return *result;
    for (const auto& a : args) {
      if (a.kind() == type_kind::error) return type::error();  // already reported
    }
    std::string shown;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i) shown += ", ";
      shown += args[i].to_string();
    }
    return report(
        n, "no_matching_overload",
        "found no matching overload for '" + display_name(name) + "' applied to '(" + shown + ")'");
  }

  type visit_call(node& n) {
    std::vector<type> args;
    args.reserve(n.children.size());
    for (auto& c : n.children) args.push_back(visit(*c));
    if (n.name == "_&&_" || n.name == "_||_") {
      static const std::vector<overload> logic = {global({t_bool(), t_bool()}, t_bool())};
      return resolve(n, n.name, logic, args);
    }
    if (n.name == "_?_:_") {
      static const std::vector<overload> conditional = {global({t_bool(), t_a(), t_a()}, t_a())};
      return resolve(n, n.name, conditional, args);
    }
    const detail::function_def* f = detail::find_function(n.name);
    if (!f) {
      if (!checking()) return type::dyn();  // an evaluation error when reached
      return report(n, "undeclared_reference", "undeclared reference to function '" + n.name + "'");
    }
    if (!checking()) return type::dyn();
    return resolve(n, n.name, f->overloads, args);
  }

  type visit_comprehension(node& n) {
    type range = visit(*n.children[0]);
    type var = type::dyn();
    switch (range.kind()) {
      case type_kind::list:
        var = range.elem();
        break;
      case type_kind::map:
        var = range.key();
        break;
      case type_kind::dyn:
      case type_kind::param:
      case type_kind::error:
        break;
      default:
        report(*n.children[0], "type_mismatch",
               "cannot iterate over " + range.to_string() + " (expected a list or a map)");
        var = type::error();
    }
    n.ref = reference_kind::local;
    n.ref_index = static_cast<std::uint32_t>(scopes_.size());
    scopes_.push_back(local{n.name, var});
    max_locals_ = std::max(max_locals_, static_cast<std::uint32_t>(scopes_.size()));
    std::vector<type> parts;
    for (std::size_t i = 1; i < n.children.size(); ++i) parts.push_back(visit(*n.children[i]));
    scopes_.pop_back();

    bool has_predicate = n.macro != macro_kind::map || n.children.size() == 3;
    if (has_predicate) {
      const type& p = parts[0];
      if (!is_loose(p) && p.kind() != type_kind::boolean) {
        report(*n.children[1], "type_mismatch",
               "the predicate must be a bool, not " + p.to_string());
      }
    }
    switch (n.macro) {
      case macro_kind::all:
      case macro_kind::exists:
      case macro_kind::exists_one:
        return type::boolean();
      case macro_kind::filter:
        return range.kind() == type_kind::list ? range : type::list(var);
      case macro_kind::map:
        return type::list(parts.back().kind() == type_kind::error ? type::dyn() : parts.back());
      case macro_kind::trailing:
      case macro_kind::longest_run:
      case macro_kind::count:
        return type::int64();
      case macro_kind::none:
        break;
    }
    return type::dyn();
  }
};

}  // namespace

std::vector<diagnostic> check(ast& tree, const declarations& decls, const compile_options& options,
                              std::vector<std::string>& implicit_variables) {
  return checker(tree, decls, options, implicit_variables).run();
}

}  // namespace keyaccount::expr
