"""The README's CI section, run: the pre-commit configuration, the GitHub Actions workflow and
the GitLab CI job it shows, each taken from the README as written and run here with the same
commands (the keyaccount installed with this package standing in for `pip install keyaccount`;
this checkout for the repository's published address), against a valid and a broken policy."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from junitparser import JUnitXml

import keyaccount
from test_action import run_action
from test_pre_commit import environment

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BROKEN = ROOT / "tests" / "data" / "invalid" / "46-undefined-position.json"
TESTS = ROOT / "policies" / "key-account-policy.tests.json"
FAILING_TESTS = ROOT / "tests" / "data" / "customers" / "failing.tests.json"


def snippet(name: str):
    m = re.search(rf"<!-- ci: {name} -->\n```yaml\n(.*?)^```", README, flags=re.S | re.M)
    assert m, f"README has no `<!-- ci: {name} -->` yaml block"
    return yaml.safe_load(m.group(1))


def project(tmp_path: Path, broken: bool = False, failing: bool = False) -> Path:
    """A user's repository as the snippets expect it: policies/ with a policy and its tests."""
    work = tmp_path / "project"
    (work / "policies").mkdir(parents=True)
    policy = work / "policies" / "key-account-policy.json"
    if broken:
        shutil.copy(BROKEN, policy)
    else:
        policy.write_text(keyaccount.default_policy_text(), encoding="utf-8")
    shutil.copy(FAILING_TESTS if failing else TESTS,
                work / "policies" / "key-account-policy.tests.json")
    return work


def sh(command: str, cwd: Path, env) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


# ---- pre-commit ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("broken", [False, True])
def test_the_pre_commit_configuration(tmp_path, broken):
    config = snippet("pre-commit")
    [repo_entry] = config["repos"]
    assert {h["id"] for h in repo_entry["hooks"]} <= {
        h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    env = environment(tmp_path)
    if sh("git rev-parse --is-inside-work-tree", ROOT, env).returncode != 0:
        pytest.skip("this checkout is not a git work tree (pre-commit clones the hooks' repo)")
    # This checkout at its HEAD stands in for the published repository and its tag.
    repo_entry["repo"] = str(ROOT)
    repo_entry["rev"] = sh("git rev-parse HEAD", ROOT, env).stdout.strip()
    work = project(tmp_path, broken=broken)
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert sh("git init -q && git add -A", work, env).returncode == 0
    r = sh(f"{sys.executable} -m pre_commit run --all-files", work, env)
    if broken:
        assert r.returncode == 1
        assert "error[undefined_position]" in r.stdout
    else:
        assert r.returncode == 0, r.stdout + r.stderr
        assert r.stdout.count("Passed") == 2


# ---- GitHub Actions --------------------------------------------------------------------------


@pytest.mark.parametrize("broken", [False, True])
def test_the_github_workflow(tmp_path, broken):
    workflow = snippet("github")
    assert workflow["permissions"]["security-events"] == "write"  # what upload-sarif needs
    [job] = workflow["jobs"].values()
    [step] = [s for s in job["steps"] if "keyaccount@" in s.get("uses", "")]
    work = project(tmp_path, broken=broken)
    failed, log, uploaded = run_action(work, tmp_path, install="none",
                                       **{k: str(v) for k, v in step["with"].items()})
    assert uploaded == {"sarif_file": "keyaccount.sarif", "category": "keyaccount"}
    assert (work / "keyaccount.sarif").is_file()
    if broken:
        assert failed
        assert "::error file=policies/key-account-policy.json,line=196,col=95," in log[-1][1].stdout
    else:
        assert not failed, [(n, r.stdout, r.stderr) for n, r in log]
        assert "PASS: 13 passed, 0 failed" in log[-1][1].stdout


# ---- GitLab CI -------------------------------------------------------------------------------


def run_gitlab_job(work: Path, env):
    [job] = snippet("gitlab").values()
    results = []
    for command in job["script"]:
        if command.startswith("pip install keyaccount"):
            continue  # installed already: this package
        r = sh(command, work, env)
        results.append(r)
        if r.returncode != 0:
            break
    return job, results


def test_the_gitlab_job_passes_and_leaves_its_junit_report(tmp_path):
    work = project(tmp_path)
    job, results = run_gitlab_job(work, environment(tmp_path))
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    report = work / job["artifacts"]["reports"]["junit"]
    xml = JUnitXml.fromfile(str(report))
    assert xml.tests == 13 + 1 and xml.failures == 0  # the cases, and the coverage gate


def test_the_gitlab_job_fails_on_a_failing_case_with_the_failure_in_the_report(tmp_path):
    work = project(tmp_path, failing=True)
    job, results = run_gitlab_job(work, environment(tmp_path))
    assert [r.returncode for r in results] == [0, 1]
    assert job["artifacts"]["when"] == "always"  # so the report is kept for the failed job
    xml = JUnitXml.fromfile(str(work / job["artifacts"]["reports"]["junit"]))
    assert xml.failures >= 1
    failures = [c.name for s in xml for c in s if not c.is_passed]
    assert "expects key at exactly 500" in failures


def test_the_gitlab_job_fails_on_a_broken_policy(tmp_path):
    work = project(tmp_path, broken=True)
    _, results = run_gitlab_job(work, environment(tmp_path))
    assert results[0].returncode == 1
    assert "error[undefined_position]" in results[0].stdout
