#include "care_input.hpp"

#include <csv.h>

#include <fstream>
#include <map>
#include <sstream>

#include "cli.hpp"
#include "customer_input.hpp"
#include "input_file.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/json/parse.hpp"
#include "text_width.hpp"

namespace keyaccount::cli {

namespace {

struct csv_rows {
  std::vector<std::string> cells;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  std::size_t line = 0;
};

void on_field(void* data, std::size_t len, void* state) {
  static_cast<csv_rows*>(state)->cells.emplace_back(data ? static_cast<const char*>(data) : "",
                                                    data ? len : 0);
}
void on_row(int, void* state) {
  auto* s = static_cast<csv_rows*>(state);
  s->rows.push_back(std::move(s->cells));
  s->lines.push_back(s->line);
  s->cells.clear();
}

}  // namespace

void first_time(std::map<std::string, std::size_t>& first, const std::string& what,
                const std::string& id, const std::string& path, std::size_t line) {
  auto [at, fresh] = first.emplace(id, line);
  if (!fresh)
    throw std::invalid_argument(what + " \"" + id + "\" is given twice (first at " + path + ':' +
                                std::to_string(at->second) + ")");
}

void refuse_if_any(const std::vector<std::string>& problems) {
  if (problems.empty()) return;
  std::string all = problems[0];
  for (std::size_t i = 1; i < problems.size(); ++i) all += "; " + problems[i];
  throw std::invalid_argument(all);
}

int read_records(const std::string& path, const std::string& on_error, context& ctx,
                 const std::function<void(const nlohmann::json&)>& add) {
  return read_records(path, on_error, ctx,
                      [&](const nlohmann::json& j, std::size_t /*line*/) { add(j); });
}

int read_records(const std::string& path, const std::string& on_error, context& ctx,
                 const std::function<void(const nlohmann::json&, std::size_t)>& add) {
  std::ifstream file;
  if (!open_input_file(path, "file", file, ctx.err)) return exit_usage;
  try {
    skip_utf8_bom(file);
  } catch (const input_error& e) {
    ctx.err << path << ": error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
  std::size_t skipped = 0;
  auto one = [&](std::size_t line, const nlohmann::json& j) -> bool {
    try {
      add(j, line);
      return true;
    } catch (const std::invalid_argument& e) {
      ctx.err << path << ':' << line << ": error[invalid_record]: " << e.what() << '\n';
    } catch (const nlohmann::json::exception& e) {
      ctx.err << path << ':' << line << ": error[invalid_record]: " << e.what() << '\n';
    }
    if (on_error == "fail") return false;
    ++skipped;
    return true;
  };
  auto stop = [&] {
    ctx.err << path << ": stopped at the first malformed record (--on-error fail)\n";
    return exit_failure;
  };
  const bool csv = path.size() > 4 && path.substr(path.size() - 4) == ".csv";
  if (csv) {
    csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
    csv_rows rows;
    std::string text;
    while (std::getline(file, text)) {
      ++rows.line;
      text.push_back('\n');
      if (csv_parse(&p, text.data(), text.size(), on_field, on_row, &rows) != text.size()) {
        ctx.err << path << ':' << rows.line << ": error[invalid_input]: malformed CSV ("
                << csv_strerror(csv_error(&p)) << ")\n";
        csv_free(&p);
        return exit_failure;
      }
    }
    csv_fini(&p, on_field, on_row, &rows);
    csv_free(&p);
    if (rows.rows.empty()) {
      ctx.err << path << ": error[invalid_input]: the CSV file has no header row\n";
      return exit_failure;
    }
    const auto& header = rows.rows[0];
    for (std::size_t r = 1; r < rows.rows.size(); ++r) {
      const auto& cells = rows.rows[r];
      if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
      nlohmann::json j = nlohmann::json::object();
      if (cells.size() != header.size()) {
        ctx.err << path << ':' << rows.lines[r] << ": error[invalid_record]: expected "
                << header.size() << " cells, got " << cells.size() << '\n';
        if (on_error == "fail") return stop();
        ++skipped;
        continue;
      }
      for (std::size_t k = 0; k < cells.size(); ++k)
        if (!cells[k].empty()) j[header[k]] = cells[k];
      if (!one(rows.lines[r], j)) return stop();
    }
  } else {
    std::stringstream buffer;
    buffer << file.rdbuf();
    const std::string all = buffer.str();
    const auto first = all.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && all[first] == '[') {
      nlohmann::json doc;
      try {
        doc = parse_json(all);
      } catch (const json_error& e) {
        ctx.err << locate_in_json(path, all) << ": error[invalid_input]: " << e.what() << '\n';
        return exit_failure;
      }
      const std::vector<std::size_t> lines = array_element_lines(all, doc.size());
      for (std::size_t i = 0; i < doc.size(); ++i)
        if (!one(lines[i], doc[i])) return stop();
    } else {
      std::istringstream in(all);
      std::string text;
      std::size_t line = 0;
      while (std::getline(in, text)) {
        ++line;
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        nlohmann::json j;
        try {
          j = parse_json(text);
        } catch (const json_error& e) {
          ctx.err << path << ':' << line << ": error[invalid_record]: " << e.what() << '\n';
          if (on_error == "fail") return stop();
          ++skipped;
          continue;
        }
        if (!one(line, j)) return stop();
      }
    }
  }
  if (skipped > 0)
    ctx.err << path << ": skipped " << skipped << " malformed record" << (skipped == 1 ? "" : "s")
            << '\n';
  return exit_ok;
}

int read_people(const std::string& path, const policy& p, context& ctx,
                std::optional<org::directory>& out) {
  std::ifstream file;
  if (!open_input_file(path, "people file", file, ctx.err)) return exit_usage;
  std::stringstream text;
  try {
    text << file.rdbuf();
    auto j = parse_json(text.str());
    out.emplace(p.org, org::people_from_json(j));
    return exit_ok;
  } catch (const org::input_error& e) {
    for (const auto& problem : e.problems())
      ctx.err << path << ": error[invalid_people]: " << problem << '\n';
  } catch (const json_error& e) {
    ctx.err << locate_in_json(path, text.str()) << ": error[invalid_people]: " << e.what() << '\n';
  } catch (const nlohmann::json::exception& e) {
    ctx.err << path << ": error[invalid_people]: " << e.what() << '\n';
  }
  return exit_failure;
}

care::account account_of_customer(const classifier& c, const customer_record& record, date as_of,
                                  std::map<std::string, profile_card_status>* profiles) {
  auto text_of = [&](std::string_view field) {
    const auto slot = c.parser().slot_of(field);
    const expr::value* v = slot ? record.get(*slot) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  care::account a;
  a.id = record.id();
  a.name = text_of("name");
  a.owner = text_of("owner");
  a.tier = std::string(c.tier_id(c.classify(record, as_of)));
  if (profiles) (*profiles)[a.id] = check_profile_card(c, record, as_of);
  return a;
}

namespace {

// Art. 6.3 overrides of two records of one account: each setting given once, or alike.
void merge_overrides(const care::account& a, care::account& known) {
  for (const auto& [activity, own] : a.overrides) {
    auto& into = known.overrides[activity];
    auto take = [&](auto& slot, const auto& value, const char* setting, auto show) {
      if (!value) return;
      if (slot && *slot != *value)
        throw care::input_error(
            "overrides." + activity + "." + setting,
            a.id + " is " + show(*value) + " here but " + show(*slot) + " in an earlier record");
      slot = value;
    };
    auto number = [](int n) { return std::to_string(n); };
    auto day = [](month_day d) { return d.to_string(); };
    auto text = [](const std::string& s) { return "\"" + s + "\""; };
    take(into.every_days, own.every_days, "every_days", number);
    take(into.every_months, own.every_months, "every_months", number);
    take(into.yearly_on, own.yearly_on, "yearly_on", day);
    take(into.lead_days, own.lead_days, "lead_days", number);
    take(into.responsible, own.responsible, "responsible", text);
  }
}

}  // namespace

void merge_account_record(const nlohmann::json& record, bool merging,
                          std::vector<care::account>& accounts,
                          std::map<std::string, std::size_t>& index, const policy* p,
                          const date* as_of, std::vector<std::string>* ignored) {
  nlohmann::json copy = record;
  // Merged into classified customers, the tier may be left out (the classifier's holds).
  const bool tier_unsaid = merging && copy.is_object() && !copy.contains("tier");
  if (tier_unsaid) copy["tier"] = "?";
  care::account a = care::account_from_json(copy);
  auto it = index.find(a.id);
  if (it == index.end() && tier_unsaid)
    throw care::input_error("tier", "required (customer not classified)");
  // A tier left out is the classified customer's; the record is checked with it.
  if (tier_unsaid) a.tier = accounts[it->second].tier;
  if (p != nullptr) refuse_if_any(care::account_problems(*p, a));
  if (as_of != nullptr) {
    auto later = care::prefixed(a.id, care::drop_later_facts(a, *as_of));
    if (ignored) ignored->insert(ignored->end(), later.begin(), later.end());
  }
  if (it == index.end()) {
    index[a.id] = accounts.size();
    accounts.push_back(std::move(a));
    return;
  }
  auto& known = accounts[it->second];
  // Records of one account read from the log must agree on what it is; classified customers'
  // tier and owner hold over the log's (documented), so only the log's own records can conflict.
  auto conflict = [&](const char* field, const std::string& here, const std::string& before) {
    throw care::input_error(
        field, a.id + " is \"" + here + "\" here but \"" + before + "\" in an earlier record");
  };
  if (!merging && a.tier != known.tier) conflict("tier", a.tier, known.tier);
  if (!merging && !a.owner.empty() && !known.owner.empty() && a.owner != known.owner)
    conflict("owner", a.owner, known.owner);
  if (a.gift_amount && known.gift_amount && *a.gift_amount != *known.gift_amount)
    conflict("gift_amount", nlohmann::json(*a.gift_amount).dump(),
             nlohmann::json(*known.gift_amount).dump());
  // Two dates of one activity are two times it was done: the later is when it was last done.
  for (auto& [k, v] : a.last_done) {
    auto [slot, fresh] = known.last_done.emplace(k, v);
    if (!fresh && slot->second < v) slot->second = v;
  }
  if (a.gift_amount) known.gift_amount = a.gift_amount;
  merge_overrides(a, known);
  if (known.owner.empty()) known.owner = a.owner;
  if (known.name.empty()) known.name = a.name;
}

int read_customers_as_accounts(const std::string& path, const policy& p, date as_of,
                               const std::string& on_error, context& ctx,
                               std::vector<care::account>& accounts,
                               std::map<std::string, profile_card_status>* profiles) {
  std::ifstream file;
  if (!open_input_file(path, "customers file", file, ctx.err)) return exit_usage;
  classifier c(p);
  const bool csv = path.size() > 4 && path.substr(path.size() - 4) == ".csv";
  std::size_t skipped = 0;
  bool failed = false;
  std::map<std::string, std::size_t> first;  // a customer given twice would be planned twice
  try {
    read_customers(
        file, csv ? input_format::csv : input_format::jsonl, c.parser(), [&](input_item&& item) {
          if (item.record) {
            try {
              first_time(first, "customer", item.record->id(), path, item.line);
            } catch (const std::invalid_argument& e) {
              item.error = e.what();
              item.record.reset();
            }
          }
          if (!item.record) {
            ctx.err << path << ':' << item.line << ": error[invalid_record]: " << item.error
                    << '\n';
            if (on_error == "fail") {
              failed = true;
              return false;
            }
            ++skipped;
            return true;
          }
          try {
            accounts.push_back(account_of_customer(c, *item.record, as_of, profiles));
          } catch (const input_error& e) {
            // Its data contradict --as-of (a date after it): malformed, at its line.
            ctx.err << path << ':' << item.line << ": error[invalid_record]: " << e.what() << '\n';
            if (on_error == "fail") {
              failed = true;
              return false;
            }
            ++skipped;
          }
          return true;
        });
  } catch (const input_error& e) {
    ctx.err << path << ": error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
  if (failed) {
    ctx.err << path << ": stopped at the first malformed record (--on-error fail)\n";
    return exit_failure;
  }
  if (skipped > 0) ctx.err << path << ": skipped " << skipped << " malformed records\n";
  return exit_ok;
}

int read_accounts(const std::string& path, const policy& p, date as_of, const std::string& on_error,
                  context& ctx, std::vector<care::account>& accounts) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < accounts.size(); ++i) index[accounts[i].id] = i;
  const bool merging = !accounts.empty();
  return read_records(path, on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
    std::vector<std::string> ignored;
    merge_account_record(j, merging, accounts, index, &p, &as_of, &ignored);
    warn_later_facts(path, line, ignored, ctx);
  });
}

void warn_later_facts(const std::string& path, std::size_t line,
                      const std::vector<std::string>& ignored, context& ctx) {
  for (const auto& w : ignored)
    ctx.err << path << ':' << line << ": warning[later_fact]: " << w << '\n';
}

int read_festivals(const std::string& path, context& ctx, std::vector<festival>& out) {
  // A user festival replaces the policy's of the same id; two in one file would leave one unsaid.
  std::map<std::string, std::size_t> first;
  return read_records(path, "fail", ctx, [&](const nlohmann::json& j, std::size_t line) {
    festival f = care::festival_from_json(j);
    first_time(first, "festival", f.id, path, line);
    out.push_back(std::move(f));
  });
}

int read_account_inputs(const account_sources& from, const policy& p, date as_of, context& ctx,
                        account_inputs& out) {
  if (from.customers.empty() && from.accounts.empty()) {
    ctx.err << "keyaccount " << from.command << ": give --customers, --accounts or both\n";
    return exit_usage;
  }
  if (int rc = read_people(from.people, p, ctx, out.people)) return rc;
  if (!from.festivals.empty())
    if (int rc = read_festivals(from.festivals, ctx, out.festivals)) return rc;
  if (!from.customers.empty())
    if (int rc = read_customers_as_accounts(from.customers, p, as_of, from.on_error, ctx,
                                            out.accounts, from.profiles ? &out.profiles : nullptr))
      return rc;
  if (!from.accounts.empty())
    if (int rc = read_accounts(from.accounts, p, as_of, from.on_error, ctx, out.accounts))
      return rc;
  return exit_ok;
}

std::optional<date> parse_day(const std::string& text, const char* option, context& ctx) {
  auto d = date::parse(text);
  if (!d) ctx.err << "keyaccount: " << option << ": expected YYYY-MM-DD, got \"" << text << "\"\n";
  return d;
}

std::string text_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> w(header.size(), 0);
  for (std::size_t k = 0; k < header.size(); ++k) w[k] = display_width(header[k]);
  for (const auto& r : rows)
    for (std::size_t k = 0; k < r.size() && k < w.size(); ++k)
      w[k] = std::max(w[k], display_width(r[k]));
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t k = 0; k < cells.size(); ++k) {
      out += cells[k];
      if (k + 1 < cells.size()) out += std::string(w[k] - display_width(cells[k]) + 2, ' ');
    }
    out += '\n';
  };
  line(header);
  std::vector<std::string> rule;
  for (auto n : w) rule.push_back(std::string(n, '-'));
  line(rule);
  for (const auto& r : rows) line(r);
  return out;
}

}  // namespace keyaccount::cli
