// Escalation of overdue steps (Art. 11, 12): a later step's approver never takes an earlier
// step's place, every holder of the step is considered whatever their ids, and the default
// policy's three workflows still complete with vacant, inactive and doubled positions.

#include <boost/test/unit_test.hpp>

#include "keyaccount/workflow/engine.hpp"
#include "test_workflow_fixtures.hpp"

namespace wf = keyaccount::workflows;
using fixtures::day;
using nlohmann::json;

namespace {

keyaccount::org::person person(std::string id, std::vector<std::string> positions,
                               std::string superior = "", bool active = true) {
  return {id, id, std::move(positions), std::move(superior), active};
}

struct seed_set {
  keyaccount::policy policy = keyaccount::default_policy();
  wf::workflow_set set =
      wf::workflow_set::compile(policy, {.conditions = fixtures::test_conditions()});

  keyaccount::org::directory people(std::vector<keyaccount::org::person> list) const {
    return keyaccount::org::directory(policy.org, std::move(list));
  }

  wf::instance start(const std::string& workflow, const std::string& requester, const char* on,
                     const json& request, const keyaccount::org::directory& people) const {
    auto started = set.start(
        workflow,
        wf::action::make(wf::action_kind::submit, requester, day(on)).with_request(request),
        people);
    if (auto* r = std::get_if<wf::refusal>(&started)) BOOST_FAIL("start refused: " << r->message);
    return std::get<wf::instance>(started);
  }

  wf::result act(wf::instance& inst, wf::action_kind kind, const std::string& actor, const char* on,
                 const keyaccount::org::directory& people) const {
    auto a = wf::action::make(kind, actor, day(on));
    if (kind != wf::action_kind::approve) a.comment = "test";
    return set.apply(inst, a, people);
  }
};

std::vector<std::string> persons(const std::vector<wf::eligible_actor>& actors) {
  std::vector<std::string> out;
  for (const auto& a : actors) {
    if (std::find(out.begin(), out.end(), a.person) == out.end()) out.push_back(a.person);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string outcome(const wf::result& r) {
  return r ? "ok" : std::string(wf::to_string(r.error().kind));
}

const json gift_800 = {{"customer_id", "c1"}, {"amount", 800}};
const json proposal = {{"customer_id", "c1"}, {"title", "Online ordering"}};

// GM `gm`, CS manager `csm`, supervisors `first` and `second` reporting to `csm`, and sales.
std::vector<keyaccount::org::person> two_supervisors(const std::string& first,
                                                     const std::string& second) {
  return {person("gm", {"general_manager"}), person("csm", {"cs_manager"}),
          person(first, {"cr_supervisor"}, "csm"), person(second, {"cr_supervisor"}, "csm"),
          person("sal", {"sales_staff"})};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_escalation)

// Issue 16, Art. 12: with examples/people.json the GM was offered Finance's place at
// finance_review once it was overdue; after approving there she could no longer approve at
// gm_approval and nobody could act on the request again.
BOOST_AUTO_TEST_CASE(art_12_the_general_manager_never_takes_the_finance_review) {
  seed_set s;
  auto people = keyaccount::org::directory(
      s.policy.org, keyaccount::org::people_from_json(
                        fixtures::read_json(KEYACCOUNT_SOURCE_DIR "/examples/people.json")));
  auto inst = s.start("gift_request", "specialist-1", "2026-01-05", gift_800, people);
  // 01-09 is past Finance's 3-day deadline: reported up to the GM, but only Finance may act.
  BOOST_TEST(persons(s.set.who_may_act(inst, day("2026-01-09"), people)) ==
                 std::vector<std::string>{"finance-1"},
             boost::test_tools::per_element());
  auto d = s.set.deadline(inst, day("2026-01-09"), people);
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->overdue);
  BOOST_TEST(d->escalation_level == 1);
  BOOST_TEST(d->escalated_to.empty());
  BOOST_TEST(d->reported_to == std::vector<std::string>{"gm-1"}, boost::test_tools::per_element());
  auto by_gm = s.act(inst, wf::action_kind::approve, "gm-1", "2026-01-09", people);
  BOOST_TEST(outcome(by_gm) == "not_authorized");
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::return_, "gm-1", "2026-01-09", people)) ==
             "not_authorized");
  // Finance reviews, the General Manager approves.
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "finance-1", "2026-01-09", people)) ==
             "ok");
  BOOST_TEST(inst.current_step == "gm_approval");
  BOOST_TEST(persons(s.set.who_may_act(inst, day("2026-01-09"), people)) ==
                 std::vector<std::string>{"gm-1"},
             boost::test_tools::per_element());
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "gm-1", "2026-01-10", people)) == "ok");
  BOOST_TEST(wf::to_string(inst.state) == "approved");
}

// Issue 16: `sup_a` submits; once acceptance is overdue the CS manager may act as the superior
// of `sup_b` (not of the requester). Before, only the first holder by id was considered, so the
// answer depended on whether the requester's id sorted first.
BOOST_AUTO_TEST_CASE(escalation_considers_every_holder_whatever_their_ids) {
  seed_set s;
  for (const std::string requester : {"sup_a", "sup_z"}) {
    BOOST_TEST_CONTEXT("requester " << requester) {
      auto people = s.people(two_supervisors(requester, "sup_b"));
      auto inst = s.start("proposal_review", requester, "2026-05-04", proposal, people);
      auto actors = s.set.who_may_act(inst, day("2026-05-10"), people);
      BOOST_TEST(persons(actors) == (std::vector<std::string>{"csm", "sup_b"}),
                 boost::test_tools::per_element());
      auto csm = std::find_if(actors.begin(), actors.end(),
                              [](const auto& a) { return a.person == "csm"; });
      BOOST_REQUIRE(csm != actors.end());
      BOOST_TEST(csm->on_behalf_of == "sup_b");
      BOOST_TEST(csm->via == wf::acting_via::escalation);
      // Approve, reject and return follow the same rule.
      for (auto kind :
           {wf::action_kind::approve, wf::action_kind::reject, wf::action_kind::return_}) {
        auto copy = inst;
        BOOST_TEST(outcome(s.act(copy, kind, "csm", "2026-05-10", people)) == "ok",
                   "csm may " << wf::to_string(kind));
      }
      // Before the deadline the CS manager may not.
      BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "csm", "2026-05-09", people)) ==
                 "not_authorized");
    }
  }
}

// The default policy's three workflows with positions vacant, held by an inactive person, or
// held by two people. A vacant step waits (it is reported upwards) rather than letting a later
// step's approver take its place; it moves as soon as someone holds the position again.
namespace {
std::vector<keyaccount::org::person> staff(std::initializer_list<keyaccount::org::person> extra) {
  std::vector<keyaccount::org::person> out = {
      person("gm", {"general_manager"}), person("csm", {"cs_manager"}),
      person("sue", {"cr_supervisor"}),  person("alice", {"cr_specialist"}, "sue"),
      person("sal", {"sales_staff"}),
  };
  out.insert(out.end(), extra);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(gift_request_with_finance_vacant_or_inactive_waits_for_finance) {
  seed_set s;
  for (bool inactive : {false, true}) {
    BOOST_TEST_CONTEXT((inactive ? "inactive finance reviewer" : "vacant finance position")) {
      auto people =
          s.people(inactive ? staff({person("fay", {"finance_reviewer"}, "", false)}) : staff({}));
      auto inst = s.start("gift_request", "alice", "2026-01-05", gift_800, people);
      for (const char* on : {"2026-01-05", "2026-01-09", "2026-01-12", "2026-03-01"}) {
        BOOST_TEST(s.set.who_may_act(inst, day(on), people).empty(), on);
      }
      auto d = s.set.deadline(inst, day("2026-01-09"), people);
      BOOST_REQUIRE(d.has_value());
      BOOST_TEST(d->reported_to == std::vector<std::string>{"gm"},
                 boost::test_tools::per_element());
      BOOST_TEST(d->escalated_to.empty());
      BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "gm", "2026-01-09", people)) ==
                 "not_authorized");
      // Finance is staffed again: Finance reviews, the General Manager approves.
      auto staffed = s.people(staff({person("fin", {"finance_reviewer"})}));
      BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "fin", "2026-01-12", staffed)) ==
                 "ok");
      BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "gm", "2026-01-12", staffed)) ==
                 "ok");
      BOOST_TEST(wf::to_string(inst.state) == "approved");
    }
  }
}

BOOST_AUTO_TEST_CASE(gift_request_with_two_finance_reviewers_needs_one_of_them) {
  seed_set s;
  auto people =
      s.people(staff({person("fay", {"finance_reviewer"}), person("fin", {"finance_reviewer"})}));
  auto inst = s.start("gift_request", "alice", "2026-01-05", gift_800, people);
  BOOST_TEST(persons(s.set.who_may_act(inst, day("2026-01-20"), people)) ==
                 (std::vector<std::string>{"fay", "fin"}),
             boost::test_tools::per_element());
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "fin", "2026-01-20", people)) == "ok");
  BOOST_TEST(inst.current_step == "gm_approval");
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "fay", "2026-01-20", people)) ==
             "not_authorized");
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "gm", "2026-01-21", people)) == "ok");
}

BOOST_AUTO_TEST_CASE(proposal_review_with_the_supervisor_vacant_escalates_to_the_cs_manager) {
  seed_set s;
  // No supervisor at all: the CS manager (not a reviewer) may accept once acceptance is overdue;
  // the GM, who reviews later, is told but may not.
  auto people = s.people({person("gm", {"general_manager"}), person("csm", {"cs_manager"}),
                          person("alice", {"cr_specialist"}), person("sal", {"sales_staff"}),
                          person("sid", {"sales_staff"})});
  auto inst = s.start("proposal_review", "alice", "2026-05-04", proposal, people);
  BOOST_TEST(s.set.who_may_act(inst, day("2026-05-09"), people).empty());
  for (const char* on : {"2026-05-10", "2026-05-20"}) {
    BOOST_TEST(persons(s.set.who_may_act(inst, day(on), people)) == std::vector<std::string>{"csm"},
               boost::test_tools::per_element());
  }
  auto d = s.set.deadline(inst, day("2026-05-20"), people);
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->escalation_level == 3);
  BOOST_TEST(d->reported_to == (std::vector<std::string>{"csm", "gm"}),
             boost::test_tools::per_element());
  BOOST_TEST(d->escalated_to == std::vector<std::string>{"csm"}, boost::test_tools::per_element());
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "csm", "2026-05-20", people)) == "ok");
  // Review: the GM and one of the two sales people (all_of: one per position).
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "sid", "2026-05-21", people)) == "ok");
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "sal", "2026-05-21", people)) ==
             "not_authorized");
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "gm", "2026-05-22", people)) == "ok");
  BOOST_TEST(wf::to_string(inst.state) == "approved");
}

BOOST_AUTO_TEST_CASE(policy_amendment_waits_for_an_active_general_manager) {
  seed_set s;
  auto away =
      s.people({person("gm", {"general_manager"}, "", false), person("csm", {"cs_manager"})});
  auto inst = s.start("policy_amendment", "csm", "2026-09-01",
                      json{{"summary", "raise thresholds"}, {"changes", 2}}, away);
  BOOST_TEST(s.set.who_may_act(inst, day("2026-12-31"), away).empty());
  auto back = s.people({person("gm", {"general_manager"}), person("csm", {"cs_manager"})});
  BOOST_TEST(
      persons(s.set.who_may_act(inst, day("2026-12-31"), back)) == std::vector<std::string>{"gm"},
      boost::test_tools::per_element());
  BOOST_TEST(outcome(s.act(inst, wf::action_kind::approve, "gm", "2026-12-31", back)) == "ok");
  BOOST_TEST(wf::to_string(inst.state) == "approved");
}

BOOST_AUTO_TEST_CASE(an_integer_request_field_refuses_numbers_past_a_whole_number_range) {
  // "changes" is an int: 3.0 is 3, but 1e300 (and -1e300, 2^63) are no 64-bit whole number.
  // They were once cast to long long to be compared, undefined behaviour that the asan
  // preset's -fsanitize=float-cast-overflow reports.
  seed_set s;
  auto people = s.people({person("gm", {"general_manager"}), person("csm", {"cs_manager"})});
  auto submit = [&](const json& changes) {
    auto started = s.set.start("policy_amendment",
                               wf::action::make(wf::action_kind::submit, "csm", day("2026-09-01"))
                                   .with_request(json{{"summary", "s"}, {"changes", changes}}),
                               people);
    const auto* refused = std::get_if<wf::refusal>(&started);
    return refused ? std::string(wf::to_string(refused->kind)) : std::string("started");
  };
  BOOST_TEST(submit(3.0) == "started");
  BOOST_TEST(submit(-4.0) == "started");
  for (double d : {1e300, -1e300, 9223372036854775808.0, 2.5})
    BOOST_TEST(submit(d) == "invalid_request", d);
}

BOOST_AUTO_TEST_SUITE_END()
