// Maintenance measures (planner, compliance, complaints, allocation). Inputs and results cross
// the boundary as JSON text, the same forms the CLI reads and writes (one implementation);
// keyaccount/care.py turns them into and out of pandas DataFrames. An input may also be a file
// (a pathlib.Path), read by keyaccount::io exactly as the CLI reads it, its records located as
// FILE:LINE. Accounts are built by care::account_book, as the CLI's plan and compliance build
// them. The GIL is released while the C++ core works.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <variant>

#include "bindings.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/calendar.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/ics.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/care/supply.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/care/visits.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/io/customers.hpp"
#include "keyaccount/io/records.hpp"
#include "keyaccount/json/parse.hpp"
#include "keyaccount/org/directory.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

using policy_handle = std::shared_ptr<keyaccount::policy>;
using nlohmann::json;

/// Records given from Python: the JSON text of a list (from a DataFrame or a list of dicts), or
/// a file of records (JSON Lines, a JSON array, CSV for `.csv`) named by a pathlib.Path.
using source = std::variant<std::string, std::filesystem::path>;

/// One record and where it came from: "accounts[3]" (a list) or "FILE:LINE" (a file).
struct located {
  std::string where;
  json value;
};

/// `message` ("field: problem" when `has_field`, else "problem") of the record at `where`:
/// "accounts[3].field: problem" for an element of a list, "FILE:LINE: field: problem" for a
/// record of a file.
std::string at(const std::string& where, const std::string& message, bool has_field) {
  const bool element = !where.empty() && where.back() == ']';
  return where + (element && has_field ? "." : ": ") + message;
}

/// `inner` (the place of an error inside a record) placed in the record at `where`: the field
/// under the list element ("accounts[3]" + "tier" → field "accounts[3].tier"), or the file and
/// line of "FILE:LINE" — worded as `at` words it.
location placed(const std::string& where, location inner) {
  if (!where.empty() && where.back() == ']') {
    inner.field = inner.field.empty() ? where : where + "." + inner.field;
    return inner;
  }
  const auto colon = where.rfind(':');
  const bool has_line = colon != std::string::npos && colon + 1 < where.size() &&
                        where.find_first_not_of("0123456789", colon + 1) == std::string::npos;
  inner.file = has_line ? where.substr(0, colon) : where;
  inner.line = has_line ? std::stoul(where.substr(colon + 1)) : 0;
  return inner;
}

/// Runs `f` on the record at `where`; what it refuses is rethrown located there.
template <class F>
auto on_record(const std::string& where, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const care::input_error& e) {
    throw care::input_error(placed(where, e.where()), e.message());
  } catch (const keyaccount::input_error& e) {
    throw care::input_error(placed(where, e.where()), e.message());
  } catch (const json::exception& e) {
    throw care::input_error(placed(where, {}), e.what());
  }
}

std::string file_name(const std::filesystem::path& path) { return path.string(); }

/// `on_error` from Python, as the CLI's --on-error: "raise" stops at the first malformed record
/// (its located InputError), "skip" leaves the record out and keeps its located message, which
/// the result lists as "skipped" (where the CLI prints it and "skipped N malformed records").
/// People and festivals are read whole, as the CLI reads them: never skipped.
struct record_errors {
  bool skip = false;
  std::vector<std::string> skipped;

  /// Runs `f` on one record (`f` throws a located care::input_error for a bad one); returns
  /// whether the record was kept. Under "raise" the error goes on up.
  template <class F>
  bool keep(F&& f) {
    if (!skip) {
      f();
      return true;
    }
    try {
      f();
      return true;
    } catch (const care::input_error& e) {
      skipped.emplace_back(e.what());
      return false;
    }
  }
  /// A record already found malformed at `where`: raised, or skipped.
  void refuse(const location& where, const std::string& message) {
    keep([&] { throw care::input_error(where, message); });
  }
};

record_errors on_error_mode(const std::string& mode) {
  if (mode != "raise" && mode != "skip")
    throw care::input_error("on_error", "expected 'raise' or 'skip', got '" + mode + "'");
  return record_errors{mode == "skip", {}};
}

/// The place of a read_error in the file `name`, as `read_error::located(name)` words it.
location in_file(const std::string& name, const io::read_error& e) {
  return location{.file = name, .line = e.line(), .column = e.column()};
}

/// JSON text handed over by the Python layer, read by the library's one JSON reader (its limits
/// and messages); `what` names the argument in the error.
json parsed(const std::string& text, const std::string& what) {
  try {
    return parse_json(text);
  } catch (const json_error& e) {
    throw care::input_error(what, std::string("not valid JSON: ") + e.what());
  }
}

/// Every record of `s`, located; nothing for empty text (an argument not given). A record of a
/// file that cannot be read is raised, or skipped under `errors`.
std::vector<located> records_of(const source& s, const std::string& what,
                                record_errors* errors = nullptr) {
  std::vector<located> out;
  if (const auto* text = std::get_if<std::string>(&s)) {
    if (text->empty()) return out;
    json doc = parsed(*text, what);
    if (!doc.is_array()) throw care::input_error(what, "expected a list of records");
    for (std::size_t i = 0; i < doc.size(); ++i)
      out.push_back({what + "[" + std::to_string(i) + "]", std::move(doc[i])});
    return out;
  }
  const std::string path = file_name(std::get<std::filesystem::path>(s));
  std::vector<io::record> read;
  try {
    read = io::read_file(path);
  } catch (const io::read_error& e) {
    throw care::input_error(in_file(path, e), e.message());
  }
  for (auto& r : read) {
    std::string where = path + ':' + std::to_string(r.line);
    if (!r.error.empty()) {
      const location at{.file = path, .line = r.line};
      if (!errors) throw care::input_error(at, r.error);
      errors->refuse(at, r.error);
      continue;
    }
    out.push_back({std::move(where), std::move(r.value)});
  }
  return out;
}

/// The user's festivals, one id given twice refused as the CLI refuses it.
std::vector<festival> festivals_of(const source& s) {
  std::vector<festival> out;
  care::first_places first("festival");
  for (const auto& r : records_of(s, "festivals"))
    on_record(r.where, [&] {
      festival f = care::festival_from_json(r.value);
      first.note(f.id, r.where);
      out.push_back(std::move(f));
    });
  return out;
}

/// The customers of `s` (records of the policy's customer schema) added to `book`, classified
/// on its day; profile cards checked into `profiles`.
/// Reads the customers file `path` in `c`'s schema, handing each record to `on_record` with its
/// place ("FILE:LINE"); the first record or file it cannot read is an input_error located there.
template <class F>
void read_customer_file(const std::filesystem::path& path, const classifier& c,
                        record_errors& errors, F&& on_record) {
  const std::string name = file_name(path);
  std::ifstream in;
  if (auto reason = io::open_file(name, in))
    throw care::input_error("", name + ": cannot read the file (" + *reason + ")");
  try {
    io::read_customers(in, io::format_of(name), c.parser(), [&](io::customer_item&& item) {
      const std::string where = name + ':' + std::to_string(item.line);
      if (!item.record)
        errors.refuse(location{.file = name, .line = item.line}, item.error);
      else
        errors.keep([&] { on_record(where, std::move(*item.record)); });
      return true;
    });
  } catch (const io::read_error& e) {
    throw care::input_error(in_file(name, e), e.message());
  } catch (const keyaccount::input_error& e) {  // a CSV header the schema cannot read
    throw care::input_error("", name + ": " + e.what());
  }
}

void add_customers(const policy& p, const source& s, care::account_book& book,
                   std::map<std::string, profile_card_status>& profiles, record_errors& errors) {
  classifier c(p);
  auto add = [&](const std::string& where, const customer_record& record) {
    on_record(where, [&] { book.add_customer(c, record, where, &profiles); });
  };
  if (const auto* path = std::get_if<std::filesystem::path>(&s)) {
    read_customer_file(*path, c, errors, [&](const std::string& where, customer_record&& record) {
      add(where, record);
    });
    return;
  }
  for (const auto& r : records_of(s, "customers", &errors))
    // Parsed, then added, each located once (nested, "customers[2]: customers[2]: ...").
    errors.keep(
        [&] { add(r.where, on_record(r.where, [&] { return c.parser().from_json(r.value); })); });
}

/// The customer records of `s` in `c`'s schema, as `keyaccount supply --customers` reads them
/// (a customer given twice refused at its record).
std::vector<customer_record> customer_records_of(const classifier& c, const source& s,
                                                 record_errors& errors) {
  std::vector<customer_record> out;
  care::first_places first("customer");
  auto add = [&](const std::string& where, customer_record record) {
    on_record(where, [&] { first.note(record.id(), where); });
    out.push_back(std::move(record));
  };
  if (const auto* path = std::get_if<std::filesystem::path>(&s)) {
    read_customer_file(*path, c, errors, [&](const std::string& where, customer_record&& record) {
      add(where, std::move(record));
    });
    return out;
  }
  for (const auto& r : records_of(s, "customers", &errors))
    errors.keep(
        [&] { add(r.where, on_record(r.where, [&] { return c.parser().from_json(r.value); })); });
  return out;
}

/// The activity log of `s` merged into `book`; each later fact dropped is a warning located
/// at its record.
void add_accounts(const source& s, care::account_book& book, std::vector<std::string>& warnings,
                  record_errors& errors) {
  for (const auto& r : records_of(s, "accounts", &errors))
    errors.keep([&] {
      for (auto& w : on_record(r.where, [&] { return book.add_record(r.value); }))
        warnings.push_back(r.where + ": " + std::move(w));
    });
}

date day(const std::string& text, const char* what) {
  auto d = date::parse(text);
  if (!d) throw care::input_error(what, field_check::not_a_date(text));
  return *d;
}

/// People as JSON text, or a people file.
org::directory people_of(const keyaccount::policy& p, const source& s) {
  if (const auto* text = std::get_if<std::string>(&s))
    return org::directory(p.org, org::people_from_json(parsed(*text, "people")));
  const std::string name = file_name(std::get<std::filesystem::path>(s));
  std::ifstream in;
  if (auto reason = io::open_file(name, in))
    throw care::input_error("", name + ": cannot read the file (" + *reason + ")");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  json doc;
  try {
    doc = parse_json(text);
  } catch (const json_error& e) {
    const auto pos = io::json_error_position(text);
    throw care::input_error(
        location{.file = name, .line = pos ? pos->line : 0, .column = pos ? pos->column : 0},
        e.what());
  }
  try {
    return org::directory(p.org, org::people_from_json(doc));
  } catch (const org::input_error& e) {
    // Each problem at the line of the member it names, as `keyaccount plan --people` says it.
    std::vector<std::string> located;
    for (const auto& problem : e.problems()) {
      const auto at = io::problem_position(text, problem);
      located.push_back(
          (at ? name + ':' + std::to_string(at->line) + ':' + std::to_string(at->column) : name) +
          ": " + problem);
    }
    throw org::input_error(std::move(located));
  }
}

// Runs `f` without the GIL. What it throws reaches Python through the one exception translator
// (bind_errors.cpp), each kind as its own class (bad people as PeopleError, as from People()).
std::string guarded(const std::function<std::string()>& f) {
  py::gil_scoped_release release;
  return f();
}

/// The complaints of `s` known on `on`: later facts dropped, each a warning located at its
/// record; complaints raised later left out.
std::vector<care::complaint> complaints_of(const source& s, date on,
                                           std::vector<std::string>& warnings,
                                           record_errors& errors) {
  std::vector<care::complaint> out;
  for (const auto& r : records_of(s, "complaints", &errors)) {
    care::complaint c;
    if (!errors.keep(
            [&] { c = on_record(r.where, [&] { return care::complaint_from_json(r.value); }); }))
      continue;
    for (const auto& w : care::drop_later_facts(c, on)) warnings.push_back(at(r.where, w, true));
    if (care::known_on(c, on)) out.push_back(std::move(c));
  }
  return out;
}

/// The symposium's records of `s` (Art. 10), checked as `keyaccount plan --symposium` checks
/// them; facts after `on` dropped, each a warning located at its record.
std::vector<care::symposium_event> symposium_of(const keyaccount::policy& p,
                                                const std::optional<source>& s, date on,
                                                std::vector<std::string>& warnings,
                                                record_errors& errors,
                                                const std::string& what = "symposium") {
  care::symposium_records records(p, on);
  if (s)
    for (const auto& r : records_of(*s, what, &errors))
      errors.keep([&] {
        for (auto& w : on_record(r.where, [&] { return records.add(r.value, r.where); }))
          warnings.push_back(r.where + ": " + std::move(w));
      });
  return records.events();
}

/// The visit plan of `s` (Art. 9), checked as `keyaccount plan --visit-plan` checks it (each
/// visit located at its record); a done or briefing day after `on` dropped with a warning.
std::vector<care::planned_visit> visits_of(const keyaccount::policy& p,
                                           const std::optional<source>& s,
                                           const std::vector<care::account>& accounts,
                                           const org::directory& people, date on,
                                           std::vector<std::string>& warnings,
                                           record_errors& errors) {
  std::vector<care::planned_visit> out;
  if (!s) return out;
  care::first_places first("visit");
  for (const auto& r : records_of(*s, "visit_plan", &errors)) {
    care::planned_visit v;
    const bool kept = errors.keep([&] {
      v = on_record(r.where, [&] { return care::planned_visit_from_json(r.value); });
      // Located as the allocation's lines are: "visit_plan[1].customer: ...".
      const auto problems = care::visit_problems(p, accounts, people, v);
      if (!problems.empty()) {
        std::string all;
        for (const auto& problem : problems) all += (all.empty() ? "" : "; ") + problem;
        throw care::input_error("", at(r.where, all, true));
      }
      on_record(r.where, [&] { first.note(care::visit_key(v), r.where); });
    });
    if (!kept) continue;
    for (auto* d : {&v.done_on, &v.briefed_on})
      if (*d && **d > on) {
        warnings.push_back(r.where + ": visit of " + v.customer + ": " +
                           (d == &v.done_on ? "done_on" : "briefed_on") + ": " + (*d)->to_string() +
                           " is after " + on.to_string() + ": ignored");
        d->reset();
      }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

void bind_care(py::module_& m) {
  m.def(
      "care_plan",
      [](const policy_handle& p, const std::optional<source>& customers, const source& accounts,
         const source& people, const source& festivals, const std::string& from,
         const std::string& to, double gift_amount, const std::string& format,
         const std::optional<source>& symposium, const std::optional<source>& visit_plan,
         const std::string& on_error, bool start_workflows) {
        std::vector<std::string> skipped;
        auto text = guarded([&] {
          auto errors = on_error_mode(on_error);
          const date first = day(from, "from");
          // As `keyaccount plan --customers --accounts`: customers classified on the first day,
          // then the log's records merged by id, later facts dropped with a warning at their
          // record.
          care::account_book book(*p, first);
          std::vector<std::string> ignored;
          std::map<std::string, profile_card_status> profiles;  // not part of a plan
          if (customers) add_customers(*p, *customers, book, profiles, errors);
          add_accounts(accounts, book, ignored, errors);
          care::festival_calendar cal(*p, festivals_of(festivals));
          const auto events = symposium_of(*p, symposium, first, ignored, errors);
          const auto dir = people_of(*p, people);
          const auto visits =
              visits_of(*p, visit_plan, book.accounts(), dir, first, ignored, errors);
          auto pl = care::make_plan(*p, cal, book.accounts(), dir,
                                    {first, day(to, "to"), gift_amount, &events, &visits});
          pl.warnings.insert(pl.warnings.begin(), ignored.begin(), ignored.end());
          skipped = std::move(errors.skipped);
          if (format == "ics") return care::to_ics(pl);
          if (format == "csv") return care::to_csv(pl);
          auto j = care::to_json(pl);
          // As `keyaccount plan --start-workflows --format json`: the gift requests started.
          if (start_workflows)
            j["workflows"] =
                care::to_json(care::start_workflows(pl, workflows::workflow_set::compile(*p), dir));
          return j.dump();
        });
        return std::make_pair(std::move(text), std::move(skipped));
      },
      py::arg("policy"), py::arg("customers"), py::arg("accounts"), py::arg("people"),
      py::arg("festivals"), py::arg("start"), py::arg("end"), py::arg("gift_amount"),
      py::arg("format"), py::arg("symposium") = py::none(), py::arg("visit_plan") = py::none(),
      py::arg("on_error") = "raise", py::arg("start_workflows") = false,
      "The plan for a period as JSON, CSV or iCalendar text, and the located messages of the "
      "records skipped under on_error='skip'; customers, when given, are classified on the "
      "first day and the accounts merged into them.");
  m.def(
      "care_compliance",
      [](const policy_handle& p, const std::optional<source>& customers, const source& accounts,
         const source& people, const std::optional<source>& complaints, const source& festivals,
         const std::string& as_of, const std::optional<source>& symposium,
         const std::optional<source>& visit_plan, const std::string& on_error) {
        return guarded([&] {
          auto errors = on_error_mode(on_error);
          const date on = day(as_of, "as_of");
          // As `keyaccount compliance`: customers are classified (and their profile cards
          // checked), then the activity log is merged into them by id.
          care::account_book book(*p, on);
          std::vector<std::string> ignored;  // facts after as_of, located
          std::map<std::string, profile_card_status> profiles;
          if (customers) add_customers(*p, *customers, book, profiles, errors);
          add_accounts(accounts, book, ignored, errors);
          auto fest = festivals_of(festivals);
          std::vector<care::complaint> comp;
          if (complaints) comp = complaints_of(*complaints, on, ignored, errors);
          const auto events = symposium_of(*p, symposium, on, ignored, errors);
          auto dir = people_of(*p, people);
          const auto visits = visits_of(*p, visit_plan, book.accounts(), dir, on, ignored, errors);
          care::festival_calendar cal(*p, std::move(fest));
          auto r = care::check_compliance(*p, cal,
                                          {&book.accounts(), complaints ? &comp : nullptr,
                                           customers ? &profiles : nullptr, &events, &visits},
                                          dir, on);
          r.warnings.insert(r.warnings.begin(), ignored.begin(), ignored.end());
          auto j = care::to_json(r);
          j["skipped"] = errors.skipped;
          return j.dump();
        });
      },
      py::arg("policy"), py::arg("customers"), py::arg("accounts"), py::arg("people"),
      py::arg("complaints"), py::arg("festivals"), py::arg("as_of"),
      py::arg("symposium") = py::none(), py::arg("visit_plan") = py::none(),
      py::arg("on_error") = "raise",
      "The compliance report as JSON text (\"skipped\": the records left out under "
      "on_error='skip'); with customers, profile cards are checked too.");
  m.def(
      "care_symposium",
      [](const policy_handle& p, const std::optional<source>& customers, const source& accounts,
         const source& people, const std::optional<source>& symposium, const std::string& as_of,
         std::optional<int> year, const std::string& on_error) {
        return guarded([&] {
          auto errors = on_error_mode(on_error);
          const date on = day(as_of, "as_of");
          if (!p->symposium)
            throw care::input_error("policy", "the policy has no `symposium` section (Art. 10)");
          care::account_book book(*p, on);
          std::vector<std::string> warnings;
          std::map<std::string, profile_card_status> profiles;  // not part of the symposium
          if (customers) add_customers(*p, *customers, book, profiles, errors);
          add_accounts(accounts, book, warnings, errors);
          const auto events = symposium_of(*p, symposium, on, warnings, errors, "events");
          const int y = year ? *year : care::symposium_last_passed_year(*p->symposium, on) + 1;
          if (y < 1 || y > 9999) throw care::input_error("year", "expected a year 1..9999");
          auto st = care::symposium_in(*p, book.accounts(), events, people_of(*p, people), y, on,
                                       warnings);
          auto j = care::to_json(st);
          j["warnings"] = warnings;
          j["skipped"] = errors.skipped;
          return j.dump();
        });
      },
      py::arg("policy"), py::arg("customers"), py::arg("accounts"), py::arg("people"),
      py::arg("symposium"), py::arg("as_of"), py::arg("year") = py::none(),
      py::arg("on_error") = "raise",
      "One year's symposium (Art. 10) on as_of as JSON text: invitees, invitations, attendance.");
  m.def(
      "care_escalations",
      [](const policy_handle& p, const source& complaints, const source& people,
         const std::string& as_of) {
        return guarded([&] {
          const date on = day(as_of, "as_of");
          std::vector<std::string> ignored;
          record_errors errors;  // raise: escalations has no on_error (nor a CLI twin)
          auto comp = complaints_of(complaints, on, ignored, errors);
          json out = json::array();
          if (p->complaints)
            for (const auto& e :
                 care::escalations_due(*p->complaints, comp, people_of(*p, people), on))
              out.push_back(care::to_json(e));
          return json{{"escalations", out}, {"warnings", ignored}}.dump();
        });
      },
      py::arg("policy"), py::arg("complaints"), py::arg("people"), py::arg("as_of"),
      "The escalations due on as_of, as JSON text.");
  m.def(
      "care_close_complaint",
      [](const std::string& complaint, const std::string& on) {
        std::string kind, message;
        auto text = guarded([&] {
          auto c = care::complaint_from_json(parsed(complaint, "complaint"));
          auto r = care::close_complaint(c, day(on, "on"));
          if (auto* closed = std::get_if<care::complaint>(&r)) return care::to_json(*closed).dump();
          const auto& refusal = std::get<care::complaint_refusal>(r);
          kind = std::string(care::to_string(refusal.kind));
          message = refusal.message;
          return std::string();
        });
        if (!kind.empty()) raise_python_error("ComplaintRefused", py::make_tuple(message, kind));
        return text;
      },
      py::arg("complaint"), py::arg("on"),
      "Closes a complaint (JSON text); raises ComplaintRefused with its kind when it cannot.");
  m.def(
      "care_allocate",
      [](const policy_handle& p, const source& stock, const source& orders, const std::string& on,
         const std::optional<std::string>& within_tier, std::optional<int> pack_size,
         const std::string& on_error) {
        return guarded([&] {
          auto errors = on_error_mode(on_error);
          // Each record's problems located at it ("orders[3].tier", "FILE:LINE: tier"), a
          // repeated id or product naming where it was first, as the CLI reports them; all of
          // them at once (raise), or each such record left out (skip).
          std::vector<std::string> problems;
          auto check = [&](const std::string& where, const std::vector<std::string>& found,
                           care::first_places& first, const std::string& id) {
            std::vector<std::string> mine;
            for (const auto& problem : found) mine.push_back(at(where, problem, true));
            if (found.empty()) try {
                first.note(id, where);
              } catch (const care::input_error& e) {
                mine.push_back(at(where, e.what(), false));
              }
            const bool ok = mine.empty();
            for (auto& problem : mine)
              (errors.skip ? errors.skipped : problems).push_back(std::move(problem));
            return ok;
          };
          std::vector<care::stock_item> s;
          care::first_places first_stock("stock of"), first_line("order line");
          for (const auto& r : records_of(stock, "stock", &errors)) {
            care::stock_item item;
            if (!errors.keep([&] {
                  item = on_record(r.where, [&] { return care::stock_item_from_json(r.value); });
                }))
              continue;
            if (check(r.where, care::stock_item_problems(item), first_stock,
                      item.product + (item.spec.empty() ? "" : "/" + item.spec)))
              s.push_back(std::move(item));
          }
          std::vector<care::order_line> l;
          for (const auto& r : records_of(orders, "orders", &errors)) {
            care::order_line line;
            if (!errors.keep([&] {
                  line = on_record(r.where, [&] { return care::order_line_from_json(r.value); });
                }))
              continue;
            if (check(r.where, care::order_line_problems(*p, line), first_line, line.id))
              l.push_back(std::move(line));
          }
          if (!problems.empty()) throw care::allocation_error(std::move(problems));
          care::allocation_options o;
          if (within_tier) {
            if (*within_tier != "first_come" && *within_tier != "pro_rata")
              throw care::input_error("within_tier", "first_come or pro_rata");
            o.within_tier = *within_tier == "pro_rata" ? allocation_mode::pro_rata
                                                       : allocation_mode::first_come;
          }
          o.pack_size = pack_size;
          auto j = care::to_json(care::allocate(*p, s, l, day(on, "on"), o));
          j["skipped"] = errors.skipped;
          return j.dump();
        });
      },
      py::arg("policy"), py::arg("stock"), py::arg("orders"), py::arg("on"),
      py::arg("within_tier") = py::none(), py::arg("pack_size") = py::none(),
      py::arg("on_error") = "raise", "The allocation as JSON text.");
  m.def(
      "care_supply_watch",
      [](const policy_handle& p, const source& customers, const source& stock,
         const std::string& as_of, const std::string& on_error) {
        return guarded([&] {
          auto errors = on_error_mode(on_error);
          // Each stock line's problems located at it, a product given twice on the same terms
          // naming where it was first, as `keyaccount supply` reports them (raise), or each
          // such line left out (skip).
          std::vector<std::string> problems;
          std::vector<care::supply_item> items;
          care::first_places first("stock of");
          for (const auto& r : records_of(stock, "stock", &errors)) {
            care::supply_item item;
            if (!errors.keep([&] {
                  item = on_record(r.where, [&] { return care::supply_item_from_json(r.value); });
                }))
              continue;
            std::vector<std::string> mine;
            for (const auto& problem : care::supply_item_problems(item))
              mine.push_back(at(r.where, problem, true));
            if (mine.empty()) try {
                first.note(item.product + (item.spec.empty() ? "" : "/" + item.spec) +
                               (item.arrives_on ? " arriving " + item.arrives_on->to_string()
                                                : " on hand"),
                           r.where);
              } catch (const care::input_error& e) {
                mine.push_back(at(r.where, e.what(), false));
              }
            if (mine.empty())
              items.push_back(std::move(item));
            else
              for (auto& problem : mine)
                (errors.skip ? errors.skipped : problems).push_back(std::move(problem));
          }
          if (!problems.empty()) throw care::supply_error(std::move(problems));
          const classifier c(*p);
          const auto records = customer_records_of(c, customers, errors);
          auto j = care::to_json(care::supply_watch(c, records, items, day(as_of, "as_of")));
          j["skipped"] = errors.skipped;
          return j.dump();
        });
      },
      py::arg("policy"), py::arg("customers"), py::arg("stock"), py::arg("as_of"),
      py::arg("on_error") = "raise", "The supply watch (Art. 7.1-7.2) as JSON text.");
}

}  // namespace keyaccount::python
