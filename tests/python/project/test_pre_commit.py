"""The pre-commit hooks of .pre-commit-hooks.yaml, run for real: `pre-commit try-repo` against
this checkout, in a scratch git repository holding a broken and a valid policy (the -system
hook, which runs the keyaccount installed with this package; the other hooks differ only in
installing keyaccount from the repository first, which builds the C++ package)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BROKEN = ROOT / "tests" / "data" / "invalid" / "46-undefined-position.json"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The keyaccount command installed with this Python, first on the PATH; pre-commit's own
    # cache and git's identity in the scratch space.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    env.pop("PRE_COMMIT", None)
    return env


def run(args, cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def test_the_hooks_are_declared_as_documented():
    by_id = {h["id"]: h for h in HOOKS}
    assert set(by_id) == {"keyaccount-validate", "keyaccount-test", "keyaccount-validate-system",
                          "keyaccount-test-system"}
    for name in ("keyaccount-validate", "keyaccount-test"):
        assert by_id[name]["language"] == "python"
        assert by_id[f"{name}-system"]["language"] == "system"
        for hook in (by_id[name], by_id[f"{name}-system"]):
            assert hook["entry"] == name.replace("-", " ")
    assert by_id["keyaccount-test"]["pass_filenames"] is False
    # The pyproject's script is what the python hooks run.
    assert "keyaccount = " in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("path,matches", [
    ("key-account-policy.json", True), ("policies/key-account-policy-2027.json", True),
    ("sales.keyaccount.json", True), ("a/b/sales.keyaccount.json", True),
    ("key-account-policy.tests.json", False), ("sales.keyaccount-tests.json", False),
    ("package.json", False), ("keyaccount.json", False)])
def test_the_validate_hook_picks_policy_files_by_name(path, matches):
    import re
    hook = next(h for h in HOOKS if h["id"] == "keyaccount-validate")
    picked = bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)
    assert picked == matches


def test_try_repo_fails_on_a_broken_policy_then_passes_once_it_is_fixed(tmp_path):
    env = environment(tmp_path)
    repo = tmp_path / "policies-repo"
    repo.mkdir()
    assert run(["git", "init", "-q"], repo, env).returncode == 0
    (repo / "good.keyaccount.json").write_text(keyaccount.default_policy_text(), encoding="utf-8")
    shutil.copy(BROKEN, repo / "broken.keyaccount.json")
    (repo / "notes.json").write_text("not even JSON", encoding="utf-8")  # not a policy: ignored
    assert run(["git", "add", "-A"], repo, env).returncode == 0
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT),
                "keyaccount-validate-system", "--all-files"]

    failed = run(try_repo, repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "broken.keyaccount.json:196:95: error[undefined_position]" in failed.stdout
    assert "good.keyaccount.json: valid" in failed.stdout
    assert "notes.json" not in failed.stdout

    shutil.copy(repo / "good.keyaccount.json", repo / "broken.keyaccount.json")
    assert run(["git", "add", "-A"], repo, env).returncode == 0
    passed = run(try_repo, repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_try_repo_runs_the_policy_tests(tmp_path):
    env = environment(tmp_path)
    repo = tmp_path / "tests-repo"
    repo.mkdir()
    assert run(["git", "init", "-q"], repo, env).returncode == 0
    shutil.copy(ROOT / "tests" / "data" / "customers" / "failing.tests.json",
                repo / "sales.keyaccount-tests.json")
    assert run(["git", "add", "-A"], repo, env).returncode == 0
    # try-repo takes no args for a hook: a config as a user writes it, with this checkout.
    rev = run(["git", "rev-parse", "HEAD"], ROOT, env).stdout.strip()
    config = (f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n"
              "  - id: keyaccount-test-system\n    args: [sales.keyaccount-tests.json]\n")
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    r = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], repo, env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "FAIL: expects key at exactly 500" in r.stdout
