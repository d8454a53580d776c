// Fuzz target: the care inputs (accounts, people, complaints, order lines, stock) and what is
// computed from them (plan, compliance, complaint escalations, allocation), with the default
// policy. Input: sections, each opened by a line "#accounts", "#people", "#complaints",
// "#orders", "#stock" or "#on" (the day, YYYY-MM-DD); a record section is JSON Lines (or one
// JSON array) when it starts with '{' or '[', otherwise CSV with a header; "#people" is the JSON
// of a people file. Records are read and refused the way the CLI reads them.
// Invariants: nothing throws but the documented refusals (std::invalid_argument and its
// subclasses, nlohmann::json::exception from a record's JSON, io::read_error); allocation
// never gives a line more than it ordered, never less than nothing, and never more of a
// product/spec than its stock, and the stock summary adds up.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/calendar.hpp"
#include "keyaccount/care/complaints.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/io/records.hpp"
#include "keyaccount/json/parse.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/loader.hpp"

namespace care = keyaccount::care;

namespace {

std::map<std::string, std::string> sections_of(std::string_view text) {
  std::map<std::string, std::string> out;
  std::string current = "accounts";
  std::size_t at = 0;
  while (at <= text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(at, end - at);
    if (!line.empty() && line[0] == '#') {
      current = std::string(line.substr(1));
    } else {
      out[current].append(line).push_back('\n');
    }
    at = end + 1;
  }
  return out;
}

// Reads the records of one section, handing each to `add`; a record `add` refuses with a
// documented exception is skipped, as `--on-error skip` does.
template <class Add>
void each_record(const std::string& text, Add add) {
  if (text.empty()) return;
  keyaccount::io::read_options options;
  auto first = text.find_first_not_of(" \t\r\n");
  options.input = first != std::string::npos && (text[first] == '{' || text[first] == '[')
                      ? keyaccount::io::format::json
                      : keyaccount::io::format::csv;
  std::istringstream in(text);
  try {
    keyaccount::io::read_records(in, options, [&](keyaccount::io::record&& r) {
      if (!r.error.empty()) return true;
      try {
        add(r.value);
      } catch (const keyaccount::error&) {  // a documented refusal of the record
      } catch (const std::invalid_argument&) {
      } catch (const nlohmann::json::exception&) {
      }
      return true;
    });
  } catch (const keyaccount::io::read_error&) {
  }
}

void check_allocation(const std::vector<care::stock_item>& stock,
                      const std::vector<care::order_line>& lines,
                      const care::allocation_result& r) {
  FUZZ_REQUIRE(r.lines.size() == lines.size(), "one allocation per order line");
  std::map<std::pair<std::string, std::string>, std::int64_t> given, available;
  for (const auto& s : stock) available[{s.product, s.spec}] += s.quantity;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& a = r.lines[i];
    FUZZ_REQUIRE(a.line == lines[i].id, "allocations in the order of the lines");
    FUZZ_REQUIRE(a.ordered == lines[i].quantity, "line " + a.line + ": ordered");
    FUZZ_REQUIRE(a.allocated >= 0 && a.allocated <= a.ordered,
                 "line " + a.line + ": allocated " + std::to_string(a.allocated) + " of " +
                     std::to_string(a.ordered));
    given[{a.product, a.spec}] += a.allocated;
  }
  for (const auto& [key, amount] : given) {
    auto it = available.find(key);
    std::int64_t have = it == available.end() ? 0 : it->second;
    FUZZ_REQUIRE(amount <= have, key.first + "/" + key.second + ": allocated " +
                                     std::to_string(amount) + " of a stock of " +
                                     std::to_string(have));
  }
  for (const auto& s : r.stock) {
    FUZZ_REQUIRE(s.allocated >= 0 && s.allocated <= s.stock && s.remaining == s.stock - s.allocated,
                 s.product + "/" + s.spec + ": the stock summary adds up");
    FUZZ_REQUIRE(s.unmet >= 0, s.product + "/" + s.spec + ": unmet");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const keyaccount::policy& p = keyaccount::default_policy();
  auto sections = sections_of(std::string_view(reinterpret_cast<const char*>(data), size));
  keyaccount::date on = fuzz::as_of();
  if (auto it = sections.find("on"); it != sections.end()) {
    auto text = it->second.substr(0, it->second.find('\n'));
    auto d = keyaccount::date::parse(text);
    if (d && d->year() >= 1900 && d->year() <= 9000) on = *d;
  }
  try {
    std::vector<keyaccount::org::person> people;
    if (auto it = sections.find("people"); it != sections.end()) {
      try {
        people = keyaccount::org::people_from_json(keyaccount::parse_json(it->second));
      } catch (const keyaccount::error&) {  // not JSON, or not people
      } catch (const std::invalid_argument&) {
      } catch (const nlohmann::json::exception&) {
      }
    }
    std::optional<keyaccount::org::directory> directory;
    try {
      directory.emplace(p.org, people);
    } catch (const keyaccount::org::input_error&) {
      directory.emplace(p.org, std::vector<keyaccount::org::person>{});
    }

    care::account_book book(p, on);
    each_record(sections["accounts"], [&](const nlohmann::json& j) { (void)book.add_record(j); });
    std::vector<care::account> accounts = book.take();

    std::vector<care::complaint> complaints;
    each_record(sections["complaints"], [&](const nlohmann::json& j) {
      care::complaint c = care::complaint_from_json(j);
      if (p.complaints) care::refuse_if_any(care::complaint_problems(*p.complaints, c));
      (void)care::drop_later_facts(c, on);
      if (care::known_on(c, on)) complaints.push_back(std::move(c));
    });

    care::festival_calendar calendar(p);
    try {
      auto plan = care::make_plan(p, calendar, accounts, *directory, {on, on.add_days(120), 500});
      (void)care::to_json(plan);
      (void)care::to_csv(plan);
    } catch (const care::plan_error&) {
    }
    try {
      care::compliance_inputs inputs{&accounts, &complaints, nullptr};
      auto report = care::check_compliance(p, calendar, inputs, *directory, on);
      (void)care::to_json(report);
      (void)care::to_csv(report);
      if (p.complaints) {
        auto due = care::escalations_due(*p.complaints, complaints, *directory, on);
        (void)care::to_csv(due);
      }
    } catch (const keyaccount::error&) {  // a documented refusal of the inputs
    } catch (const std::invalid_argument&) {
    }

    std::vector<care::stock_item> stock;
    each_record(sections["stock"], [&](const nlohmann::json& j) {
      care::stock_item s = care::stock_item_from_json(j);
      care::refuse_if_any(care::stock_item_problems(s));
      stock.push_back(std::move(s));
    });
    std::vector<care::order_line> lines;
    each_record(sections["orders"], [&](const nlohmann::json& j) {
      care::order_line l = care::order_line_from_json(j);
      care::refuse_if_any(care::order_line_problems(p, l));
      lines.push_back(std::move(l));
    });
    for (auto mode :
         {keyaccount::allocation_mode::first_come, keyaccount::allocation_mode::pro_rata}) {
      care::allocation_options options;
      options.within_tier = mode;
      try {
        auto r = care::allocate(p, stock, lines, on, options);
        check_allocation(stock, lines, r);
        (void)care::to_json(r);
        (void)care::to_csv(r);
      } catch (const care::allocation_error&) {
      }
    }
  } catch (const std::exception& e) {
    fuzz::violated("care inputs end in a result or a documented refusal", __FILE__, __LINE__,
                   e.what());
  }
  return 0;
}
