#include "lexer.hpp"

#include <array>

namespace keyaccount::expr::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_ident_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr std::array<std::string_view, 16> reserved_words = {
    "as",     "break", "const", "continue", "else",      "for",    "function", "if",
    "import", "let",   "loop",  "package",  "namespace", "return", "var",      "void"};

class lexer {
 public:
  explicit lexer(std::string_view src) : s_(src) {}

  std::vector<token> run() {
    std::vector<token> out;
    while (true) {
      skip_space_and_comments();
      token t = next();
      bool stop = t.kind == tok::eof || t.kind == tok::error;
      out.push_back(std::move(t));
      if (stop) break;
    }
    return out;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;

  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }
  bool at_end(std::size_t ahead = 0) const { return pos_ + ahead >= s_.size(); }

  void skip_space_and_comments() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (c == '/' && peek(1) == '/') {
        while (!at_end() && peek() != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  token make(tok k, std::size_t start, std::string text = {}) {
    token t;
    t.kind = k;
    t.offset = static_cast<std::uint32_t>(start);
    t.text = std::move(text);
    return t;
  }
  token fail(std::size_t at, std::string code, std::string message) {
    token t = make(tok::error, at, std::move(message));
    t.code = std::move(code);
    return t;
  }

  token next() {
    std::size_t start = pos_;
    if (at_end()) return make(tok::eof, start);
    char c = peek();
    // String and bytes literals, with optional r/R (raw) and b/B (bytes) prefixes.
    {
      std::size_t p = 0;
      bool raw = false, bytes = false;
      for (int i = 0; i < 2; ++i) {
        char q = peek(p);
        if ((q == 'r' || q == 'R') && !raw) {
          raw = true;
          ++p;
        } else if ((q == 'b' || q == 'B') && !bytes) {
          bytes = true;
          ++p;
        }
      }
      char q = peek(p);
      if (q == '"' || q == '\'') {
        if (p == 0 || !is_ident_char(peek(p))) {
          pos_ += p;
          return string_literal(start, raw, bytes);
        }
      }
    }
    if (is_ident_start(c)) {
      while (!at_end() && is_ident_char(peek())) ++pos_;
      std::string_view word = s_.substr(start, pos_ - start);
      if (word == "true") return make(tok::kw_true, start);
      if (word == "false") return make(tok::kw_false, start);
      if (word == "null") return make(tok::kw_null, start);
      if (word == "in") return make(tok::kw_in, start);
      for (auto r : reserved_words) {
        if (word == r) return make(tok::reserved, start, std::string(word));
      }
      return make(tok::ident, start, std::string(word));
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return number(start);
    ++pos_;
    switch (c) {
      case '(':
        return make(tok::lparen, start);
      case ')':
        return make(tok::rparen, start);
      case '[':
        return make(tok::lbracket, start);
      case ']':
        return make(tok::rbracket, start);
      case '{':
        return make(tok::lbrace, start);
      case '}':
        return make(tok::rbrace, start);
      case '.':
        return make(tok::dot, start);
      case ',':
        return make(tok::comma, start);
      case ':':
        return make(tok::colon, start);
      case '?':
        return make(tok::question, start);
      case '+':
        return make(tok::plus, start);
      case '-':
        return make(tok::minus, start);
      case '*':
        return make(tok::star, start);
      case '/':
        return make(tok::slash, start);
      case '%':
        return make(tok::percent, start);
      case '!':
        if (peek() == '=') {
          ++pos_;
          return make(tok::ne, start);
        }
        return make(tok::bang, start);
      case '<':
        if (peek() == '=') {
          ++pos_;
          return make(tok::le, start);
        }
        return make(tok::lt, start);
      case '>':
        if (peek() == '=') {
          ++pos_;
          return make(tok::ge, start);
        }
        return make(tok::gt, start);
      case '=':
        if (peek() == '=') {
          ++pos_;
          return make(tok::eq, start);
        }
        return fail(start, "parse_error", "unexpected '=' (did you mean '=='?)");
      case '&':
        if (peek() == '&') {
          ++pos_;
          return make(tok::and_and, start);
        }
        return fail(start, "parse_error", "unexpected '&' (did you mean '&&'?)");
      case '|':
        if (peek() == '|') {
          ++pos_;
          return make(tok::or_or, start);
        }
        return fail(start, "parse_error", "unexpected '|' (did you mean '||'?)");
      default:
        break;
    }
    std::string shown =
        (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            ? "character"
            : std::string("'") + c + "'";
    return fail(start, "parse_error", "unexpected " + shown);
  }

  token number(std::size_t start) {
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      pos_ += 2;
      std::size_t digits = pos_;
      while (!at_end() && is_hex(peek())) ++pos_;
      if (pos_ == digits)
        return fail(start, "invalid_literal", "hexadecimal literal without digits");
      std::string text(s_.substr(start, pos_ - start));
      if (peek() == 'u' || peek() == 'U') {
        ++pos_;
        return make(tok::uint_lit, start, text);
      }
      if (is_ident_char(peek())) return fail(pos_, "parse_error", "malformed number");
      return make(tok::int_lit, start, text);
    }
    bool is_float = false;
    while (!at_end() && is_digit(peek())) ++pos_;
    if (peek() == '.' && is_digit(peek(1))) {
      is_float = true;
      ++pos_;
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      std::size_t p = 1;
      if (peek(p) == '+' || peek(p) == '-') ++p;
      if (is_digit(peek(p))) {
        is_float = true;
        pos_ += p;
        while (!at_end() && is_digit(peek())) ++pos_;
      } else {
        return fail(start, "invalid_literal", "malformed exponent in number");
      }
    }
    std::string text(s_.substr(start, pos_ - start));
    if (!is_float && (peek() == 'u' || peek() == 'U')) {
      ++pos_;
      return make(tok::uint_lit, start, text);
    }
    if (is_ident_char(peek())) return fail(pos_, "parse_error", "malformed number");
    return make(is_float ? tok::double_lit : tok::int_lit, start, text);
  }

  token string_literal(std::size_t start, bool raw, bool bytes) {
    char q = peek();
    bool triple = peek(1) == q && peek(2) == q;
    pos_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (at_end()) return fail(start, "parse_error", "unterminated string literal");
      char c = peek();
      if (triple) {
        if (c == q && peek(1) == q && peek(2) == q) {
          pos_ += 3;
          break;
        }
      } else {
        if (c == q) {
          ++pos_;
          break;
        }
        if (c == '\n' || c == '\r')
          return fail(start, "parse_error",
                      "newline in string literal (use a triple-quoted string)");
      }
      if (c == '\\' && !raw) {
        token err;
        if (!escape(out, bytes, err)) return err;
        continue;
      }
      out += c;
      ++pos_;
    }
    return make(bytes ? tok::bytes_lit : tok::string_lit, start, std::move(out));
  }

  // Decodes one escape sequence at pos_ (a backslash) into `out`.
  bool escape(std::string& out, bool bytes, token& err) {
    std::size_t at = pos_;
    ++pos_;
    if (at_end()) {
      err = fail(at, "invalid_literal", "unterminated escape sequence");
      return false;
    }
    char c = peek();
    ++pos_;
    switch (c) {
      case 'a':
        out += '\a';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'v':
        out += '\v';
        return true;
      case '\\':
        out += '\\';
        return true;
      case '\'':
        out += '\'';
        return true;
      case '"':
        out += '"';
        return true;
      case '`':
        out += '`';
        return true;
      case '?':
        out += '?';
        return true;
      default:
        break;
    }
    std::uint32_t cp = 0;
    std::size_t digits = 0;
    int base = 16;
    if (c == 'x' || c == 'X')
      digits = 2;
    else if (c == 'u')
      digits = 4;
    else if (c == 'U')
      digits = 8;
    else if (c >= '0' && c <= '3') {
      base = 8;
      digits = 2;
      cp = static_cast<std::uint32_t>(c - '0');
    } else {
      err = fail(at, "invalid_literal", std::string("invalid escape sequence '\\") + c + "'");
      return false;
    }
    for (std::size_t i = 0; i < digits; ++i) {
      char d = peek();
      bool ok = base == 16 ? is_hex(d) : (d >= '0' && d <= '7');
      if (at_end() || !ok) {
        err = fail(at, "invalid_literal", "malformed escape sequence");
        return false;
      }
      cp = cp * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(hex_value(d));
      ++pos_;
    }
    if (bytes && (c == 'x' || c == 'X' || base == 8)) {
      out += static_cast<char>(cp);
      return true;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      err = fail(at, "invalid_literal", "escape sequence is not a valid Unicode code point");
      return false;
    }
    append_utf8(out, cp);
    return true;
  }
};

}  // namespace

std::vector<token> tokenize(std::string_view source) { return lexer(source).run(); }

std::string_view describe(tok kind) {
  switch (kind) {
    case tok::eof:
      return "end of expression";
    case tok::error:
      return "error";
    case tok::ident:
      return "identifier";
    case tok::int_lit:
    case tok::uint_lit:
    case tok::double_lit:
      return "number";
    case tok::string_lit:
      return "string";
    case tok::bytes_lit:
      return "bytes";
    case tok::kw_true:
      return "'true'";
    case tok::kw_false:
      return "'false'";
    case tok::kw_null:
      return "'null'";
    case tok::kw_in:
      return "'in'";
    case tok::reserved:
      return "reserved word";
    case tok::lparen:
      return "'('";
    case tok::rparen:
      return "')'";
    case tok::lbracket:
      return "'['";
    case tok::rbracket:
      return "']'";
    case tok::lbrace:
      return "'{'";
    case tok::rbrace:
      return "'}'";
    case tok::dot:
      return "'.'";
    case tok::comma:
      return "','";
    case tok::colon:
      return "':'";
    case tok::question:
      return "'?'";
    case tok::plus:
      return "'+'";
    case tok::minus:
      return "'-'";
    case tok::star:
      return "'*'";
    case tok::slash:
      return "'/'";
    case tok::percent:
      return "'%'";
    case tok::bang:
      return "'!'";
    case tok::lt:
      return "'<'";
    case tok::le:
      return "'<='";
    case tok::gt:
      return "'>'";
    case tok::ge:
      return "'>='";
    case tok::eq:
      return "'=='";
    case tok::ne:
      return "'!='";
    case tok::and_and:
      return "'&&'";
    case tok::or_or:
      return "'||'";
  }
  return "token";
}

}  // namespace keyaccount::expr::detail
