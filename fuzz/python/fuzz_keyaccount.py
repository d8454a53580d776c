"""atheris harness for keyaccount's Python surface (issue 21, item 5).

Each input picks one entry point (classify of a record, of records, of a DataFrame or of numpy
columns; validate / Policy.from_dict of a mutated default policy; cel.evaluate; care.plan,
compliance (with a visit plan), escalations, allocate, supply_watch; WorkflowSet.start and
apply) and calls it with random Python
values (python_values.py). The contract checked: a call either returns or raises one of the
documented ``keyaccount.Error`` subclasses, or ``TypeError`` for an argument of a wrong type.
Any other exception (KeyError, ValueError, AttributeError, OverflowError, SystemError,
RuntimeError...), a crash or a hang is a finding. Two invariants besides: a record classifies
to the same tier alone and in a list, and explain's tier equals classify's.

    pip install atheris        # in the test extra on x86-64 Linux, CPython < 3.13
    python fuzz/python/fuzz_keyaccount.py -max_total_time=600 build/fuzz/corpus/python
    python fuzz/python/fuzz_keyaccount.py FILE...     # replay inputs

tests/python/reliability/test_python_surface_fuzz.py replays tests/data/fuzz-regressions/python/ and a
seeded batch of random inputs through ``test_one_input`` on every ``scripts/test``.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, Callable

import atheris

with atheris.instrument_imports():
    import keyaccount
    from keyaccount import care, cel

import python_values as pv

AS_OF_DEFAULT = "2026-06-30"
_POLICY_DICT = None


def _policy_dict() -> dict:
    global _POLICY_DICT
    if _POLICY_DICT is None:
        import json
        _POLICY_DICT = json.loads(keyaccount.default_policy_text())
    return _POLICY_DICT


def _as_of(v: pv.Values) -> Any:
    return AS_OF_DEFAULT if v.chance(70) else v.date_like()


def classify_record(v: pv.Values) -> None:
    record = v.mutated(pv.CUSTOMER) if v.chance(85) else v.value()
    as_of = _as_of(v)
    decision = keyaccount.classify(record, as_of)
    # Invariants: the same record alone, in a list and explained gets one tier.
    listed = keyaccount.classify([record], as_of)
    explained = keyaccount.classify(record, as_of, explain=True)
    tiers = {decision.tier if hasattr(decision, "tier") else decision,
             explained.tier if hasattr(explained, "tier") else explained}
    first = listed[0] if isinstance(listed, list) else listed.iloc[0]["tier"]
    first = first.tier if hasattr(first, "tier") else first
    tiers.add(first)
    if len(tiers) != 1:
        raise AssertionError(f"one record, several tiers {tiers}: {record!r}")


def classify_many(v: pv.Values) -> None:
    data = v.records(pv.CUSTOMER, most=6)
    keyaccount.classify(data, _as_of(v), explain=v.fdp.ConsumeBool(),
                        on_error=v.pick(["raise", "skip", "raise", v.scalar()]))


def classify_columns(v: pv.Values) -> None:
    rows = v.fdp.ConsumeIntInRange(0, 5)
    columns: dict[Any, Any] = {}
    for name in ("id", "category", "first_order", "monthly_shipments", "cumulative_amount"):
        if v.chance(85):
            columns[name] = v.array(rows) if v.chance(60) else v.value()
    if v.chance(10):
        columns[v.text()] = v.value()
    keyaccount.classify_columns(columns, _as_of(v), explain=v.fdp.ConsumeBool(),
                                threads=v.pick([1, 2, 0, v.scalar()]))


def validate_policy(v: pv.Values) -> None:
    doc = v.mutated(_policy_dict())
    diagnostics = keyaccount.validate(doc)
    if not any(d.severity == "error" for d in diagnostics):
        keyaccount.Policy.from_dict(doc)  # clean: must load


def evaluate_cel(v: pv.Values) -> None:
    expr = v.pick([
        "x + 1", "size(l) > 2 && l[0] > 1.0", "s.startsWith('a')", "m['a'] / x",
        "l.all(e, e > 0.0)", "int(s)", "double(x) / 0.0", "x in l", "dt > date('2026-01-01')",
        "[x, s]", "{'k': x}.k", "l.map(e, e * 2.0)[0]",
    ]) if v.chance(70) else v.text()
    variables = {name: v.value() for name in ("x", "s", "l", "m", "dt") if v.chance(70)}
    if v.chance(10):
        variables = v.value()
    cel.evaluate(expr, variables)


def care_plan(v: pv.Values) -> None:
    people = pv.PEOPLE if v.chance(80) else v.value()
    care.plan(v.records(pv.ACCOUNT), people, _as_of(v),
              days=v.pick([30, 365, v.scalar()]) if v.chance(30) else 30,
              gift_amount=v.pick([0.0, 500.0, v.scalar()]))


def care_compliance(v: pv.Values) -> None:
    people = pv.PEOPLE if v.chance(80) else v.value()
    care.compliance(v.records(pv.ACCOUNT), people, _as_of(v),
                    complaints=v.records(pv.COMPLAINT) if v.chance(50) else None,
                    customers=v.records(pv.CUSTOMER) if v.chance(30) else None,
                    visit_plan=v.records(pv.VISIT) if v.chance(40) else None)


def care_supply_watch(v: pv.Values) -> None:
    care.supply_watch(v.records(pv.CUSTOMER), v.records(pv.SUPPLY), _as_of(v))


def care_escalations(v: pv.Values) -> None:
    people = pv.PEOPLE if v.chance(80) else v.value()
    care.escalations(v.records(pv.COMPLAINT), people, _as_of(v))


def care_allocate(v: pv.Values) -> None:
    care.allocate(v.records(pv.STOCK), v.records(pv.ORDER), v.pick(["2026-11-20", v.date_like()]),
                  within_tier=v.pick([None, "first_come", "pro_rata", v.scalar()]),
                  pack_size=v.pick([None, 1, 5, v.scalar()]))


_FLOWS = None


def workflow_actions(v: pv.Values) -> None:
    global _FLOWS
    if _FLOWS is None:
        _FLOWS = keyaccount.WorkflowSet()
    people = keyaccount.People(pv.PEOPLE)
    submit = {"action": "submit", "actor": "specialist-1", "on": "2026-01-05",
              "request": {"customer_id": "C1", "amount": 800}}
    instance = _FLOWS.start(v.pick(["gift_request", "proposal_review", v.text()]),
                            v.mutated(submit), people)
    for _ in range(v.fdp.ConsumeIntInRange(0, 3)):
        action = v.mutated(v.pick([
            {"action": "approve", "actor": "supervisor-1", "on": "2026-01-06"},
            {"action": "approve", "actor": "finance-1", "on": "2026-01-07"},
            {"action": "reject", "actor": "gm-1", "on": "2026-01-08", "reason": "no"},
        ]))
        try:
            instance = _FLOWS.apply(instance, action, people)
        except keyaccount.WorkflowError:
            pass  # a refusal: the instance is unchanged, go on with the next action
    _FLOWS.who_may_act(instance, _as_of(v), people)
    back = keyaccount.Instance.from_json(instance.to_json())
    if back != instance:
        raise AssertionError("an instance read back from its JSON differs")


ENTRY_POINTS: list[Callable[[pv.Values], None]] = [
    classify_record, classify_many, classify_columns, validate_policy, evaluate_cel, care_plan,
    care_compliance, care_escalations, care_allocate, care_supply_watch, workflow_actions,
]

# What a call may raise: the library's own errors, and TypeError for a wrong argument type.
ALLOWED = (keyaccount.Error, TypeError)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    entry = ENTRY_POINTS[fdp.ConsumeIntInRange(0, len(ENTRY_POINTS) - 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LaterFactsWarning, PolicyNotInForceWarning...
        try:
            entry(pv.Values(fdp))
        except ALLOWED:
            pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
