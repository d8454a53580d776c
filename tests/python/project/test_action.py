"""action.yml, the composite GitHub Action, run locally: its `run:` steps in order, in bash, with
the environment each step declares (inputs substituted, as the runner does) and the keyaccount
installed with this package on the PATH (input install: none). The upload step (another
action) is checked for what it is given, not run."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
BROKEN = ROOT / "tests" / "data" / "invalid" / "46-undefined-position.json"
FAILING_TESTS = ROOT / "tests" / "data" / "customers" / "failing.tests.json"
DEFAULT_TESTS = ROOT / "policies" / "key-account-policy.tests.json"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(expression: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]):
    """The few GitHub expressions action.yml uses: inputs.X, github.action_path,
    steps.ID.outputs.X, always(), == / != against a quoted string, joined by &&."""
    def value(term: str):
        term = term.strip()
        if term == "always()":
            return True
        if term.startswith("'"):
            return term.strip("'")
        if term == "github.action_path":
            return str(ROOT)
        if term.startswith("inputs."):
            return inputs[term[len("inputs."):]]
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", term)
        if m:
            return outputs.get(m.group(1), {}).get(m.group(2), "")
        raise AssertionError(f"action.yml uses an expression this test does not know: {term}")

    def condition(part: str):
        for op in ("!=", "=="):
            if op in part:
                left, right = part.split(op)
                return (value(left) == value(right)) == (op == "==")
        return value(part)

    if "&&" not in expression and "==" not in expression and "!=" not in expression:
        return value(expression)  # a value to substitute, or a condition of one term
    return all(condition(p) for p in expression.split("&&"))


def substitute(text: str, inputs, outputs) -> str:
    return EXPRESSION.sub(lambda m: str(evaluate(m.group(1), inputs, outputs)), text)


def run_action(workdir: Path, tmp_path: Path, **given: str):
    """Runs the action's steps as the runner would; returns (failed step or None, log, the
    upload step's inputs or None)."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(inputs)
    assert not unknown, unknown
    inputs.update(given)
    outputs: dict[str, dict[str, str]] = {}
    log = []
    uploaded = None
    failed = False
    for step in ACTION["runs"]["steps"]:
        condition = str(step.get("if", "${{ success() }}")).strip()
        m = EXPRESSION.fullmatch(condition)
        condition = m.group(1) if m else condition
        # Without a status function a condition holds only while no step failed.
        if "always()" not in condition:
            if failed:
                continue
            condition = condition.replace("success()", "always()")
        if not evaluate(condition, inputs, outputs):
            continue
        if "uses" in step:
            uploaded = {k: substitute(str(v), inputs, outputs) for k, v in step["with"].items()}
            continue
        output_file = tmp_path / f"output-{len(log)}"
        output_file.write_text("")
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        env["GITHUB_OUTPUT"] = str(output_file)
        env.update({k: substitute(str(v), inputs, outputs) for k, v in step.get("env", {}).items()})
        assert "${{" not in step["run"], "inputs reach the scripts through env only"
        # As the runner runs a bash step: bash --noprofile --norc -eo pipefail.
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workdir, env=env,
                           capture_output=True, text=True, timeout=300, check=False)
        log.append((step["name"], r))
        if "id" in step:
            outputs[step["id"]] = dict(
                line.split("=", 1) for line in output_file.read_text().splitlines() if line)
        if r.returncode != 0:
            failed = True
    return failed, log, uploaded


@pytest.fixture
def repo(tmp_path):
    work = tmp_path / "repo"
    (work / "policies").mkdir(parents=True)
    (work / "policies" / "key-account-policy.json").write_text(keyaccount.default_policy_text(),
                                                               encoding="utf-8")
    shutil.copy(DEFAULT_TESTS, work / "policies" / "key-account-policy.tests.json")
    return work


def test_every_input_is_documented_and_reaches_the_scripts_by_environment():
    assert ACTION["runs"]["using"] == "composite"
    for name, spec in ACTION["inputs"].items():
        assert spec["description"].strip(), name
    used = " ".join(json.dumps(s.get("env", {})) + json.dumps(s.get("with", {})) +
                    str(s.get("if", "")) for s in ACTION["runs"]["steps"])
    assert all(f"inputs.{name}" in used for name in ACTION["inputs"])


def test_a_valid_policy_passes_and_its_tests_run(repo, tmp_path):
    failed, log, uploaded = run_action(repo, tmp_path, install="none",
                                       tests="policies/key-account-policy.tests.json",
                                       **{"coverage-threshold": "100"})
    assert not failed, [(n, r.stdout, r.stderr) for n, r in log]
    names = [n for n, _ in log]
    assert names == ["Install keyaccount", "Validate policies", "Run policy tests"]
    assert log[0][1].stdout.strip() == keyaccount.__version__
    assert log[1][1].stdout == ""  # no annotation for a valid policy
    assert "PASS: 13 passed, 0 failed" in log[2][1].stdout
    assert uploaded is None


def test_a_broken_policy_is_annotated_and_uploaded_as_sarif_and_fails(repo, tmp_path):
    shutil.copy(BROKEN, repo / "policies" / "sales.keyaccount.json")
    failed, log, uploaded = run_action(repo, tmp_path, install="none", sarif="true",
                                       tests="policies/key-account-policy.tests.json")
    assert failed
    names = [n for n, _ in log]
    assert names == ["Install keyaccount", "Validate policies"]  # the tests wait for a fix
    validate = log[1][1]
    assert validate.returncode == 1
    assert ("::error file=policies/sales.keyaccount.json,line=196,col=95,"
            "title=undefined_position::") in validate.stdout
    # The upload runs after the failure, with the SARIF the step wrote.
    assert uploaded == {"sarif_file": "keyaccount.sarif", "category": "keyaccount"}
    log_ = json.loads((repo / "keyaccount.sarif").read_text(encoding="utf-8"))
    [result] = log_["runs"][0]["results"]
    assert result["ruleId"] == "undefined_position"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "policies/sales.keyaccount.json"


def test_failing_tests_fail_the_action_and_leave_a_junit_report(repo, tmp_path):
    shutil.copy(FAILING_TESTS, repo / "policies" / "sales.keyaccount-tests.json")
    failed, log, _ = run_action(repo, tmp_path, install="none",
                                tests="policies/key-account-policy.tests.json\n"
                                      "policies/sales.keyaccount-tests.json",
                                **{"junit-file": "report.xml"})
    assert failed
    assert [n for n, _ in log][-1] == "Run policy tests"
    assert "FAIL: expects key at exactly 500" in log[-1][1].stdout
    from junitparser import JUnitXml
    xml = JUnitXml.fromfile(str(repo / "report.xml"))
    assert xml.failures == 1 and xml.tests == 15


def test_strict_and_a_bad_install_choice(repo, tmp_path):
    warning = ROOT / "tests" / "data" / "invalid" / "73-warning-ignored-quorum.json"
    shutil.copy(warning, repo / "policies" / "w.keyaccount.json")
    assert not run_action(repo, tmp_path, install="none")[0]
    failed, log, _ = run_action(repo, tmp_path, install="none", strict="true")
    assert failed and "::warning file=policies/w.keyaccount.json" in log[-1][1].stdout
    failed, log, _ = run_action(repo, tmp_path, install="conda")
    assert failed and "install must be pip, source or none" in log[0][1].stdout


def test_no_matching_policy_is_an_error_not_a_silent_pass(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    failed, log, _ = run_action(empty, tmp_path, install="none")
    assert failed and "no policy file matches" in log[-1][1].stdout
