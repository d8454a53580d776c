#include "customer_input.hpp"

#include <csv.h>

#include <cctype>
#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <vector>

#include "input_file.hpp"
#include "keyaccount/json/parse.hpp"

namespace keyaccount::cli {
namespace {

struct csv_state {
  const record_parser* parser = nullptr;
  const std::function<bool(input_item&&)>* sink = nullptr;
  std::vector<std::string> cells;
  std::optional<std::vector<std::size_t>> columns;
  std::size_t line = 0;
  bool stop = false;
};

void on_field(void* data, std::size_t len, void* state) {
  auto* s = static_cast<csv_state*>(state);
  s->cells.emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
}

void on_record(int /*terminator*/, void* state) {
  auto* s = static_cast<csv_state*>(state);
  std::vector<std::string> cells = std::move(s->cells);
  s->cells.clear();
  if (s->stop) return;
  if (!s->columns) {
    s->columns = s->parser->map_columns(cells);  // throws input_error for a bad header
    return;
  }
  input_item item;
  item.line = s->line;
  try {
    item.record = s->parser->from_text(*s->columns, cells);
  } catch (const input_error& e) {
    item.error = e.what();
  }
  if (!(*s->sink)(std::move(item))) s->stop = true;
}

void read_csv(std::istream& in, std::size_t lines_before, const record_parser& parser,
              const std::function<bool(input_item&&)>& sink,
              const std::function<void(std::size_t)>& on_bytes) {
  csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  struct guard {
    csv_parser* p;
    ~guard() { csv_free(p); }
  } g{&p};
  csv_state state;
  state.parser = &parser;
  state.sink = &sink;
  state.line = lines_before;
  std::string line;
  std::size_t bytes = 0;
  // Fed line by line so that every record knows the line it ends on.
  while (!state.stop && std::getline(in, line)) {
    ++state.line;
    bytes += line.size() + 1;
    line.push_back('\n');
    if (csv_parse(&p, line.data(), line.size(), on_field, on_record, &state) != line.size())
      throw input_error("", "line " + std::to_string(state.line) + ": malformed CSV (" +
                                std::string(csv_strerror(csv_error(&p))) + ")");
    if (on_bytes) on_bytes(bytes);
  }
  if (!state.stop && csv_fini(&p, on_field, on_record, &state) != 0)
    throw input_error("", "line " + std::to_string(state.line) + ": malformed CSV (" +
                              std::string(csv_strerror(csv_error(&p))) + ")");
  if (!state.columns) throw input_error("", "the CSV input has no header row");
}

// A whole JSON array of customer objects (what json.dump(list) and pandas'
// to_json(orient="records") write): read at once, each record located at the line where its
// element starts. `lines_before` blank lines were consumed from `in` before it.
void read_json_array(std::istream& in, std::size_t lines_before, const record_parser& parser,
                     const std::function<bool(input_item&&)>& sink,
                     const std::function<void(std::size_t)>& on_bytes) {
  // The consumed lines put back, so that every position (nlohmann's too) counts from line 1.
  std::string text(lines_before, '\n');
  text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  nlohmann::json doc;
  try {
    doc = parse_json(text);
  } catch (const json_error& e) {
    // A syntax error's message has its line and column; a duplicate key, nesting too deep or a
    // number too large are located here.
    const std::string what = e.what();
    const auto at =
        what.starts_with("parse error at line") ? std::nullopt : json_error_position(text);
    throw input_error("", at ? "line " + std::to_string(at->line) + ", column " +
                                   std::to_string(at->column) + ": " + what
                             : what);
  }
  const std::vector<std::size_t> lines = array_element_lines(text, doc.size());
  for (std::size_t i = 0; i < doc.size(); ++i) {
    input_item item;
    item.line = lines[i];
    try {
      item.record = parser.from_json(doc[i]);
    } catch (const input_error& e) {
      item.error = e.what();
    }
    if (!sink(std::move(item))) return;
  }
  if (on_bytes) on_bytes(text.size());
}

void read_jsonl(std::istream& in, std::size_t lines_before, const record_parser& parser,
                const std::function<bool(input_item&&)>& sink,
                const std::function<void(std::size_t)>& on_bytes) {
  // Leading white space decides nothing; a '[' after it starts one JSON array document.
  std::size_t number = lines_before, bytes = 0;
  int ch;
  while ((ch = in.peek()) != EOF && std::isspace(ch)) {
    ++bytes;
    if (in.get() == '\n') ++number;
  }
  if (ch == '[') return read_json_array(in, number, parser, sink, on_bytes);
  std::string line;
  while (std::getline(in, line)) {
    ++number;
    bytes += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    input_item item;
    item.line = number;
    try {
      item.record = parser.from_json(parse_json(line));
    } catch (const json_error& e) {
      item.error = std::string("not valid JSON: ") + e.what();
    } catch (const input_error& e) {
      item.error = e.what();
    }
    if (!sink(std::move(item))) return;
    if (on_bytes && number % 256 == 0) on_bytes(bytes);
  }
  if (on_bytes) on_bytes(bytes);
}

}  // namespace

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
    throw input_error("", "line 1: starts with bytes EF BB that are not a byte order mark");
}

void read_customers(std::istream& in, input_format format, const record_parser& parser,
                    const std::function<bool(input_item&&)>& sink,
                    const std::function<void(std::size_t)>& on_bytes, std::size_t lines_before) {
  skip_utf8_bom(in);
  if (format == input_format::csv) {
    read_csv(in, lines_before, parser, sink, on_bytes);
  } else {
    read_jsonl(in, lines_before, parser, sink, on_bytes);
  }
}

}  // namespace keyaccount::cli
