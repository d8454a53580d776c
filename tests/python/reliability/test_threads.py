"""keyaccount from several Python threads at once (issue 21, item 6, the Python side).

The C++ API promises that a compiled policy, classifier and workflow set are immutable and
thread-safe, and the bindings release the GIL in the batch path. Here four threads share one
Policy and one WorkflowSet and call classify (records, explained), classify_columns (numpy, with
its own worker threads), a DataFrame classification, a workflow approval and a care plan
concurrently, for several rounds; every result must equal the one a single thread computed
first. ThreadSanitizer covers the C++ side (tests/cpp/concurrency/test_concurrency.cpp, preset ``tsan``)."""

from __future__ import annotations

import json
import pathlib
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import keyaccount
from keyaccount import care

ROOT = pathlib.Path(__file__).resolve().parents[3]
AS_OF = "2026-06-30"
THREADS = 4
ROUNDS = 3


@pytest.fixture(scope="module")
def shared():
    records = [json.loads(line) for line in
               (ROOT / "examples" / "customers.jsonl").read_text().splitlines()[:150]]
    months = max(len(r["monthly_shipments"]) for r in records)
    shipments = np.full((len(records), months), np.nan)
    for i, r in enumerate(records):
        shipments[i, :len(r["monthly_shipments"])] = r["monthly_shipments"]
    columns = {
        "id": np.array([r["id"] for r in records], dtype=object),
        "category": np.array([r["category"] for r in records], dtype=object),
        "first_order": np.array([r["first_order"] for r in records], dtype="datetime64[D]"),
        "monthly_shipments": shipments,
        "cumulative_amount": np.array([r["cumulative_amount"] for r in records]),
    }
    people_doc = json.loads((ROOT / "examples" / "people.json").read_text())
    return {
        "policy": keyaccount.default_policy(),
        "flows": keyaccount.WorkflowSet(),
        "people": keyaccount.People(people_doc),
        "records": records,
        "columns": columns,
        "frame": pd.DataFrame(records),
        "accounts": ROOT / "examples" / "accounts.jsonl",
        "customers": ROOT / "examples" / "customers.jsonl",
    }


def _work(shared, batch_threads: int):
    """One thread's calls; returns every result in a comparable form."""
    policy, flows, people = shared["policy"], shared["flows"], shared["people"]
    out = {}
    out["records"] = [d.tier for d in keyaccount.classify(shared["records"], AS_OF, policy=policy)]
    explained = keyaccount.classify(shared["records"][::7], AS_OF, policy=policy, explain=True)
    out["explained"] = [json.dumps(d.to_dict(), sort_keys=True) for d in explained]
    out["columns"] = list(keyaccount.classify_columns(shared["columns"], AS_OF, policy=policy,
                                                      threads=batch_threads))
    out["frame"] = list(keyaccount.classify(shared["frame"], AS_OF, policy=policy)["tier"])
    submit = {"action": "submit", "actor": "specialist-1", "on": "2026-01-05",
              "request": {"customer_id": "C00001", "amount": 800}}
    instance = flows.start("gift_request", submit, people)
    holders = flows.who_may_act(instance, "2026-01-06", people)
    approved = flows.apply(instance, {"action": "approve", "actor": holders[0]["person"], "on": "2026-01-06"},
                           people)
    out["workflow"] = approved.to_json()
    # The tiers come from the customers (the activity log alone says "regular" for all).
    plan = care.plan(shared["accounts"], people, AS_OF, days=120, policy=policy,
                     customers=shared["customers"])
    out["plan"] = plan.to_json(orient="records", date_format="iso")
    return out


def test_threads_sharing_one_policy_get_the_single_threaded_results(shared):
    expected = _work(shared, 1)
    # The reference must have done real work, or the comparison proves nothing.
    assert "key" in expected["records"] and len(expected["records"]) == 150
    assert expected["columns"] == expected["records"] == expected["frame"]
    assert len(json.loads(expected["plan"])) > 0
    assert json.loads(expected["workflow"])["version"] > 1

    start = threading.Barrier(THREADS)

    def run(index: int):
        start.wait()  # every thread starts together, so their calls overlap
        return [_work(shared, 1 + (index + r) % 3) for r in range(ROUNDS)]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(run, range(THREADS)))
    for thread_results in results:
        for got in thread_results:
            for key, value in expected.items():
                assert got[key] == value, f"{key} differs when computed from several threads"
