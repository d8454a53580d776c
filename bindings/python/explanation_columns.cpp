// The explanation columns of a batch (explain=True): per criterion .result / .met / .observed /
// .target / .margin / .gap / .why_not / .why_not_zh / .error, then "deciding", written a range
// of rows at a time (bindings.hpp, explain_rows) so that only one range's explanations exist.
//
// Why the text columns can be Arrow buffers: a million customers' why-not texts (English and
// Chinese) as one Python str per cell cost more than the result itself, and pandas (with
// pyarrow) or a pyarrow Table then copies them once more into Arrow strings (issue 18, item 4).
// With text_columns::string / large_string each range of a text column becomes the three
// buffers of an Arrow utf8 / large_utf8 array (validity bitmap, offsets, UTF-8 bytes), each a
// numpy array sized exactly, which the Python layer wraps with pa.Array.from_buffers without a
// copy. text_columns::objects keeps the object arrays (no pyarrow, or a pandas whose strings
// are not Arrow-backed).
#include <pybind11/numpy.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bindings.hpp"
#include "keyaccount/classify.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

// The explanation columns' names, in order: per criterion <id> + these, then "deciding".
constexpr std::array<const char*, 9> explanation_parts{".result",  ".met",        ".observed",
                                                       ".target",  ".margin",     ".gap",
                                                       ".why_not", ".why_not_zh", ".error"};

bool is_number_part(std::string_view p) {
  return p == ".observed" || p == ".target" || p == ".margin" || p == ".gap";
}

// One range of a text column as Arrow buffers: (offsets, data, validity or None, null count).
// `cell(i)` gives row i's text, or nullopt for a null; it is called twice (sizes, then bytes)
// so that every buffer is allocated once at its exact size.
template <class Offset, class Cell>
py::tuple arrow_text(std::size_t rows, const Cell& cell) {
  std::size_t bytes = 0, nulls = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::optional<std::string_view> s = cell(i);
    if (s)
      bytes += s->size();
    else
      ++nulls;
  }
  if (bytes > static_cast<std::size_t>(std::numeric_limits<Offset>::max()))
    throw py::value_error("explanation texts too long for 32-bit Arrow offsets");
  py::array_t<Offset> offsets(static_cast<py::ssize_t>(rows + 1));
  py::array_t<std::uint8_t> data(static_cast<py::ssize_t>(bytes));
  py::object validity = py::none();
  std::uint8_t* valid = nullptr;
  if (nulls > 0) {
    py::array_t<std::uint8_t> bits(static_cast<py::ssize_t>((rows + 7) / 8));
    valid = bits.mutable_data();
    std::memset(valid, 0, static_cast<std::size_t>(bits.size()));
    validity = bits;
  }
  Offset* off = offsets.mutable_data();
  auto* out = reinterpret_cast<char*>(data.mutable_data());
  std::size_t at = 0;
  off[0] = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::optional<std::string_view> s = cell(i);
    if (s) {
      if (!s->empty()) std::memcpy(out + at, s->data(), s->size());
      at += s->size();
      if (valid != nullptr) valid[i / 8] |= static_cast<std::uint8_t>(1U << (i % 8));
    }
    off[i + 1] = static_cast<Offset>(at);
  }
  return py::make_tuple(offsets, data, validity, nulls);
}

template <class Cell>
py::tuple arrow_text(text_columns kind, std::size_t rows, const Cell& cell) {
  return kind == text_columns::large_string ? arrow_text<std::int64_t>(rows, cell)
                                            : arrow_text<std::int32_t>(rows, cell);
}

// The semicolon-joined ids of the criteria that decided a row ("" for a row not read).
std::string deciding_text(const explanation& e) {
  std::string s;
  for (const auto& id : e.deciding) s += (s.empty() ? "" : ";") + id;
  return s;
}

// Text mode: appends this range's chunk to every text column's list of chunks.
void fill_text_columns(const classifier& c, std::span<const explanation> explanations,
                       const py::dict& columns, text_columns kind, const std::uint8_t* blank) {
  const std::size_t rows = explanations.size();
  // A row with no outcome at all: it could not be read (fewer reports), or the Python layer's
  // conversion found it bad (`blank`, classified on placeholders only).
  auto unread = [&](std::size_t i, std::size_t k) {
    return k >= explanations[i].criteria.size() || (blank != nullptr && blank[i] != 0);
  };
  auto append = [&](const std::string& name, const py::tuple& chunk) {
    py::cast<py::list>(columns[py::str(name)]).append(chunk);
  };
  using text = std::optional<std::string_view>;
  for (std::size_t k = 0; k < c.criterion_count(); ++k) {
    const std::string id = c.criterion_id(k);
    append(id + ".result", arrow_text(kind, rows, [&](std::size_t i) -> text {
             if (unread(i, k)) return std::nullopt;
             return to_string(explanations[i].criteria[k].result);
           }));
    append(id + ".why_not", arrow_text(kind, rows, [&](std::size_t i) -> text {
             if (unread(i, k)) return std::nullopt;
             return explanations[i].criteria[k].why_not.en;
           }));
    append(id + ".why_not_zh", arrow_text(kind, rows, [&](std::size_t i) -> text {
             if (unread(i, k)) return std::nullopt;
             return explanations[i].criteria[k].why_not.zh;
           }));
    append(id + ".error", arrow_text(kind, rows, [&](std::size_t i) -> text {
             if (unread(i, k)) return std::nullopt;
             return explanations[i].criteria[k].error;
           }));
  }
  std::vector<std::string> deciding(rows);
  for (std::size_t i = 0; i < rows; ++i)
    if (blank == nullptr || blank[i] == 0) deciding[i] = deciding_text(explanations[i]);
  append("deciding", arrow_text(kind, rows, [&](std::size_t i) -> text { return deciding[i]; }));
}

// Object mode: writes Python str objects into the preallocated object arrays.
void fill_object_columns(const classifier& c, std::span<const explanation> explanations,
                         const py::dict& columns, std::size_t offset, const std::uint8_t* blank) {
  const std::size_t rows = explanations.size();
  // One str object per outcome, shared by every cell ("met", "not_met", "error"): `.met` alone
  // cannot tell an error from not met.
  std::array<py::object, 4> outcome_names;
  for (auto o : {outcome::not_evaluated, outcome::met, outcome::not_met, outcome::error})
    outcome_names[static_cast<std::size_t>(o)] = py::str(std::string(to_string(o)));
  auto objects = [&](const std::string& name) {
    return py::cast<py::array_t<py::object>>(columns[py::str(name)]);
  };
  for (std::size_t k = 0; k < c.criterion_count(); ++k) {
    const std::string id = c.criterion_id(k);
    auto result = objects(id + ".result"), error = objects(id + ".error"),
         why = objects(id + ".why_not"), why_zh = objects(id + ".why_not_zh");
    auto res = result.mutable_unchecked<1>(), err = error.mutable_unchecked<1>();
    auto w = why.mutable_unchecked<1>(), wz = why_zh.mutable_unchecked<1>();
    for (std::size_t i = 0; i < rows; ++i) {
      const auto ii = static_cast<py::ssize_t>(offset + i);
      const explanation& e = explanations[i];
      if (k >= e.criteria.size() || (blank != nullptr && blank[i] != 0)) {
        w(ii) = py::none();
        wz(ii) = py::none();
        res(ii) = py::none();  // a row that could not be read: no outcome at all
        err(ii) = py::none();
        continue;
      }
      const criterion_report& cr = e.criteria[k];
      w(ii) = py::str(cr.why_not.en);
      wz(ii) = py::str(cr.why_not.zh);
      res(ii) = outcome_names[static_cast<std::size_t>(cr.result)];
      err(ii) = py::str(cr.error);
    }
  }
  // A few distinct texts repeat over the rows: one str object each.
  std::unordered_map<std::string, py::object> seen;
  auto deciding = objects("deciding");
  auto d = deciding.mutable_unchecked<1>();
  for (std::size_t i = 0; i < rows; ++i) {
    std::string s = blank != nullptr && blank[i] != 0 ? "" : deciding_text(explanations[i]);
    auto [at, added] = seen.try_emplace(s);
    if (added) at->second = py::str(s);
    d(static_cast<py::ssize_t>(offset + i)) = at->second;
  }
}

}  // namespace

text_columns parse_text_columns(const std::string& name) {
  if (name == "objects") return text_columns::objects;
  if (name == "string") return text_columns::string;
  if (name == "large_string") return text_columns::large_string;
  throw py::value_error("text: \"" + name +
                        "\" is not one of \"objects\", \"string\", \"large_string\"");
}

py::dict blank_explanation_columns(const classifier& c, std::size_t rows, text_columns text) {
  py::dict out;
  const auto n = static_cast<py::ssize_t>(rows);
  for (std::size_t k = 0; k < c.criterion_count(); ++k) {
    const std::string id = c.criterion_id(k);
    for (const char* part : explanation_parts) {
      const std::string_view p(part);
      if (p == ".met")
        out[py::str(id + part)] = py::array_t<bool>(n);
      else if (is_number_part(p))
        out[py::str(id + part)] = py::array_t<double>(n);
      else if (text == text_columns::objects)
        out[py::str(id + part)] = py::array_t<py::object>(n);
      else
        out[py::str(id + part)] = py::list();
    }
  }
  out["deciding"] = text == text_columns::objects ? py::object(py::array_t<py::object>(n))
                                                  : py::object(py::list());
  return out;
}

void fill_explanation_columns(const classifier& c, std::span<const explanation> explanations,
                              const py::dict& columns, std::size_t offset, text_columns text,
                              const std::uint8_t* blank) {
  const std::size_t rows = explanations.size();
  auto numbers = [&](const std::string& name) {
    return py::cast<py::array_t<double>>(columns[py::str(name)]);
  };
  const double nan = std::nan("");
  for (std::size_t k = 0; k < c.criterion_count(); ++k) {
    const std::string id = c.criterion_id(k);
    auto met = py::cast<py::array_t<bool>>(columns[py::str(id + ".met")]);
    auto observed = numbers(id + ".observed"), target = numbers(id + ".target"),
         margin = numbers(id + ".margin"), gap = numbers(id + ".gap");
    auto m = met.mutable_unchecked<1>();
    auto o = observed.mutable_unchecked<1>(), tg = target.mutable_unchecked<1>(),
         mg = margin.mutable_unchecked<1>(), g = gap.mutable_unchecked<1>();
    for (std::size_t i = 0; i < rows; ++i) {
      const auto ii = static_cast<py::ssize_t>(offset + i);
      const explanation& e = explanations[i];
      if (k >= e.criteria.size() || (blank != nullptr && blank[i] != 0)) {
        m(ii) = false;
        o(ii) = tg(ii) = mg(ii) = g(ii) = nan;
        continue;
      }
      const criterion_report& cr = e.criteria[k];
      m(ii) = cr.result == outcome::met;
      o(ii) = cr.observed_number.value_or(nan);
      tg(ii) = cr.target_number.value_or(nan);
      mg(ii) = cr.margin.value_or(nan);
      g(ii) = cr.gap.value_or(nan);
    }
  }
  if (text == text_columns::objects)
    fill_object_columns(c, explanations, columns, offset, blank);
  else
    fill_text_columns(c, explanations, columns, text, blank);
}

py::dict explanation_columns(const classifier& c, std::span<const explanation> explanations,
                             text_columns text) {
  py::dict out = blank_explanation_columns(c, explanations.size(), text);
  fill_explanation_columns(c, explanations, out, 0, text, nullptr);
  return out;
}

py::dict concatenate_columns(const py::list& parts) {
  py::dict out;
  if (parts.empty()) return out;
  auto concatenate = py::module_::import("numpy").attr("concatenate");
  for (auto [key, first] : py::cast<py::dict>(parts[0])) {
    if (py::isinstance<py::list>(first)) {  // a text column's Arrow chunks: all of them, in order
      py::list chunks;
      for (const auto& part : parts)
        for (const auto& chunk : py::cast<py::list>(py::cast<py::dict>(part)[key]))
          chunks.append(chunk);
      out[key] = chunks;
      continue;
    }
    py::list pieces;
    for (const auto& part : parts) pieces.append(py::cast<py::dict>(part)[key]);
    out[key] = concatenate(pieces);
  }
  return out;
}

}  // namespace keyaccount::python
