#include "keyaccount/policy/source_document.hpp"

#include <algorithm>
#include <iterator>

namespace keyaccount {

std::string_view to_string(severity s) noexcept {
  return s == severity::error ? "error" : "warning";
}

bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& d) { return d.level == severity::error; });
}

std::string append_pointer(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out.reserve(out.size() + token.size() + 1);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string append_pointer(std::string_view pointer, std::size_t index) {
  std::string out(pointer);
  out += '/';
  out += std::to_string(index);
  return out;
}

namespace {

// An input iterator over the text that publishes how far nlohmann's lexer has read, so the SAX
// callbacks can tell where each token ended. (nlohmann/json 3.11 gives SAX no positions.)
class tracking_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  tracking_iterator(const char* p, const char** cursor) : p_(p), cursor_(cursor) {}
  reference operator*() const { return *p_; }
  tracking_iterator& operator++() {
    ++p_;
    if (cursor_ != nullptr) *cursor_ = p_;
    return *this;
  }
  tracking_iterator operator++(int) {
    auto copy = *this;
    ++*this;
    return copy;
  }
  friend bool operator==(const tracking_iterator& a, const tracking_iterator& b) {
    return a.p_ == b.p_;
  }
  friend bool operator!=(const tracking_iterator& a, const tracking_iterator& b) {
    return a.p_ != b.p_;
  }

 private:
  const char* p_;
  const char** cursor_;
};

constexpr std::size_t position_block = 1024;

// UTF-8 continuation bytes (10xxxxxx) do not start a code point.
bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// The length of the well-formed UTF-8 sequence at `s[i]`, or 0 when it is ill-formed
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  if (c < 0x80) return 1;
  std::size_t n = (c >= 0xC2 && c <= 0xDF)   ? 2
                  : (c >= 0xE0 && c <= 0xEF) ? 3
                  : (c >= 0xF0 && c <= 0xF4) ? 4
                                             : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((at(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char second = at(i + 1);
  if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) ||
      (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return n;
}

// nlohmann's own messages start with "[json.exception.parse_error.101] parse error at line 1,
// column 2: "; we give the position ourselves, so keep only the explanation. Its "last read"
// quotes the raw input, which may be ill-formed UTF-8 (the very error being reported): such
// bytes become "<0xFF>", so that every message is valid UTF-8 (JSON output, Python str).
std::string clean_parse_message(std::string message) {
  auto colon = message.find(": ");
  if (message.rfind("[json.exception", 0) == 0 && colon != std::string::npos) {
    message.erase(0, colon + 2);
  }
  std::string out;
  out.reserve(message.size());
  for (std::size_t i = 0; i < message.size();) {
    std::size_t n = utf8_sequence_length(message, i);
    if (n == 0) {
      static const char hex[] = "0123456789ABCDEF";
      auto c = static_cast<unsigned char>(message[i]);
      out += "<0x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
      out += '>';
      n = 1;
    } else {
      out.append(message, i, n);
    }
    i += n;
  }
  return out;
}

}  // namespace

/// Builds the DOM and the position maps from nlohmann's SAX events.
class source_document_builder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  source_document_builder(source_document& doc, std::vector<diagnostic>& diagnostics,
                          const parse_limits& limits)
      : doc_(doc),
        diagnostics_(diagnostics),
        limits_(limits),
        begin_(doc.text_.data()),
        cursor_(begin_) {}

  const char** cursor() { return &cursor_; }

  bool null() override { return add(nullptr, consumed() - 4); }
  bool boolean(bool v) override { return add(v, consumed() - (v ? 4 : 5)); }
  bool number_integer(number_integer_t v) override { return add(v, number_start()); }
  bool number_unsigned(number_unsigned_t v) override { return add(v, number_start()); }
  bool number_float(number_float_t v, const string_t&) override { return add(v, number_start()); }
  bool string(string_t& v) override {
    if (!check_string(v, current_pointer())) return false;
    return add(std::move(v), string_start());
  }
  bool binary(binary_t&) override { return false; }  // not reachable from JSON text

  bool start_object(std::size_t) override { return open(nlohmann::json::object()); }
  bool start_array(std::size_t) override { return open(nlohmann::json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    frame& top = stack_.back();
    // A key too long to be worth quoting in a pointer: report it at the object holding it.
    if (!check_string(k, top.pointer)) return false;
    top.key = k;
    std::string member = append_pointer(top.pointer, k);
    std::size_t start = string_start();
    if (top.value->contains(k)) {
      report("duplicate_key",
             "duplicate key \"" + k + "\": JSON objects need unique keys; " +
                 "only the last value would be kept",
             member, start);
    }
    doc_.key_offsets_[member] = start;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    // `position` counts the characters read, the offending one included.
    std::size_t offset = position > 0 ? position - 1 : 0;
    // A lexer error ("...; last read: '...'") stops at the very byte it could not accept. A
    // parser error ("unexpected string literal") comes after a whole token was read: point at
    // the token's first byte, where the reader looks, not at its last.
    std::string_view what = ex.what();
    if (what.find("; last read: '") == std::string_view::npos && offset < doc_.text_.size()) {
      offset = token_start(offset);
    }
    report("syntax_error", clean_parse_message(ex.what()), "", offset);
    return false;
  }

 private:
  struct frame {
    nlohmann::json* value;
    std::string pointer;
    std::string key;  // current member key when `value` is an object
  };

  std::size_t consumed() const { return static_cast<std::size_t>(cursor_ - begin_); }

  // The lexer reads one character past a number before giving it back, so skip that first.
  std::size_t number_start() const {
    std::size_t i = consumed();
    while (i > 0 && !is_number_char(begin_[i - 1])) --i;
    while (i > 0 && is_number_char(begin_[i - 1])) --i;
    return i;
  }

  // A string token has just been read up to its closing quote: find the opening one.
  std::size_t string_start() const { return opening_quote(consumed() - 1); }

  // The opening quote of the string closed at `close_quote`: the nearest quote before it not
  // escaped by an odd run of backslashes.
  std::size_t opening_quote(std::size_t close_quote) const {
    for (std::size_t i = close_quote; i-- > 0;) {
      if (begin_[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && begin_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return 0;
  }

  // The first byte of the complete token (string, number, literal or structural character)
  // whose last byte is at `last`.
  std::size_t token_start(std::size_t last) const {
    char c = begin_[last];
    if (c == '"') return opening_quote(last);
    auto is_letter = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
    if (c >= '0' && c <= '9') {
      while (last > 0 && is_number_char(begin_[last - 1])) --last;
    } else if (is_letter(c)) {
      while (last > 0 && is_letter(begin_[last - 1])) --last;
    }
    return last;
  }

  bool check_string(const string_t& s, std::string pointer) {
    if (s.size() <= limits_.max_string_bytes) return true;
    report("string_too_long",
           "a string of " + std::to_string(s.size()) + " bytes exceeds the limit of " +
               std::to_string(limits_.max_string_bytes),
           std::move(pointer), string_start());
    return false;
  }

  std::string current_pointer() const {
    if (stack_.empty()) return "";
    const frame& top = stack_.back();
    if (top.value->is_array()) return append_pointer(top.pointer, top.value->size());
    return append_pointer(top.pointer, top.key);
  }

  bool count_element(std::size_t start) {
    if (++elements_ <= limits_.max_elements) return true;
    report("too_many_elements",
           "the document has more than " + std::to_string(limits_.max_elements) + " values",
           current_pointer(), start);
    return false;
  }

  // Places `v` at the current position and returns a pointer to where it now lives.
  nlohmann::json* place(nlohmann::json&& v, const std::string& pointer, std::size_t start) {
    doc_.value_offsets_[pointer] = start;
    if (stack_.empty()) {
      doc_.root_ = std::move(v);
      return &doc_.root_;
    }
    frame& top = stack_.back();
    if (top.value->is_array()) {
      top.value->push_back(std::move(v));
      return &top.value->back();
    }
    nlohmann::json& slot = (*top.value)[top.key];
    slot = std::move(v);
    return &slot;
  }

  bool add(nlohmann::json&& v, std::size_t start) {
    if (!count_element(start)) return false;
    std::string pointer = current_pointer();
    place(std::move(v), pointer, start);
    return true;
  }

  bool open(nlohmann::json&& container) {
    std::size_t start = consumed() - 1;
    if (!count_element(start)) return false;
    std::string pointer = current_pointer();
    if (stack_.size() >= limits_.max_depth) {
      report(
          "nesting_too_deep",
          "objects and arrays nest deeper than the limit of " + std::to_string(limits_.max_depth),
          pointer, start);
      return false;
    }
    nlohmann::json* placed = place(std::move(container), pointer, start);
    stack_.push_back(frame{placed, std::move(pointer), {}});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  void report(std::string code, std::string message, std::string pointer, std::size_t offset) {
    text_position at = doc_.position_at(offset);
    diagnostics_.push_back(diagnostic{severity::error, std::move(code), std::move(message),
                                      std::move(pointer), at.line, at.column});
  }

  source_document& doc_;
  std::vector<diagnostic>& diagnostics_;
  const parse_limits& limits_;
  const char* begin_;
  const char* cursor_;
  std::vector<frame> stack_;
  std::size_t elements_ = 0;
};

source_document source_document::parse(std::string text, std::vector<diagnostic>& diagnostics,
                                       const parse_limits& limits) {
  source_document doc;
  doc.text_ = std::move(text);
  doc.line_starts_.push_back(0);
  // Refuse a giant input before spending any time on it.
  if (doc.text_.size() > limits.max_bytes) {
    diagnostics.push_back(diagnostic{severity::error, "file_too_large",
                                     "the file has " + std::to_string(doc.text_.size()) +
                                         " bytes, more than the limit of " +
                                         std::to_string(limits.max_bytes),
                                     "", 1, 1});
    return doc;
  }
  doc.block_code_points_.reserve(doc.text_.size() / position_block + 1);
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < doc.text_.size(); ++i) {
    if (i % position_block == 0) doc.block_code_points_.push_back(code_points);
    if (doc.text_[i] == '\n') doc.line_starts_.push_back(i + 1);
    if (starts_code_point(doc.text_[i])) ++code_points;
  }
  if (doc.text_.size() % position_block == 0) doc.block_code_points_.push_back(code_points);
  source_document_builder builder(doc, diagnostics, limits);
  const char* first = doc.text_.data();
  const char* last = first + doc.text_.size();
  bool ok = nlohmann::json::sax_parse(tracking_iterator(first, builder.cursor()),
                                      tracking_iterator(last, nullptr), &builder);
  doc.parsed_ = ok;
  if (!ok) {
    doc.root_ = nullptr;
    doc.value_offsets_.clear();
    doc.key_offsets_.clear();
  }
  return doc;
}

std::optional<text_position> source_document::value_position(std::string_view pointer) const {
  auto it = value_offsets_.find(std::string(pointer));
  if (it == value_offsets_.end()) return std::nullopt;
  return position_at(it->second);
}

std::optional<text_position> source_document::key_position(std::string_view pointer) const {
  auto it = key_offsets_.find(std::string(pointer));
  if (it == key_offsets_.end()) return std::nullopt;
  return position_at(it->second);
}

text_position source_document::nearest_position(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    if (auto at = value_position(p)) return *at;
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return position_at(0);
    p.erase(slash);
  }
}

text_position source_document::position_at(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
  std::size_t start = line_starts_[line - 1];
  // Columns count code points. Counting from the line start would make every position on a
  // huge one-line file cost a scan of the line (minutes for 100,000 diagnostics): count from
  // the nearest block boundary instead.
  auto code_points_before = [&](std::size_t at) {
    std::size_t block = at / position_block;
    std::size_t from = 0;
    std::size_t n = 0;
    if (block < block_code_points_.size()) {
      from = block * position_block;
      n = block_code_points_[block];
    }
    for (std::size_t i = from; i < at; ++i) n += starts_code_point(text_[i]) ? 1 : 0;
    return n;
  };
  std::size_t column = code_points_before(offset) - code_points_before(start) + 1;
  return text_position{offset, line, column};
}

std::string_view source_document::line_text(std::size_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::size_t start = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  std::string_view view(text_);
  view = view.substr(start, end - start);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

std::optional<text_position> source_document::string_content_position(
    std::string_view pointer, std::size_t decoded_offset) const {
  auto it = value_offsets_.find(std::string(pointer));
  if (it == value_offsets_.end() || text_[it->second] != '"') return std::nullopt;
  std::size_t raw = it->second + 1;
  std::size_t decoded = 0;
  while (raw < text_.size() && text_[raw] != '"' && decoded < decoded_offset) {
    if (text_[raw] != '\\') {
      ++raw;
      ++decoded;
      continue;
    }
    if (raw + 1 < text_.size() && text_[raw + 1] == 'u') {
      // \uXXXX: a code point of 1–3 UTF-8 bytes, or with a second \uXXXX a surrogate pair
      // that decodes to 4 bytes.
      unsigned code = 0;
      for (std::size_t k = raw + 2; k < raw + 6 && k < text_.size(); ++k) {
        char c = text_[k];
        code = code * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
      }
      if (code >= 0xD800 && code <= 0xDBFF) {
        raw += 12;
        decoded += 4;
      } else {
        raw += 6;
        decoded += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
      }
    } else {
      raw += 2;
      ++decoded;
    }
  }
  return position_at(raw);
}

void source_document::locate(diagnostic& d) const {
  if (d.line != 0) return;
  text_position at = nearest_position(d.pointer);
  d.line = at.line;
  d.column = at.column;
}

}  // namespace keyaccount
