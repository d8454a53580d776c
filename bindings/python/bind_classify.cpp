// Classification: one customer (as JSON text: the Python layer serialises dicts) or whole tables
// as columns (numpy arrays, borrowed without copying; the GIL is released while classifying).
// The Python layer (keyaccount/classify.py) turns pandas / numpy input into these columns.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "bindings.hpp"
#include "keyaccount/classify.hpp"
#include "keyaccount/classify/impact.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/io/arrow_table.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

using policy_handle = std::shared_ptr<keyaccount::policy>;

date parse_date(const std::string& text) {
  auto d = date::parse(text);
  if (!d) raise_input("as_of: " + field_check::not_a_date(text), "as_of");
  return *d;
}

// EvaluationError(message, criterion, cause, id): the criterion whose condition failed on this
// customer's data and the CEL error, never the combination above it with an empty cause.
[[noreturn]] void raise_evaluation_error(const explanation& e, const std::string& id) {
  raise_python_error("EvaluationError",
                     py::make_tuple("customer \"" + id + "\": criterion " + e.error_criterion +
                                        " could not be evaluated: " + e.error,
                                    e.error_criterion, e.error, py::none(), id));
}

customer_record parse_record(const classifier& c, const std::string& json_text) {
  return c.parser().from_json_text(json_text);
}

explanation explain_checked(const classifier& c, const std::string& json_text, date as_of) {
  customer_record r = parse_record(c, json_text);
  explanation e;
  {
    py::gil_scoped_release release;
    e = c.explain(r, as_of);
  }
  if (!e.result.ok()) raise_evaluation_error(e, r.id());
  return e;
}

// The columns of a table, kept alive (the numpy arrays) while the table borrows them.
struct py_table {
  column_table table;
  std::vector<py::object> keep;
  explicit py_table(std::size_t rows) : table(rows) {}
};

// The mask of absent values at spec[at] (one byte per row, non-zero: absent), empty when the
// spec has none.
std::span<const std::uint8_t> missing_mask(py_table& t, const py::tuple& spec, std::size_t at) {
  if (spec.size() <= at || spec[at].is_none()) return {};
  auto m = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(spec[at]);
  if (!m) throw std::invalid_argument("a missing mask must be an array of bytes");
  t.keep.push_back(m);
  return {m.data(), static_cast<std::size_t>(m.size())};
}

std::unique_ptr<py_table> make_table(std::size_t rows, const py::dict& columns) {
  auto t = std::make_unique<py_table>(rows);
  for (auto [key, spec_obj] : columns) {
    std::string field = py::cast<std::string>(key);
    py::tuple spec = py::cast<py::tuple>(spec_obj);
    std::string kind = py::cast<std::string>(spec[0]);
    try {
      if (kind == "numbers") {
        auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(spec[1]);
        t->keep.push_back(a);
        t->table.set_numbers(field, {a.data(), static_cast<std::size_t>(a.size())});
      } else if (kind == "integers") {
        auto a =
            py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(spec[1]);
        t->keep.push_back(a);
        t->table.set_integers(field, {a.data(), static_cast<std::size_t>(a.size())},
                              missing_mask(*t, spec, 2));
      } else if (kind == "booleans") {
        auto a =
            py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(spec[1]);
        t->keep.push_back(a);
        t->table.set_booleans(field, {a.data(), static_cast<std::size_t>(a.size())},
                              missing_mask(*t, spec, 2));
      } else if (kind == "dates") {
        auto a =
            py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(spec[1]);
        t->keep.push_back(a);
        t->table.set_dates(field, {a.data(), static_cast<std::size_t>(a.size())},
                           py::cast<std::int32_t>(spec[2]));
      } else if (kind == "categories") {
        auto a =
            py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(spec[1]);
        t->keep.push_back(a);
        t->table.set_categories(field, {a.data(), static_cast<std::size_t>(a.size())},
                                py::cast<std::vector<std::string>>(spec[2]));
      } else if (kind == "series") {
        auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(spec[1]);
        if (!a || a.ndim() != 2) raise_input(field + ": a series must be a 2-D array", field);
        t->keep.push_back(a);
        std::span<const std::int64_t> lengths;
        if (!spec[2].is_none()) {
          auto l =
              py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(spec[2]);
          t->keep.push_back(l);
          lengths = {l.data(), static_cast<std::size_t>(l.size())};
        }
        std::size_t width = static_cast<std::size_t>(a.shape(1));
        if (width == 0 && a.shape(0) != static_cast<py::ssize_t>(rows))
          raise_input(field + ": wrong number of rows", field);
        t->table.set_series(field, {a.data(), static_cast<std::size_t>(a.size())}, width, lengths,
                            missing_mask(*t, spec, 3));
      } else {
        throw std::invalid_argument("unknown column kind " + kind);
      }
    } catch (const std::invalid_argument& e) {
      raise_input(e.what(), field);
    }
  }
  return t;
}

// The Arrow stream of a PyCapsule ("arrow_array_stream", what `__arrow_c_stream__()` returns),
// moved out of the capsule as the PyCapsule interface asks of a consumer (its release set to
// null there), or one batch from the capsules `__arrow_c_array__()` returns.
struct arrow_source {
  ArrowArrayStream stream{};
  ArrowSchema* schema = nullptr;  // one batch: borrowed from its capsule
  ArrowArray array{};
  py::object keep;
  arrow_source() = default;
  arrow_source(const arrow_source&) = delete;
  arrow_source& operator=(const arrow_source&) = delete;
  ~arrow_source() {
    if (stream.release) stream.release(&stream);
    if (array.release) array.release(&array);
  }
};

void take_arrow(const py::object& source, arrow_source& out) {
  auto capsule = [](const py::handle& h, const char* name) -> void* {
    if (!PyCapsule_CheckExact(h.ptr()) || !PyCapsule_IsValid(h.ptr(), name))
      throw py::type_error(std::string("expected a PyCapsule named '") + name + "'");
    return PyCapsule_GetPointer(h.ptr(), name);
  };
  if (py::isinstance<py::tuple>(source)) {
    auto t = py::reinterpret_borrow<py::tuple>(source);
    if (t.size() != 2) throw py::type_error("expected (schema capsule, array capsule)");
    out.keep = source;
    out.schema = static_cast<ArrowSchema*>(capsule(t[0], "arrow_schema"));
    auto* array = static_cast<ArrowArray*>(capsule(t[1], "arrow_array"));
    if (array->release == nullptr) throw py::value_error("the Arrow array was released already");
    out.array = *array;
    array->release = nullptr;
    return;
  }
  auto* stream = static_cast<ArrowArrayStream*>(capsule(source, "arrow_array_stream"));
  if (stream->release == nullptr) throw py::value_error("the Arrow stream was consumed already");
  out.stream = *stream;
  stream->release = nullptr;
}

// classify_arrow(): the rows of every batch, accumulated.
struct arrow_results {
  std::vector<std::int32_t> tiers;
  py::list errors, ids, explanations;
  bool has_ids = false;

  // Called without the GIL (it takes it for the Python objects).
  void add(const classifier& c, io::arrow_batch& b, bool explain, text_columns text,
           std::size_t first_row) {
    tiers.insert(tiers.end(), b.result.tiers.begin(), b.result.tiers.end());
    py::gil_scoped_acquire gil;
    for (const auto& e : b.result.errors) {
      const std::size_t at = e.row - b.first_row;
      py::object id = at < b.ids.size() && !b.ids[at].empty()
                          ? py::object(py::str(b.ids[at].data(), b.ids[at].size()))
                          : py::none();
      errors.append(py::make_tuple(e.row + first_row, e.field, e.message, e.criterion, id));
    }
    if (has_ids) {
      py::array_t<py::object> part(static_cast<py::ssize_t>(b.rows));
      auto cells = part.mutable_unchecked<1>();
      for (std::size_t i = 0; i < b.rows; ++i)
        cells(static_cast<py::ssize_t>(i)) = py::str(b.ids[i].data(), b.ids[i].size());
      ids.append(part);
    }
    if (explain) explanations.append(explanation_columns(c, b.result.explanations, text));
  }
};

}  // namespace

void bind_classify(py::module_& m) {
  m.def(
      "row_error_text",
      [](std::string_view field, std::string_view message, std::string_view criterion) {
        return row_error_text(field, message, criterion);
      },
      py::arg("field"), py::arg("message"), py::arg("criterion") = "",
      "A row's error in words (keyaccount/classify/format.hpp): 'criterion C could not be "
      "evaluated: message' when a criterion is named, else 'field: message'.");
  // compare_batch()'s report handed to Python as it is: the changed rows' columns are read from
  // it directly (no JSON text built, parsed and walked per change, which cost more than the
  // comparison itself on a million customers); the JSON form only when asked for.
  py::class_<impact_report, std::shared_ptr<impact_report>>(
      m, "ImpactReport",
      "The impact of a candidate policy on a table (keyaccount/classify/impact.hpp), as "
      "compare_columns returns it.")
      .def_property_readonly(
          "customers", [](const impact_report& r) { return r.customers; },
          "Customers classified by both policies.")
      .def_property_readonly(
          "failed", [](const impact_report& r) { return r.failed; },
          "Customers either policy could not classify (left out).")
      .def_property_readonly(
          "matrix", [](const impact_report& r) { return r.matrix; },
          "matrix[i][j]: customers in baseline tier i and candidate tier j.")
      .def_property_readonly(
          "failures",
          [](const impact_report& r) {
            py::list out;
            for (const auto& f : r.failures)
              out.append(py::make_tuple(f.row, f.policy, f.field, f.criterion, f.message));
            return out;
          },
          "[(row, policy, field, criterion, message)] of the rows left out, in row order.")
      .def(
          "change_columns",
          [](const impact_report& r) {
            const std::size_t n = r.changes.size();
            py::array_t<std::int64_t> rows(static_cast<py::ssize_t>(n));
            std::vector<std::string> old_tier, new_tier, old_why, new_why;
            old_tier.reserve(n);
            new_tier.reserve(n);
            old_why.reserve(n);
            new_why.reserve(n);
            py::list flipped(static_cast<py::ssize_t>(n));
            // "art-5.1: needs ...; art-5: none met of ..." over the flips that have a why-not.
            auto why = [](const tier_change& c, localized_name criterion_flip::*side) {
              std::string text;
              for (const auto& f : c.flips) {
                const std::string& en = (f.*side).en;
                if (en.empty()) continue;
                if (!text.empty()) text += "; ";
                text += f.id + ": " + en;
              }
              return text;
            };
            for (std::size_t i = 0; i < n; ++i) {
              const tier_change& c = r.changes[i];
              rows.mutable_at(static_cast<py::ssize_t>(i)) = static_cast<std::int64_t>(c.row);
              old_tier.push_back(c.old_tier);
              new_tier.push_back(c.new_tier);
              py::list ids(static_cast<py::ssize_t>(c.flips.size()));
              for (std::size_t k = 0; k < c.flips.size(); ++k)
                ids[static_cast<py::ssize_t>(k)] = py::str(c.flips[k].id);
              flipped[static_cast<py::ssize_t>(i)] = std::move(ids);
              old_why.push_back(why(c, &criterion_flip::old_why_not));
              new_why.push_back(why(c, &criterion_flip::new_why_not));
            }
            py::dict out;
            out["row"] = std::move(rows);
            out["old_tier"] = std::move(old_tier);
            out["new_tier"] = std::move(new_tier);
            out["flipped"] = std::move(flipped);
            out["old_why_not"] = std::move(old_why);
            out["new_why_not"] = std::move(new_why);
            return out;
          },
          "The changed customers as columns, in row order: {'row': int64 array, 'old_tier', "
          "'new_tier': [str], 'flipped': [[criterion id]], 'old_why_not', 'new_why_not': [str] "
          "(each flipped criterion's English why-not as 'id: text', joined with '; ')}.")
      .def(
          "to_json", [](const impact_report& r) { return to_json(r).dump(); },
          "The report as JSON text, as `keyaccount diff --customers --format json` writes it "
          "(with `failures` when some rows were left out).");

  py::class_<classifier, std::shared_ptr<classifier>>(
      m, "Classifier",
      "A policy's tiers and criteria compiled to CEL programs. Immutable and thread-safe.")
      .def(py::init([](const policy_handle& p) { return std::make_shared<classifier>(*p); }),
           py::arg("policy"))
      .def_property_readonly("tier_ids",
                             [](const classifier& c) {
                               std::vector<std::string> ids;
                               for (std::size_t i = 0; i < c.tier_count(); ++i)
                                 ids.push_back(c.tier_id(i));
                               return ids;
                             })
      .def_property_readonly("criterion_ids",
                             [](const classifier& c) {
                               std::vector<std::string> ids;
                               for (std::size_t i = 0; i < c.criterion_count(); ++i)
                                 ids.push_back(c.criterion_id(i));
                               return ids;
                             })
      .def_property_readonly("fields_used",
                             [](const classifier& c) {
                               std::vector<std::string> out;
                               for (std::size_t i = 0; i < c.fields_used().size(); ++i)
                                 if (c.fields_used()[i]) out.push_back(c.parser().fields()[i].id);
                               return out;
                             })
      .def(
          "classify_json",
          [](const classifier& c, const std::string& text, const std::string& as_of) {
            date d = parse_date(as_of);
            customer_record r = parse_record(c, text);
            decision dec = c.classify(r, d);
            if (!dec.ok()) raise_evaluation_error(c.explain(r, d), r.id());
            return static_cast<int>(dec.tier);
          },
          py::arg("record_json"), py::arg("as_of"), "The tier index of one customer (JSON text).")
      .def(
          "explain_json",
          [](const classifier& c, const std::string& text, const std::string& as_of) {
            auto e = explain_checked(c, text, parse_date(as_of));
            nlohmann::json j = to_json(e);
            // Whether each criterion is a leaf (a condition) or a composite (any / all), for
            // Decision.why_not, which lists leaves only.
            auto& cs = j["criteria"];
            for (std::size_t i = 0; i < e.criteria.size() && i < cs.size(); ++i)
              cs[i]["leaf"] = e.criteria[i].leaf;
            return j.dump();
          },
          py::arg("record_json"), py::arg("as_of"),
          "The explanation of one customer, as JSON text.")
      .def(
          "provenance_json",
          [](const classifier& c, const std::string& as_of) {
            return to_json(c.provenance(parse_date(as_of))).dump();
          },
          py::arg("as_of"),
          "The provenance of its decisions on `as_of` (policy id, version, hash, as_of, "
          "keyaccount version), as JSON text.")
      .def(
          "explain_text",
          [](const classifier& c, const std::string& text, const std::string& as_of) {
            auto r = parse_record(c, text);
            return to_text(explain_checked(c, text, parse_date(as_of)), r.id());
          },
          py::arg("record_json"), py::arg("as_of"), "The explanation of one customer, as text.")
      .def(
          "reclassify_json",
          [](const classifier& c, const std::string& text, const std::string& as_of,
             const std::string& previous, int failures) {
            date d = parse_date(as_of);
            auto e = explain_checked(c, text, d);
            auto r = parse_record(c, text);
            transition t;
            try {
              t = reclassify(c, e, {previous, failures});
            } catch (const std::invalid_argument& ex) {
              raise_input(ex.what(), "previous_tier");
            }
            auto card = check_profile_card(c, r, d);
            nlohmann::json j = {{"kind", std::string(to_string(t.kind))},
                                {"tier", t.tier},
                                {"evaluated_tier", t.evaluated_tier},
                                {"previous_tier", t.previous_tier},
                                {"consecutive_failures", t.consecutive_failures},
                                {"failures_to_demotion", t.failures_to_demotion},
                                {"reasons", t.reasons}};
            nlohmann::json pc = {{"required", card.required},
                                 {"present", card.present},
                                 {"missing_fields", card.missing_fields},
                                 {"max_age_days", card.max_age_days},
                                 {"stale", card.stale},
                                 {"ok", card.ok()}};
            pc["updated_on"] =
                card.updated_on ? nlohmann::json(card.updated_on->to_string()) : nlohmann::json();
            pc["age_days"] = card.age_days ? nlohmann::json(*card.age_days) : nlohmann::json();
            j["profile_card"] = pc;
            return j.dump();
          },
          py::arg("record_json"), py::arg("as_of"), py::arg("previous_tier"),
          py::arg("consecutive_failures"),
          "Re-classification against the previous tier (Art. 6.1) and the profile card, as JSON.")
      .def(
          "classify_columns",
          [](const classifier& c, std::size_t rows, const py::dict& columns,
             const std::string& as_of, unsigned threads, bool explain, const std::string& text,
             const py::object& blank) {
            date d = parse_date(as_of);
            const text_columns text_kind = parse_text_columns(text);
            auto t = make_table(rows, columns);
            // Rows the Python layer's conversion found bad: classified on placeholders, their
            // explanations written as rows not read.
            py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast> blank_rows;
            if (!blank.is_none()) {
              blank_rows = py::cast<decltype(blank_rows)>(blank);
              if (blank_rows.ndim() != 1 || static_cast<std::size_t>(blank_rows.size()) != rows)
                throw py::value_error("blank: expected one flag per row");
            }
            py::array_t<std::int32_t> tiers(static_cast<py::ssize_t>(rows));
            batch_result result;
            // With explanations, a range of rows at a time, each written into the columns
            // before the next: only one range's explanations (several KB per customer) exist
            // at once.
            py::object extra = py::none();
            if (!explain) {
              py::gil_scoped_release release;
              result.errors =
                  classify_batch_into(c, t->table, d, {tiers.mutable_data(), rows}, threads);
            } else {
              py::dict columns_out = blank_explanation_columns(c, rows, text_kind);
              for (std::size_t from = 0; from < rows; from += explain_rows) {
                batch_options o;
                o.threads = threads;
                o.explain = true;
                o.begin = from;
                o.end = std::min(rows, from + explain_rows);
                batch_result part;
                {
                  py::gil_scoped_release release;
                  part = classify_batch(c, t->table, d, o);
                }
                std::copy(part.tiers.begin() + static_cast<std::ptrdiff_t>(o.begin),
                          part.tiers.begin() + static_cast<std::ptrdiff_t>(o.end),
                          tiers.mutable_data() + o.begin);
                result.errors.insert(result.errors.end(), part.errors.begin(), part.errors.end());
                fill_explanation_columns(c, part.explanations, columns_out, from, text_kind,
                                         blank.is_none() ? nullptr : blank_rows.data() + from);
              }
              extra = columns_out;
            }
            py::list errors;
            for (const auto& e : result.errors)
              errors.append(py::make_tuple(e.row, e.field, e.message, e.criterion));
            return py::make_tuple(tiers, errors, extra);
          },
          py::arg("rows"), py::arg("columns"), py::arg("as_of"), py::arg("threads") = 1,
          py::arg("explain") = false, py::arg("text") = "objects", py::arg("blank") = py::none(),
          "Classifies a table given as columns {field: (kind, array, ...)}: (tier indices "
          "(int32, -1 for a bad row), [(row, field, message)], explanation columns or None). "
          "`text`: the explanation text columns as object arrays (\"objects\") or as lists of "
          "Arrow chunks (\"string\" / \"large_string\": (offsets, data, validity or None, null "
          "count)); `blank`: one flag per row, the rows to explain as not read.")
      .def(
          "classify_arrow",
          [](const classifier& c, const py::object& source, const std::string& as_of,
             unsigned threads, bool explain, std::size_t first_row, bool want_ids,
             const std::string& text) {
            date d = parse_date(as_of);
            const text_columns text_kind = parse_text_columns(text);
            arrow_source src;
            take_arrow(source, src);
            arrow_results out;
            batch_options o;
            o.threads = threads;
            o.explain = explain;
            {
              io::arrow_slices slices;
              slices.explain_rows = explain_rows;
              bool first = true;
              auto sink = [&](io::arrow_batch& b) {
                if (first) {
                  out.has_ids = want_ids && b.with_ids;
                  first = false;
                }
                out.add(c, b, explain, text_kind, first_row);
              };
              py::gil_scoped_release release;
              if (src.schema != nullptr)  // one batch
                io::classify_arrow_array(c, *src.schema, src.array, d, o, sink, slices);
              else
                io::classify_arrow_stream(c, src.stream, d, o, sink, slices);
            }
            py::array_t<std::int32_t> tiers(static_cast<py::ssize_t>(out.tiers.size()));
            std::copy(out.tiers.begin(), out.tiers.end(), tiers.mutable_data());
            py::object ids = py::none();
            if (out.has_ids) {
              ids = out.ids.empty() ? py::object(py::array_t<py::object>(0))
                                    : py::module_::import("numpy").attr("concatenate")(out.ids);
            }
            py::object extra = py::none();
            if (explain) {
              if (out.explanations.empty())
                out.explanations.append(explanation_columns(c, {}, text_kind));
              extra = concatenate_columns(out.explanations);
            }
            return py::make_tuple(tiers, out.errors, ids, extra);
          },
          py::arg("source"), py::arg("as_of"), py::arg("threads") = 1, py::arg("explain") = false,
          py::arg("first_row") = 0, py::arg("ids") = true, py::arg("text") = "objects",
          "Classifies an Arrow table: `source` is the PyCapsule of `__arrow_c_stream__()` or "
          "the (schema, array) capsules of `__arrow_c_array__()`, read batch by batch in C++. "
          "(tier indices (int32, -1: no tier), [(row, field, message, criterion, id)], ids "
          "(object array; None without an id column or with ids=False), explanation columns or "
          "None). `text`: as classify_columns'.")
      .def(
          "compare_columns",
          [](const classifier& baseline, const classifier& candidate, std::size_t rows,
             const py::dict& columns, const std::string& as_of, unsigned threads,
             const std::vector<std::string>& ids) {
            date d = parse_date(as_of);
            auto t = make_table(rows, columns);
            auto r = std::make_shared<impact_report>();
            {
              py::gil_scoped_release release;
              *r = compare_batch(baseline, candidate, t->table, d, threads, &ids);
            }
            return r;
          },
          py::arg("candidate"), py::arg("rows"), py::arg("columns"), py::arg("as_of"),
          py::arg("threads") = 1, py::arg("ids") = std::vector<std::string>{},
          "The impact of `candidate` against this (baseline) policy on a table given as "
          "columns, as an ImpactReport (keyaccount/classify/impact.hpp).")
      .def(
          "_time_classify_columns",
          [](const classifier& c, std::size_t rows, const py::dict& columns,
             const std::string& as_of, unsigned threads, int repeat) {
            // For bench/compare_python.py: the best time of the C++ batch alone on the very
            // arrays a Python call gets, so the binding's overhead is measured in one run.
            date d = parse_date(as_of);
            auto t = make_table(rows, columns);
            std::vector<std::int32_t> tiers(rows);
            double best = std::numeric_limits<double>::infinity();
            py::gil_scoped_release release;
            for (int i = 0; i < repeat; ++i) {
              auto t0 = std::chrono::steady_clock::now();
              auto errors = classify_batch_into(c, t->table, d, tiers, threads);
              auto t1 = std::chrono::steady_clock::now();
              best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
            }
            return best;
          },
          py::arg("rows"), py::arg("columns"), py::arg("as_of"), py::arg("threads") = 1,
          py::arg("repeat") = 5,
          "Benchmark helper: best seconds of `repeat` C++ batch runs on these columns.");
}

}  // namespace keyaccount::python
