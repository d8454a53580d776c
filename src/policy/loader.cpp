// JSON → policy model. This file checks the *shape* of each section (types, required and unknown
// fields, enumerations, dates) and records references; validator.cpp checks the meaning
// (references resolve, no cycles, workflows can complete, dates in order, ...).
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/core/field_check.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "expr/number_format.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/identity.hpp"
#include "keyaccount/policy/revision_chain.hpp"
#include "policy/detail/load_context.hpp"
#include "policy/detail/validator.hpp"

namespace keyaccount {
namespace {

using detail::object_reader;
using detail::reference_kind;
using json = nlohmann::json;

class loader {
 public:
  loader(detail::load_context& ctx, const load_options& options) : ctx_(ctx), options_(options) {}

  policy read(const json& root) {
    policy p;
    object_reader r(ctx_, &root, "");
    if (!r.valid()) return p;
    p.format_version = read_format_version(r);
    read_document(r, p.document);
    r.for_each("articles", true, [&](const json& v, const std::string& ptr, std::size_t) {
      p.articles.push_back(read_article(v, ptr));
    });
    read_organization(r, p.org);
    read_customer_schema(r, p.customers);
    r.for_each("parameters", false, [&](const json& v, const std::string& ptr, std::size_t) {
      p.parameters.push_back(read_parameter(v, ptr));
    });
    r.for_each("criteria", true, [&](const json& v, const std::string& ptr, std::size_t) {
      p.criteria.push_back(read_criterion(v, ptr));
    });
    r.for_each("tiers", true, [&](const json& v, const std::string& ptr, std::size_t) {
      p.tiers.push_back(read_tier(v, ptr));
    });
    if (const json* v = r.member("dynamic_management", false)) {
      p.dynamics = read_dynamics(*v, r.pointer_of("dynamic_management"));
    }
    if (const json* v = r.member("ownership", false)) {
      p.ownership = read_ownership(*v, r.pointer_of("ownership"));
    }
    r.for_each("principles", false, [&](const json& v, const std::string& ptr, std::size_t) {
      p.principles.push_back(read_principle(v, ptr));
    });
    if (const json* v = r.member("calendars", false)) {
      object_reader cal(ctx_, v, r.pointer_of("calendars"));
      cal.for_each("festivals", false, [&](const json& f, const std::string& ptr, std::size_t) {
        p.festivals.push_back(read_festival(f, ptr));
      });
    }
    r.for_each("activities", false, [&](const json& v, const std::string& ptr, std::size_t) {
      p.activities.push_back(read_activity(v, ptr));
    });
    if (const json* v = r.member("complaints", false)) {
      p.complaints = read_complaints(*v, r.pointer_of("complaints"));
    }
    if (const json* v = r.member("peak_season", false)) {
      p.peak_season = read_peak_season(*v, r.pointer_of("peak_season"));
    }
    if (const json* v = r.member("symposium", false)) {
      p.symposium = read_symposium(*v, r.pointer_of("symposium"));
    }
    if (const json* v = r.member("supply_watch", false)) {
      p.supply_watch = read_supply_watch(*v, r.pointer_of("supply_watch"));
    }
    r.for_each("workflows", false, [&](const json& v, const std::string& ptr, std::size_t) {
      p.workflows.push_back(read_workflow(v, ptr));
    });
    return p;
  }

 private:
  std::string read_format_version(object_reader& r) {
    std::string version = r.text("format_version", true);
    if (!version.empty() && version.rfind("1.", 0) != 0) {
      ctx_.error("unsupported_format_version",
                 "format_version \"" + version + "\" is not supported; this library reads " +
                     std::string(policy_format_version) + " (any 1.x)",
                 "/format_version");
    }
    return version;
  }

  // Reads an id, a reference, or a list of references and records them for the validator.
  std::string ref(object_reader& r, std::string_view key, reference_kind kind, bool required) {
    std::string id = r.text(key, required);
    if (!id.empty()) ctx_.refer(kind, id, r.pointer_of(key));
    return id;
  }
  std::vector<std::string> refs(object_reader& r, std::string_view key, reference_kind kind,
                                bool required) {
    std::vector<std::string> ids;
    r.for_each(key, required, [&](const json& v, const std::string& ptr, std::size_t) {
      if (!v.is_string()) {
        r.wrong_type(ptr, "an id (string)", v);
        return;
      }
      ids.push_back(v.get<std::string>());
      ctx_.refer(kind, ids.back(), ptr);
    });
    return ids;
  }
  std::string article_ref(object_reader& r, bool required = false) {
    return ref(r, "article", reference_kind::article, required);
  }
  std::string expression(object_reader& r, std::string_view key, bool required) {
    std::string text = r.text(key, required);
    if (text.size() > options_.max_expression_length) {
      ctx_.error("expression_too_long",
                 "the expression has " + std::to_string(text.size()) +
                     " bytes, more than the limit of " +
                     std::to_string(options_.max_expression_length),
                 r.pointer_of(key));
      return {};
    }
    return text;
  }

  // A member of the revision hash chain: a SHA-256 content hash, 64 lowercase hex digits.
  std::string content_hash(object_reader& r, std::string_view key) {
    std::string text = r.text(key, false);
    const bool hex = text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!text.empty() && !hex) {
      ctx_.error("invalid_value",
                 "`" + std::string(key) +
                     "` must be a content hash (SHA-256: 64 lowercase hex digits), not \"" +
                     text.substr(0, 80) + "\"",
                 r.pointer_of(key));
      return {};
    }
    return text;
  }

  void read_document(object_reader& root, document_control& d) {
    object_reader r(ctx_, root.member("document", true), "/document");
    d.id = r.text("id", true);
    d.name = r.name(true);
    d.number = r.text("number", true);
    d.version = r.text("version", true);
    d.controlled_status =
        r.one_of("controlled_status", true, {"controlled", "uncontrolled"}, "controlled");
    d.executing_department = ref(r, "executing_department", reference_kind::department, true);
    d.supervising_department = ref(r, "supervising_department", reference_kind::department, true);
    d.drafted_on = r.date_value("drafted_on", false);
    d.reviewed_on = r.date_value("reviewed_on", false);
    d.approved_on = r.date_value("approved_on", true);
    d.effective_on = r.date_value("effective_on", true);
    r.for_each("revisions", false, [&](const json& v, const std::string& ptr, std::size_t) {
      object_reader e(ctx_, &v, ptr);
      revision rev;
      rev.mark = e.text("mark", true);
      rev.changes = e.integer("changes", true, 0, 1'000'000, 0);
      if (auto on = e.date_value("date", true)) rev.on = *on;
      rev.summary = e.text("summary", false);
      rev.content_hash = content_hash(e, "content_hash");
      rev.previous_hash = content_hash(e, "previous_hash");
      d.revisions.push_back(std::move(rev));
    });
  }

  article read_article(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    article a;
    a.id = r.text("id", true);
    a.chapter = r.integer("chapter", false, 0, 1000, 0);
    a.title.en = r.text("title", true);
    a.title.zh = r.text("title_zh", false);
    a.text_zh = r.text("text_zh", false);
    return a;
  }

  void read_organization(object_reader& root, organization& org) {
    object_reader r(ctx_, root.member("organization", true), "/organization");
    r.for_each("departments", true, [&](const json& v, const std::string& ptr, std::size_t) {
      object_reader d(ctx_, &v, ptr);
      department dep;
      dep.id = d.text("id", true);
      dep.name = d.name(true);
      org.departments.push_back(std::move(dep));
    });
    r.for_each("positions", true, [&](const json& v, const std::string& ptr, std::size_t) {
      object_reader p(ctx_, &v, ptr);
      position pos;
      pos.id = p.text("id", true);
      pos.name = p.name(true);
      pos.department = ref(p, "department", reference_kind::department, true);
      pos.reports_to = p.optional_text("reports_to");
      if (pos.reports_to)
        ctx_.refer(reference_kind::position, *pos.reports_to, p.pointer_of("reports_to"));
      if (p.member("headcount", false) != nullptr) {
        pos.headcount = p.integer("headcount", false, 1, 1'000'000, 1);
      }
      pos.article = article_ref(p);
      pos.duties = p.text_list("duties", false);
      org.positions.push_back(std::move(pos));
    });
    org.primary_department = ref(r, "primary_department", reference_kind::department, false);
  }

  field_type read_field_type(object_reader& r, bool allow_object) {
    static const std::pair<std::string_view, field_type> types[] = {
        {"string", field_type::string_}, {"number", field_type::number},
        {"int", field_type::integer},    {"bool", field_type::boolean},
        {"date", field_type::date_},     {"enum", field_type::enumeration},
        {"series", field_type::series},  {"string_list", field_type::string_list},
        {"person", field_type::person},  {"object", field_type::object}};
    std::string name = allow_object ? r.one_of("type", true,
                                               {"string", "number", "int", "bool", "date", "enum",
                                                "series", "string_list", "person", "object"},
                                               "string")
                                    : r.one_of("type", true,
                                               {"string", "number", "int", "bool", "date", "enum",
                                                "series", "string_list", "person"},
                                               "string");
    for (const auto& [n, t] : types) {
      if (n == name) return t;
    }
    return field_type::string_;
  }

  field read_field(const json& v, const std::string& ptr, int depth) {
    object_reader r(ctx_, &v, ptr);
    field f;
    f.id = r.text("id", true);
    f.type = read_field_type(r, depth < 3);
    f.required = r.boolean("required", false);
    f.name = r.name(false);
    f.unit = r.text("unit", false);
    f.article = article_ref(r);
    if (f.type == field_type::enumeration) {
      f.values = r.text_list("values", true);
      if (f.values.empty() && r.valid()) {
        ctx_.error("invalid_value", "an enum field needs at least one value",
                   r.pointer_of("values"));
      }
    }
    if (f.type == field_type::object) {
      r.for_each("fields", true, [&](const json& sub, const std::string& p, std::size_t) {
        f.fields.push_back(read_field(sub, p, depth + 1));
      });
    }
    return f;
  }

  void read_customer_schema(object_reader& root, customer_schema& schema) {
    object_reader r(ctx_, root.member("customer_schema", true), "/customer_schema");
    r.for_each("fields", true, [&](const json& v, const std::string& ptr, std::size_t) {
      schema.fields.push_back(read_field(v, ptr, 0));
    });
  }

  parameter read_parameter(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    parameter p;
    p.id = r.text("id", true);
    std::string type = r.one_of("type", true, {"number", "int"}, "number");
    p.type = type == "int" ? field_type::integer : field_type::number;
    p.unit = r.text("unit", false);
    p.article = article_ref(r);
    p.name = r.name(false);
    p.minimum = optional_bound(r, "minimum");
    p.maximum = optional_bound(r, "maximum");
    if (p.minimum && p.maximum && *p.minimum > *p.maximum)
      ctx_.error("parameter_out_of_range", "`maximum` is below `minimum`", r.pointer_of("maximum"));
    const json* value = r.member("value", true);
    if (value == nullptr) return p;
    std::string at = r.pointer_of("value");
    if (detail::is_blank(*value)) {
      ctx_.error("unfilled_threshold",
                 "parameter `" + p.id + "` is still the template's blank; fill in its value" +
                     (p.article.empty() ? "" : " (" + p.article + ")"),
                 at);
    } else if (p.type == field_type::integer && !value->is_number_integer()) {
      r.wrong_type(at, "an integer", *value);
    } else if (!value->is_number()) {
      r.wrong_type(at, "a number", *value);
    } else {
      p.value = value->get<double>();
      auto shown = [](double x) { return expr::detail::format_double(x); };
      // Held as a double: a whole number past 2^53 would not be the one written, and one
      // past 2^63 would not convert back to an integer at all.
      if (p.type == field_type::integer && std::abs(p.value) > 9007199254740992.0)
        ctx_.error("parameter_out_of_range",
                   "parameter `" + p.id + "` is " + value->dump() +
                       ", beyond the whole numbers a parameter holds exactly "
                       "(-9007199254740992 .. 9007199254740992)",
                   at);
      if (p.minimum && p.value < *p.minimum)
        ctx_.error("parameter_out_of_range",
                   "parameter `" + p.id + "` is " + value->dump() + ", below its minimum " +
                       shown(*p.minimum),
                   at);
      if (p.maximum && p.value > *p.maximum)
        ctx_.error("parameter_out_of_range",
                   "parameter `" + p.id + "` is " + value->dump() + ", above its maximum " +
                       shown(*p.maximum),
                   at);
    }
    return p;
  }

  // `minimum` / `maximum` of a parameter: a finite number when given.
  std::optional<double> optional_bound(object_reader& r, std::string_view key) {
    const json* v = r.member(key, false);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) {
      r.wrong_type(r.pointer_of(key), "a number", *v);
      return std::nullopt;
    }
    return v->get<double>();
  }

  // `all` / `any` / `at_least`+`of`: the combination of a composite criterion or a tier rule.
  bool read_combination(object_reader& r, combinator& how, int& k,
                        std::vector<std::string>& parts) {
    bool has_all = r.member("all", false) != nullptr;
    bool has_any = r.member("any", false) != nullptr;
    bool has_at_least = r.member("at_least", false) != nullptr;
    int kinds = int(has_all) + int(has_any) + int(has_at_least);
    if (kinds == 0) return false;
    if (kinds > 1) {
      ctx_.error("invalid_value", "use exactly one of `all`, `any` or `at_least`", r.pointer());
    }
    if (has_all) {
      how = combinator::all;
      parts = refs(r, "all", reference_kind::criterion, true);
    } else if (has_any) {
      how = combinator::any;
      parts = refs(r, "any", reference_kind::criterion, true);
    } else {
      how = combinator::at_least;
      k = r.integer("at_least", true, 1, 1000, 1);
      parts = refs(r, "of", reference_kind::criterion, true);
      if (k > static_cast<int>(parts.size()) && !parts.empty()) {
        ctx_.error("invalid_value",
                   "at_least is " + std::to_string(k) + " but only " +
                       std::to_string(parts.size()) + " criteria are listed",
                   r.pointer_of("at_least"));
      }
    }
    // An empty list, as given: a list that is missing or of the wrong type has its own error.
    const json* list = r.member(has_all ? "all" : has_any ? "any" : "of", false);
    if (list != nullptr && list->is_array() && list->empty() && r.valid()) {
      ctx_.error("invalid_value", "a combination needs at least one criterion", r.pointer());
    }
    return true;
  }

  criterion read_criterion(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    criterion c;
    c.id = r.text("id", true);
    c.article = article_ref(r, true);
    c.name = r.name(true);
    bool combined = read_combination(r, c.combine, c.at_least, c.parts);
    c.condition = expression(r, "condition", false);
    bool has_condition = r.member("condition", false) != nullptr;
    if (combined == has_condition && r.valid()) {
      ctx_.error("invalid_value",
                 "a criterion needs either a `condition` or one of `all`, `any`, `at_least`", ptr);
    }
    if (const json* e = r.member("explain", false))
      c.explain = read_explain(*e, r.pointer_of("explain"));
    return c;
  }

  criterion_explanation read_explain(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    criterion_explanation e;
    e.observed = expression(r, "observed", true);
    e.target = expression(r, "target", false);
    e.requirement = r.text("requirement", false);
    e.requirement_zh = r.text("requirement_zh", false);
    e.unit.en = r.text("unit", false);
    e.unit.zh = r.text("unit_zh", false);
    e.strict = r.boolean("strict", false);
    e.precondition = expression(r, "precondition", false);
    e.precondition_failed.en = r.text("precondition_failed", false);
    e.precondition_failed.zh = r.text("precondition_failed_zh", false);
    e.shortfall.en = r.text("shortfall", false);
    e.shortfall.zh = r.text("shortfall_zh", false);
    return e;
  }

  tier read_tier(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    tier t;
    t.id = r.text("id", true);
    t.name = r.name(true);
    t.article = article_ref(r);
    t.fallback = r.boolean("fallback", false);
    if (const json* rule = r.member("rule", false)) {
      object_reader rr(ctx_, rule, r.pointer_of("rule"));
      tier_rule tr;
      if (!read_combination(rr, tr.combine, tr.at_least, tr.parts) && rr.valid()) {
        ctx_.error("missing_field", "a tier rule needs one of `all`, `any`, `at_least`",
                   rr.pointer());
      }
      t.rule = std::move(tr);
    }
    if (t.fallback == t.rule.has_value() && r.valid()) {
      ctx_.error(t.fallback ? "invalid_value" : "missing_field",
                 t.fallback ? "the fallback tier takes everyone: it has no `rule`"
                            : "tier `" + t.id + "` needs a `rule` (or `\"fallback\": true`)",
                 ptr);
    }
    return t;
  }

  dynamic_management read_dynamics(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    dynamic_management d;
    d.article = article_ref(r);
    d.demote_after_failures = r.integer("demote_after_failures", false, 1, 120, 1);
    if (const json* card = r.member("profile_card", false)) {
      object_reader c(ctx_, card, r.pointer_of("profile_card"));
      profile_card_rule rule;
      rule.required_fields = c.text_list("required_fields", true);
      for (std::size_t i = 0; i < rule.required_fields.size(); ++i) {
        ctx_.refer(reference_kind::field, "profile." + rule.required_fields[i],
                   append_pointer(c.pointer_of("required_fields"), i));
      }
      rule.max_age_days = c.integer("max_age_days", false, 0, 100'000, 0);
      d.profile_card = std::move(rule);
    }
    return d;
  }

  ownership_rule read_ownership(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    ownership_rule o;
    o.article = article_ref(r);
    o.tiers = refs(r, "tiers", reference_kind::tier, true);
    o.owner_position = ref(r, "owner_position", reference_kind::position, true);
    o.max_accounts_per_owner = r.integer("max_accounts_per_owner", false, 0, 1'000'000, 0);
    return o;
  }

  principle read_principle(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    principle p;
    p.id = r.text("id", true);
    p.article = article_ref(r, true);
    p.name = r.name(true);
    p.overridable = r.text_list("overridable", false);
    return p;
  }

  festival read_festival(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    festival f;
    f.id = r.text("id", true);
    f.name = r.name(true);
    r.for_each("dates", true, [&](const json& d, const std::string& p, std::size_t) {
      auto parsed = d.is_string() ? date::parse(d.get_ref<const std::string&>()) : std::nullopt;
      if (!d.is_string()) {
        r.wrong_type(p, "a date string \"YYYY-MM-DD\"", d);
      } else if (!parsed) {
        ctx_.error("invalid_date", field_check::not_a_date(d.get<std::string>()), p);
      } else {
        f.dates.push_back(*parsed);
      }
    });
    return f;
  }

  activity read_activity(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    activity a;
    a.id = r.text("id", true);
    a.article = article_ref(r, true);
    a.name = r.name(true);
    a.tiers = refs(r, "tiers", reference_kind::tier, true);
    a.responsible = ref(r, "responsible", reference_kind::position, true);
    a.assignee = r.one_of("assignee", false, {"owner", "position"}, "position");
    if (a.assignee == "position") a.assignee.clear();
    a.workflow = ref(r, "workflow", reference_kind::workflow, false);
    object_reader c(ctx_, r.member("cadence", true), r.pointer_of("cadence"));
    a.when.every_days = c.integer("every_days", false, 1, 100'000, 0);
    a.when.every_months = c.integer("every_months", false, 1, 1200, 0);
    a.when.yearly_on = c.month_day_value("yearly_on", false);
    a.when.festivals = refs(c, "festivals", reference_kind::festival, false);
    a.when.lead_days = c.integer("lead_days", false, 0, 366, 0);
    if (const json* plan = c.member("by_plan", false)) {
      // Art. 9: due on the dates of a visit plan, each prepared by a briefing.
      object_reader bp(ctx_, plan, c.pointer_of("by_plan"));
      plan_cadence pc;
      pc.horizon_days = bp.integer("horizon_days", false, 1, 3660, 180);
      object_reader br(ctx_, bp.member("briefing", true), bp.pointer_of("briefing"));
      pc.briefing_by = ref(br, "responsible", reference_kind::position, true);
      pc.briefing_by_owner =
          br.one_of("assignee", false, {"owner", "position"}, "position") == "owner";
      pc.briefing_lead_days = br.integer("lead_days", false, 0, 366, 7);
      a.when.by_plan = std::move(pc);
    }
    // Counted by the keys given, not the values read: a bad value (every_days 0) has its own
    // error, and reading it as "no kind given" added a false "needs exactly one" to it. An
    // empty festival list schedules nothing, so it does not count.
    auto given = [&](std::string_view key) { return int(c.member(key, false) != nullptr); };
    const json* festivals = c.member("festivals", false);
    const int kinds = given("every_days") + given("every_months") + given("yearly_on") +
                      given("by_plan") +
                      int(festivals != nullptr && !(festivals->is_array() && festivals->empty()));
    if (kinds != 1 && c.valid()) {
      ctx_.error("invalid_value",
                 "a cadence needs exactly one of `every_days`, `every_months`, `yearly_on`, "
                 "`festivals`, `by_plan`",
                 c.pointer());
    }
    return a;
  }

  complaint_rules read_complaints(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    complaint_rules c;
    c.article = article_ref(r);
    c.recorder = ref(r, "recorder", reference_kind::position, true);
    r.for_each("categories", true, [&](const json& e, const std::string& p, std::size_t) {
      object_reader cr(ctx_, &e, p);
      complaint_category cat;
      cat.id = cr.text("id", true);
      cat.article = article_ref(cr, true);
      cat.name = cr.name(true);
      cat.record_within_days = cr.integer("record_within_days", true, 0, 3650, 0);
      cat.report_within_days = cr.integer("report_within_days", true, 0, 3650, 0);
      cat.resolve_within_days = cr.integer("resolve_within_days", true, 0, 3650, 0);
      c.categories.push_back(std::move(cat));
    });
    return c;
  }

  peak_season_rule read_peak_season(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    peak_season_rule s;
    s.article = article_ref(r);
    r.for_each("periods", true, [&](const json& e, const std::string& p, std::size_t) {
      object_reader pr(ctx_, &e, p);
      auto from = pr.month_day_value("from", true);
      auto to = pr.month_day_value("to", true);
      if (from && to) s.periods.push_back(season_period{*from, *to});
    });
    s.tier_priority = refs(r, "tier_priority", reference_kind::tier, true);
    s.within_tier =
        r.one_of("within_tier", false, {"first_come", "pro_rata"}, "first_come") == "pro_rata"
            ? allocation_mode::pro_rata
            : allocation_mode::first_come;
    s.pack_size = r.integer("pack_size", false, 1, 1'000'000, 1);
    return s;
  }

  symposium_rule read_symposium(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    symposium_rule s;
    s.id = r.text("id", true);
    s.article = article_ref(r, true);
    s.name = r.name(true);
    s.tiers = refs(r, "tiers", reference_kind::tier, true);
    s.organizer = ref(r, "organizer", reference_kind::position, true);
    object_reader w(ctx_, r.member("window", true), r.pointer_of("window"));
    auto from = w.month_day_value("from", true);
    auto to = w.month_day_value("to", true);
    if (from && to) {
      s.window = season_period{*from, *to};
      if (*to < *from)
        ctx_.error("invalid_value",
                   "the window ends (" + to->to_string() + ") before it starts (" +
                       from->to_string() + "): the event is held within one calendar year",
                   w.pointer());
    }
    object_reader i(ctx_, r.member("invitations", true), r.pointer_of("invitations"));
    s.inviter = ref(i, "responsible", reference_kind::position, true);
    s.inviter_is_owner = i.one_of("assignee", false, {"owner", "position"}, "owner") == "owner";
    s.invitation_lead_days = i.integer("lead_days", true, 0, 366, 30);
    return s;
  }

  supply_watch_rule read_supply_watch(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    supply_watch_rule s;
    s.article = article_ref(r, true);
    s.notice_article = ref(r, "notice_article", reference_kind::article, true);
    s.tiers = refs(r, "tiers", reference_kind::tier, true);
    s.demand = expression(r, "demand", true);
    s.unit = r.text("unit", false);
    s.horizon_months = r.integer("horizon_months", false, 1, 24, 3);
    s.product_field = ref(r, "product_field", reference_kind::field, false);
    s.watcher = ref(r, "watcher", reference_kind::position, true);
    s.notify = ref(r, "notify", reference_kind::position, true);
    s.lead_days = r.integer("lead_days", false, 0, 366, 14);
    return s;
  }

  workflow read_workflow(const json& v, const std::string& ptr) {
    object_reader r(ctx_, &v, ptr);
    workflow w;
    w.id = r.text("id", true);
    w.article = article_ref(r, true);
    w.name = r.name(true);
    w.initiators = refs(r, "initiators", reference_kind::position, true);
    r.for_each("request_fields", false, [&](const json& f, const std::string& p, std::size_t) {
      w.request_fields.push_back(read_field(f, p, 3));
    });
    w.entry_condition = expression(r, "entry_condition", false);
    w.separation_of_duties = r.boolean("separation_of_duties", true);
    r.for_each("steps", true, [&](const json& s, const std::string& p, std::size_t) {
      object_reader sr(ctx_, &s, p);
      workflow_step step;
      step.id = sr.text("id", true);
      step.name = sr.name(true);
      step.article = article_ref(sr);
      step.approvers = refs(sr, "approvers", reference_kind::position, true);
      std::string mode = sr.one_of("mode", true, {"one_of", "all_of", "quorum"}, "one_of");
      step.mode = mode == "all_of"   ? approval_mode::all_of
                  : mode == "quorum" ? approval_mode::quorum
                                     : approval_mode::one_of;
      step.quorum = sr.integer("quorum", step.mode == approval_mode::quorum, 1, 1000, 0);
      step.condition = expression(sr, "condition", false);
      step.deadline_days = sr.integer("deadline_days", false, 0, 3650, 0);
      step.escalation = sr.one_of("escalation", false, {"superior", "none"}, "none");
      if (step.escalation == "none") step.escalation.clear();
      w.steps.push_back(std::move(step));
    });
    return w;
  }

  detail::load_context& ctx_;
  const load_options& options_;
};

// Each error diagnostic as a located problem: `LINE:COLUMN` in the file, else its pointer.
std::vector<std::string> error_problems(const std::vector<diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) {
    if (d.level != severity::error) continue;
    std::string place = d.line == 0 ? (d.pointer.empty() ? "/" : d.pointer)
                                    : std::to_string(d.line) + ":" + std::to_string(d.column);
    out.push_back(place + ": error[" + d.code + "]: " + d.message);
  }
  return out;
}

}  // namespace

policy_error::policy_error(std::vector<diagnostic> diagnostics)
    : policy_error(error_problems(diagnostics), diagnostics) {}  // copied: both read it

policy_error::policy_error(std::vector<std::string> problems, std::vector<diagnostic> diagnostics)
    : error(error_kind::policy, listing("the policy has errors", problems), problems),
      diagnostics_(std::move(diagnostics)) {}

load_result load_policy(std::string_view json_text, const load_options& options) {
  load_result result;
  auto doc = source_document::parse(std::string(json_text), result.diagnostics, options.limits);
  if (!doc.parsed()) return result;
  detail::load_context ctx(doc, result.diagnostics);
  policy p = loader(ctx, options).read(doc.root());
  detail::validate(p, ctx, options);
  // The chain is checked on a sound policy only (its hash is of a document that loads).
  if (!has_errors(result.diagnostics)) {
    for (auto& problem : check_revision_chain(p.document.revisions, doc.root()))
      ctx.warning("revision_chain_mismatch", std::move(problem.message),
                  std::move(problem.pointer));
  }
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const diagnostic& a, const diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (!has_errors(result.diagnostics)) {
    nlohmann::json content = doc.root();
    if (content.is_object()) content.erase("$schema");
    p.canonical_text = canonical_json(content);
    p.content_hash = sha256_hex(p.canonical_text);
    result.value = std::move(p);
  }
  return result;
}

load_result load_policy_file(const std::filesystem::path& path, const load_options& options) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > options.limits.max_bytes) {
    load_result result;
    result.diagnostics.push_back(diagnostic{severity::error, "file_too_large",
                                            "the file has " + std::to_string(size) +
                                                " bytes, more than the limit of " +
                                                std::to_string(options.limits.max_bytes),
                                            "", 1, 1});
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) {
    load_result result;
    result.diagnostics.push_back(diagnostic{
        severity::error, "unreadable_file",
        "cannot read " + path.string() + (ec ? ": " + ec.message() : std::string()), "", 0, 0});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_policy(text.str(), options);
}

const policy& default_policy() {
  // Loaded once, on first use; the default policy is tested to load cleanly, so a failure here
  // is a build defect, reported with every diagnostic.
  static const policy instance = load_policy_or_throw(default_policy_text());
  return instance;
}

policy load_policy_or_throw(std::string_view json_text, const load_options& options) {
  load_result result = load_policy(json_text, options);
  if (!result.value) throw policy_error(std::move(result.diagnostics));
  return std::move(*result.value);
}

}  // namespace keyaccount
