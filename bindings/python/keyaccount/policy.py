"""Policies: loading, validating and inspecting (the C++ loader does the work)."""

from __future__ import annotations

import datetime as _dt
import json
import re
import os
import warnings
from pathlib import Path
from typing import Any, Optional, Union

from . import _core
from ._errors import PolicyError, PolicyNotInForceWarning

Diagnostic = _core.policy.Diagnostic
PathLike = Union[str, "os.PathLike[str]"]


def _raise_if_invalid(handle: Any, diagnostics: list[Diagnostic], origin: str) -> None:
    if handle is not None:
        return
    errors = [d for d in diagnostics if d.severity == "error"]
    lines = [f"{origin}:{_place(d)}: error[{d.code}]: {d.message}" for d in errors[:20]]
    more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
    raise PolicyError(f"{origin}: the policy has {len(errors)} error(s)\n" + "\n".join(lines) + more,
                      diagnostics)


def _place(diagnostic: Diagnostic) -> str:
    """line:column in a text, or the JSON pointer for a policy given as a dict."""
    if diagnostic.line is None:
        return diagnostic.pointer or "/"
    return f"{diagnostic.line}:{diagnostic.column}"


def _pointer_token(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _values_json_cannot_carry(value: Any, pointer: str = "") -> list[Diagnostic]:
    """Errors for what json.dumps would write as text that is not JSON (NaN, Infinity) or refuse
    (a set, a date, a key that is not a string), each at its JSON pointer: a dict policy is
    checked before it is serialised, so its errors name the user's values, not our text."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return []
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return [_core.policy.value_diagnostic(
                "invalid_value", f"{value!r} is not valid JSON (JSON has no NaN or infinity)",
                pointer)]
        return []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if not isinstance(key, str):
                found.append(_core.policy.value_diagnostic(
                    "wrong_type", f"key {key!r} is a {type(key).__name__}; JSON keys are strings",
                    pointer))
                continue
            found += _values_json_cannot_carry(item, f"{pointer}/{_pointer_token(key)}")
        return found
    if isinstance(value, (list, tuple)):
        found = []
        for index, item in enumerate(value):
            found += _values_json_cannot_carry(item, f"{pointer}/{index}")
        return found
    return [_core.policy.value_diagnostic(
        "wrong_type", f"a {type(value).__name__} is not a JSON value (use a string, number, "
        "boolean, null, list or dict)", pointer)]


def _load_dict(data: dict[str, Any]) -> tuple[Any, list[Diagnostic], str]:
    """Loads a policy given as a dict: (handle or None, diagnostics with JSON pointers and no
    line/column, the JSON text it was serialised to)."""
    problems = _values_json_cannot_carry(data)
    if problems:
        return None, problems, ""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return (*_core.policy.load_policy_text(text, False), text)


class Policy:
    """A loaded, validated policy.

    Create one with :meth:`from_file`, :meth:`from_json`, :meth:`from_dict` or
    :func:`keyaccount.default_policy`. Loading an invalid policy raises
    :class:`keyaccount.PolicyError` carrying every diagnostic. Immutable; safe to share.
    """

    def __init__(self, handle: Any, text: str, diagnostics: list[Diagnostic] | None = None):
        self._handle = handle
        self._text = text
        self._data: dict[str, Any] | None = None
        #: Warnings found while loading (a policy with errors does not load).
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])

    @classmethod
    def from_file(cls, path: PathLike) -> "Policy":
        """Load a policy file (JSON)."""
        handle, diagnostics = _core.policy.load_policy_file(os.fspath(path))
        _raise_if_invalid(handle, diagnostics, os.fspath(path))
        # utf-8-sig: a byte-order mark, which the loader accepts, must not reach json.loads.
        return cls(handle, Path(path).read_text(encoding="utf-8-sig"), diagnostics)

    @classmethod
    def from_json(cls, text: str) -> "Policy":
        """Load a policy from JSON text."""
        handle, diagnostics = _core.policy.load_policy_text(text)
        _raise_if_invalid(handle, diagnostics, "<json>")
        return cls(handle, text.lstrip("\ufeff"), diagnostics)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Policy":
        """Load a policy from a dict (as ``json.load`` returns it)."""
        if not isinstance(data, dict):
            raise TypeError(f"Policy.from_dict expects a dict, not {type(data).__name__}")
        handle, diagnostics, text = _load_dict(data)
        _raise_if_invalid(handle, diagnostics, "<dict>")
        return cls(handle, text, diagnostics)

    @property
    def id(self) -> str:
        """The policy's id (``document.id``)."""
        return self._handle.id

    @property
    def version(self) -> str:
        """The policy's own version (``document.version``)."""
        return self._handle.version

    @property
    def effective_on(self) -> Optional[_dt.date]:
        """The day the policy comes into force (``document.effective_on``, Art. 14), or None."""
        text = self._handle.effective_on
        return None if text is None else _dt.date.fromisoformat(text)

    @property
    def content_hash(self) -> str:
        """SHA-256 (64 hex digits) of the policy's canonical JSON form: RFC 8785 of the document
        without ``$schema`` (docs/impact.md, "Provenance"). Every decision names it."""
        return self._handle.content_hash

    def with_parameters(self, **values: float) -> "Policy":
        """A new, validated policy with the given parameters set, e.g.
        ``policy.with_parameters(cumulative_amount_min=600)``; this one is unchanged.

        An unknown name, a value outside the parameter's range or a fraction for an ``int``
        parameter raises :class:`keyaccount.PolicyError` naming it (with "did you mean")."""
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise PolicyError(
                    f"with_parameters: {name}={value!r} is a {type(value).__name__}, "
                    "not a number", [_core.policy.value_diagnostic(
                        "wrong_type", f"parameter `{name}` must be a number", "/parameters")])
        handle, diagnostics = _core.policy.with_parameters(
            self._handle, {name: float(value) for name, value in values.items()})
        _raise_if_invalid(handle, diagnostics, "with_parameters")
        data = self.to_dict()
        for parameter in data.get("parameters") or []:
            if parameter.get("id") in values:
                parameter["value"] = values[parameter["id"]]
        return Policy(handle, json.dumps(data, ensure_ascii=False, indent=2), diagnostics)

    def to_dict(self) -> dict[str, Any]:
        """The policy as a dict (a fresh copy of the JSON it was loaded from)."""
        return json.loads(self._text)

    def to_json(self) -> str:
        """The JSON text the policy was loaded from."""
        return self._text

    def _section(self, name: str) -> Any:
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data.get(name)

    @property
    def parameters(self) -> dict[str, float]:
        """The policy's parameters (the template's filled-in blanks), id → value."""
        return {p["id"]: p["value"] for p in self._section("parameters") or []}

    @property
    def tier_ids(self) -> list[str]:
        """Tier ids, in the order they are tried; the last is the fallback."""
        return [t["id"] for t in self._section("tiers") or []]

    @property
    def workflow_ids(self) -> list[str]:
        """Ids of the approval workflows."""
        return [w["id"] for w in self._section("workflows") or []]

    def describe(self) -> str:
        """A readable summary: tiers with their criteria, positions, workflows, activities."""
        return self._handle.summary()

    def __repr__(self) -> str:
        return f"<Policy {self.id} v{self.version}>"

    def _repr_markdown_(self) -> str:
        # A code block whose fence is longer than any run of backticks in the text, so that a
        # fence inside a name or description cannot close it (CommonMark).
        text = self.describe()
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}text\n{text}{'' if text.endswith(chr(10)) else chr(10)}{fence}"


def default_policy() -> Policy:
    """The embedded default policy (the seed, with its documented defaults)."""
    return Policy(_core.policy.default_policy(), _core.policy.default_policy_text())


_shared_default: list[Policy] = []


def resolve_policy(policy: Optional[Policy]) -> Policy:
    """The ``policy=`` argument of every function that takes one: a Policy as given, None for
    the embedded default (loaded once, then shared: a Policy is immutable). Anything else is a
    TypeError naming what was passed, instead of an AttributeError from deep inside."""
    if policy is None:
        if not _shared_default:
            _shared_default.append(default_policy())
        return _shared_default[0]
    if not isinstance(policy, Policy):
        hint = (" (load a file, text or dict with Policy.from_file / from_json / from_dict)"
                if isinstance(policy, (str, bytes, os.PathLike, dict)) else "")
        raise TypeError(f"policy: expected a keyaccount.Policy or None, "
                        f"got {type(policy).__name__}{hint}")
    return policy


def validate(source: Union[PathLike, str, dict[str, Any]]) -> list[Diagnostic]:
    """Validate a policy and return every diagnostic (errors and warnings); never raises for a
    bad policy.

    ``source`` is a path, JSON text (a string starting with ``{``) or a dict.
    """
    if isinstance(source, dict):
        return _load_dict(source)[1]
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("{"):
        return _core.policy.load_policy_text(source)[1]
    if isinstance(source, (str, os.PathLike)):
        return _core.policy.load_policy_file(os.fspath(source))[1]
    raise TypeError(f"validate expects a path, JSON text or a dict, not {type(source).__name__}")


def warn_if_not_in_force(policy: Optional[Policy], as_of: str, stacklevel: int) -> None:
    """Art. 14: issue :class:`keyaccount.PolicyNotInForceWarning` when ``as_of`` (text
    "YYYY-MM-DD") is before the policy's ``effective_on``. ``stacklevel`` points the warning at
    the user's call (counted from the caller of this function)."""
    message = resolve_policy(policy)._handle.not_in_force(as_of)
    if message is not None:
        warnings.warn(PolicyNotInForceWarning(message), stacklevel=stacklevel + 1)
