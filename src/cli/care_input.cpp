#include "care_input.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "cli.hpp"
#include "input_file.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/io/customers.hpp"
#include "keyaccount/io/records.hpp"
#include "keyaccount/json/parse.hpp"
#include "text_width.hpp"

namespace keyaccount::cli {

namespace {

// The malformed records of one input file under --on-error: each reported at its line, then
// the end of the reading (fail) or skipped and counted (skip).
struct malformed_records {
  const std::string& path;
  const std::string& on_error;
  context& ctx;
  std::size_t skipped = 0;
  bool failed = false;

  // Reports one; returns whether to read on.
  bool report(std::size_t line, const std::string& error) {
    ctx.err << path << ':' << line << ": error[invalid_record]: " << error << '\n';
    if (on_error == "fail") {
      failed = true;
      return false;
    }
    ++skipped;
    return true;
  }
  // An input that cannot be read on (broken CSV quoting, a broken JSON array): exit_failure.
  int unreadable(const io::read_error& e) const {
    ctx.err << e.where(path) << ": error[invalid_input]: " << e.message() << '\n';
    return exit_failure;
  }
  // When the reading is over: exit_ok, or exit_failure when a record stopped it.
  int finish() const {
    if (failed) {
      ctx.err << path << ": stopped at the first malformed record (--on-error fail)\n";
      return exit_failure;
    }
    if (skipped > 0)
      ctx.err << path << ": skipped " << skipped << " malformed record" << (skipped == 1 ? "" : "s")
              << '\n';
    return exit_ok;
  }
};

// Reads the customers file `path` in `c`'s schema under --on-error, handing each record to
// `take` with its place ("FILE:LINE"); a record `take` refuses (a customer given twice, data
// that contradict the day) is a malformed record at its line. The one reader of a customers
// file for the account book and for customer records.
int read_customer_file(const std::string& path, const classifier& c, const std::string& on_error,
                       context& ctx,
                       const std::function<void(customer_record&&, const std::string&)>& take) {
  std::ifstream file;
  if (!open_input_file(path, "customers file", file, ctx.err)) return exit_usage;
  malformed_records bad{path, on_error, ctx};
  try {
    io::read_customers(file, io::format_of(path), c.parser(), [&](io::customer_item&& item) {
      if (item.record) {
        try {
          take(std::move(*item.record), place(path, item.line));
          return true;
        } catch (const keyaccount::error& e) {
          item.error = e.what();
        }
      }
      return bad.report(item.line, item.error);
    });
  } catch (const io::read_error& e) {
    return bad.unreadable(e);
  } catch (const input_error& e) {  // a header the customer schema cannot read
    ctx.err << path << ": error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
  return bad.finish();
}

}  // namespace

std::string place(const std::string& path, std::size_t line) {
  return path + ':' + std::to_string(line);
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
  malformed_records bad{path, on_error, ctx};
  io::read_options options;
  options.input = io::format_of(path);
  try {
    io::read_records(file, options, [&](io::record&& r) {
      std::string error = std::move(r.error);
      if (error.empty()) {
        try {
          add(r.value, r.line);
          return true;
        } catch (const keyaccount::error& e) {  // the library refuses the record
          error = e.what();
        } catch (const std::invalid_argument& e) {
          error = e.what();
        } catch (const nlohmann::json::exception& e) {
          error = e.what();
        }
      }
      return bad.report(r.line, error);
    });
  } catch (const io::read_error& e) {
    return bad.unreadable(e);
  }
  return bad.finish();
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
    // Each problem at the line of the member it names ("people[2].id" of the file).
    for (const auto& problem : e.problems()) {
      const auto at = io::problem_position(text.str(), problem);
      ctx.err << (at ? place(path, at->line) + ':' + std::to_string(at->column) : path)
              << ": error[invalid_people]: " << problem << '\n';
    }
  } catch (const json_error& e) {
    ctx.err << locate_in_json(path, text.str()) << ": error[invalid_people]: " << e.what() << '\n';
  } catch (const nlohmann::json::exception& e) {
    ctx.err << path << ": error[invalid_people]: " << e.what() << '\n';
  }
  return exit_failure;
}

int read_customers_as_accounts(const std::string& path, const policy& p,
                               const std::string& on_error, context& ctx, care::account_book& book,
                               std::map<std::string, profile_card_status>* profiles) {
  const classifier c(p);
  return read_customer_file(path, c, on_error, ctx,
                            [&](customer_record&& record, const std::string& where) {
                              book.add_customer(c, record, where, profiles);
                            });
}

int read_customer_records(const std::string& path, const classifier& c, const std::string& on_error,
                          context& ctx, std::vector<customer_record>& out) {
  care::first_places first("customer");
  return read_customer_file(path, c, on_error, ctx,
                            [&](customer_record&& record, const std::string& where) {
                              first.note(record.id(), where);
                              out.push_back(std::move(record));
                            });
}

int read_visit_plan(const std::string& path, const policy& p,
                    const std::vector<care::account>& accounts, const org::directory& people,
                    date as_of, const std::string& on_error, context& ctx,
                    std::vector<care::planned_visit>& out) {
  care::first_places first("visit");
  return read_records(path, on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
    care::planned_visit v = care::planned_visit_from_json(j);
    care::refuse_if_any(care::visit_problems(p, accounts, people, v));
    first.note(care::visit_key(v), place(path, line));
    // What happened after --as-of was not known on it.
    std::vector<std::string> later;
    auto drop = [&](std::optional<date>& d, const char* field) {
      if (!d || *d <= as_of) return;
      later.push_back(std::string(field) + ": " + d->to_string() + " is after " +
                      as_of.to_string() + ": ignored");
      d.reset();
    };
    drop(v.done_on, "done_on");
    drop(v.briefed_on, "briefed_on");
    warn_later_facts(path, line, care::prefixed("visit of " + v.customer, later), ctx);
    out.push_back(std::move(v));
  });
}

int read_accounts(const std::string& path, const std::string& on_error, context& ctx,
                  care::account_book& book) {
  return read_records(path, on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
    warn_later_facts(path, line, book.add_record(j), ctx);
  });
}

void warn_later_facts(const std::string& path, std::size_t line,
                      const std::vector<std::string>& ignored, context& ctx) {
  for (const auto& w : ignored)
    ctx.err << path << ':' << line << ": warning[later_fact]: " << w << '\n';
}

int read_symposium(const std::string& path, const policy& p, date as_of,
                   const std::string& on_error, context& ctx,
                   std::vector<care::symposium_event>& out) {
  care::symposium_records records(p, as_of);
  const int rc = read_records(path, on_error, ctx, [&](const nlohmann::json& j, std::size_t line) {
    warn_later_facts(path, line, records.add(j, place(path, line)), ctx);
  });
  out = records.events();
  return rc;
}

int read_festivals(const std::string& path, context& ctx, std::vector<festival>& out) {
  // A user festival replaces the policy's of the same id; two in one file would leave one unsaid.
  care::first_places first("festival");
  return read_records(path, "fail", ctx, [&](const nlohmann::json& j, std::size_t line) {
    festival f = care::festival_from_json(j);
    first.note(f.id, place(path, line));
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
  care::account_book book(p, as_of);
  if (!from.customers.empty())
    if (int rc = read_customers_as_accounts(from.customers, p, from.on_error, ctx, book,
                                            from.profiles ? &out.profiles : nullptr))
      return rc;
  if (!from.accounts.empty())
    if (int rc = read_accounts(from.accounts, from.on_error, ctx, book)) return rc;
  out.accounts = book.take();
  return exit_ok;
}

std::optional<date> parse_day(const std::string& text, const char* option, context& ctx) {
  auto d = date::parse(text);
  if (!d) ctx.err << "keyaccount: " << option << ": " << field_check::not_a_date(text) << "\n";
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
