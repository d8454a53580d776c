"""Runs the shared scenario files of tests/data/workflows, as the C++ suite does: both must agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import keyaccount as ka
from keyaccount._errors import REFUSAL_CLASSES

DATA = Path(__file__).resolve().parents[2] / "data" / "workflows"
SCENARIOS = sorted(p for p in DATA.glob("*.json") if p.name != "people.json")


def scenario_policy(sc: dict) -> ka.Policy:
    doc = json.loads(ka.default_policy_text())
    for p in doc["parameters"]:
        if p["id"] in sc.get("set_parameters", {}):
            p["value"] = sc["set_parameters"][p["id"]]
    doc["workflows"].extend(sc.get("add_workflows", []))
    return ka.Policy.from_dict(doc)


def outcome(call):
    """Run ``call``; return ("ok" | "replayed" | refusal kind, message, result)."""
    try:
        result = call()
    except ka.WorkflowError as e:
        assert type(e) is REFUSAL_CLASSES[e.kind], "each kind has its own class"
        return e.kind, str(e), None
    return "ok", "", result


def test_there_are_scenarios_for_every_seeded_workflow():
    names = {json.loads(p.read_text())["workflow"] for p in SCENARIOS}
    assert {"gift_request", "proposal_review", "policy_amendment"} <= names
    assert len(SCENARIOS) >= 10


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path):
    sc = json.loads(path.read_text(encoding="utf-8"))
    policy = scenario_policy(sc)
    flows = ka.WorkflowSet(policy)
    assert sc["people"] == "people.json"
    people = ka.People(json.loads((DATA / "people.json").read_text()), policy)
    inst = None
    for n, step in enumerate(sc["steps"]):
        where = f"{path.name}, step {n}"
        if "do" in step:
            action = step["do"]
            if inst is None:
                got, message, result = outcome(lambda: flows.start(sc["workflow"], action, people))
                if result is not None:
                    inst = result
            else:
                before = inst
                got, message, result = outcome(lambda: flows.apply_detailed(inst, action, people))
                if result is not None:
                    inst, replayed = result
                    if replayed:
                        got = "replayed"
                        assert inst == before, where
            assert got == step["expect"], f"{where}: expected {step['expect']}, got {got} ({message})"
            if "message_contains" in step:
                assert step["message_contains"] in message, f"{where}: {message}"
            if inst is not None:
                # Lossless through dict and JSON text.
                assert ka.Instance.from_dict(inst.to_dict()) == inst, where
                assert ka.Instance.from_json(inst.to_json(indent=2)).to_dict() == inst.to_dict()
            for key in ("state", "current_step", "version"):
                if key in step:
                    assert getattr(inst, key) == step[key], f"{where}: {key}"
        elif "who_may_act" in step:
            ids = sorted({a["person"] for a in flows.who_may_act(inst, step["who_may_act"], people)})
            assert ids == step["expect"], where
        elif "deadline" in step:
            d = flows.deadline(inst, step["deadline"], people)
            assert d is not None, where
            for key, value in step["expect"].items():
                assert d[key] == value, f"{where}: {key}"
        else:
            pytest.fail(f"{where}: unknown scenario step {step}")
    final = sc["final"]
    if final["state"] is None:
        assert inst is None
    else:
        assert inst.state == final["state"]
        assert inst.version == final["version"]
        assert len(inst.history) == final["history"]
