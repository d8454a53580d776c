#include "keyaccount/io/records.hpp"

#include <csv.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <istream>
#include <iterator>
#include <limits>
#include <new>

#include "keyaccount/json/parse.hpp"

namespace keyaccount::io {

namespace {

struct csv_state {
  const read_options* options = nullptr;
  const std::function<bool(record&&)>* sink = nullptr;
  std::vector<std::string> cells;
  std::optional<std::vector<std::string>> header;
  std::size_t line = 0;
  bool stop = false;
  std::exception_ptr thrown;  // by on_header or the sink: rethrown once libcsv has returned
};

void on_field(void* data, std::size_t len, void* state) {
  auto* s = static_cast<csv_state*>(state);
  s->cells.emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
}

void row(csv_state* s) {
  std::vector<std::string> cells = std::move(s->cells);
  s->cells.clear();
  if (s->stop) return;
  if (!s->header) {
    s->header = std::move(cells);
    if (s->options->on_header) s->options->on_header(*s->header);
    return;
  }
  if (cells.size() == 1 && cells[0].empty()) return;  // a line holding only ""
  record r;
  r.line = s->line;
  if (s->options->csv_objects) {
    const auto& header = *s->header;
    if (cells.size() != header.size()) {
      r.error = "expected " + std::to_string(header.size()) + " cells, got " +
                std::to_string(cells.size());
    } else {
      r.value = nlohmann::json::object();
      for (std::size_t k = 0; k < cells.size(); ++k)
        if (!cells[k].empty()) r.value[header[k]] = cells[k];
    }
  }
  r.cells = std::move(cells);
  if (!(*s->sink)(std::move(r))) s->stop = true;
}

// Called by libcsv, a C library: nothing may be thrown through it.
void on_row(int /*terminator*/, void* state) {
  auto* s = static_cast<csv_state*>(state);
  try {
    row(s);
  } catch (...) {
    s->thrown = std::current_exception();
    s->stop = true;
  }
}

void read_csv(std::istream& in, const read_options& options,
              const std::function<bool(record&&)>& sink) {
  csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  struct guard {
    csv_parser* p;
    ~guard() { csv_free(p); }
  } g{&p};
  csv_state state;
  state.options = &options;
  state.sink = &sink;
  state.line = options.lines_before;
  auto malformed = [&] {
    return read_error(state.line, 0,
                      "malformed CSV (" + std::string(csv_strerror(csv_error(&p))) + ")");
  };
  std::string line;
  std::size_t bytes = 0;
  // Fed line by line so that every record knows the line it ends on.
  while (!state.stop && std::getline(in, line)) {
    ++state.line;
    bytes += line.size() + 1;
    line.push_back('\n');
    const bool parsed =
        csv_parse(&p, line.data(), line.size(), on_field, on_row, &state) == line.size();
    if (state.thrown) std::rethrow_exception(state.thrown);
    if (!parsed) throw malformed();
    if (options.on_bytes) options.on_bytes(bytes);
  }
  // csv_fini ends the last record; with CSV_STRICT_FINI it fails for one that ends inside a
  // quoted cell (an unterminated quote on the last line), which must not vanish.
  if (!state.stop) {
    const bool ended = csv_fini(&p, on_field, on_row, &state) == 0;
    if (state.thrown) std::rethrow_exception(state.thrown);
    if (!ended) throw malformed();
  }
  if (!state.header) throw read_error(0, 0, "the CSV input has no header row");
}

// A whole JSON array: read at once, each record located at the line where its element starts.
void read_json_array(std::istream& in, const read_options& options, std::size_t lines_before,
                     const std::function<bool(record&&)>& sink) {
  // The consumed lines put back, so that every position (nlohmann's too) counts from line 1.
  std::string text(lines_before, '\n');
  text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  nlohmann::json doc;
  try {
    doc = parse_json(text);
  } catch (const json_error& e) {
    const auto at = json_error_position(text);
    throw read_error(at ? at->line : 0, at ? at->column : 0, e.what());
  }
  const std::vector<std::size_t> lines = array_element_lines(text, doc.size());
  for (std::size_t i = 0; i < doc.size(); ++i) {
    record r;
    r.line = lines[i];
    r.value = std::move(doc[i]);
    if (!sink(std::move(r))) return;
  }
  if (options.on_bytes) options.on_bytes(text.size());
}

void read_json(std::istream& in, const read_options& options,
               const std::function<bool(record&&)>& sink) {
  // Leading white space decides nothing; a '[' after it starts one JSON array document.
  std::size_t number = options.lines_before, bytes = 0;
  int ch;
  while ((ch = in.peek()) != EOF && std::isspace(ch)) {
    ++bytes;
    if (in.get() == '\n') ++number;
  }
  if (ch == '[') return read_json_array(in, options, number, sink);
  std::string line;
  while (std::getline(in, line)) {
    ++number;
    bytes += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    record r;
    r.line = number;
    try {
      r.value = parse_json(line);
    } catch (const json_error& e) {
      r.error = std::string("not valid JSON: ") + e.what();
    }
    if (!sink(std::move(r))) return;
    if (options.on_bytes && number % 256 == 0) options.on_bytes(bytes);
  }
  if (options.on_bytes) options.on_bytes(bytes);
}

}  // namespace

format format_of(std::string_view path) noexcept {
  if (path.size() < 4) return format::json;
  const auto ext = path.substr(path.size() - 4);
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  return ext[0] == '.' && lower(ext[1]) == 'c' && lower(ext[2]) == 's' && lower(ext[3]) == 'v'
             ? format::csv
             : format::json;
}

read_error::read_error(std::size_t line, std::size_t column, const std::string& message)
    : error(error_kind::read, location{.line = line, .column = line ? column : 0}, message) {}

std::string read_error::where(const std::string& name) const {
  std::string at = name;
  if (line()) at += ':' + std::to_string(line());
  if (line() && column()) at += ':' + std::to_string(column());
  return at;
}

std::string read_error::located(const std::string& name) const {
  return where(name) + ": " + message();
}

void skip_utf8_bom(std::istream& in) {
  // Streams can only peek one byte ahead, so a near-miss is put back with unget(): one byte of
  // put-back is always available, a second is in practice (a buffered file, glibc's stdin).
  if (in.peek() != 0xEF) return;
  in.get();
  if (in.peek() != 0xBB) {
    in.unget();
    return;
  }
  in.get();
  if (in.peek() == 0xBF) {
    in.get();
    return;
  }
  if (!in.unget() || !in.unget())
    throw read_error(1, 0, "starts with bytes EF BB that are not a byte order mark");
}

void read_records(std::istream& in, const read_options& options,
                  const std::function<bool(record&&)>& sink) {
  skip_utf8_bom(in);
  if (options.input == format::csv) {
    read_csv(in, options, sink);
  } else {
    read_json(in, options, sink);
  }
}

std::optional<std::string> open_file(const std::string& path, std::ifstream& in) {
  std::error_code ec;
  if (std::filesystem::is_directory(std::filesystem::status(path, ec))) return "it is a directory";
  errno = 0;
  in.open(path, std::ios::binary);
  if (in) return std::nullopt;
  return errno != 0 ? std::strerror(errno) : "cannot open it";
}

std::vector<record> read_file(const std::string& path) {
  std::ifstream in;
  if (auto reason = open_file(path, in))
    throw read_error(0, 0, "cannot read the file (" + *reason + ")");
  std::vector<record> out;
  read_options options;
  options.input = format_of(path);
  read_records(in, options, [&](record&& r) {
    out.push_back(std::move(r));
    return true;
  });
  return out;
}

std::vector<std::size_t> array_element_lines(std::string_view text, std::size_t count) {
  std::vector<std::size_t> lines;
  std::size_t depth = 0, line = 1;
  bool in_string = false, expect_element = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n') ++line;  // JSON strings hold no raw line break: counting here is safe
    if (in_string) {
      if (ch == '\\')
        ++i;  // the escaped character cannot end the string
      else if (ch == '"')
        in_string = false;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    if (expect_element && ch != ']') lines.push_back(line);
    expect_element = false;
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      expect_element = ++depth == 1;
    } else if (ch == ']' || ch == '}') {
      --depth;
    } else if (ch == ',' && depth == 1) {
      expect_element = true;
    }
  }
  lines.resize(count, lines.empty() ? 1 : lines.back());
  return lines;
}

source_document parse_with_positions(const std::string& text, std::vector<diagnostic>& problems) {
  // source_document knows where every value is; with parse_json's depth limit and no others,
  // its first error is the first thing parse_json refused.
  parse_limits limits;
  limits.max_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_elements = std::numeric_limits<std::size_t>::max();
  limits.max_string_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_depth = json_max_depth;
  return source_document::parse(text, problems, limits);
}

location locate_in_json(const std::string& path, const std::string& text,
                        const std::string& pointer) {
  std::vector<diagnostic> problems;
  const source_document doc = parse_with_positions(text, problems);
  for (const auto& d : problems)
    if (d.level == severity::error && d.line > 0)
      return location{.file = path, .line = d.line, .column = d.column};
  if (pointer.empty() || !doc.parsed()) return location{.file = path};
  const text_position p = doc.key_position(pointer).value_or(doc.nearest_position(pointer));
  return location{.file = path, .line = p.line, .column = p.column};
}

std::optional<text_position> json_error_position(const std::string& text) {
  std::vector<diagnostic> problems;
  (void)parse_with_positions(text, problems);
  for (const auto& d : problems)
    if (d.level == severity::error && d.line > 0) return text_position{0, d.line, d.column};
  return std::nullopt;
}

std::optional<text_position> problem_position(const std::string& text, std::string_view problem) {
  // "a.b[2].c: ..." -> "/a/b/2/c"; a key with a character a path would not hold (a space, a
  // quote) ends the path: no position (the caller names the file alone).
  const auto colon = problem.find(": ");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string pointer;
  for (const char ch : problem.substr(0, colon)) {
    if (ch == '.' || ch == '[') {
      pointer += '/';
    } else if (ch == ']') {
      continue;
    } else if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-') {
      pointer += ch;
    } else {
      return std::nullopt;
    }
  }
  if (pointer.front() != '/') pointer.insert(pointer.begin(), '/');  // "[2].id": "/2/id"
  std::vector<diagnostic> problems;
  const source_document doc = parse_with_positions(text, problems);
  if (!doc.parsed()) return std::nullopt;
  return doc.key_position(pointer).value_or(doc.nearest_position(pointer));
}

}  // namespace keyaccount::io
