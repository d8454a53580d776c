// keyaccount classify [--policy FILE] --as-of DATE [--explain] [--format jsonl|csv|table]
//                     [--on-error skip|fail] [--decision-log FILE] FILE
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "cli.hpp"
#include "commands.hpp"
#include "input_file.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/format.hpp"
#include "keyaccount/classify/repeated_ids.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/expr/json.hpp"
#include "keyaccount/io/customers.hpp"
#include "policy_option.hpp"

namespace keyaccount::cli {
namespace {

struct classify_options {
  std::string policy;
  std::string as_of;
  bool explain = false;
  std::string format = "jsonl";
  std::string on_error = "fail";
  std::string input_format = "auto";
  std::string decision_log;
  std::string file;
};

// RFC 4180 quoting, only where a cell needs it (libcsv's csv_write quotes every cell).
std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// A one-line progress bar on stderr, only when stderr is a terminal (and is the process's own
// stderr, not a captured stream). Redrawn at most ten times a second.
class progress {
 public:
  progress(std::ostream& err, std::uintmax_t total_bytes)
      : err_(err), total_(total_bytes), enabled_(&err == &std::cerr && ::isatty(2) != 0) {}
  void bytes(std::size_t n) {
    bytes_ = n;
    draw(false);
  }
  void record() {
    ++records_;
    if ((records_ & 1023) == 0) draw(false);
  }
  void finish() {
    if (!enabled_ || !drawn_) return;
    draw(true);
    err_ << '\n';
  }

 private:
  void draw(bool force) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    err_ << '\r';
    if (total_ > 0) {
      int pct = static_cast<int>(100.0 * static_cast<double>(bytes_) / static_cast<double>(total_));
      pct = std::min(pct, 100);
      std::string bar(static_cast<std::size_t>(pct / 4), '#');
      bar.resize(25, '.');
      err_ << '[' << bar << "] " << pct << "% ";
    }
    err_ << records_ << " customers" << std::flush;
  }
  std::ostream& err_;
  std::uintmax_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::size_t bytes_ = 0, records_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

// Every decision names the policy that made it and the day (docs/impact.md, "Provenance"); in
// CSV as the last five columns, in this order.
constexpr const char* provenance_columns[] = {"policy_id", "policy_version", "policy_hash", "as_of",
                                              "keyaccount_version"};

class writer {
 public:
  writer(const classify_options& o, std::ostream& out, const decision_provenance& p)
      : o_(o), out_(out), provenance_(to_json(p)) {
    for (const char* key : provenance_columns)
      provenance_cells_ += ',' + csv_cell(provenance_[key].get<std::string>());
  }
  void write(const std::string& id, const classifier& c, const decision& d, const explanation* e) {
    if (o_.format == "jsonl") {
      nlohmann::json j = {{"id", id}, {"tier", std::string(c.tier_id(d))}};
      if (e) {
        nlohmann::json x = to_json(*e);
        for (auto& [k, v] : x.items())
          if (k != "tier") j[k] = v;
      }
      j["provenance"] = provenance_;
      out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else if (o_.format == "csv") {
      if (!header_) {
        out_ << "id,tier" << (e ? ",deciding,why_not,why_not_zh" : "");
        for (const char* key : provenance_columns) out_ << ',' << key;
        out_ << '\n';
        header_ = true;
      }
      out_ << csv_cell(id) << ',' << csv_cell(std::string(c.tier_id(d)));
      if (e) {
        std::string deciding, en, zh;
        for (const auto& s : e->deciding) deciding += (deciding.empty() ? "" : ";") + s;
        for (const auto& r : e->criteria) {
          if (!r.leaf || r.why_not.en.empty()) continue;
          en += (en.empty() ? "" : "; ") + r.id + ": " + r.why_not.en;
          zh += (zh.empty() ? "" : "; ") + r.id + ": " + r.why_not.zh;
        }
        out_ << ',' << csv_cell(deciding) << ',' << csv_cell(en) << ',' << csv_cell(zh);
      }
      out_ << provenance_cells_ << '\n';
    } else {  // table
      if (!header_) {
        out_ << pad("id", 14) << pad("tier", 10) << "tier name\n";
        header_ = true;
      }
      const std::string tier(c.tier_id(d));
      out_ << pad(id, 14) << pad(tier, 10);
      if (d.ok()) out_ << c.tier_name(d.tier).zh << " " << c.tier_name(d.tier).en;
      out_ << '\n';
      if (e) {
        std::string text = to_text(*e);
        out_ << text.substr(text.find('\n') + 1);
      }
    }
  }

 private:
  static std::string pad(const std::string& s, std::size_t width) {
    return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
  }
  const classify_options& o_;
  std::ostream& out_;
  nlohmann::json provenance_;
  std::string provenance_cells_;
  bool header_ = false;
};

// --decision-log: one JSON line per decision in the shape of OPA's decision logs (decision_id,
// timestamp, path, input, result, bundles with the policy's revision), plus the policy's content
// hash and the whole provenance, so that an auditor can replay the decision with the same policy.
class decision_log {
 public:
  decision_log(std::ostream& out, const decision_provenance& p)
      : out_(out), provenance_(to_json(p)), rng_(std::random_device{}()) {}

  void write(const customer_record& record, const record_parser& parser, const classifier& c,
             const decision& d, const explanation* e) {
    nlohmann::json customer = nlohmann::json::object();
    for (std::size_t i = 0; i < parser.fields().size(); ++i)
      if (const auto* v = record.get(i)) customer[parser.fields()[i].id] = expr::to_json(*v);
    nlohmann::json result = {{"tier", std::string(c.tier_id(d))}};
    if (e) result["deciding"] = e->deciding;
    nlohmann::json line = {
        {"decision_id", uuid4()},
        {"timestamp", timestamp()},
        {"path", "keyaccount/classify"},
        {"input", {{"customer", std::move(customer)}, {"as_of", provenance_["as_of"]}}},
        {"result", std::move(result)},
        {"bundles",
         {{provenance_["policy_id"].get<std::string>(),
           {{"revision", provenance_["policy_version"]}}}}},
        {"policy_hash", provenance_["policy_hash"]},
        {"provenance", provenance_},
        {"labels", {{"app", "keyaccount"}, {"version", provenance_["keyaccount_version"]}}}};
    out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }

 private:
  std::string uuid4() {
    std::uniform_int_distribution<unsigned> byte(0, 255);
    std::array<unsigned, 16> b{};
    for (auto& x : b) x = byte(rng_);
    b[6] = (b[6] & 0x0Fu) | 0x40u;  // version 4
    b[8] = (b[8] & 0x3Fu) | 0x80u;  // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
      out += hex[b[i] >> 4];
      out += hex[b[i] & 0xF];
    }
    return out;
  }
  static std::string timestamp() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 40> buf{};
    auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms.count()));
    return std::string(buf.data(), n) + frac;
  }
  std::ostream& out_;
  nlohmann::json provenance_;
  std::mt19937_64 rng_;
};

// Why a customer has no tier: the criterion whose condition failed to evaluate, and the CEL
// error (a list index past the end of the data, a division by zero...).
std::string evaluation_error(const customer_record& record, const explanation& e) {
  std::string message = "customer \"" + record.id() + "\": ";
  if (e.error_criterion.empty()) return message + "no tier could be decided";
  return message + criterion_failure_text(e.error_criterion, e.error);
}

int run_classify(const classify_options& o, context& ctx) {
  auto as_of = date::parse(o.as_of);
  if (!as_of) {
    ctx.err << "keyaccount classify: --as-of: " << field_check::not_a_date(o.as_of) << "\n";
    return exit_usage;
  }
  auto pol = load_policy_option(o.policy, ctx);
  if (!pol) return ctx.exit_code;
  warn_if_not_in_force(*pol, *as_of, "classify", ctx);
  classifier c(*pol);

  std::ifstream file;
  std::istream* in = &std::cin;
  std::uintmax_t total = 0;
  if (o.file != "-") {
    if (!open_input_file(o.file, "customers file", file, ctx.err)) return exit_usage;
    in = &file;
    std::error_code ec;
    total = std::filesystem::file_size(o.file, ec);
    if (ec) total = 0;
  }
  io::format format = io::format::json;
  if (o.input_format == "csv") {
    format = io::format::csv;
  } else if (o.input_format == "auto" && o.file != "-") {
    format = io::format_of(o.file);
  }
  // Standard input has no name to go by: JSON Lines start with '{', a JSON array with '[',
  // anything else is a CSV header. (Decided inside the try below: a broken byte order mark is an
  // input error.)
  const bool sniff = o.input_format == "auto" && o.file == "-";

  const std::string name = o.file == "-" ? "<stdin>" : o.file;
  const decision_provenance provenance = c.provenance(*as_of);
  std::ofstream log_file;
  std::optional<decision_log> log;
  if (!o.decision_log.empty()) {
    log_file.open(o.decision_log, std::ios::app | std::ios::binary);
    if (!log_file) {
      ctx.err << "keyaccount classify: --decision-log: cannot open \"" << o.decision_log
              << "\" for appending\n";
      return exit_usage;
    }
    log.emplace(log_file, provenance);
  }
  writer w(o, ctx.out, provenance);
  progress bar(ctx.err, total);
  auto scratch = c.make_scratch();
  record_rejections rejections(ctx.err, name, o.on_error == "fail");
  first_places_of_ids first_lines;  // the line each id was first read at
  // Blank lines the format sniffing consumed, for the reader to count lines from the first.
  std::size_t lines_skipped = 0;
  try {
    if (sniff) {
      io::skip_utf8_bom(*in);
      int ch;
      while ((ch = in->peek()) != EOF && std::isspace(ch))
        if (in->get() == '\n') ++lines_skipped;
      if (ch != '{' && ch != '[' && ch != EOF) format = io::format::csv;
    }
    io::read_customers(
        *in, format, c.parser(),
        [&](io::customer_item&& item) {
          bar.record();
          // A record that cannot be read, or whose criteria cannot be evaluated, has no tier:
          // reported at its line, then skipped or the end of the run (never a blank tier).
          auto reject = [&](const char* kind, const std::string& message) {
            return rejections.reject(item.line, kind, message);
          };
          if (!item.record) return reject("invalid_record", item.error);
          // One customer, one tier: an id given twice is refused at its second record, naming
          // the first, as every care input words it (the first keeps its tier).
          if (auto first = first_lines.repeated(item.record->id(), item.line))
            return reject("invalid_record",
                          given_twice(item.record->id(), name + ':' + std::to_string(*first)));
          try {
            if (o.explain) {
              explanation e = c.explain(*item.record, *as_of);
              if (!e.result.ok())
                return reject("evaluation_error", evaluation_error(*item.record, e));
              w.write(item.record->id(), c, e.result, &e);
              if (log) log->write(*item.record, c.parser(), c, e.result, &e);
            } else {
              decision d = c.classify(*item.record, *as_of, scratch);
              if (!d.ok())
                return reject("evaluation_error",
                              evaluation_error(*item.record, c.explain(*item.record, *as_of)));
              w.write(item.record->id(), c, d, nullptr);
              if (log) log->write(*item.record, c.parser(), c, d, nullptr);
            }
          } catch (const input_error& e) {
            // The record contradicts --as-of (a first order after it): malformed, at its line.
            return reject("invalid_record", e.what());
          }
          // Output that can no longer be written (its reader closed the pipe, the Python
          // caller's stream raised) ends the run: the rest would be classified for nobody.
          return static_cast<bool>(ctx.out);
        },
        [&](std::size_t bytes) { bar.bytes(bytes); }, lines_skipped);
  } catch (const io::read_error& e) {
    bar.finish();
    ctx.err << e.where(name) << ": error[invalid_input]: " << e.message() << '\n';
    return exit_failure;
  } catch (const input_error& e) {
    bar.finish();
    ctx.err << name << ": error[invalid_input]: " << e.what() << '\n';
    return exit_failure;
  }
  bar.finish();
  ctx.out.flush();
  return rejections.finish();
}

}  // namespace

void add_classify_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<classify_options>();
  CLI::App* sub = app.add_subcommand(
      "classify",
      "Classify customers (JSON Lines, a JSON array or CSV; '-' for standard input) into tiers");
  sub->add_option("--policy", o->policy, "Policy file (default: the embedded policy)");
  sub->add_option("--as-of", o->as_of, "The evaluation date, YYYY-MM-DD")->required();
  sub->add_flag("--explain", o->explain,
                "Add every criterion's result, observed value, target "
                "and why-not");
  sub->add_option("--format", o->format, "Output: jsonl, csv or table")
      ->check(CLI::IsMember({"jsonl", "csv", "table"}));
  sub->add_option("--on-error", o->on_error, "A malformed record: skip it or fail (default)")
      ->check(CLI::IsMember({"skip", "fail"}));
  sub->add_option(
         "--input-format", o->input_format,
         "Input: auto (by extension, or by content on stdin), jsonl (also a JSON array) or csv")
      ->check(CLI::IsMember({"auto", "jsonl", "csv"}));
  sub->add_option("--decision-log", o->decision_log,
                  "Append one JSON line per decision to FILE (OPA decision-log shape: decision "
                  "id, timestamp, input, result, policy hash)");
  sub->add_option("file", o->file, "Customers file, or - for standard input")->required();
  sub->callback([o, &ctx] { ctx.exit_code = run_classify(*o, ctx); });
}

}  // namespace keyaccount::cli
