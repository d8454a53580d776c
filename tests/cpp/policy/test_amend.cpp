// Issue 20 item 6: an approved policy_amendment instance produces the amended policy document
// (a new revision entry, approved_on, effective_on), refusals when the instance is not an
// approved amendment of this candidate, and the revision log's hash chain (the
// revision_chain_mismatch warning). tests/python/policy/test_amend.py recomputes the chain with
// hashlib and an independent RFC 8785 implementation.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "cli_runner.hpp"
#include "keyaccount/policy/amend.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/diff.hpp"
#include "keyaccount/policy/identity.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/policy/revision_chain.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/json.hpp"
#include "test_workflow_fixtures.hpp"

namespace {

using nlohmann::json;
namespace wf = keyaccount::workflows;
using fixtures::day;

json& by_id(json& items, const std::string& id) {
  for (auto& item : items)
    if (item["id"] == id) return item;
  throw std::out_of_range(id);
}

// The default policy's text with `edit` applied.
std::string edited_text(const std::string& base, const std::function<void(json&)>& edit) {
  json doc = json::parse(base);
  edit(doc);
  return doc.dump(2);
}

// The candidate of the worked example: Art. 5.1 raised from 500 to 600 万元, version 1.1; edited
// as text, so that the file keeps its layout and member order.
std::string candidate_text() {
  std::string text(keyaccount::default_policy_text());
  auto replace_after = [&](const std::string& anchor, const std::string& from,
                           const std::string& to) {
    const auto at = text.find(from, text.find(anchor));
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace_after("\"id\": \"cumulative_amount_min\"", "\"value\": 500", "\"value\": 600");
  replace_after("\"document\"", "\"version\": \"1.0\"", "\"version\": \"1.1\"");
  return text;
}

struct amendment_run {
  keyaccount::policy baseline;
  wf::workflow_set set = wf::workflow_set::compile(baseline);
  keyaccount::org::directory people{baseline.org, fixtures::seed_people()};

  explicit amendment_run(keyaccount::policy p) : baseline(std::move(p)) {}

  // Carl (CS manager) submits `request` on `submitted`; Gina (GM) signs on `signed_on` unless
  // it is null.
  wf::instance run(const json& request, const char* submitted, const char* signed_on) const {
    auto started = set.start(
        "policy_amendment",
        wf::action::make(wf::action_kind::submit, "carl", day(submitted)).with_request(request),
        people);
    if (auto* r = std::get_if<wf::refusal>(&started)) BOOST_FAIL("start refused: " << r->message);
    auto inst = std::get<wf::instance>(started);
    if (signed_on) {
      auto r = set.apply(inst, wf::action::make(wf::action_kind::approve, "gina", day(signed_on)),
                         people);
      BOOST_REQUIRE(r.ok());
    }
    return inst;
  }
};

keyaccount::amend_refusal refusal_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keyaccount::amend_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.refusal();
  }
  BOOST_FAIL("amend_policy did not refuse");
  return keyaccount::amend_refusal::invalid_request;
}

std::vector<keyaccount::diagnostic> chain_warnings(const std::string& text) {
  auto loaded = keyaccount::load_policy(text);
  BOOST_REQUIRE(loaded.ok());
  std::vector<keyaccount::diagnostic> out;
  for (const auto& d : loaded.diagnostics)
    if (d.code == "revision_chain_mismatch") out.push_back(d);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(amend)

BOOST_AUTO_TEST_CASE(next_marks_count_up_as_the_validator_expects) {
  BOOST_TEST(keyaccount::next_revision_mark("") == "A");
  BOOST_TEST(keyaccount::next_revision_mark("A") == "B");
  BOOST_TEST(keyaccount::next_revision_mark("Z") == "AA");
  BOOST_TEST(keyaccount::next_revision_mark("AZ") == "BA");
  BOOST_TEST(keyaccount::next_revision_mark("ZZ") == "AAA");
  BOOST_TEST(keyaccount::next_revision_mark("1.9") == "1.10");
  BOOST_TEST(keyaccount::next_revision_mark("3") == "4");
  BOOST_CHECK_THROW((void)keyaccount::next_revision_mark("rev-a"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(an_approved_amendment_produces_the_new_document) {
  const auto& baseline = keyaccount::default_policy();
  const std::string text = candidate_text();
  const auto candidate = keyaccount::load_policy_or_throw(text);
  const auto changes = keyaccount::diff_policies(baseline, candidate);
  BOOST_REQUIRE_EQUAL(changes.size(), 2u);  // the parameter and the version

  amendment_run run(baseline);
  const json request = keyaccount::amendment_request(baseline, candidate, "Art. 5.1: 600 万元");
  BOOST_TEST(request["changes"] == 2);
  BOOST_TEST(request["candidate_hash"] == candidate.content_hash);
  BOOST_TEST(request["baseline_hash"] == baseline.content_hash);
  const auto inst = run.run(request, "2026-09-01", "2026-09-05");
  BOOST_REQUIRE(inst.state == wf::instance_state::approved);

  keyaccount::amend_options options;
  options.effective_on = day("2026-10-01");
  options.baseline = &baseline;
  const auto out = keyaccount::amend_policy(inst, text, options);

  const auto& doc = out.amended.document;
  BOOST_TEST(doc.approved_on->to_string() == "2026-09-05");
  BOOST_TEST(doc.effective_on->to_string() == "2026-10-01");
  BOOST_REQUIRE_EQUAL(doc.revisions.size(), 2u);
  const auto& entry = doc.revisions.back();
  BOOST_TEST(entry.mark == "B");
  BOOST_TEST(entry.changes == 2);
  BOOST_TEST(entry.on.to_string() == "2026-09-05");
  BOOST_TEST(entry.summary == "Art. 5.1: 600 万元");
  BOOST_TEST(entry.previous_hash.empty());  // revision A records no hash
  BOOST_TEST(entry.content_hash.size() == 64u);
  BOOST_TEST(out.entry.content_hash == entry.content_hash);
  BOOST_TEST(out.approved_by == "gina");
  BOOST_TEST(out.candidate_hash == candidate.content_hash);
  // The hash is of the document without that member, recomputed here from the text.
  json written = json::parse(out.text);
  BOOST_TEST(written["document"]["revisions"][1]["content_hash"] == entry.content_hash);
  written["document"]["revisions"][1].erase("content_hash");
  BOOST_TEST(keyaccount::policy_content_hash(written) == entry.content_hash);
  BOOST_TEST(keyaccount::revision_content_hash(json::parse(out.text)) == entry.content_hash);
  // The amended document loads without any diagnostic; apart from the document control it is
  // the candidate.
  BOOST_TEST(keyaccount::load_policy(out.text).diagnostics.empty());
  BOOST_TEST(out.amended.parameters[0].value == 600.0);
  for (const auto& c : keyaccount::diff_policies(candidate, out.amended))
    BOOST_TEST(c.section == "document", c.path);
  // The candidate's member order is kept (document control before the articles, as written;
  // nlohmann::json would sort them).
  BOOST_TEST(text.find("\"document\"") < text.find("\"articles\""));
  BOOST_TEST(out.text.find("\"document\"") < out.text.find("\"articles\""));
}

BOOST_AUTO_TEST_CASE(the_effective_date_defaults_to_the_approval_and_is_not_before_it) {
  const auto& baseline = keyaccount::default_policy();
  const std::string text = candidate_text();
  const auto candidate = keyaccount::load_policy_or_throw(text);
  amendment_run run(baseline);
  const auto inst =
      run.run(keyaccount::amendment_request(baseline, candidate, "x"), "2026-09-01", "2026-09-07");
  const auto out = keyaccount::amend_policy(inst, text);
  BOOST_TEST(out.amended.document.effective_on->to_string() == "2026-09-07");
  keyaccount::amend_options early;
  early.effective_on = day("2026-09-06");
  BOOST_TEST((refusal_of([&] { (void)keyaccount::amend_policy(inst, text, early); }) ==
              keyaccount::amend_refusal::invalid_date));
}

BOOST_AUTO_TEST_CASE(successive_amendments_chain_their_hashes) {
  const auto& baseline = keyaccount::default_policy();
  const std::string text1 = candidate_text();
  const auto candidate1 = keyaccount::load_policy_or_throw(text1);
  const auto first = keyaccount::amend_policy(
      amendment_run(baseline).run(keyaccount::amendment_request(baseline, candidate1, "B"),
                                  "2026-09-01", "2026-09-05"),
      text1);

  // The second amendment starts from the first's document, under its version (1.1).
  const std::string text2 = edited_text(first.text, [](json& d) {
    by_id(d["parameters"], "monthly_shipment_min")["value"] = 60;
    d["document"]["version"] = "1.2";
  });
  const auto candidate2 = keyaccount::load_policy_or_throw(text2);
  // A candidate edited after revision B: its content no longer matches B's hash.
  const auto stale = chain_warnings(text2);
  BOOST_REQUIRE_EQUAL(stale.size(), 1u);
  BOOST_TEST(stale[0].pointer == "/document/revisions/1/content_hash");
  BOOST_TEST((stale[0].level == keyaccount::severity::warning));

  amendment_run run2(first.amended);
  const auto second_inst = run2.run(keyaccount::amendment_request(first.amended, candidate2, "C"),
                                    "2026-11-02", "2026-11-03");
  keyaccount::amend_options options;
  options.baseline = &first.amended;
  const auto second = keyaccount::amend_policy(second_inst, text2, options);
  const auto& log = second.amended.document.revisions;
  BOOST_REQUIRE_EQUAL(log.size(), 3u);
  BOOST_TEST(log[2].mark == "C");
  BOOST_TEST(log[2].previous_hash == first.entry.content_hash);
  BOOST_TEST(log[1].content_hash == first.entry.content_hash);
  BOOST_TEST(chain_warnings(second.text).empty());

  // Editing an earlier entry breaks the last hash, which covers the whole log.
  const auto earlier = chain_warnings(edited_text(second.text, [](json& d) {
    d["document"]["revisions"][1]["summary"] = "rewritten history";
  }));
  BOOST_REQUIRE_EQUAL(earlier.size(), 1u);
  BOOST_TEST(earlier[0].pointer == "/document/revisions/2/content_hash");
  // Dropping an earlier entry's hash breaks the link to it (and the last hash).
  const auto unlinked = chain_warnings(edited_text(
      second.text, [](json& d) { d["document"]["revisions"][1].erase("content_hash"); }));
  BOOST_REQUIRE_EQUAL(unlinked.size(), 2u);
  const std::set<std::string> places{unlinked[0].pointer, unlinked[1].pointer};
  BOOST_TEST((places == std::set<std::string>{"/document/revisions/2/previous_hash",
                                              "/document/revisions/2/content_hash"}));
  // An entry added by hand after a hashed one, with no hash: the chain is broken there.
  const auto appended = chain_warnings(edited_text(second.text, [](json& d) {
    d["document"]["revisions"].push_back(
        {{"mark", "D"}, {"changes", 1}, {"date", "2026-12-01"}, {"summary", "by hand"}});
  }));
  BOOST_REQUIRE_EQUAL(appended.size(), 1u);
  BOOST_TEST(appended[0].pointer == "/document/revisions/3");
  BOOST_TEST(appended[0].message.find("records no content_hash") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_warning_is_located_in_the_file) {
  const auto& baseline = keyaccount::default_policy();
  const std::string text = candidate_text();
  const auto inst = amendment_run(baseline).run(
      keyaccount::amendment_request(baseline, keyaccount::load_policy_or_throw(text), "B"),
      "2026-09-01", "2026-09-05");
  std::string amended = keyaccount::amend_policy(inst, text).text;
  const auto at = amended.find("\"value\": 600");
  BOOST_REQUIRE(at != std::string::npos);
  amended.replace(at, 12, "\"value\": 650");
  const auto warnings = chain_warnings(amended);
  BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
  // Line and column of the content_hash value in the text (1-based).
  const auto value_at = amended.find("\"content_hash\": \"") + 16;
  const auto line =
      1 + static_cast<std::size_t>(std::count(amended.begin(), amended.begin() + value_at, '\n'));
  const auto column = value_at - amended.rfind('\n', value_at - 1);
  BOOST_TEST(warnings[0].line == line);
  BOOST_TEST(warnings[0].column == column);
  BOOST_TEST(warnings[0].message.find("changed after this revision") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(amend_refuses_what_is_not_an_approved_amendment_of_this_candidate) {
  const auto& baseline = keyaccount::default_policy();
  const std::string text = candidate_text();
  const auto candidate = keyaccount::load_policy_or_throw(text);
  const json request = keyaccount::amendment_request(baseline, candidate, "x");
  amendment_run run(baseline);
  using keyaccount::amend_refusal;
  auto refused = [&](const wf::instance& inst, const std::string& t,
                     const keyaccount::amend_options& o = {}) {
    return refusal_of([&] { (void)keyaccount::amend_policy(inst, t, o); });
  };

  // Another workflow.
  auto gift = std::get<wf::instance>(
      run.set.start("gift_request",
                    wf::action::make(wf::action_kind::submit, "alice", day("2026-09-01"))
                        .with_request({{"customer_id", "c1"}, {"amount", 100}}),
                    run.people));
  BOOST_TEST((refused(gift, text) == amend_refusal::not_an_amendment));
  // Not signed yet; rejected.
  auto pending = run.run(request, "2026-09-01", nullptr);
  BOOST_TEST((refused(pending, text) == amend_refusal::not_approved));
  auto rejected = pending;
  auto a = wf::action::make(wf::action_kind::reject, "gina", day("2026-09-02"));
  a.comment = "no";
  BOOST_REQUIRE(run.set.apply(rejected, a, run.people).ok());
  BOOST_TEST((refused(rejected, text) == amend_refusal::not_approved));
  // Another candidate than the one approved.
  const auto signed_inst = run.run(request, "2026-09-01", "2026-09-05");
  const std::string other = edited_text(
      text, [](json& d) { by_id(d["parameters"], "cumulative_amount_min")["value"] = 700; });
  BOOST_TEST((refused(signed_inst, other) == amend_refusal::candidate_mismatch));
  // A request that names no candidate.
  const auto unnamed = run.run({{"summary", "x"}, {"changes", 2}}, "2026-09-01", "2026-09-05");
  BOOST_TEST((refused(unnamed, text) == amend_refusal::candidate_mismatch));
  // A request whose count is not the diff's, checked against the baseline.
  json wrong_count = request;
  wrong_count["changes"] = 5;
  const auto miscounted = run.run(wrong_count, "2026-09-01", "2026-09-05");
  keyaccount::amend_options with_baseline;
  with_baseline.baseline = &baseline;
  BOOST_TEST((refused(miscounted, text, with_baseline) == amend_refusal::invalid_request));
  BOOST_TEST(keyaccount::amend_policy(miscounted, text).entry.changes == 5);  // unchecked
  // A baseline the request does not name.
  const auto other_baseline = keyaccount::load_policy_or_throw(
      edited_text(std::string(keyaccount::default_policy_text()),
                  [](json& d) { by_id(d["parameters"], "monthly_shipment_min")["value"] = 55; }));
  with_baseline.baseline = &other_baseline;
  BOOST_TEST((refused(signed_inst, text, with_baseline) == amend_refusal::policy_mismatch));
  // A candidate of another policy; a candidate that does not load.
  const std::string renamed = edited_text(text, [](json& d) { d["document"]["id"] = "other"; });
  BOOST_TEST((refused(signed_inst, renamed) == amend_refusal::policy_mismatch));
  BOOST_TEST((refused(signed_inst, "{}") == amend_refusal::invalid_candidate));
}

BOOST_AUTO_TEST_CASE(the_command_line_writes_the_amended_policy) {
  const auto& baseline = keyaccount::default_policy();
  const std::string text = candidate_text();
  const auto candidate = keyaccount::load_policy_or_throw(text);
  amendment_run run(baseline);
  const auto dir = std::filesystem::temp_directory_path() / "keyaccount-test-amend";
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const std::string& content) {
    std::ofstream(dir / name, std::ios::binary) << content;
    return (dir / name).string();
  };
  const auto base_file = write("baseline.json", std::string(keyaccount::default_policy_text()));
  const auto cand_file = write("candidate.json", text);

  // The request to submit, from the command line.
  auto req = keyaccount::testing::run_cli({"amend", "--request-summary", "Art. 5.1: 600",
                                           "--baseline", base_file, "--candidate", cand_file});
  BOOST_TEST_REQUIRE(req.code == 0, req.err);
  const json request = json::parse(req.out);
  BOOST_TEST(request == keyaccount::amendment_request(baseline, candidate, "Art. 5.1: 600"));

  const auto inst_file =
      write("instance.json", wf::to_json(run.run(request, "2026-09-01", "2026-09-05")).dump());
  const auto out_file = (dir / "amended.json").string();
  auto ok = keyaccount::testing::run_cli({"amend", "--instance", inst_file, "--candidate",
                                          cand_file, "--baseline", base_file, "--out", out_file,
                                          "--effective-on", "2026-10-01"});
  BOOST_TEST_REQUIRE(ok.code == 0, ok.err);
  BOOST_TEST(ok.err.find("revision B (2 change(s)) approved on 2026-09-05 by gina") !=
             std::string::npos);
  auto amended = keyaccount::load_policy_file(out_file);
  BOOST_REQUIRE(amended.ok());
  BOOST_TEST(amended.diagnostics.empty());
  BOOST_TEST(amended.value->document.effective_on->to_string() == "2026-10-01");
  BOOST_TEST(amended.value->document.revisions.back().mark == "B");

  const auto pending_file =
      write("pending.json", wf::to_json(run.run(request, "2026-09-01", nullptr)).dump());
  auto refused =
      keyaccount::testing::run_cli({"amend", "--instance", pending_file, "--candidate", cand_file});
  BOOST_TEST(refused.code == 1);
  BOOST_TEST(refused.err.find("error[not_approved]") != std::string::npos, refused.err);
  BOOST_TEST(refused.out.empty());
  auto bad_date = keyaccount::testing::run_cli(
      {"amend", "--instance", inst_file, "--candidate", cand_file, "--effective-on", "2026-13-01"});
  BOOST_TEST(bad_date.code == 2);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
