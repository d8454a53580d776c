// Throughput of the approval engine on in-memory instances (target: >= 1M actions/s).
// Run: cmake --preset release && cmake --build --preset release -j2 &&
// build/release/bench/bench_workflow
#include <benchmark/benchmark.h>

#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/engine.hpp"

namespace wf = keyaccount::workflows;

namespace {

struct world {
  const keyaccount::policy& policy = keyaccount::default_policy();
  wf::workflow_set set = wf::workflow_set::compile(policy);
  keyaccount::org::directory people{policy.org,
                                    {{"gina", "", {"general_manager"}, "", true},
                                     {"carl", "", {"cs_manager"}, "", true},
                                     {"sue", "", {"cr_supervisor"}, "", true},
                                     {"alice", "", {"cr_specialist"}, "sue", true},
                                     {"sal", "", {"sales_staff"}, "", true},
                                     {"fay", "", {"finance_reviewer"}, "", true}}};
  keyaccount::date day = *keyaccount::date::parse("2026-01-05");
};

const world& the_world() {
  static const world w;
  return w;
}

wf::action act(wf::action_kind kind, const char* actor, keyaccount::date on) {
  return wf::action::make(kind, actor, on);
}

// Art. 11: submit, acceptance, then GM and sales (all_of): 4 actions per iteration.
void BM_proposal_review_lifecycle(benchmark::State& state) {
  const world& w = the_world();
  auto submit = act(wf::action_kind::submit, "alice", w.day)
                    .with_request({{"customer_id", "c1"}, {"title", "Faster delivery"}});
  auto accept = act(wf::action_kind::approve, "sue", w.day);
  auto gm = act(wf::action_kind::approve, "gina", w.day);
  auto sales = act(wf::action_kind::approve, "sal", w.day);
  for (auto _ : state) {
    auto started = w.set.start("proposal_review", submit, w.people);
    auto& inst = std::get<wf::instance>(started);
    bool ok = w.set.apply(inst, accept, w.people).ok() && w.set.apply(inst, gm, w.people).ok() &&
              w.set.apply(inst, sales, w.people).ok();
    if (!ok || inst.state != wf::instance_state::approved) state.SkipWithError("not approved");
    benchmark::DoNotOptimize(inst);
  }
  state.SetItemsProcessed(state.iterations() * 4);
}
BENCHMARK(BM_proposal_review_lifecycle);

// Art. 12 with its CEL step condition: submit, finance, GM: 3 actions per iteration.
void BM_gift_request_lifecycle_with_cel_condition(benchmark::State& state) {
  const world& w = the_world();
  auto submit = act(wf::action_kind::submit, "alice", w.day)
                    .with_request({{"customer_id", "c1"}, {"amount", 800.0}});
  auto finance = act(wf::action_kind::approve, "fay", w.day);
  auto gm = act(wf::action_kind::approve, "gina", w.day);
  for (auto _ : state) {
    auto started = w.set.start("gift_request", submit, w.people);
    auto& inst = std::get<wf::instance>(started);
    bool ok = w.set.apply(inst, finance, w.people).ok() && w.set.apply(inst, gm, w.people).ok();
    if (!ok || inst.state != wf::instance_state::approved) state.SkipWithError("not approved");
    benchmark::DoNotOptimize(inst);
  }
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(BM_gift_request_lifecycle_with_cel_condition);

// Approve then return, forever, on one in-memory instance (its history grows; reset every 4096).
void BM_approve_return_on_one_instance(benchmark::State& state) {
  const world& w = the_world();
  auto submit = act(wf::action_kind::submit, "alice", w.day)
                    .with_request({{"customer_id", "c1"}, {"title", "t"}});
  auto fresh = std::get<wf::instance>(w.set.start("proposal_review", submit, w.people));
  auto accept = act(wf::action_kind::approve, "sue", w.day);
  auto back = act(wf::action_kind::return_, "gina", w.day);
  wf::instance inst = fresh;
  std::int64_t n = 0;
  for (auto _ : state) {
    bool ok = w.set.apply(inst, accept, w.people).ok() && w.set.apply(inst, back, w.people).ok();
    if (!ok) state.SkipWithError("refused");
    if ((++n & 4095) == 0) {
      state.PauseTiming();
      inst = fresh;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_approve_return_on_one_instance);

// A refusal (not authorised) costs no allocation of a new instance.
void BM_refused_action(benchmark::State& state) {
  const world& w = the_world();
  auto submit = act(wf::action_kind::submit, "alice", w.day)
                    .with_request({{"customer_id", "c1"}, {"amount", 800.0}});
  auto inst = std::get<wf::instance>(w.set.start("gift_request", submit, w.people));
  auto wrong = act(wf::action_kind::approve, "sal", w.day);
  for (auto _ : state) {
    auto r = w.set.apply(inst, wrong, w.people);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_refused_action);

void BM_who_may_act(benchmark::State& state) {
  const world& w = the_world();
  auto submit = act(wf::action_kind::submit, "alice", w.day)
                    .with_request({{"customer_id", "c1"}, {"amount", 800.0}});
  auto inst = std::get<wf::instance>(w.set.start("gift_request", submit, w.people));
  for (auto _ : state) benchmark::DoNotOptimize(w.set.who_may_act(inst, w.day, w.people));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_who_may_act);

}  // namespace

BENCHMARK_MAIN();
