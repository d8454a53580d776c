import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[3]


def test_version_matches_cmake_project():
    cmake = (ROOT / "CMakeLists.txt").read_text()
    assert f"VERSION {keyaccount.__version__} " in cmake


def test_default_policy_text_is_the_policy_file():
    text = keyaccount.default_policy_text()
    assert text == (ROOT / "policies" / "key-account-policy.json").read_text(encoding="utf-8")
    assert json.loads(text)["format_version"] == "1.0"


def test_python_dash_m_prints_version():
    result = subprocess.run([sys.executable, "-m", "keyaccount", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == keyaccount.__version__


def test_cli_usage_error_exits_2(capsys):
    from keyaccount.__main__ import main
    assert main(["--no-such-flag"]) == 2
    assert "no-such-flag" in capsys.readouterr().err


#: The submodules of keyaccount._core, one per binding area (bindings/python/bind_<area>.cpp).
CORE_AREAS = ("cli", "policy", "expr", "workflow", "classify", "columns", "care")
CORE_STUBS = Path(keyaccount.__file__).parent / "_core"


def _stub_names(path):
    """The public names a stub declares at its top level, and per class the public members."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def names(body):
        found = set()
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found.add(node.target.id)
            elif isinstance(node, ast.Assign):
                found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.ImportFrom) and node.level:  # `from . import policy`
                found |= {a.asname or a.name for a in node.names}
        return {n for n in found if not n.startswith("_")}

    classes = {node.name: names(node.body) for node in tree.body if isinstance(node, ast.ClassDef)}
    return names(tree.body), classes


def test_core_is_split_into_the_stubbed_submodules():
    """keyaccount._core holds only its areas' submodules (and __version__); each is importable by
    its dotted name, and each has its stub, shipped with the package (py.typed)."""
    import keyaccount._core as core

    public = {name for name in dir(core) if not name.startswith("_")}
    assert public == set(CORE_AREAS)
    for area in CORE_AREAS:
        assert importlib.import_module(f"keyaccount._core.{area}") is getattr(core, area)
    assert (Path(keyaccount.__file__).parent / "py.typed").is_file()
    assert not (Path(keyaccount.__file__).parent / "_core.pyi").exists(), \
        "_core.pyi would shadow the stub package _core/"
    assert {p.stem for p in CORE_STUBS.glob("*.pyi")} == {"__init__", *CORE_AREAS}
    declared, _ = _stub_names(CORE_STUBS / "__init__.pyi")
    assert declared == set(CORE_AREAS), "_core/__init__.pyi re-exports every submodule"


@pytest.mark.parametrize("area", CORE_AREAS)
def test_the_stub_of_each_core_submodule_declares_exactly_its_names(area):
    """keyaccount/_core/<area>.pyi must list every public name of the submodule, and of each of
    its classes, and nothing the module lacks, or type checkers see a different API."""
    import keyaccount._core as core

    module = getattr(core, area)
    declared, classes = _stub_names(CORE_STUBS / f"{area}.pyi")
    public = {name for name in dir(module) if not name.startswith("_")}
    assert public - declared == set(), f"missing from _core/{area}.pyi"
    assert declared - public == set(), f"in _core/{area}.pyi but not in keyaccount._core.{area}"
    for name, members in classes.items():
        if name.startswith("_"):
            continue
        cls = getattr(module, name)
        # Members the class itself binds (not pybind11's base object's).
        own = {m for m in vars(cls) if not m.startswith("_")}
        assert own - members == set(), f"{name}: missing from _core/{area}.pyi"
        assert members - own == set(), f"{name}: in _core/{area}.pyi but not bound"


def test_keyaccount_spark_imports_without_pyspark():
    """pyspark is imported only when keyaccount.spark.classify runs: without it the module
    imports, and classify says what to install."""
    code = ("import sys; sys.modules['pyspark'] = None\n"
            "import keyaccount.spark\n"
            "try:\n"
            "    keyaccount.spark.classify(object(), '2026-06-30')\n"
            "except ImportError as e:\n"
            "    print(e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "pip install 'keyaccount[spark]'" in result.stdout
