"""JSON text for the C++ core from Python values. A value JSON cannot carry (a Decimal, an
infinity...) is reported where it is, never as json's or nlohmann's own error text. Internal."""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping, Optional

from . import _core


def first_unwritable(value: Any, default: Optional[Callable[[Any], Any]] = None,
                     path: Optional[list[str]] = None) -> Optional[tuple[list[str], Any]]:
    """(path, value) of the first value in `value` that json.dumps(default=`default`) refuses
    (a Decimal, an infinity, any other object), or None. Path parts are keys and "[i]"."""
    path = path or []
    if isinstance(value, Mapping):
        for k, v in value.items():
            found = first_unwritable(v, default, path + [str(k)])
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)) or \
            type(value).__name__ == "ndarray" and value.dtype.kind == "O":
        for j, x in enumerate(value):
            found = first_unwritable(x, default, path + [f"[{j}]"])
            if found:
                return found
        return None
    try:
        json.dumps(value, default=default, allow_nan=False)
        return None
    except (TypeError, ValueError):
        return path, value


def _problem(value: Any) -> str:
    if isinstance(value, float):
        return _core.columns.NOT_FINITE
    return f"cannot read a value of type {type(value).__name__}"


def dotted(root: str, path: list[str]) -> str:
    """``accounts[0].last_done.visit``: how the care and org errors name a place."""
    out = root
    for part in path:
        out += part if part.startswith("[") else f".{part}"
    return out


def pointer(root: str, path: list[str]) -> str:
    """``action/request/amount``: how the workflow errors name a place (a JSON pointer)."""
    return root + "/" + "/".join(p.strip("[]") for p in path)


def dumps(value: Any, root: str, error: Callable[[str, str], Exception],
          name: Callable[[str, list[str]], str] = dotted) -> str:
    """json.dumps(value); a value it cannot write raises error(place, problem)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        found = first_unwritable(value)
        if found is None:
            raise error(root, str(exc)) from None
        raise error(name(root, found[0]), _problem(found[1])) from None
