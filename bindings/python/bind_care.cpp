// Maintenance measures (planner, compliance, complaints, allocation). Inputs and results cross
// the boundary as JSON text, the same forms the CLI reads and writes (one implementation);
// keyaccount/care.py turns them into and out of pandas DataFrames. The GIL is released while
// the C++ core works.
#include <pybind11/stl.h>

#include <functional>
#include <map>
#include <memory>

#include "account_input.hpp"
#include "bindings.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/calendar.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/ics.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/org/directory.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

using policy_handle = std::shared_ptr<keyaccount::policy>;
using nlohmann::json;

// An input error's message without its "field: " prefix, and the field path under `where`.
template <class E>
std::string bare_message(const E& e) {
  std::string w = e.what();
  return e.field().empty() ? w : w.substr(e.field().size() + 2);
}
template <class E>
std::string field_path(const std::string& where, std::size_t i, const E& e) {
  return where + "[" + std::to_string(i) + "]" + (e.field().empty() ? "" : "." + e.field());
}

template <class T>
std::vector<T> records(const std::string& text, const char* what, T (*read)(const json&)) {
  std::vector<T> out;
  if (text.empty()) return out;
  json doc = json::parse(text);
  if (!doc.is_array()) throw care::input_error(what, "expected a list of records");
  for (std::size_t i = 0; i < doc.size(); ++i) {
    try {
      out.push_back(read(doc[i]));
    } catch (const care::input_error& e) {
      throw care::input_error(field_path(what, i, e), bare_message(e));
    }
  }
  return out;
}

date day(const std::string& text, const char* what) {
  auto d = date::parse(text);
  if (!d) throw care::input_error(what, "expected a date YYYY-MM-DD, got \"" + text + "\"");
  return *d;
}

org::directory people_of(const keyaccount::policy& p, const std::string& text) {
  return org::directory(p.org, org::people_from_json(json::parse(text)));
}

// Runs `f` without the GIL and maps every C++ error kind to its Python class.
std::string guarded(const std::function<std::string()>& f) {
  std::string out;
  std::string error_class, message;
  {
    py::gil_scoped_release release;
    try {
      out = f();
    } catch (const care::allocation_error& e) {
      error_class = "InputError", message = e.what();
    } catch (const care::plan_error& e) {
      error_class = "InputError", message = e.what();
    } catch (const care::complaint_error& e) {
      error_class = "InputError", message = e.what();
    } catch (const care::calendar_error& e) {
      error_class = "InputError", message = e.what();
    } catch (const care::input_error& e) {
      error_class = "InputError", message = e.what();
    } catch (const org::input_error& e) {
      error_class = "InputError", message = e.what();
    } catch (const json::exception& e) {
      error_class = "InputError", message = e.what();
    }
  }
  if (!error_class.empty()) raise_python_error(error_class.c_str(), py::make_tuple(message));
  return out;
}

}  // namespace

void bind_care(py::module_& m) {
  m.def(
      "care_plan",
      [](const policy_handle& p, const std::string& accounts, const std::string& people,
         const std::string& festivals, const std::string& from, const std::string& to,
         double gift_amount, const std::string& format) {
        return guarded([&] {
          auto acc = records<care::account>(accounts, "accounts", &care::account_from_json);
          auto fest = records<festival>(festivals, "festivals", &care::festival_from_json);
          auto dir = people_of(*p, people);
          care::festival_calendar cal(*p, std::move(fest));
          const date first = day(from, "from");
          // Last-done dates after the first day: dropped here to name each record's index
          // (make_plan would name only the account id).
          std::vector<std::string> ignored;
          for (std::size_t i = 0; i < acc.size(); ++i)
            for (auto& w : care::drop_later_facts(acc[i], first))
              ignored.push_back("accounts[" + std::to_string(i) + "]." + std::move(w));
          auto pl = care::make_plan(*p, cal, acc, dir, {first, day(to, "to"), gift_amount});
          pl.warnings.insert(pl.warnings.begin(), ignored.begin(), ignored.end());
          if (format == "ics") return care::to_ics(pl);
          if (format == "csv") return care::to_csv(pl);
          return care::to_json(pl).dump();
        });
      },
      py::arg("policy"), py::arg("accounts"), py::arg("people"), py::arg("festivals"),
      py::arg("start"), py::arg("end"), py::arg("gift_amount"), py::arg("format"),
      "The plan for a period as JSON, CSV or iCalendar text.");
  m.def(
      "care_compliance",
      [](const policy_handle& p, const std::optional<std::string>& customers,
         const std::string& accounts, const std::string& people,
         const std::optional<std::string>& complaints, const std::string& festivals,
         const std::string& as_of) {
        return guarded([&] {
          const date on = day(as_of, "as_of");
          // As the CLI: customers are classified (and their profile cards checked), then the
          // activity log is merged into them by id.
          std::vector<care::account> acc;
          std::vector<std::string> ignored;  // facts after as_of, located
          std::map<std::string, profile_card_status> profiles;
          if (customers) {
            classifier c(*p);
            json doc = json::parse(*customers);
            if (!doc.is_array()) throw care::input_error("customers", "expected a list of records");
            for (std::size_t i = 0; i < doc.size(); ++i) {
              try {
                acc.push_back(
                    cli::account_of_customer(c, c.parser().from_json(doc[i]), on, &profiles));
              } catch (const keyaccount::input_error& e) {
                throw care::input_error(field_path("customers", i, e), bare_message(e));
              }
            }
          }
          if (!accounts.empty()) {
            json doc = json::parse(accounts);
            if (!doc.is_array()) throw care::input_error("accounts", "expected a list of records");
            std::map<std::string, std::size_t> index;
            for (std::size_t i = 0; i < acc.size(); ++i) index[acc[i].id] = i;
            const bool merging = customers.has_value();
            for (std::size_t i = 0; i < doc.size(); ++i) {
              try {
                // Later last-done dates are dropped before merging, as the CLI does, each a
                // warning at the record's index.
                std::vector<std::string> later;
                cli::merge_account_record(doc[i], merging, acc, index, nullptr, &on, &later);
                for (auto& w : later)
                  ignored.push_back("accounts[" + std::to_string(i) + "]: " + std::move(w));
              } catch (const care::input_error& e) {
                throw care::input_error(field_path("accounts", i, e), bare_message(e));
              }
            }
          }
          auto fest = records<festival>(festivals, "festivals", &care::festival_from_json);
          std::vector<care::complaint> comp;
          if (complaints)
            comp = records<care::complaint>(*complaints, "complaints", &care::complaint_from_json);
          auto dir = people_of(*p, people);
          care::festival_calendar cal(*p, std::move(fest));
          for (std::size_t i = 0; i < comp.size(); ++i)
            for (auto& w : care::drop_later_facts(comp[i], on))
              ignored.push_back("complaints[" + std::to_string(i) + "]." + std::move(w));
          std::erase_if(comp, [&](const care::complaint& c) { return !care::known_on(c, on); });
          auto r = care::check_compliance(
              *p, cal, {&acc, complaints ? &comp : nullptr, customers ? &profiles : nullptr}, dir,
              on);
          r.warnings.insert(r.warnings.begin(), ignored.begin(), ignored.end());
          return care::to_json(r).dump();
        });
      },
      py::arg("policy"), py::arg("customers"), py::arg("accounts"), py::arg("people"),
      py::arg("complaints"), py::arg("festivals"), py::arg("as_of"),
      "The compliance report as JSON text; with customers, profile cards are checked too.");
  m.def(
      "care_escalations",
      [](const policy_handle& p, const std::string& complaints, const std::string& people,
         const std::string& as_of) {
        return guarded([&] {
          auto comp =
              records<care::complaint>(complaints, "complaints", &care::complaint_from_json);
          const date on = day(as_of, "as_of");
          std::vector<std::string> ignored;
          for (std::size_t i = 0; i < comp.size(); ++i)
            for (auto& w : care::drop_later_facts(comp[i], on))
              ignored.push_back("complaints[" + std::to_string(i) + "]." + std::move(w));
          std::erase_if(comp, [&](const care::complaint& c) { return !care::known_on(c, on); });
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
          auto c = care::complaint_from_json(json::parse(complaint));
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
      [](const policy_handle& p, const std::string& stock, const std::string& orders,
         const std::string& on, const std::optional<std::string>& within_tier,
         std::optional<int> pack_size) {
        return guarded([&] {
          auto s = records<care::stock_item>(stock, "stock", &care::stock_item_from_json);
          auto l = records<care::order_line>(orders, "orders", &care::order_line_from_json);
          // Each record's problems under the argument's own name and index ("orders[3].tier"),
          // a repeated id or product naming where it was first.
          std::vector<std::string> problems;
          std::map<std::string, std::size_t> first_stock, first_line;
          for (std::size_t i = 0; i < s.size(); ++i) {
            const std::string at = "stock[" + std::to_string(i) + "]";
            for (const auto& problem : care::stock_item_problems(s[i]))
              problems.push_back(at + "." + problem);
            const std::string key = s[i].product + (s[i].spec.empty() ? "" : "/" + s[i].spec);
            if (auto [it, fresh] = first_stock.emplace(key, i); !fresh)
              problems.push_back(at + ": stock of \"" + key + "\" is given twice (first at stock[" +
                                 std::to_string(it->second) + "])");
          }
          for (std::size_t i = 0; i < l.size(); ++i) {
            const std::string at = "orders[" + std::to_string(i) + "]";
            for (const auto& problem : care::order_line_problems(*p, l[i]))
              problems.push_back(at + "." + problem);
            if (auto [it, fresh] = first_line.emplace(l[i].id, i); !fresh && !l[i].id.empty())
              problems.push_back(at + ".id: order line \"" + l[i].id +
                                 "\" is given twice (first at orders[" +
                                 std::to_string(it->second) + "])");
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
          return care::to_json(care::allocate(*p, s, l, day(on, "on"), o)).dump();
        });
      },
      py::arg("policy"), py::arg("stock"), py::arg("orders"), py::arg("on"),
      py::arg("within_tier") = py::none(), py::arg("pack_size") = py::none(),
      "The allocation as JSON text.");
}

}  // namespace keyaccount::python
