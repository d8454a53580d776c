"""Issue 20 item 6: approving a policy_amendment instance produces the amended policy document
(keyaccount.amend, `keyaccount amend`), and the revision log is a hash chain whose hashes are
recomputed here by an independent implementation: hashlib over RFC 8785 (the rfc8785 package)
of the document as docs/impact.md defines it."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rfc8785

import keyaccount

ROOT = Path(__file__).resolve().parents[3]

PEOPLE = [
    {"id": "gina", "positions": ["general_manager"]},
    {"id": "carl", "positions": ["cs_manager"]},
    {"id": "alice", "positions": ["cr_specialist"]},
]


def content_hash(document: dict) -> str:
    """The documented policy content hash: SHA-256 of RFC 8785 of the document without
    `$schema`."""
    document = {k: v for k, v in document.items() if k != "$schema"}
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()


def last_revision_hash(document: dict) -> str:
    """What the last revision entry must record: the content hash of the document without that
    entry's `content_hash` member."""
    document = json.loads(json.dumps(document))
    document["document"]["revisions"][-1].pop("content_hash", None)
    return content_hash(document)


def signed(policy: keyaccount.Policy, request: dict, submitted: str, signed_on: str | None):
    """A policy_amendment instance submitted by the CS manager and signed by the GM."""
    flows = keyaccount.WorkflowSet(policy)
    people = keyaccount.People(PEOPLE, policy)
    inst = flows.start("policy_amendment", {"action": "submit", "actor": "carl",
                                            "on": submitted, "request": request}, people)
    if signed_on:
        inst = flows.apply(inst, {"action": "approve", "actor": "gina", "on": signed_on}, people)
    return inst


@pytest.fixture(scope="module")
def baseline():
    return keyaccount.default_policy()


@pytest.fixture(scope="module")
def candidate(baseline):
    return baseline.with_parameters(cumulative_amount_min=600)


def test_an_approved_amendment_produces_the_new_document(baseline, candidate):
    request = keyaccount.amendment_request(baseline, candidate, "Art. 5.1: 500 → 600 万元")
    assert request == {"summary": "Art. 5.1: 500 → 600 万元", "changes": len(baseline.diff(candidate)),
                       "candidate_hash": candidate.content_hash,
                       "baseline_hash": baseline.content_hash}
    inst = signed(baseline, request, "2026-09-01", "2026-09-05")
    amended = keyaccount.amend(inst, candidate, effective_on="2026-10-01", baseline=baseline)

    document = amended.to_dict()
    assert document["document"]["approved_on"] == "2026-09-05"
    assert document["document"]["effective_on"] == "2026-10-01"
    revisions = document["document"]["revisions"]
    assert [r["mark"] for r in revisions] == ["A", "B"]
    entry = revisions[-1]
    assert entry["changes"] == request["changes"] == 1
    assert entry["date"] == "2026-09-05"
    assert entry["summary"] == "Art. 5.1: 500 → 600 万元"
    assert "previous_hash" not in entry  # revision A records no hash: the chain starts at B
    assert amended.revision == entry
    assert amended.approved_by == "gina"
    assert amended.candidate_hash == candidate.content_hash
    # The hash, recomputed independently.
    assert entry["content_hash"] == last_revision_hash(document)
    assert amended.policy.content_hash == content_hash(document)
    assert amended.policy.parameters["cumulative_amount_min"] == 600
    assert amended.policy.diagnostics == []
    # Only the document control differs from the candidate.
    assert {c["section"] for c in candidate.diff(amended.policy)} == {"document"}


def test_successive_amendments_form_a_hash_chain(baseline, candidate):
    first = keyaccount.amend(
        signed(baseline, keyaccount.amendment_request(baseline, candidate, "B"),
               "2026-09-01", "2026-09-05"), candidate)
    second_candidate = first.policy.with_parameters(monthly_shipment_min=60)
    # A candidate edited after revision B no longer matches B's hash: a warning, not an error.
    stale = [d for d in keyaccount.validate(second_candidate.to_json())
             if d.code == "revision_chain_mismatch"]
    assert [(d.severity, d.pointer) for d in stale] == [
        ("warning", "/document/revisions/1/content_hash")]
    second = keyaccount.amend(
        signed(first.policy, keyaccount.amendment_request(first.policy, second_candidate, "C"),
               "2026-11-02", "2026-11-03"), second_candidate, baseline=first.policy)
    revisions = second.to_dict()["document"]["revisions"]
    assert [r["mark"] for r in revisions] == ["A", "B", "C"]
    # The chain, recomputed: B's hash is the first amended document's, C links to it, and C's
    # hash is the final document's.
    assert revisions[1]["content_hash"] == last_revision_hash(first.to_dict())
    assert revisions[2]["previous_hash"] == revisions[1]["content_hash"]
    assert revisions[2]["content_hash"] == last_revision_hash(second.to_dict())
    assert not [d for d in keyaccount.validate(second.text) if d.code == "revision_chain_mismatch"]

    # Any edit, of the content or of an earlier revision, is a located warning.
    tampered = second.to_dict()
    tampered["document"]["revisions"][1]["summary"] = "rewritten"
    text = json.dumps(tampered, ensure_ascii=False, indent=2)
    found = [d for d in keyaccount.validate(text) if d.code == "revision_chain_mismatch"]
    assert [(d.severity, d.pointer) for d in found] == [
        ("warning", "/document/revisions/2/content_hash")]
    line = next(i for i, t in enumerate(text.splitlines(), 1)
                if revisions[2]["content_hash"] in t)
    assert found[0].line == line
    assert found[0].column == text.splitlines()[line - 1].index('"' + revisions[2]["content_hash"]) + 1


def test_amend_refuses_what_is_not_an_approved_amendment_of_this_candidate(baseline, candidate):
    request = keyaccount.amendment_request(baseline, candidate, "x")

    def kind(inst, cand=candidate, **options):
        with pytest.raises(keyaccount.AmendmentError) as info:
            keyaccount.amend(inst, cand, **options)
        assert isinstance(info.value, keyaccount.Error)
        return info.value.kind

    flows = keyaccount.WorkflowSet(baseline)
    people = keyaccount.People(PEOPLE, baseline)
    gift = flows.start("gift_request", {"action": "submit", "actor": "alice", "on": "2026-09-01",
                                        "request": {"customer_id": "c1", "amount": 100}}, people)
    assert kind(gift) == "not_an_amendment"
    assert kind(signed(baseline, request, "2026-09-01", None)) == "not_approved"
    approved = signed(baseline, request, "2026-09-01", "2026-09-05")
    assert kind(approved, baseline.with_parameters(cumulative_amount_min=700)) == \
        "candidate_mismatch"
    assert kind(signed(baseline, {"summary": "x", "changes": 1}, "2026-09-01", "2026-09-05")) == \
        "candidate_mismatch"
    assert kind(signed(baseline, dict(request, changes=4), "2026-09-01", "2026-09-05"),
                baseline=baseline) == "invalid_request"
    assert kind(approved, effective_on="2026-09-04") == "invalid_date"
    assert kind(approved, baseline=baseline.with_parameters(monthly_shipment_min=55)) == \
        "policy_mismatch"
    with pytest.raises(TypeError):
        keyaccount.amend(approved.to_dict(), candidate)


def test_the_command_line_amends_a_policy_file(tmp_path, baseline, candidate):
    base_file = tmp_path / "baseline.json"
    base_file.write_text(keyaccount.default_policy_text(), encoding="utf-8")
    cand_file = tmp_path / "candidate.json"
    cand_file.write_text(candidate.to_json(), encoding="utf-8")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "keyaccount", "amend", *map(str, args)],
                              capture_output=True, text=True, encoding="utf-8", cwd=ROOT)

    made = cli("--request-summary", "Art. 5.1", "--baseline", base_file, "--candidate", cand_file)
    assert made.returncode == 0, made.stderr
    request = json.loads(made.stdout)
    assert request["candidate_hash"] == content_hash(json.loads(cand_file.read_text("utf-8")))
    inst_file = tmp_path / "instance.json"
    inst_file.write_text(signed(baseline, request, "2026-09-01", "2026-09-05").to_json(),
                         encoding="utf-8")
    out = tmp_path / "amended.json"
    done = cli("--instance", inst_file, "--candidate", cand_file, "--baseline", base_file,
               "--out", out, "--effective-on", "2026-10-01")
    assert done.returncode == 0, done.stderr
    document = json.loads(out.read_text("utf-8"))
    assert document["document"]["revisions"][-1]["content_hash"] == last_revision_hash(document)
    assert document["document"]["effective_on"] == "2026-10-01"
    assert keyaccount.Policy.from_file(out).diagnostics == []

    pending = tmp_path / "pending.json"
    pending.write_text(signed(baseline, request, "2026-09-01", None).to_json(), encoding="utf-8")
    refused = cli("--instance", pending, "--candidate", cand_file)
    assert refused.returncode == 1
    assert "error[not_approved]" in refused.stderr
    assert refused.stdout == ""
