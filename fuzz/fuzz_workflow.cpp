// Fuzz target: workflow instances and actions, with the default policy's workflows and the
// people of tests/data/workflows/people.json.
// Input: a JSON object, either {"instance": INSTANCE, "steps": [{"do": ACTION}...]} (an instance
// as `keyaccount workflow` stores it, then actions applied to it) or {"workflow": ID, "steps":
// [{"do": SUBMIT}, {"do": ACTION}...]} (started by the first action), the shape of the scenario
// files in tests/data/workflows/.
// Invariants: reading an instance or action throws nothing but format_error; start, apply,
// check_instance, who_may_act and deadline throw nothing; a refused action leaves the instance
// unchanged; every instance (read, started or after an action) serialises and reads back equal;
// an accepted action that is not a replay raises the version by one.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "common.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/json.hpp"

namespace wf = keyaccount::workflows;

namespace {

struct fixture {
  const keyaccount::policy& policy = keyaccount::default_policy();
  wf::workflow_set set = wf::workflow_set::compile(policy);
  keyaccount::org::directory people{policy.org, read_people()};

  static std::vector<keyaccount::org::person> read_people() {
    std::ifstream in(KEYACCOUNT_FUZZ_DATA_DIR "/workflows/people.json", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return keyaccount::org::people_from_json(nlohmann::json::parse(text));
  }
};

void round_trips(const wf::instance& inst) {
  nlohmann::json j = wf::to_json(inst);
  wf::instance back;
  try {
    back = wf::instance_from_json(j);
  } catch (const std::exception& e) {
    fuzz::violated("an instance reads back what it wrote", __FILE__, __LINE__,
                   std::string(e.what()) + " in " + j.dump());
  }
  FUZZ_REQUIRE(back == inst, "to_json then instance_from_json is identity: " + j.dump());
  FUZZ_REQUIRE(wf::to_json(back) == j, "and serialises the same");
}

void queries(const fixture& f, const wf::instance& inst, keyaccount::date day) {
  (void)f.set.check_instance(inst);
  (void)f.set.who_may_act(inst, day, f.people);
  (void)f.set.deadline(inst, day, f.people);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture f;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(reinterpret_cast<const char*>(data),
                                reinterpret_cast<const char*>(data) + size);
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
  if (!doc.is_object()) return 0;
  const nlohmann::json none = nlohmann::json::array();
  const nlohmann::json& steps =
      doc.contains("steps") && doc["steps"].is_array() ? doc["steps"] : none;
  std::optional<wf::instance> inst;
  std::size_t next = 0;
  try {
    if (doc.contains("instance")) {
      try {
        inst = wf::instance_from_json(doc["instance"]);
      } catch (const wf::format_error&) {
        return 0;
      }
      round_trips(*inst);
      queries(f, *inst, fuzz::as_of());
    } else if (doc.contains("workflow") && doc["workflow"].is_string() && !steps.empty()) {
      const auto& first = steps[0];
      next = 1;
      if (!first.is_object() || !first.contains("do")) return 0;
      wf::action submit;
      try {
        submit = wf::action_from_json(first["do"]);
      } catch (const wf::format_error&) {
        return 0;
      }
      auto started = f.set.start(doc["workflow"].get<std::string>(), submit, f.people);
      if (std::holds_alternative<wf::refusal>(started)) return 0;
      inst = std::get<wf::instance>(std::move(started));
      round_trips(*inst);
    } else {
      return 0;
    }
    for (std::size_t i = next; i < steps.size() && i < 64; ++i) {
      const auto& step = steps[i];
      if (!step.is_object() || !step.contains("do")) continue;
      wf::action a;
      try {
        a = wf::action_from_json(step["do"]);
      } catch (const wf::format_error&) {
        continue;
      }
      wf::instance before = *inst;
      auto r = f.set.apply(*inst, a, f.people);
      if (!r.ok()) {
        FUZZ_REQUIRE(*inst == before, "a refused action changes nothing");
      } else if (r.replayed()) {
        FUZZ_REQUIRE(*inst == before, "a replayed action changes nothing");
      } else {
        FUZZ_REQUIRE(inst->version == before.version + 1, "an accepted action adds one version");
      }
      round_trips(*inst);
      queries(f, *inst, a.on);
    }
  } catch (const std::exception& e) {
    fuzz::violated("the workflow engine throws nothing on read instances", __FILE__, __LINE__,
                   e.what());
  }
  return 0;
}
