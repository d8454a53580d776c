#include "keyaccount/io/arrow_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "keyaccount/classify/record.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/expr/date.hpp"
#include "keyaccount/expr/value.hpp"
#include "keyaccount/io/table_cell.hpp"

namespace keyaccount::io {
namespace {

// --- reading Arrow arrays -------------------------------------------------------------------
//
// Every accessor takes the row `i` of the record batch; `base` is the batch's (the struct
// array's) offset, which applies to its children on top of their own.

std::string_view format_of(const ArrowSchema& s) { return s.format ? s.format : ""; }

bool bit(const void* bitmap, std::int64_t at) {
  return ((static_cast<const std::uint8_t*>(bitmap)[at >> 3] >> (at & 7)) & 1) != 0;
}

// Whether slot `at` (the array's own index, its offset not added) is null.
bool null_at(const ArrowArray& a, std::int64_t at) {
  return a.null_count != 0 && a.n_buffers > 0 && a.buffers[0] != nullptr &&
         !bit(a.buffers[0], a.offset + at);
}

// The primitive types a number can be read from.
enum class number_type : std::uint8_t { i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, none };

number_type number_type_of(std::string_view f) {
  if (f.size() != 1) return number_type::none;
  switch (f[0]) {
    case 'c':
      return number_type::i8;
    case 'C':
      return number_type::u8;
    case 's':
      return number_type::i16;
    case 'S':
      return number_type::u16;
    case 'i':
      return number_type::i32;
    case 'I':
      return number_type::u32;
    case 'l':
      return number_type::i64;
    case 'L':
      return number_type::u64;
    case 'f':
      return number_type::f32;
    case 'g':
      return number_type::f64;
    default:
      return number_type::none;
  }
}

bool is_float(number_type t) { return t == number_type::f32 || t == number_type::f64; }

// Value `at` (the array's own index) of a primitive array of type t, as a double; for int64 and
// uint64 also exactly, in `whole` (when it fits an int64).
double number_at(const void* data, number_type t, std::int64_t at) {
  switch (t) {
    case number_type::i8:
      return static_cast<const std::int8_t*>(data)[at];
    case number_type::u8:
      return static_cast<const std::uint8_t*>(data)[at];
    case number_type::i16:
      return static_cast<const std::int16_t*>(data)[at];
    case number_type::u16:
      return static_cast<const std::uint16_t*>(data)[at];
    case number_type::i32:
      return static_cast<const std::int32_t*>(data)[at];
    case number_type::u32:
      return static_cast<const std::uint32_t*>(data)[at];
    case number_type::i64:
      return static_cast<double>(static_cast<const std::int64_t*>(data)[at]);
    case number_type::u64:
      return static_cast<double>(static_cast<const std::uint64_t*>(data)[at]);
    case number_type::f32:
      return static_cast<const float*>(data)[at];
    case number_type::f64:
      return static_cast<const double*>(data)[at];
    case number_type::none:
      break;
  }
  return std::nan("");
}

// Text arrays: string ("u", int32 offsets), large_string ("U", int64 offsets), string_view
// ("vu", 16-byte views into variadic buffers).
enum class text_type : std::uint8_t { utf8, large_utf8, utf8_view, none };

text_type text_type_of(std::string_view f) {
  if (f == "u") return text_type::utf8;
  if (f == "U") return text_type::large_utf8;
  if (f == "vu") return text_type::utf8_view;
  return text_type::none;
}

// The text of slot `at` (the array's own index, offset not added) of a text array.
std::string_view text_at(const ArrowArray& a, text_type t, std::int64_t at) {
  const std::int64_t slot = a.offset + at;
  switch (t) {
    case text_type::utf8: {
      const auto* o = static_cast<const std::int32_t*>(a.buffers[1]);
      return {static_cast<const char*>(a.buffers[2]) + o[slot],
              static_cast<std::size_t>(o[slot + 1] - o[slot])};
    }
    case text_type::large_utf8: {
      const auto* o = static_cast<const std::int64_t*>(a.buffers[1]);
      return {static_cast<const char*>(a.buffers[2]) + o[slot],
              static_cast<std::size_t>(o[slot + 1] - o[slot])};
    }
    case text_type::utf8_view: {
      const char* view = static_cast<const char*>(a.buffers[1]) + slot * 16;
      std::int32_t length = 0, buffer = 0, offset = 0;
      std::memcpy(&length, view, 4);
      if (length <= 12) return {view + 4, static_cast<std::size_t>(length)};
      std::memcpy(&buffer, view + 8, 4);
      std::memcpy(&offset, view + 12, 4);
      return {static_cast<const char*>(a.buffers[2 + buffer]) + offset,
              static_cast<std::size_t>(length)};
    }
    case text_type::none:
      break;
  }
  return {};
}

// Checks what text_at() reads of slots [offset, offset + length): the buffers are there and the
// offsets count up within the data (a producer's bug must not become a read out of bounds).
void check_text(const ArrowArray& a, text_type t, const std::string& field) {
  auto bad = [&](const char* why) { throw input_error(field, std::string("Arrow array: ") + why); };
  if (a.length < 0 || a.offset < 0) bad("negative length or offset");
  if (t == text_type::utf8_view) {
    if (a.n_buffers < 3 || (a.length > 0 && a.buffers[1] == nullptr)) bad("missing buffers");
    const auto* sizes = static_cast<const std::int64_t*>(a.buffers[a.n_buffers - 1]);
    const std::int64_t variadic = a.n_buffers - 3;
    for (std::int64_t i = 0; i < a.length; ++i) {
      const char* view = static_cast<const char*>(a.buffers[1]) + (a.offset + i) * 16;
      std::int32_t length = 0, buffer = 0, offset = 0;
      std::memcpy(&length, view, 4);
      if (length < 0) bad("negative string length");
      if (length <= 12) continue;
      std::memcpy(&buffer, view + 8, 4);
      std::memcpy(&offset, view + 12, 4);
      if (null_at(a, i)) continue;
      if (buffer < 0 || buffer >= variadic || offset < 0 ||
          (sizes != nullptr && offset + static_cast<std::int64_t>(length) > sizes[buffer]))
        bad("a string view outside its buffers");
    }
    return;
  }
  if (a.n_buffers < 3) bad("missing buffers");
  if (a.length == 0) return;
  if (a.buffers[1] == nullptr) bad("missing offsets");
  auto check = [&](const auto* o) {
    for (std::int64_t i = 0; i < a.length; ++i) {
      const auto from = o[a.offset + i], to = o[a.offset + i + 1];
      if (from < 0 || to < from) bad("offsets out of order");
    }
    if (o[a.offset + a.length] > o[a.offset] && a.buffers[2] == nullptr) bad("missing data");
  };
  if (t == text_type::utf8)
    check(static_cast<const std::int32_t*>(a.buffers[1]));
  else
    check(static_cast<const std::int64_t*>(a.buffers[1]));
}

// A column's text, plain or dictionary-encoded.
struct text_column {
  const ArrowArray* values = nullptr;  // the plain array, or the dictionary
  text_type type = text_type::none;
  const ArrowArray* indices = nullptr;  // dictionary-encoded: the indices
  number_type index_type = number_type::none;
  std::int64_t base = 0;

  [[nodiscard]] bool null(std::int64_t i) const {
    const ArrowArray& a = indices ? *indices : *values;
    if (null_at(a, base + i)) return true;
    if (!indices) return false;
    return null_at(*values, code(i));
  }
  [[nodiscard]] std::int64_t code(std::int64_t i) const {
    return static_cast<std::int64_t>(
        number_at(indices->buffers[1], index_type, indices->offset + base + i));
  }
  [[nodiscard]] std::string_view text(std::int64_t i) const {
    return indices ? text_at(*values, type, code(i)) : text_at(*values, type, base + i);
  }
};

// --- the plan: each column matched with its field ---------------------------------------------

enum class source : std::uint8_t {
  number,       // a primitive number array
  boolean,      // "b"
  date_days,    // date32
  date_millis,  // date64
  timestamp,    // "ts?:" without a time zone; unit in `per_day`
  text,         // text, possibly dictionary-encoded
  list,         // list / large_list / fixed_size_list of numbers
};

struct column_plan {
  std::size_t child = 0;
  std::string name;
  const field* f = nullptr;
  bool read = false;  // the criteria read it
  bool is_id = false;
  source from = source::number;
  number_type number = number_type::none;  // number source, or a list's items
  text_type text = text_type::none;        // text source (the dictionary's, when encoded)
  bool dictionary = false;
  std::int64_t per_day = 1;  // timestamps: units per day
  char list_kind = 'l';      // 'l' list, 'L' large_list, 'w' fixed_size_list
  std::int64_t list_width = 0;
};

[[noreturn]] void cannot_read(const std::string& name, std::string_view format,
                              const std::string& as) {
  throw input_error(
      name, "an Arrow column of type '" + std::string(format) + "' cannot be read as " + as);
}

const char* wanted(field_type t) {
  switch (t) {
    case field_type::number:
      return "a number (float64, float32 or an integer type)";
    case field_type::integer:
      return "a whole number (an integer type, or float64 holding whole numbers)";
    case field_type::boolean:
      return "true or false (bool)";
    case field_type::date_:
      return "a date (date32, date64, a timestamp without time zone, or YYYY-MM-DD text)";
    case field_type::series:
      return "a series (a list of numbers, or '60;70;80' text)";
    default:
      return "text (string, large_string, string_view or dictionary-encoded text)";
  }
}

column_plan plan_column(const ArrowSchema& s, std::size_t child, const field& f) {
  column_plan p;
  p.child = child;
  p.name = s.name ? s.name : "";
  p.f = &f;
  const std::string_view fmt = format_of(s);
  const std::string as = std::string(wanted(f.type));
  if (s.dictionary != nullptr) {
    p.number = number_type_of(fmt);
    p.text = text_type_of(format_of(*s.dictionary));
    if (p.number == number_type::none || is_float(p.number) || p.text == text_type::none)
      cannot_read(p.name,
                  std::string("dictionary<") + std::string(fmt) + ", " +
                      std::string(format_of(*s.dictionary)) + ">",
                  as);
    p.dictionary = true;
    p.from = source::text;
    if (f.type == field_type::number || f.type == field_type::integer ||
        f.type == field_type::boolean)
      cannot_read(p.name, "dictionary", as);
    return p;
  }
  if (text_type_of(fmt) != text_type::none) {
    p.text = text_type_of(fmt);
    p.from = source::text;
    if (f.type == field_type::number || f.type == field_type::integer ||
        f.type == field_type::boolean)
      cannot_read(p.name, fmt, as);
    return p;
  }
  switch (f.type) {
    case field_type::number:
    case field_type::integer:
      p.number = number_type_of(fmt);
      if (p.number == number_type::none) cannot_read(p.name, fmt, as);
      p.from = source::number;
      return p;
    case field_type::boolean:
      if (fmt != "b") cannot_read(p.name, fmt, as);
      p.from = source::boolean;
      return p;
    case field_type::date_:
      if (fmt == "tdD") {
        p.from = source::date_days;
      } else if (fmt == "tdm") {
        p.from = source::date_millis;
      } else if (fmt.size() >= 4 && fmt.substr(0, 2) == "ts" && fmt[3] == ':') {
        if (fmt.size() > 4)
          throw input_error(p.name, "a timestamp with the time zone " + std::string(fmt.substr(4)) +
                                        " cannot be read as a date: convert it to the local "
                                        "calendar date first");
        p.from = source::timestamp;
        switch (fmt[2]) {
          case 's':
            p.per_day = 86400;
            break;
          case 'm':
            p.per_day = 86400'000;
            break;
          case 'u':
            p.per_day = 86400'000'000;
            break;
          case 'n':
            p.per_day = 86400'000'000'000;
            break;
          default:
            cannot_read(p.name, fmt, as);
        }
      } else {
        cannot_read(p.name, fmt, as);
      }
      return p;
    case field_type::series: {
      if (fmt == "+l" || fmt == "+L") {
        p.list_kind = fmt[1];
      } else if (fmt.substr(0, 3) == "+w:") {
        p.list_kind = 'w';
        try {
          p.list_width = std::stoll(std::string(fmt.substr(3)));
        } catch (const std::exception&) {
          cannot_read(p.name, fmt, as);
        }
        if (p.list_width < 0) cannot_read(p.name, fmt, as);
      } else {
        cannot_read(p.name, fmt, as);
      }
      if (s.n_children != 1 || s.children == nullptr || s.children[0] == nullptr)
        cannot_read(p.name, fmt, as);
      p.number = number_type_of(format_of(*s.children[0]));
      if (p.number == number_type::none)
        cannot_read(p.name, std::string(fmt) + "<" + std::string(format_of(*s.children[0])) + ">",
                    as);
      p.from = source::list;
      return p;
    }
    default:
      cannot_read(p.name, fmt, as);
  }
}

// The message of an input_error without its "field: " prefix.
std::string message_of(const input_error& e) {
  std::string text = e.what();
  const std::string prefix = e.field() + ": ";
  if (!e.field().empty() && text.compare(0, prefix.size(), prefix) == 0)
    text.erase(0, prefix.size());
  return text;
}

constexpr std::int32_t missing_day = INT32_MIN;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

struct arrow_table_reader::impl {
  const classifier* c = nullptr;
  std::vector<column_plan> columns;
  std::optional<std::size_t> id_column;  // index into columns
  std::int64_t children = 0;
};

namespace {

// A buffer of doubles that can grow without being initialised (std::vector<double> zeroes what
// it adds, a second write of every byte of a block about to be overwritten).
class double_buffer {
 public:
  void resize_uninitialised(std::size_t n) {
    data_.reset(new double[n]);
    size_ = n;
  }
  [[nodiscard]] double* data() noexcept { return data_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  operator std::span<const double>() const noexcept { return {data_.get(), size_}; }

 private:
  std::unique_ptr<double[]> data_;
  std::size_t size_ = 0;
};

}  // namespace

class arrow_table_reader::batch_columns {
 public:
  std::list<double_buffer> series;
  std::size_t first_row = 0, rows = 0;
  std::optional<column_table> table;
  std::list<std::vector<double>> doubles;
  std::list<std::vector<std::int64_t>> int64s;
  std::list<std::vector<std::int32_t>> int32s;
  std::list<std::vector<std::uint8_t>> bytes;
  std::vector<std::string_view> ids;
  // Values the columns could not hold: (row in the batch, field, message), one per row.
  std::vector<batch_row_error> problems;

  void problem(std::size_t row, std::string field, std::string message) {
    problems.push_back({row, std::move(field), std::move(message), {}});
  }
};

arrow_table_reader::arrow_table_reader(const classifier& c, const ArrowSchema& schema)
    : impl_(std::make_unique<impl>()) {
  impl_->c = &c;
  if (format_of(schema) != "+s")
    throw input_error("", "an Arrow table must be a struct of columns (a record batch), not '" +
                              std::string(format_of(schema)) + "'");
  impl_->children = schema.n_children;
  const auto& parser = c.parser();
  const auto& used = c.fields_used();
  std::vector<bool> seen(parser.fields().size());
  if (schema.n_children > 0 && schema.children == nullptr)
    throw input_error("", "an Arrow schema without its columns");
  for (std::int64_t k = 0; k < schema.n_children; ++k) {
    if (schema.children[k] == nullptr) throw input_error("", "an Arrow schema without a column");
    const ArrowSchema& s = *schema.children[k];
    const std::string name = s.name ? s.name : "";
    const auto slot = parser.slot_of(name);
    if (!slot) throw input_error(name, "unknown column (not in the policy's customer schema)");
    if (seen[*slot]) throw input_error(name, "column appears twice");
    seen[*slot] = true;
    const field& f = parser.fields()[*slot];
    const bool is_id = name == "id" && f.type == field_type::string_;
    if (!used[*slot] && !is_id) continue;  // not read: its type does not matter
    column_plan p = plan_column(s, static_cast<std::size_t>(k), f);
    p.read = used[*slot];
    p.is_id = is_id;
    if (is_id) {
      if (p.from != source::text) cannot_read(name, format_of(s), wanted(f.type));
      impl_->id_column = impl_->columns.size();
    }
    impl_->columns.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < parser.fields().size(); ++i)
    if (!seen[i] && used[i] && parser.fields()[i].required)
      throw input_error(parser.fields()[i].id, "required column is missing");
}

arrow_table_reader::~arrow_table_reader() = default;

bool arrow_table_reader::has_ids() const noexcept { return impl_->id_column.has_value(); }

std::shared_ptr<const arrow_table_reader::batch_columns> arrow_table_reader::read(
    const ArrowArray& batch, std::size_t first_row, std::size_t begin, std::size_t count) const {
  auto out = std::make_shared<batch_columns>();
  if (batch.length < 0 || batch.offset < 0 || batch.n_children != impl_->children ||
      (batch.n_children > 0 && batch.children == nullptr))
    throw input_error("", "an Arrow batch does not match its schema");
  begin = std::min(begin, static_cast<std::size_t>(batch.length));
  const auto rows = std::min(count, static_cast<std::size_t>(batch.length) - begin);
  const std::int64_t base = batch.offset + static_cast<std::int64_t>(begin);
  out->first_row = first_row;
  out->rows = rows;
  out->table.emplace(rows);
  column_table& table = *out->table;
  const auto n = static_cast<std::int64_t>(rows);
  for (const column_plan& p : impl_->columns) {
    if (batch.children[p.child] == nullptr) throw input_error(p.name, "Arrow array: no column");
    const ArrowArray& a = *batch.children[p.child];
    if (a.length < base + n || a.offset < 0)
      throw input_error(p.name, "the Arrow column is shorter than its batch");
    const std::string& name = p.name;
    const bool required = p.f->required;
    // Text: plain or through a dictionary (checked once, then read by code).
    text_column text;
    if (p.from == source::text) {
      text.base = base;
      if (p.dictionary) {
        if (a.dictionary == nullptr || a.n_buffers < 2)
          throw input_error(name, "Arrow array: missing dictionary");
        text.values = a.dictionary;
        text.indices = &a;
        text.index_type = p.number;
        const std::int64_t size = a.dictionary->length;
        for (std::int64_t i = 0; i < n; ++i) {
          if (null_at(a, base + i)) continue;
          const std::int64_t code = text.code(i);
          if (code < 0 || code >= size)
            throw input_error(name, "Arrow array: a dictionary index out of range");
        }
      } else {
        text.values = &a;
      }
      text.type = p.text;
      check_text(*text.values, p.text, name);
    }
    if (p.is_id) {
      out->ids.resize(rows);
      for (std::int64_t i = 0; i < n; ++i) {
        if (text.null(i)) {
          if (required)
            out->problem(static_cast<std::size_t>(i), name, field_check::missing_required());
          continue;
        }
        out->ids[static_cast<std::size_t>(i)] = text.text(i);
        if (out->ids[static_cast<std::size_t>(i)].empty())
          out->problem(static_cast<std::size_t>(i), name, field_check::empty_id());
      }
    }
    if (!p.read) continue;
    switch (p.f->type) {
      case field_type::number: {
        if (p.number == number_type::f64 && a.null_count == 0) {  // borrowed as it is
          table.set_numbers(name,
                            {static_cast<const double*>(a.buffers[1]) + a.offset + base, rows});
          break;
        }
        auto& v = out->doubles.emplace_back(rows);
        for (std::int64_t i = 0; i < n; ++i)
          v[static_cast<std::size_t>(i)] =
              null_at(a, base + i) ? std::nan("")
                                   : number_at(a.buffers[1], p.number, a.offset + base + i);
        table.set_numbers(name, v);
        break;
      }
      case field_type::integer: {
        auto& v = out->int64s.emplace_back(rows);
        // A NaN in a float column is no value, as it is for a number field and in numpy.
        auto& missing = out->bytes.emplace_back(a.null_count != 0 || is_float(p.number) ? rows : 0);
        for (std::int64_t i = 0; i < n; ++i) {
          const auto r = static_cast<std::size_t>(i);
          if (null_at(a, base + i)) {
            missing[r] = 1;
            continue;
          }
          const std::int64_t at = a.offset + base + i;
          if (p.number == number_type::i64) {
            v[r] = static_cast<const std::int64_t*>(a.buffers[1])[at];
            continue;
          }
          // Any other type is read as every table reader reads a cell (io/table_cell.hpp): a
          // uint64 past int64 and a fraction are refused in the record reader's words.
          table_cell c;
          if (p.number == number_type::u64) {
            const std::uint64_t u = static_cast<const std::uint64_t*>(a.buffers[1])[at];
            c.what = u > static_cast<std::uint64_t>(INT64_MAX) ? table_cell::kind::big_unsigned
                                                               : table_cell::kind::integer;
            c.big = u;
            c.integer = static_cast<std::int64_t>(u);
          } else if (is_float(p.number)) {
            c.what = table_cell::kind::number;
            c.number = number_at(a.buffers[1], p.number, at);
            if (std::isnan(c.number)) {
              missing[r] = 1;
              continue;
            }
          } else {  // a narrower integer: always fits
            c.what = table_cell::kind::integer;
            c.integer = static_cast<std::int64_t>(number_at(a.buffers[1], p.number, at));
          }
          if (std::string why; !read_integer(c, v[r], why)) out->problem(r, name, std::move(why));
        }
        table.set_integers(name, v, missing);
        break;
      }
      case field_type::boolean: {
        auto& v = out->bytes.emplace_back(rows);
        auto& missing = out->bytes.emplace_back(a.null_count != 0 ? rows : 0);
        for (std::int64_t i = 0; i < n; ++i) {
          if (null_at(a, base + i))
            missing[static_cast<std::size_t>(i)] = 1;
          else
            v[static_cast<std::size_t>(i)] = bit(a.buffers[1], a.offset + base + i) ? 1 : 0;
        }
        table.set_booleans(name, v, missing);
        break;
      }
      case field_type::date_: {
        if (p.from == source::date_days && a.null_count == 0) {  // borrowed as it is
          table.set_dates(name,
                          {static_cast<const std::int32_t*>(a.buffers[1]) + a.offset + base, rows},
                          missing_day);
          break;
        }
        auto& v = out->int32s.emplace_back(rows, missing_day);
        for (std::int64_t i = 0; i < n; ++i) {
          const auto r = static_cast<std::size_t>(i);
          if (p.from == source::text) {
            if (text.null(i)) continue;
            // Read as every table reader reads a text cell for a date (io/table_cell.hpp):
            // YYYY-MM-DD exactly, as a record's string and a DataFrame's text are.
            std::string why;
            std::int32_t days = 0;
            if (read_date(table_cell{.what = table_cell::kind::text, .text = text.text(i)}, days,
                          why))
              v[r] = days;
            else
              out->problem(r, name, why);
            continue;
          }
          if (null_at(a, base + i)) continue;
          const std::int64_t at = a.offset + base + i;
          std::int64_t days = 0;
          if (p.from == source::date_days)
            days = static_cast<const std::int32_t*>(a.buffers[1])[at];
          else if (p.from == source::date_millis)
            days = floor_div(static_cast<const std::int64_t*>(a.buffers[1])[at], 86400'000);
          else
            days = floor_div(static_cast<const std::int64_t*>(a.buffers[1])[at], p.per_day);
          if (days <= INT32_MIN || days > INT32_MAX)
            out->problem(r, name, "date outside 0001-01-01..9999-12-31");
          else
            v[r] = static_cast<std::int32_t>(days);
        }
        table.set_dates(name, v, missing_day);
        break;
      }
      case field_type::string_:
      case field_type::enumeration:
      case field_type::person: {
        auto& codes = out->int32s.emplace_back(rows, -1);
        std::vector<std::string> categories;
        if (p.dictionary) {  // the dictionary read once, the rows as codes
          const ArrowArray& d = *a.dictionary;
          categories.reserve(static_cast<std::size_t>(d.length));
          for (std::int64_t k = 0; k < d.length; ++k)
            categories.emplace_back(null_at(d, k) ? std::string_view{} : text_at(d, p.text, k));
          for (std::int64_t i = 0; i < n; ++i)
            if (!text.null(i))
              codes[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(text.code(i));
        } else {
          // Most such columns hold a handful of values: comparing with the first few is cheaper
          // than hashing.
          constexpr std::size_t few_limit = 16;
          std::vector<std::string_view> few;
          std::unordered_map<std::string_view, std::int32_t> by_text;
          for (std::int64_t i = 0; i < n; ++i) {
            if (text.null(i)) continue;
            const std::string_view t = text.text(i);
            std::int32_t code = -1;
            for (std::size_t k = 0; k < few.size() && code < 0; ++k)
              if (few[k] == t) code = static_cast<std::int32_t>(k);
            if (code < 0) {
              auto [it, added] = by_text.try_emplace(t, static_cast<std::int32_t>(by_text.size()));
              if (added) {
                categories.emplace_back(t);
                if (few.size() < few_limit) few.push_back(t);
              }
              code = it->second;
            }
            codes[static_cast<std::size_t>(i)] = code;
          }
        }
        table.set_categories(name, codes, std::move(categories));
        break;
      }
      case field_type::series: {
        auto& missing = out->bytes.emplace_back(rows);
        auto& lengths = out->int64s.emplace_back(rows);
        bool any_missing = false;
        if (p.from == source::text) {  // "60;70;80", as a CSV cell (empty: absent)
          std::vector<std::vector<double>> parsed(rows);
          std::size_t width = 0;
          for (std::int64_t i = 0; i < n; ++i) {
            const auto r = static_cast<std::size_t>(i);
            if (text.null(i) || text.text(i).empty()) {
              missing[r] = 1;
              any_missing = true;
              continue;
            }
            try {
              auto value = field_value_from_text(*p.f, text.text(i), name);
              auto xs = value.as_list().doubles();
              parsed[r].assign(xs.begin(), xs.end());
              width = std::max(width, parsed[r].size());
            } catch (const input_error& e) {
              out->problem(r, e.field(), message_of(e));
            }
          }
          auto& block = out->doubles.emplace_back(rows * width, 0.0);
          for (std::size_t r = 0; r < rows; ++r) {
            std::copy(parsed[r].begin(), parsed[r].end(), block.begin() + r * width);
            lengths[r] = static_cast<std::int64_t>(parsed[r].size());
          }
          table.set_series(name, block, width, lengths,
                           any_missing ? std::span<const std::uint8_t>(missing)
                                       : std::span<const std::uint8_t>{});
          break;
        }
        if (a.n_children != 1 || a.children == nullptr || a.children[0] == nullptr)
          throw input_error(name, "Arrow array: a list without its values");
        const ArrowArray& items = *a.children[0];
        // Each row's [begin, end) in the items' own indexes.
        auto span_of = [&](std::int64_t i) -> std::pair<std::int64_t, std::int64_t> {
          const std::int64_t at = a.offset + base + i;
          if (p.list_kind == 'w') return {at * p.list_width, (at + 1) * p.list_width};
          if (p.list_kind == 'l') {
            const auto* o = static_cast<const std::int32_t*>(a.buffers[1]);
            return {o[at], o[at + 1]};
          }
          const auto* o = static_cast<const std::int64_t*>(a.buffers[1]);
          return {o[at], o[at + 1]};
        };
        if (p.list_kind != 'w' && n > 0 && a.buffers[1] == nullptr)
          throw input_error(name, "Arrow array: missing list offsets");
        std::size_t width = 0;
        for (std::int64_t i = 0; i < n; ++i) {
          const auto r = static_cast<std::size_t>(i);
          if (null_at(a, base + i)) {
            missing[r] = 1;
            any_missing = true;
            continue;
          }
          auto [from, to] = span_of(i);
          if (from < 0 || to < from || to > items.length)
            throw input_error(name, "Arrow array: list offsets outside the values");
          lengths[r] = to - from;
          width = std::max(width, static_cast<std::size_t>(to - from));
        }
        if (width > 0 && items.buffers[1] == nullptr)
          throw input_error(name, "Arrow array: missing list values");
        const std::span<const std::uint8_t> mask =
            any_missing ? std::span<const std::uint8_t>(missing) : std::span<const std::uint8_t>{};
        // Lists of float64 without nulls whose rows all have `width` values (a fixed_size_list,
        // or a list column of equal-length series) are the batch's row-major block already:
        // borrowed, not copied.
        if (p.number == number_type::f64 && items.null_count == 0 && !any_missing &&
            std::all_of(lengths.begin(), lengths.end(),
                        [&](std::int64_t l) { return l == static_cast<std::int64_t>(width); })) {
          const std::int64_t start = n > 0 ? span_of(0).first : 0;
          const double* block = static_cast<const double*>(items.buffers[1]);
          if (block != nullptr) block += items.offset + start;
          table.set_series(name, {block, block ? rows * width : 0}, width, {}, {});
          break;
        }
        // Otherwise copied row by row into a block of the longest row's width, each row's tail
        // zeroed (the buffer is not initialised beforehand: every byte is written once).
        auto& block = out->series.emplace_back();
        block.resize_uninitialised(rows * width);
        for (std::int64_t i = 0; i < n; ++i) {
          const auto r = static_cast<std::size_t>(i);
          double* row = block.data() + r * width;
          if (missing[r]) {
            std::fill_n(row, width, 0.0);
            continue;
          }
          auto [from, to] = span_of(i);
          const auto size = static_cast<std::size_t>(to - from);
          if (p.number == number_type::f64 && items.null_count == 0) {
            std::memcpy(row, static_cast<const double*>(items.buffers[1]) + items.offset + from,
                        size * sizeof(double));
          } else {
            // A null month is NaN, which the batch reports as "not a finite number", located.
            for (std::int64_t j = from; j < to; ++j)
              row[j - from] = null_at(items, j)
                                  ? std::nan("")
                                  : number_at(items.buffers[1], p.number, items.offset + j);
          }
          std::fill(row + size, row + width, 0.0);
        }
        table.set_series(name, block, width, lengths, mask);
        break;
      }
      default:
        throw input_error(name, "this field cannot be read from a table column");
    }
  }
  // One problem per row, the first in column order.
  std::stable_sort(out->problems.begin(), out->problems.end(),
                   [](const auto& x, const auto& y) { return x.row < y.row; });
  out->problems.erase(std::unique(out->problems.begin(), out->problems.end(),
                                  [](const auto& x, const auto& y) { return x.row == y.row; }),
                      out->problems.end());
  return out;
}

arrow_batch arrow_table_reader::classify(const batch_columns& columns, date as_of,
                                         const batch_options& options) const {
  const std::size_t begin = std::min(options.begin, columns.rows);
  const std::size_t end = std::max(begin, std::min(options.end, columns.rows));
  batch_options o = options;
  o.begin = begin;
  o.end = end;
  arrow_batch out;
  out.first_row = columns.first_row + begin;
  out.rows = end - begin;
  out.result = classify_batch(*impl_->c, *columns.table, as_of, o);
  auto& tiers = out.result.tiers;
  if (begin > 0 || end < tiers.size()) {
    tiers.erase(tiers.begin() + static_cast<std::ptrdiff_t>(end), tiers.end());
    tiers.erase(tiers.begin(), tiers.begin() + static_cast<std::ptrdiff_t>(begin));
  }
  out.with_ids = impl_->id_column.has_value();
  if (out.with_ids)
    out.ids.assign(columns.ids.begin() + static_cast<std::ptrdiff_t>(begin),
                   columns.ids.begin() + static_cast<std::ptrdiff_t>(end));
  // The values the columns could not hold come first for their rows: the batch saw only a
  // placeholder there.
  std::vector<batch_row_error> errors;
  auto problem = std::lower_bound(columns.problems.begin(), columns.problems.end(), begin,
                                  [](const auto& e, std::size_t row) { return e.row < row; });
  auto own = out.result.errors.begin();
  while (problem != columns.problems.end() && problem->row < end) {
    while (own != out.result.errors.end() && own->row < problem->row) errors.push_back(*own++);
    while (own != out.result.errors.end() && own->row == problem->row) ++own;
    errors.push_back(*problem);
    tiers[problem->row - begin] = -1;
    if (!out.result.explanations.empty()) out.result.explanations[problem->row - begin] = {};
    ++problem;
  }
  errors.insert(errors.end(), own, out.result.errors.end());
  for (auto& e : errors) e.row += columns.first_row;
  out.result.errors = std::move(errors);
  return out;
}

namespace {

// Classifies `batch` (whose first row is the stream's `first_row`) piece by piece.
void classify_pieces(const arrow_table_reader& reader, const ArrowArray& batch,
                     std::size_t first_row, date as_of, const batch_options& options,
                     const std::function<void(arrow_batch&)>& sink, arrow_slices slices) {
  const auto n = static_cast<std::size_t>(std::max<std::int64_t>(batch.length, 0));
  const std::size_t read_rows = std::max<std::size_t>(slices.read_rows, 1);
  const std::size_t explain_rows = std::max<std::size_t>(slices.explain_rows, 1);
  for (std::size_t from = 0; from < n || (n == 0 && from == 0); from += read_rows) {
    const auto columns = reader.read(batch, first_row + from, from, read_rows);
    const std::size_t rows = std::min(read_rows, n - from);
    const std::size_t step = options.explain ? explain_rows : std::max<std::size_t>(rows, 1);
    for (std::size_t at = 0; at < rows || (rows == 0 && at == 0); at += step) {
      batch_options o = options;
      o.begin = at;
      o.end = std::min(rows, at + step);
      arrow_batch result = reader.classify(*columns, as_of, o);
      sink(result);
      if (rows == 0) break;
    }
    if (n == 0) break;
  }
}

}  // namespace

void classify_arrow_array(const classifier& c, const ArrowSchema& schema, const ArrowArray& batch,
                          date as_of, const batch_options& options,
                          const std::function<void(arrow_batch&)>& sink, arrow_slices slices) {
  const arrow_table_reader reader(c, schema);
  classify_pieces(reader, batch, 0, as_of, options, sink, slices);
}

std::size_t classify_arrow_stream(const classifier& c, ArrowArrayStream& stream, date as_of,
                                  const batch_options& options,
                                  const std::function<void(arrow_batch&)>& sink,
                                  arrow_slices slices) {
  auto failed = [&](const char* what, int code) {
    const char* message = stream.get_last_error ? stream.get_last_error(&stream) : nullptr;
    return std::runtime_error(std::string("Arrow stream: ") + what + " failed (" +
                              (message ? message : std::strerror(code)) + ")");
  };
  ArrowSchema schema{};
  if (int rc = stream.get_schema(&stream, &schema); rc != 0) throw failed("get_schema", rc);
  struct schema_guard {
    ArrowSchema& s;
    ~schema_guard() {
      if (s.release) s.release(&s);
    }
  } keep_schema{schema};
  const arrow_table_reader reader(c, schema);
  std::size_t rows = 0;
  for (;;) {
    ArrowArray batch{};
    if (int rc = stream.get_next(&stream, &batch); rc != 0) throw failed("get_next", rc);
    if (batch.release == nullptr) break;  // the end of the stream
    struct array_guard {
      ArrowArray& a;
      ~array_guard() {
        if (a.release) a.release(&a);
      }
    } keep_batch{batch};
    classify_pieces(reader, batch, rows, as_of, options, sink, slices);
    rows += static_cast<std::size_t>(std::max<std::int64_t>(batch.length, 0));
  }
  return rows;
}

}  // namespace keyaccount::io
