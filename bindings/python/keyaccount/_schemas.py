"""The JSON Schemas of keyaccount's input files, as installed inside this package.

CMake's ``python`` install component copies schema/*.schema.json into ``keyaccount/schemas/``
(bindings/python/CMakeLists.txt); they are read from there with importlib.resources, so they
work from a wheel, a zip or an installed tree alike.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

#: The schemas by name: what ``keyaccount schema NAME`` prints too. "policy" and "tests" describe
#: input files; the ``*-report`` ones the JSON output of a command (``--format json``).
SCHEMA_FILES = {
    "policy": "policy.schema.json",
    "tests": "policy-tests.schema.json",
    "validate-report": "validate-report.schema.json",
    "test-report": "test-report.schema.json",
    "classify-record": "classify-record.schema.json",
    "plan-report": "plan-report.schema.json",
    "compliance-report": "compliance-report.schema.json",
    "allocate-report": "allocate-report.schema.json",
    "symposium-report": "symposium-report.schema.json",
    "supply-report": "supply-report.schema.json",
    "diff-report": "diff-report.schema.json",
}


def schema_text(name: str = "policy") -> str:
    """The text of the JSON Schema ``name`` ("policy": policy files, the default; "tests":
    policy test files; "validate-report", "test-report", ...: a command's JSON output).
    Raises ValueError for any other name."""
    try:
        file = SCHEMA_FILES[name]
    except KeyError:
        raise ValueError(f"no schema {name!r}; expected one of "
                         f"{', '.join(SCHEMA_FILES)}") from None
    return resources.files(__package__).joinpath("schemas", file).read_text(encoding="utf-8")


def schema(name: str = "policy") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) ``name`` as a dict: "policy" for policy files (the
    default), "tests" for policy test files (``keyaccount test``), "<command>-report" for the
    JSON a command prints (``keyaccount validate --format json``: "validate-report"). For example, to check a
    policy with the jsonschema package::

        jsonschema.Draft202012Validator(keyaccount.schema()).validate(policy_dict)

    The schema checks shape only; ``keyaccount.validate`` checks meaning as well (CEL
    conditions, references, dates in order). Raises ValueError for an unknown name."""
    return json.loads(schema_text(name))
