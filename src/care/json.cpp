#include "keyaccount/care/json.hpp"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>

#include "keyaccount/core/field_check.hpp"
#include "keyaccount/json/parse.hpp"
#include "keyaccount/workflow/json.hpp"

namespace keyaccount::care {

namespace {

using nlohmann::json;

std::string join_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

void expect_object(const json& j, const std::string& path,
                   std::initializer_list<const char*> allowed) {
  if (!j.is_object()) throw input_error(path, "expected an object");
  std::set<std::string_view> ok(allowed.begin(), allowed.end());
  for (const auto& [key, value] : j.items())
    if (!ok.count(key)) {
      std::string list;
      for (const auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw input_error(join_path(path, key), "unknown field (expected one of: " + list + ")");
    }
}

const json* get(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string text(const json& j, const char* key, bool required, const std::string& path = "") {
  const json* v = get(j, key);
  if (!v) {
    if (required) throw input_error(join_path(path, key), field_check::missing_required());
    return {};
  }
  if (!v->is_string()) throw input_error(join_path(path, key), "expected a string");
  std::string s = v->get<std::string>();
  if (required && s.empty()) throw input_error(join_path(path, key), "must not be empty");
  return s;
}

date parse_date(const json& v, const std::string& path) {
  if (!v.is_string()) throw input_error(path, field_check::not_a_date_kind(kind_of(v)));
  auto d = date::parse(v.get<std::string>());
  if (!d) throw input_error(path, field_check::not_a_date(v.get<std::string>()));
  return *d;
}

std::optional<date> opt_date(const json& j, const char* key, const std::string& path = "") {
  const json* v = get(j, key);
  if (!v || (v->is_string() && v->get<std::string>().empty())) return std::nullopt;
  return parse_date(*v, join_path(path, key));
}

date req_date(const json& j, const char* key, const std::string& path = "") {
  auto d = opt_date(j, key, path);
  if (!d) throw input_error(join_path(path, key), field_check::missing_required());
  return *d;
}

// A whole number, or (from a CSV cell) text that is exactly one in digits; `path` names it.
std::int64_t whole_value(const json& v, const std::string& path) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    if (auto n = field_check::whole_number(v.get<double>())) return *n;
    throw input_error(path, field_check::why_not_whole(v.get<double>(), v.dump()));
  }
  if (v.is_string()) {
    if (auto n = field_check::whole_number(std::string_view(v.get_ref<const std::string&>())))
      return *n;
    throw input_error(path, field_check::not_a_whole_number(v.dump()));
  }
  throw input_error(path, field_check::not_a_whole_number(kind_of(v)));
}

std::int64_t whole(const json& j, const char* key) {
  const json* v = get(j, key);
  if (!v) throw input_error(key, field_check::missing_required());
  return whole_value(*v, key);
}

// A finite number, or (from a CSV cell) text that is exactly one, e.g. "1200.5".
double number(const json& j, const char* key) {
  const json* v = get(j, key);
  if (!v) throw input_error(key, field_check::missing_required());
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && end == s.data() + s.size() && std::isfinite(d)) return d;
    throw input_error(key, "expected a number, got \"" + s + "\"");
  }
  throw input_error(key, "expected a number");
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_row(std::initializer_list<std::string> cells) {
  std::string out;
  bool first = true;
  for (const auto& c : cells) {
    if (!first) out += ',';
    out += csv_cell(c);
    first = false;
  }
  return out + "\n";
}

json opt(const std::optional<date>& d) { return d ? json(d->to_string()) : json(nullptr); }
std::string opt_text(const std::optional<date>& d) { return d ? d->to_string() : ""; }

}  // namespace

namespace {

// Tables (CSV, DataFrames) cannot hold an object, so a nested member may also come as a column
// `<object>.<key>`: `last_done.ACTIVITY` (a last-done date) and `overrides.ACTIVITY.SETTING`
// (Art. 6.3). Folded here into the objects, once for every caller.
json with_nested_columns(const json& j) {
  if (!j.is_object()) return j;
  json out = json::object();
  std::map<std::string, json> columns;  // object name → {key: value}
  for (const auto& [key, value] : j.items()) {
    bool folded = false;
    for (const std::string_view object : {"last_done", "overrides"}) {
      if (key.size() > object.size() + 1 && key.compare(0, object.size(), object) == 0 &&
          key[object.size()] == '.') {
        columns[std::string(object)][key.substr(object.size() + 1)] = value;
        folded = true;
      }
    }
    if (!folded) out[key] = value;
  }
  if (columns.empty()) return j;
  for (auto& [object, members] : columns) {
    json& nested = out[object];
    if (nested.is_null()) nested = json::object();
    if (!nested.is_object()) continue;  // reported as not an object by the reader
    for (const auto& [key, value] : members.items()) {
      if (nested.contains(key))
        throw input_error(object + "." + key,
                          "given twice (in the " + object + " object and as a column)");
      nested[key] = value;
    }
  }
  return out;
}

// One override value (Art. 6.3), `path` being `overrides.<activity>.<setting>`. Empty (a blank
// table cell) sets nothing.
void read_override(const std::string& setting, const json& value, const std::string& path,
                   activity_override& into) {
  if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) return;
  auto in_range = [&](std::int64_t lo, std::int64_t hi) {
    const std::int64_t n = whole_value(value, path);
    if (n < lo || n > hi)
      throw input_error(path, field_check::not_a_whole_number(std::to_string(n), lo, hi));
    return static_cast<int>(n);
  };
  if (setting == "every_days") {
    into.every_days = in_range(1, 100'000);
  } else if (setting == "every_months") {
    into.every_months = in_range(1, 1200);
  } else if (setting == "lead_days") {
    into.lead_days = in_range(0, 366);
  } else if (setting == "yearly_on") {
    const auto day = value.is_string() ? month_day::parse(value.get<std::string>()) : std::nullopt;
    if (!day) throw input_error(path, "expected a day of the year MM-DD");
    into.yearly_on = *day;
  } else if (setting == "responsible") {
    if (!value.is_string()) throw input_error(path, "expected a position id");
    into.responsible = value.get<std::string>();
  } else {
    throw input_error(path,
                      "unknown setting `" + setting +
                          "` (expected one of: every_days, every_months, yearly_on, lead_days, "
                          "responsible)");
  }
}

std::map<std::string, activity_override> read_overrides(const json& j) {
  if (!j.is_object())
    throw input_error("overrides",
                      "expected an object {\"<activity>.<setting>\": value} (in CSV: a column "
                      "overrides.ACTIVITY.SETTING for each)");
  std::map<std::string, activity_override> out;
  for (const auto& [key, value] : j.items()) {
    const std::string path = "overrides." + key;
    const auto dot = key.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
      throw input_error(path,
                        "expected a key `<activity>.<setting>`, e.g. regular_visit.every_days");
    activity_override& own = out[key.substr(0, dot)];
    read_override(key.substr(dot + 1), value, path, own);
  }
  // An activity whose every value was blank overrides nothing.
  std::erase_if(out, [](const auto& entry) { return entry.second == activity_override{}; });
  return out;
}

}  // namespace

account account_from_json(const json& record) {
  const json j = with_nested_columns(record);
  expect_object(j, "", {"id", "name", "tier", "owner", "last_done", "gift_amount", "overrides"});
  account a;
  a.id = text(j, "id", true);
  a.name = text(j, "name", false);
  a.tier = text(j, "tier", true);
  a.owner = text(j, "owner", false);
  if (const json* l = get(j, "last_done")) {
    if (!l->is_object())
      throw input_error("last_done",
                        "expected an object {activity: date} (in CSV: a column "
                        "last_done.ACTIVITY for each activity)");
    for (const auto& [key, value] : l->items())
      if (!value.is_null()) a.last_done[key] = parse_date(value, "last_done." + key);
  }
  if (get(j, "gift_amount")) {
    const double amount = number(j, "gift_amount");
    if (amount < 0) throw input_error("gift_amount", "expected a number >= 0");
    a.gift_amount = amount;
  }
  if (const json* o = get(j, "overrides")) a.overrides = read_overrides(*o);
  return a;
}

complaint complaint_from_json(const json& j) {
  expect_object(j, "",
                {"id", "customer", "category", "recorder", "summary", "raised_on", "recorded_on",
                 "reported_on", "resolved_on", "closed_on", "escalations"});
  complaint c;
  c.id = text(j, "id", true);
  c.customer = text(j, "customer", true);
  c.category = text(j, "category", true);
  c.recorder = text(j, "recorder", false);
  c.summary = text(j, "summary", false);
  c.raised_on = req_date(j, "raised_on");
  c.recorded_on = opt_date(j, "recorded_on");
  c.reported_on = opt_date(j, "reported_on");
  c.resolved_on = opt_date(j, "resolved_on");
  c.closed_on = opt_date(j, "closed_on");
  if (const json* es = get(j, "escalations")) {
    if (!es->is_array()) throw input_error("escalations", "expected an array");
    for (std::size_t i = 0; i < es->size(); ++i) {
      const std::string path = "escalations[" + std::to_string(i) + "]";
      const json& e = (*es)[i];
      expect_object(e, path, {"kind", "to", "opened_on", "closed_on"});
      escalation_record r;
      const auto kind = text(e, "kind", true, path);
      auto k = parse_escalation_kind(kind);
      if (!k)
        throw input_error(path + ".kind", "unknown kind \"" + kind +
                                              "\" (report, record_overdue, resolve_overdue)");
      r.kind = *k;
      r.to = text(e, "to", false, path);
      r.opened_on = req_date(e, "opened_on", path);
      r.closed_on = opt_date(e, "closed_on", path);
      c.escalations.push_back(std::move(r));
    }
  }
  return c;
}

order_line order_line_from_json(const json& j) {
  expect_object(j, "", {"id", "customer", "tier", "product", "spec", "quantity", "ordered_at"});
  order_line l;
  l.id = text(j, "id", true);
  l.customer = text(j, "customer", true);
  l.tier = text(j, "tier", true);
  l.product = text(j, "product", true);
  l.spec = text(j, "spec", false);
  l.quantity = whole(j, "quantity");
  if (l.quantity < 0) throw input_error("quantity", "must not be negative");
  l.ordered_at = text(j, "ordered_at", true);
  if (!normalize_time(l.ordered_at))
    throw input_error("ordered_at",
                      "expected YYYY-MM-DD[THH:MM[:SS]], got \"" + l.ordered_at + "\"");
  return l;
}

stock_item stock_item_from_json(const json& j) {
  expect_object(j, "", {"product", "spec", "quantity"});
  stock_item s;
  s.product = text(j, "product", true);
  s.spec = text(j, "spec", false);
  s.quantity = whole(j, "quantity");
  if (s.quantity < 0) throw input_error("quantity", "must not be negative");
  return s;
}

supply_item supply_item_from_json(const json& j) {
  expect_object(j, "", {"product", "spec", "quantity", "arrives_on"});
  supply_item s;
  s.product = text(j, "product", true);
  s.spec = text(j, "spec", false);
  s.quantity = number(j, "quantity");
  if (!std::isfinite(s.quantity)) throw input_error("quantity", "expected a finite number");
  if (s.quantity < 0) throw input_error("quantity", "must not be negative");
  s.arrives_on = opt_date(j, "arrives_on");
  return s;
}

planned_visit planned_visit_from_json(const json& j) {
  expect_object(j, "", {"customer", "date", "executive", "activity", "done_on", "briefed_on"});
  planned_visit v;
  v.customer = text(j, "customer", true);
  v.on = req_date(j, "date");
  v.executive = text(j, "executive", true);
  v.activity = text(j, "activity", false);
  v.done_on = opt_date(j, "done_on");
  v.briefed_on = opt_date(j, "briefed_on");
  return v;
}

festival festival_from_json(const json& j) {
  expect_object(j, "", {"id", "name", "name_zh", "dates"});
  festival f;
  f.id = text(j, "id", true);
  f.name.en = text(j, "name", false);
  f.name.zh = text(j, "name_zh", false);
  const json* ds = get(j, "dates");
  if (!ds || !ds->is_array()) throw input_error("dates", "expected an array of dates");
  for (std::size_t i = 0; i < ds->size(); ++i)
    f.dates.push_back(parse_date((*ds)[i], "dates[" + std::to_string(i) + "]"));
  return f;
}

symposium_event symposium_event_from_json(const json& j) {
  expect_object(j, "", {"date", "held", "invited", "attended"});
  symposium_event e;
  e.on = req_date(j, "date");
  if (const json* h = get(j, "held")) {
    if (!h->is_boolean()) throw input_error("held", "expected true or false");
    e.held = h->get<bool>();
  }
  if (const json* inv = get(j, "invited")) {
    if (!inv->is_object())
      throw input_error("invited",
                        "expected an object {customer id: date the invitation was sent}");
    for (const auto& [customer, sent] : inv->items())
      e.invited[customer] = parse_date(sent, "invited." + customer);
  }
  if (const json* att = get(j, "attended")) {
    if (!att->is_array()) throw input_error("attended", "expected an array of customer ids");
    for (std::size_t i = 0; i < att->size(); ++i) {
      const json& c = (*att)[i];
      if (!c.is_string() || c.get<std::string>().empty())
        throw input_error("attended[" + std::to_string(i) + "]", "expected a customer id");
      e.attended.push_back(c.get<std::string>());
    }
  }
  return e;
}

json to_json(const planned_activity& i) {
  json j = {{"customer", i.customer},
            {"customer_name", i.customer_name},
            {"activity", i.activity},
            {"activity_name", i.activity_name.en},
            {"activity_name_zh", i.activity_name.zh},
            {"article", i.article},
            {"position", i.position},
            {"person", i.person},
            {"person_name", i.person_name},
            {"due", i.due.to_string()},
            {"overdue", i.overdue},
            {"never_done", i.never_done},
            {"festival", i.festival.empty() ? json(nullptr) : json(i.festival)},
            {"festival_on", opt(i.festival_on)},
            {"basis", i.basis},
            {"workflow", i.workflow.empty() ? json(nullptr) : json(i.workflow)}};
  j["submit"] = i.submit ? workflows::to_json(*i.submit) : json(nullptr);
  return j;
}

json to_json(const plan& pl) {
  json items = json::array();
  for (const auto& i : pl.items) items.push_back(to_json(i));
  return {{"from", pl.from.to_string()},
          {"to", pl.to.to_string()},
          {"items", items},
          {"warnings", pl.warnings}};
}

json to_json(const line_allocation& l) {
  return {{"line", l.line},           {"customer", l.customer}, {"tier", l.tier},
          {"product", l.product},     {"spec", l.spec},         {"ordered", l.ordered},
          {"allocated", l.allocated}, {"priority", l.priority}, {"stock_before", l.stock_before},
          {"reason", l.reason}};
}

json to_json(const allocation_result& r) {
  json lines = json::array();
  for (const auto& l : r.lines) lines.push_back(to_json(l));
  json stock = json::array();
  for (const auto& s : r.stock)
    stock.push_back({{"product", s.product},
                     {"spec", s.spec},
                     {"stock", s.stock},
                     {"allocated", s.allocated},
                     {"remaining", s.remaining},
                     {"unmet", s.unmet}});
  return {{"on", r.on.to_string()},
          {"peak_season", r.peak_season},
          {"period", r.period.empty() ? json(nullptr) : json(r.period)},
          {"within_tier", std::string(to_string(r.mode))},
          {"pack_size", r.pack_size},
          {"article", r.article},
          {"lines", lines},
          {"stock", stock}};
}

json to_json(const escalation& e) {
  return {{"complaint", e.complaint},
          {"customer", e.customer},
          {"category", e.category},
          {"kind", std::string(to_string(e.kind))},
          {"from", e.from},
          {"to", e.to.empty() ? json(nullptr) : json(e.to)},
          {"to_name", e.to_name},
          {"due_on", e.due_on.to_string()},
          {"days_overdue", e.days_overdue},
          {"article", e.article},
          {"reason", e.reason}};
}

json to_json(const finding& f) {
  return {{"kind", std::string(to_string(f.kind))},
          {"customer", f.customer},
          {"subject", f.subject},
          {"article", f.article},
          {"due", opt(f.due)},
          {"days_overdue", f.days_overdue},
          {"responsible", f.responsible},
          {"detail", f.detail}};
}

json to_json(const compliance_report& r) {
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(to_json(f));
  return {{"as_of", r.as_of.to_string()},
          {"ok", r.ok()},
          {"profiles_checked", r.profiles_checked},
          {"counts", r.counts()},
          {"findings", findings},
          {"warnings", r.warnings}};
}

json to_json(const complaint& c) {
  json es = json::array();
  for (const auto& e : c.escalations)
    es.push_back({{"kind", std::string(to_string(e.kind))},
                  {"to", e.to},
                  {"opened_on", e.opened_on.to_string()},
                  {"closed_on", opt(e.closed_on)}});
  return {{"id", c.id},
          {"customer", c.customer},
          {"category", c.category},
          {"recorder", c.recorder},
          {"summary", c.summary},
          {"raised_on", c.raised_on.to_string()},
          {"recorded_on", opt(c.recorded_on)},
          {"reported_on", opt(c.reported_on)},
          {"resolved_on", opt(c.resolved_on)},
          {"closed_on", opt(c.closed_on)},
          {"escalations", es}};
}

json to_json(const symposium_status& s) {
  json invitees = json::array();
  for (const auto& i : s.invitees)
    invitees.push_back({{"customer", i.customer},
                        {"customer_name", i.customer_name},
                        {"owner", i.owner},
                        {"note", i.note},
                        {"invited_on", opt(i.invited_on)},
                        {"attended", i.attended}});
  return {{"year", s.year},
          {"date", opt(s.on)},
          {"deadline", s.deadline.to_string()},
          {"invitations_due", s.invitations_due.to_string()},
          {"held", s.held},
          {"organizer", s.organizer},
          {"invitees", invitees},
          {"others", s.others}};
}

json to_json(const supply_report& r) {
  json customers = json::array();
  for (const auto& c : r.customers)
    customers.push_back({{"customer", c.customer},
                         {"customer_name", c.name},
                         {"tier", c.tier},
                         {"product", c.product},
                         {"monthly", c.monthly},
                         {"projected", c.projected}});
  json months = json::array();
  for (const auto& m : r.months)
    months.push_back({{"product", m.product},
                      {"month", m.month},
                      {"peak_season", m.peak_season},
                      {"period", m.period},
                      {"demand", m.demand},
                      {"cumulative_demand", m.cumulative_demand},
                      {"available", m.available},
                      {"shortfall", m.shortfall}});
  json notices = json::array();
  for (const auto& n : r.notices)
    notices.push_back({{"product", n.product},
                       {"month", n.month},
                       {"due", n.due.to_string()},
                       {"late", n.late},
                       {"shortfall", n.shortfall},
                       {"customers", n.customers},
                       {"to", n.to},
                       {"to_name", n.to_name},
                       {"from", n.from},
                       {"article", n.article},
                       {"peak_months", n.peak_months},
                       {"message", n.message}});
  return {{"as_of", r.as_of.to_string()},
          {"article", r.article},
          {"unit", r.unit},
          {"per_product", r.per_product},
          {"horizon_months", r.horizon_months},
          {"customers", customers},
          {"months", months},
          {"notices", notices}};
}

std::string to_csv(const plan& pl) {
  std::string out = csv_row({"due", "customer", "customer_name", "activity", "activity_name",
                             "article", "position", "person", "person_name", "overdue",
                             "never_done", "festival", "festival_on", "workflow", "basis"});
  for (const auto& i : pl.items)
    out += csv_row({i.due.to_string(), i.customer, i.customer_name, i.activity, i.activity_name.en,
                    i.article, i.position, i.person, i.person_name, i.overdue ? "true" : "false",
                    i.never_done ? "true" : "false", i.festival, opt_text(i.festival_on),
                    i.workflow, i.basis});
  return out;
}

std::string to_csv(const allocation_result& r) {
  std::string out = csv_row({"line", "customer", "tier", "product", "spec", "ordered", "allocated",
                             "priority", "stock_before", "reason"});
  for (const auto& l : r.lines)
    out += csv_row({l.line, l.customer, l.tier, l.product, l.spec, std::to_string(l.ordered),
                    std::to_string(l.allocated), std::to_string(l.priority),
                    std::to_string(l.stock_before), l.reason});
  return out;
}

std::string to_csv(const compliance_report& r) {
  std::string out = csv_row(
      {"kind", "customer", "subject", "article", "due", "days_overdue", "responsible", "detail"});
  for (const auto& f : r.findings)
    out += csv_row({std::string(to_string(f.kind)), f.customer, f.subject, f.article,
                    opt_text(f.due), std::to_string(f.days_overdue), f.responsible, f.detail});
  return out;
}

std::string to_csv(const supply_report& r) {
  auto num = [](double d) { return json(d).dump(); };
  std::string out = csv_row({"product", "month", "peak_season", "period", "demand",
                             "cumulative_demand", "available", "shortfall"});
  for (const auto& m : r.months)
    out += csv_row({m.product, m.month, m.peak_season ? "true" : "false", m.period, num(m.demand),
                    num(m.cumulative_demand), num(m.available), num(m.shortfall)});
  return out;
}

std::string to_csv(const std::vector<escalation>& es) {
  std::string out = csv_row({"complaint", "customer", "category", "kind", "from", "to", "due_on",
                             "days_overdue", "article", "reason"});
  for (const auto& e : es)
    out +=
        csv_row({e.complaint, e.customer, e.category, std::string(to_string(e.kind)), e.from, e.to,
                 e.due_on.to_string(), std::to_string(e.days_overdue), e.article, e.reason});
  return out;
}

nlohmann::json to_json(const std::vector<started_workflow>& started) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : started) {
    if (const auto* inst = std::get_if<workflows::instance>(&w.outcome))
      out.push_back({{"item", w.item}, {"instance", workflows::to_json(*inst)}});
    else
      out.push_back({{"item", w.item},
                     {"refusal", workflows::to_json(std::get<workflows::refusal>(w.outcome))}});
  }
  return out;
}

}  // namespace keyaccount::care
