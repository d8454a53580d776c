// Recursive-descent parser of the CEL grammar (cel-spec doc/langdef.md, "Syntax"), with macro
// expansion. Stops at the first syntax error: later errors in a broken expression are noise.
#include "keyaccount/expr/parser.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "lexer.hpp"
#include "number_format.hpp"

namespace keyaccount::expr {

namespace {

using detail::tok;
using detail::token;

struct parse_failure {};

class parser {
 public:
  parser(std::string_view source, const compile_options& options)
      : source_(source), options_(options) {}

  parse_result run() {
    parse_result result;
    if (source_.size() > options_.max_expression_length) {
      result.diagnostics.push_back(make_diagnostic(
          source_, options_.max_expression_length, "expression_too_long",
          "expression is " + std::to_string(source_.size()) + " bytes long; the limit is " +
              std::to_string(options_.max_expression_length)));
      return result;
    }
    tokens_ = detail::tokenize(source_);
    try {
      node_ptr root = parse_expr();
      if (cur().kind != tok::eof) unexpected("end of expression");
      result.ast = expr::ast{std::string(source_), std::move(root), 0};
    } catch (const parse_failure&) {
      result.diagnostics = std::move(diagnostics_);
    }
    return result;
  }

 private:
  std::string_view source_;
  const compile_options& options_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
  std::size_t recursion_ = 0;
  std::vector<diagnostic> diagnostics_;

  const token& cur() const { return tokens_[pos_]; }
  const token& ahead(std::size_t n) const {
    return tokens_[std::min(pos_ + n, tokens_.size() - 1)];
  }
  void advance() {
    if (tokens_[pos_].kind != tok::eof && tokens_[pos_].kind != tok::error) ++pos_;
  }
  bool accept(tok k) {
    if (cur().kind != k) return false;
    advance();
    return true;
  }

  [[noreturn]] void fail(std::size_t offset, std::string code, std::string message) {
    diagnostics_.push_back(make_diagnostic(source_, offset, std::move(code), std::move(message)));
    throw parse_failure{};
  }
  [[noreturn]] void unexpected(std::string_view wanted) {
    const token& t = cur();
    if (t.kind == tok::error) fail(t.offset, t.code, t.text);
    if (t.kind == tok::reserved)
      fail(t.offset, "reserved_identifier", "'" + t.text + "' is a reserved word");
    fail(t.offset, "parse_error",
         "expected " + std::string(wanted) + ", found " + std::string(detail::describe(t.kind)));
  }
  void expect(tok k, std::string_view wanted) {
    if (!accept(k)) unexpected(wanted);
  }

  // RAII guard on the parser's own recursion, so that "((((((..." cannot exhaust the stack.
  struct nesting {
    parser& p;
    explicit nesting(parser& owner, std::size_t offset) : p(owner) {
      if (++p.recursion_ > p.options_.max_ast_depth) {
        p.fail(offset, "nesting_too_deep",
               "expression is nested more than " + std::to_string(p.options_.max_ast_depth) +
                   " levels deep");
      }
    }
    ~nesting() { --p.recursion_; }
  };

  node_ptr new_node(node_kind kind, std::uint32_t offset) {
    auto n = std::make_unique<node>();
    n->kind = kind;
    n->offset = offset;
    return n;
  }
  // Sets the depth from the children and enforces the depth limit.
  node_ptr finish(node_ptr n) {
    std::uint32_t d = 0;
    for (const auto& c : n->children) d = std::max(d, c->depth);
    n->depth = d + 1;
    if (n->depth > options_.max_ast_depth) {
      fail(n->offset, "nesting_too_deep",
           "expression is nested more than " + std::to_string(options_.max_ast_depth) +
               " levels deep");
    }
    return n;
  }
  node_ptr call(std::string name, std::uint32_t offset, std::vector<node_ptr> args,
                bool member = false) {
    auto n = new_node(node_kind::call, offset);
    n->name = std::move(name);
    n->children = std::move(args);
    n->member = member;
    return finish(std::move(n));
  }
  node_ptr binary(std::string name, std::uint32_t offset, node_ptr a, node_ptr b) {
    std::vector<node_ptr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return call(std::move(name), offset, std::move(args));
  }

  // Expr = ConditionalOr ["?" ConditionalOr ":" Expr]
  node_ptr parse_expr() {
    nesting guard(*this, cur().offset);
    node_ptr cond = parse_logical(tok::or_or);
    if (cur().kind != tok::question) return cond;
    std::uint32_t at = cur().offset;
    advance();
    node_ptr then = parse_logical(tok::or_or);
    expect(tok::colon, "':'");
    node_ptr otherwise = parse_expr();
    std::vector<node_ptr> args;
    args.push_back(std::move(cond));
    args.push_back(std::move(then));
    args.push_back(std::move(otherwise));
    return call("_?_:_", at, std::move(args));
  }

  // Chains of && or || are built as balanced trees: same meaning (the operators are
  // associative), logarithmic depth, so long generated conditions stay within the depth limit.
  node_ptr parse_logical(tok op) {
    std::vector<node_ptr> operands;
    std::vector<std::uint32_t> offsets;
    operands.push_back(op == tok::or_or ? parse_logical(tok::and_and) : parse_relation());
    while (cur().kind == op) {
      offsets.push_back(cur().offset);
      advance();
      operands.push_back(op == tok::or_or ? parse_logical(tok::and_and) : parse_relation());
    }
    if (operands.size() == 1) return std::move(operands[0]);
    return balance(op == tok::or_or ? "_||_" : "_&&_", operands, offsets, 0, operands.size());
  }
  node_ptr balance(const std::string& name, std::vector<node_ptr>& operands,
                   const std::vector<std::uint32_t>& offsets, std::size_t lo, std::size_t hi) {
    if (hi - lo == 1) return std::move(operands[lo]);
    std::size_t mid = (lo + hi) / 2;
    node_ptr left = balance(name, operands, offsets, lo, mid);
    node_ptr right = balance(name, operands, offsets, mid, hi);
    return binary(name, offsets[mid - 1], std::move(left), std::move(right));
  }

  node_ptr parse_relation() {
    node_ptr left = parse_addition();
    while (true) {
      std::string name;
      switch (cur().kind) {
        case tok::lt:
          name = "_<_";
          break;
        case tok::le:
          name = "_<=_";
          break;
        case tok::gt:
          name = "_>_";
          break;
        case tok::ge:
          name = "_>=_";
          break;
        case tok::eq:
          name = "_==_";
          break;
        case tok::ne:
          name = "_!=_";
          break;
        case tok::kw_in:
          name = "@in";
          break;
        default:
          return left;
      }
      std::uint32_t at = cur().offset;
      advance();
      left = binary(std::move(name), at, std::move(left), parse_addition());
    }
  }

  node_ptr parse_addition() {
    node_ptr left = parse_multiplication();
    while (cur().kind == tok::plus || cur().kind == tok::minus) {
      std::string name = cur().kind == tok::plus ? "_+_" : "_-_";
      std::uint32_t at = cur().offset;
      advance();
      left = binary(std::move(name), at, std::move(left), parse_multiplication());
    }
    return left;
  }

  node_ptr parse_multiplication() {
    node_ptr left = parse_unary();
    while (cur().kind == tok::star || cur().kind == tok::slash || cur().kind == tok::percent) {
      std::string name = cur().kind == tok::star ? "_*_" : cur().kind == tok::slash ? "_/_" : "_%_";
      std::uint32_t at = cur().offset;
      advance();
      left = binary(std::move(name), at, std::move(left), parse_unary());
    }
    return left;
  }

  node_ptr parse_unary() {
    if (cur().kind == tok::bang || cur().kind == tok::minus) {
      bool negate = cur().kind == tok::minus;
      std::uint32_t at = cur().offset;
      nesting guard(*this, at);
      advance();
      // A minus directly before a number is part of the literal, so that the most negative
      // int64, -9223372036854775808, can be written.
      if (negate && (cur().kind == tok::int_lit || cur().kind == tok::double_lit)) {
        return parse_member(parse_number(true, at));
      }
      std::vector<node_ptr> args;
      args.push_back(parse_unary());
      return call(negate ? "-_" : "!_", at, std::move(args));
    }
    return parse_member(parse_primary());
  }

  node_ptr parse_member(node_ptr operand) {
    while (true) {
      if (cur().kind == tok::dot) {
        advance();
        if (cur().kind != tok::ident) unexpected("a field or method name after '.'");
        std::string name = cur().text;
        std::uint32_t at = cur().offset;
        advance();
        if (cur().kind == tok::lparen) {
          advance();
          std::vector<node_ptr> args;
          args.push_back(std::move(operand));
          parse_args(args, tok::rparen, "')'");
          operand = make_call(std::move(name), at, std::move(args), true);
        } else {
          auto n = new_node(node_kind::select, at);
          n->name = std::move(name);
          n->children.push_back(std::move(operand));
          operand = finish(std::move(n));
        }
      } else if (cur().kind == tok::lbracket) {
        std::uint32_t at = cur().offset;
        advance();
        node_ptr index = parse_expr();
        expect(tok::rbracket, "']'");
        operand = binary("_[_]", at, std::move(operand), std::move(index));
      } else {
        return operand;
      }
    }
  }

  void parse_args(std::vector<node_ptr>& args, tok close, std::string_view close_text) {
    if (accept(close)) return;
    while (true) {
      args.push_back(parse_expr());
      if (accept(close)) return;
      expect(tok::comma, "',' or " + std::string(close_text));
      if (accept(close)) return;  // trailing comma
    }
  }

  node_ptr literal(value v, std::uint32_t offset) {
    auto n = new_node(node_kind::literal, offset);
    n->literal = std::move(v);
    return n;
  }

  node_ptr parse_number(bool negative, std::uint32_t offset) {
    const token& t = cur();
    if (t.kind == tok::double_lit) {
      auto d = detail::parse_double(t.text);
      if (!d) fail(t.offset, "invalid_literal", "malformed number '" + t.text + "'");
      advance();
      return literal(value::float64(negative ? -*d : *d), offset);
    }
    // Integer: accumulate as unsigned so that -9223372036854775808 fits.
    std::string_view text = t.text;
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      base = 16;
      text.remove_prefix(2);
    }
    std::uint64_t magnitude = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
    constexpr std::uint64_t max_pos = std::numeric_limits<std::int64_t>::max();
    if (r.ec != std::errc() || magnitude > max_pos + (negative ? 1 : 0)) {
      fail(t.offset, "invalid_literal",
           "integer literal " + std::string(negative ? "-" : "") + t.text + " is out of range");
    }
    advance();
    std::int64_t v =
        negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    return literal(value::int64(v), offset);
  }

  node_ptr parse_primary() {
    const token& t = cur();
    std::uint32_t at = t.offset;
    switch (t.kind) {
      case tok::int_lit:
      case tok::double_lit:
        return parse_number(false, at);
      case tok::uint_lit:
        fail(at, "unsupported_feature", "unsigned integers (uint) are not supported");
      case tok::bytes_lit:
        fail(at, "unsupported_feature", "bytes literals are not supported");
      case tok::string_lit: {
        node_ptr n = literal(value::string(t.text), at);
        advance();
        return n;
      }
      case tok::kw_true:
        advance();
        return literal(value::boolean(true), at);
      case tok::kw_false:
        advance();
        return literal(value::boolean(false), at);
      case tok::kw_null:
        advance();
        return literal(value::null(), at);
      case tok::lparen: {
        advance();
        node_ptr inner = parse_expr();
        expect(tok::rparen, "')'");
        return inner;
      }
      case tok::lbracket: {
        nesting guard(*this, at);
        advance();
        auto n = new_node(node_kind::list, at);
        parse_args(n->children, tok::rbracket, "']'");
        return finish(std::move(n));
      }
      case tok::lbrace: {
        nesting guard(*this, at);
        advance();
        auto n = new_node(node_kind::map, at);
        if (!accept(tok::rbrace)) {
          while (true) {
            n->children.push_back(parse_expr());
            expect(tok::colon, "':'");
            n->children.push_back(parse_expr());
            if (accept(tok::rbrace)) break;
            expect(tok::comma, "',' or '}'");
            if (accept(tok::rbrace)) break;
          }
        }
        return finish(std::move(n));
      }
      case tok::dot:
        // A leading dot names the root scope: `.x` is `x` (there are no containers here).
        advance();
        if (cur().kind != tok::ident) unexpected("an identifier after '.'");
        return parse_primary();
      case tok::ident: {
        std::string name = t.text;
        advance();
        if (cur().kind == tok::lparen) {
          nesting guard(*this, at);
          advance();
          std::vector<node_ptr> args;
          parse_args(args, tok::rparen, "')'");
          return make_call(std::move(name), at, std::move(args), false);
        }
        if (cur().kind == tok::lbrace) {
          fail(at, "unsupported_feature",
               "message construction ('" + name + "{...}') is not supported");
        }
        auto n = new_node(node_kind::ident, at);
        n->name = std::move(name);
        return n;
      }
      default:
        unexpected("an expression");
    }
  }

  static macro_kind predicate_macro(std::string_view name) {
    if (name == "all") return macro_kind::all;
    if (name == "exists") return macro_kind::exists;
    if (name == "exists_one") return macro_kind::exists_one;
    if (name == "filter") return macro_kind::filter;
    if (name == "trailing") return macro_kind::trailing;
    if (name == "longest_run") return macro_kind::longest_run;
    if (name == "count") return macro_kind::count;
    return macro_kind::none;
  }

  // Expands macros; other calls become call nodes. `args` includes the receiver when `member`.
  node_ptr make_call(std::string name, std::uint32_t at, std::vector<node_ptr> args, bool member) {
    if (options_.enable_macros) {
      if (!member && name == "has" && args.size() == 1) {
        if (args[0]->kind != node_kind::select || args[0]->test_only) {
          fail(args[0]->offset, "invalid_macro", "has() needs a field selection, as in has(a.b)");
        }
        node_ptr sel = std::move(args[0]);
        sel->test_only = true;
        return sel;
      }
      macro_kind m = member ? predicate_macro(name) : macro_kind::none;
      std::size_t wanted = 3;  // receiver, variable, predicate
      if (member && name == "map" && (args.size() == 3 || args.size() == 4)) {
        m = macro_kind::map;
        wanted = args.size();
      }
      if (m != macro_kind::none && args.size() == wanted) {
        if (args[1]->kind != node_kind::ident) {
          fail(args[1]->offset, "invalid_macro",
               name + "() needs a variable name as its first argument, as in " + name + "(x, ...)");
        }
        auto n = new_node(node_kind::comprehension, at);
        n->macro = m;
        n->name = args[1]->name;
        n->children.push_back(std::move(args[0]));
        for (std::size_t i = 2; i < args.size(); ++i) n->children.push_back(std::move(args[i]));
        return finish(std::move(n));
      }
    }
    return call(std::move(name), at, std::move(args), member);
  }
};

}  // namespace

parse_result parse(std::string_view source, const compile_options& options) {
  return parser(source, options).run();
}

}  // namespace keyaccount::expr
