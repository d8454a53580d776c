#pragma once
// Tokeniser of CEL source (internal to the parser).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keyaccount::expr::detail {

enum class tok : std::uint8_t {
  eof,
  error,
  ident,
  int_lit,
  uint_lit,
  double_lit,
  string_lit,
  bytes_lit,
  kw_true,
  kw_false,
  kw_null,
  kw_in,
  reserved,
  lparen,
  rparen,
  lbracket,
  rbracket,
  lbrace,
  rbrace,
  dot,
  comma,
  colon,
  question,
  plus,
  minus,
  star,
  slash,
  percent,
  bang,
  lt,
  le,
  gt,
  ge,
  eq,
  ne,
  and_and,
  or_or,
};

struct token {
  tok kind = tok::eof;
  std::uint32_t offset = 0;
  std::string text;  // identifier, decoded string, number text, or the error message
  std::string code;  // for tok::error: the diagnostic code
};

/// Splits `source` into tokens. Stops at the first error, which is the last token
/// (tok::error); otherwise the last token is tok::eof.
std::vector<token> tokenize(std::string_view source);

/// Spelling of a token kind for messages.
std::string_view describe(tok kind);

}  // namespace keyaccount::expr::detail
