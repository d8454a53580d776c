import json
import re
import subprocess
import sys
from pathlib import Path

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


def test_the_type_stub_declares_exactly_the_extension_modules_names():
    """keyaccount/_core.pyi (shipped with py.typed) must list every public name of the
    extension module and nothing it lacks, or type checkers see a different API."""
    import keyaccount._core as core

    stub = (Path(keyaccount.__file__).parent / "_core.pyi").read_text(encoding="utf-8")
    declared = set(re.findall(r"^(?:def|class) (\w+)", stub, flags=re.M))
    public = {name for name in dir(core) if not name.startswith("_")}
    assert public - declared == set(), "missing from _core.pyi"
    assert declared - public == set(), "in _core.pyi but not in the module"


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
