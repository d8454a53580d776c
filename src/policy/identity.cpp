// Canonical JSON (RFC 8785), SHA-256 content hashes (OpenSSL) and with_parameters.
#include "keyaccount/policy/identity.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace keyaccount {
namespace {

// ECMAScript Number::toString for a finite double (RFC 8785 section 3.2.2.3): the shortest
// digits that round-trip, in plain notation for 1e-7 <= |x| < 1e21 and exponent notation
// otherwise.
void append_number(std::string& out, double x) {
  if (!std::isfinite(x)) throw std::invalid_argument("JSON has no NaN or infinity");
  if (x == 0) {  // also -0
    out += '0';
    return;
  }
  if (x < 0) {
    out += '-';
    x = -x;
  }
  std::array<char, 64> buf{};
  auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), x, std::chars_format::scientific);
  if (ec != std::errc()) throw std::invalid_argument("number not representable");
  std::string_view sci(buf.data(), static_cast<std::size_t>(end - buf.data()));
  auto e_at = sci.find('e');
  std::string digits;
  for (char ch : sci.substr(0, e_at))
    if (ch != '.') digits += ch;
  const int exponent = std::atoi(std::string(sci.substr(e_at + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // x = 0.digits × 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

void append_string(std::string& out, const std::string& s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char ch : s) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (ch < 0x20) {
          out += "\\u00";
          out += hex[ch >> 4];
          out += hex[ch & 0xF];
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  out += '"';
}

// The UTF-16 code units of UTF-8 text: RFC 8785 sorts member names by them.
std::u16string utf16(const std::string& s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t cp = 0;
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (i + len > s.size()) throw std::invalid_argument("a member name is not UTF-8");
    cp = len == 1 ? b : len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t j = 1; j < len; ++j)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3Fu);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
    i += len;
  }
  return out;
}

void append_value(std::string& out, const nlohmann::json& v) {
  using t = nlohmann::json::value_t;
  switch (v.type()) {
    case t::null:
      out += "null";
      break;
    case t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case t::number_integer:
    case t::number_unsigned:
    case t::number_float:
      append_number(out, v.get<double>());
      break;
    case t::string:
      append_string(out, v.get_ref<const std::string&>());
      break;
    case t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ',';
        first = false;
        append_value(out, item);
      }
      out += ']';
      break;
    }
    case t::object: {
      std::vector<std::pair<std::u16string, const std::string*>> keys;
      keys.reserve(v.size());
      for (const auto& [key, item] : v.items()) keys.emplace_back(utf16(key), &key);
      std::sort(keys.begin(), keys.end());
      out += '{';
      bool first = true;
      for (const auto& [sort_key, key] : keys) {
        if (!first) out += ',';
        first = false;
        append_string(out, *key);
        out += ':';
        append_value(out, v.at(*key));
      }
      out += '}';
      break;
    }
    default:
      throw std::invalid_argument("a JSON value canonical JSON cannot carry");
  }
}

}  // namespace

std::string canonical_json(const nlohmann::json& value) {
  std::string out;
  append_value(out, value);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed (OpenSSL EVP_Digest)");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 0xF];
  }
  return out;
}

std::string policy_content_hash(const nlohmann::json& document) {
  if (!document.is_object() || !document.contains("$schema"))
    return sha256_hex(canonical_json(document));
  nlohmann::json content = document;
  content.erase("$schema");
  return sha256_hex(canonical_json(content));
}

}  // namespace keyaccount
