"""A DataFrame's row named by its index label, never by its position. Internal.

The C++ core names a record of a list by its position, the only place it knows of it
(``accounts[3].tier: unknown tier "Key"``, ``... given twice (first at accounts[0])``): right
for a list of dicts, wrong for a DataFrame whose index is not 0, 1, 2... (issue 17 item 4). The
care functions hand a DataFrame over as such a list, so the one place that knows which frame a
list came from, this module, words each of its places by the row's index label and the record's
id (``accounts.loc['x'].tier (id C7): ...``, ``(first at accounts.loc['a'])``): once per call,
for the error raised and for the messages a result lists (``skipped``, ``warnings``).

A call decorated with :func:`located_rows` collects the frames its arguments were read from
(:func:`note_frame`, called where a DataFrame becomes records) and rewrites what leaves it.
"""

from __future__ import annotations

import contextvars
import functools
import re
from typing import Any, Callable, Optional, TypeVar

from ._errors import Error

_F = TypeVar("_F", bound=Callable[..., Any])

# argument name ("accounts") → the DataFrame its records came from, for the running call
_FRAMES: contextvars.ContextVar[Optional[dict[str, Any]]] = contextvars.ContextVar(
    "keyaccount_frames", default=None)

# Keys of a result's attrs that hold located messages.
_MESSAGE_LISTS = ("skipped", "warnings")


def note_frame(name: str, frame: Any) -> None:
    """Notes that the records named `name` in the core's messages are the rows of `frame`."""
    frames = _FRAMES.get()
    if frames is not None:
        frames[name] = frame


def _pattern(name: str) -> re.Pattern[str]:
    # NAME[N], then the field path the core appends (".tier", ".last_done.visit", ".dates[0]").
    # Not after a letter or a dot: "visit_plan[1]" is not "plan[1]".
    return re.compile(r"(first at )?(?<![\w.])" + re.escape(name) +
                      r"\[(\d+)\]((?:\.[^\s:\[\](),;\"']+|\[\d+\])*)")


def row_of(frame: Any, position: int) -> tuple[Any, Optional[str]]:
    """(index label, the record's id or None) of the row at `position`."""
    label = frame.index[position]
    if hasattr(label, "item") and type(label).__module__ == "numpy":
        label = label.item()
    record_id = frame["id"].iloc[position] if "id" in frame.columns else None
    return label, record_id if isinstance(record_id, str) and record_id else None


def relabel(text: str, frames: dict[str, Any], with_ids: bool = True) -> str:
    """`text` with each ``NAME[N]`` of a frame's records worded ``NAME.loc[LABEL]``, followed
    after the field by `` (id ID)`` when the record has one (`with_ids`; not after "first at":
    the message names that id already)."""
    for name, frame in frames.items():
        def word(m: re.Match[str], frame: Any = frame, name: str = name) -> str:
            first_at, position, path = m.group(1) or "", int(m.group(2)), m.group(3)
            if position >= len(frame):
                return m.group(0)
            label, record_id = row_of(frame, position)
            place = f"{first_at}{name}.loc[{label!r}]{path}"
            return place + (f" (id {record_id})" if with_ids and record_id and not first_at
                            else "")

        text = _pattern(name).sub(word, text)
    return text


def _relabel_error(exc: Error, frames: dict[str, Any]) -> None:
    """The error's message, problems, field and where reworded; ``row`` (position), ``index``
    (label) and ``id`` set from the first record it names, as classify sets them."""
    named = " ".join(x for x in (exc.field, *exc.problems) if isinstance(x, str) and x)
    for name, frame in frames.items():
        m = _pattern(name).search(named)
        if m and not m.group(1) and int(m.group(2)) < len(frame):
            exc.row = int(m.group(2))
            exc.index, exc.id = row_of(frame, exc.row)  # type: ignore[attr-defined]
            break
    if exc.args and isinstance(exc.args[0], str):
        exc.args = (relabel(exc.args[0], frames),) + exc.args[1:]
    if exc._problems is not None:
        exc.problems = [relabel(p, frames) for p in exc.problems]
    for key in ("field", "where"):
        value = getattr(exc, key, "")
        if isinstance(value, str) and value:
            setattr(exc, key, relabel(value, frames, with_ids=False))


def located_rows(fn: _F) -> _F:
    """Runs `fn` collecting the frames it reads (note_frame); the keyaccount.Error it raises and
    the located messages of the DataFrame it returns (``attrs`` "skipped", "warnings") name
    those frames' rows by index label."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        frames: dict[str, Any] = {}
        token = _FRAMES.set(frames)
        try:
            result = fn(*args, **kwargs)
        except Error as exc:
            if frames:
                _relabel_error(exc, frames)
            raise
        finally:
            _FRAMES.reset(token)
        attrs = getattr(result, "attrs", None)
        if frames and isinstance(attrs, dict):
            for key in _MESSAGE_LISTS:
                if isinstance(attrs.get(key), list):
                    attrs[key] = [relabel(m, frames) if isinstance(m, str) else m
                                  for m in attrs[key]]
        return result

    return call  # type: ignore[return-value]


def relabeled(messages: list[str]) -> list[str]:
    """`messages` with the running call's frames' rows named by label (for messages the call
    hands on itself, as plan_ics warns)."""
    frames = _FRAMES.get()
    return [relabel(m, frames) for m in messages] if frames else list(messages)
