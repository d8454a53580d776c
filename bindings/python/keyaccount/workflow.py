"""Responsibility roles, dedicated owners and approval workflows (Art. 3, 6.2, 11-14).

The C++ engine does the work; this module gives it a Python face::

    import keyaccount as ka
    people = ka.People([{"id": "alice", "positions": ["cr_specialist"]}, ...])
    flows = ka.WorkflowSet()                       # the default policy's workflows
    inst = flows.start("gift_request", {"action": "submit", "actor": "alice",
                                        "on": "2026-01-05", "request": {...}}, people)
    inst = flows.apply(inst, {"action": "approve", "actor": "fay", "on": "2026-01-06"}, people)

Instances are values: ``apply`` returns a new one and leaves its argument alone. Every refusal
raises its own subclass of :class:`keyaccount.WorkflowError` (``NotAuthorizedError``,
``SeparationOfDutiesError``, ...).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import warnings
from typing import Any, Iterable, Optional, Union

from . import _core
from ._errors import InstanceFormatError, InvalidActionError, LaterFactsWarning, PeopleError
from ._errors import located_input_error as _input_error
from ._jsontext import dumps as _dumps
from ._jsontext import pointer as _pointer
from .policy import Policy, resolve_policy

DateLike = Union[str, _dt.date]

__all__ = ["Instance", "People", "WorkflowSet", "check_ownership", "propose_owners"]


def _day(value: DateLike) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _action_json(action: dict[str, Any]) -> str:
    if not isinstance(action, dict):
        raise TypeError(f"an action is a dict, not {type(action).__name__}")
    data = dict(action)
    for key in ("on", "until"):
        if key in data and isinstance(data[key], _dt.date):
            data[key] = _day(data[key])
    return _dumps(data, "action", lambda at, problem: InvalidActionError(f"{at}: {problem}"),
                  _pointer)


def _warn_later(instance: Any, as_of: DateLike, ignored: int) -> None:
    if ignored:
        last = instance.history[-1]["on"]
        warnings.warn(f"instance {instance.workflow}: {ignored} action(s) dated after "
                      f"{_day(as_of)} (the last on {last}) ignored: not known on that day",
                      LaterFactsWarning, stacklevel=3)


def _people_error(place: str, problem: str) -> Exception:
    return PeopleError(f"invalid people\n  {place}: {problem}", [f"{place}: {problem}"])


def _core_of(value: Any, cls: type, name: str) -> Any:
    """The C++ value behind a People or Instance argument; another type is a TypeError."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a keyaccount.{cls.__name__}, not "
                        f"{type(value).__name__}")
    return value._core


class People:
    """The people of the organisation, as the host system knows them, joined with a policy's
    positions (Art. 3). Raises :class:`keyaccount.PeopleError` listing every problem.

    ``people``: a list of ``{"id", "name", "positions", "superior", "active"}`` dicts, or a
    dict with such a list under ``"people"``.
    """

    def __init__(self, people: Union[list[dict[str, Any]], dict[str, Any]],
                 policy: Optional[Policy] = None) -> None:
        self.policy: Policy = resolve_policy(policy)
        root = people.get("people", people) if isinstance(people, dict) else people
        # Serialised once: a value JSON cannot carry is located; the C++ side reads the list
        # (or, for a dict without "people", says what it expected).
        text = _dumps(root, "people", _people_error)
        self._core = _core.workflow.Directory(self.policy._handle, text)
        self._ids = frozenset(p["id"] for p in self.to_list())  # for superior_of's check

    def holders(self, position: str) -> list[str]:
        """Ids of the active people holding ``position``, sorted (empty when nobody does).
        A position the policy does not define is a KeyError, not an empty list."""
        organization = self.policy._section("organization") or {}
        positions = [p["id"] for p in organization.get("positions", [])]
        if position not in positions:
            raise KeyError(f"unknown position {position!r}; the policy's positions: "
                           + ", ".join(positions))
        return self._core.holders(position)

    def superior_of(self, person: str) -> Optional[str]:
        """The person's active superior (explicit, or by the policy's reporting line); None for
        someone without one. A person not among these people is a KeyError."""
        if person not in self._ids:
            raise KeyError(f"no person {person!r} among these people")
        return self._core.superior_of(person)

    def to_list(self) -> list[dict[str, Any]]:
        """The people as dicts."""
        return json.loads(self._core.people_json())

    def __len__(self) -> int:
        return len(self.to_list())

    def __repr__(self) -> str:
        return f"<People: {len(self)} people>"


class Instance:
    """A workflow instance: a value with its full history, serialisable to a dict or JSON text
    (format version 1, see docs/workflows.md) and back, losslessly."""

    def __init__(self, core: Any) -> None:
        self._core = core

    # A value nothing can change (apply returns a new one): a copy is the instance itself, so
    # that pandas can copy a DataFrame whose attrs hold instances (care.plan's "workflows").
    def __copy__(self) -> "Instance":
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> "Instance":
        return self

    @classmethod
    def from_json(cls, text: str) -> "Instance":
        """Read an instance from JSON text; raises :class:`keyaccount.InstanceFormatError`
        locating the problem."""
        return cls(_core.workflow.Instance.from_json_text(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Instance":
        """Read an instance from a dict (as :meth:`to_dict` returns it)."""
        return cls.from_json(_dumps(data, "", lambda at, problem: InstanceFormatError(
            f"{at}: {problem}", at), _pointer))

    def to_json(self, indent: Optional[int] = None) -> str:
        """The instance as JSON text."""
        return self._core.to_json_text(-1 if indent is None else indent)

    def to_dict(self) -> dict[str, Any]:
        """The instance as a dict (a fresh copy)."""
        return json.loads(self._core.to_json_text(-1))

    @property
    def workflow(self) -> str:
        return self._core.workflow

    @property
    def state(self) -> str:
        """``in_progress``, ``returned``, ``approved``, ``rejected`` or ``withdrawn``."""
        return self._core.state

    @property
    def current_step(self) -> Optional[str]:
        return self._core.current_step

    @property
    def version(self) -> int:
        """Incremented by every accepted action; pass it as ``expected_version``."""
        return self._core.version

    @property
    def requester(self) -> str:
        return self._core.requester

    @property
    def history(self) -> list[dict[str, Any]]:
        """Every accepted action: version, action, actor, on, step, comment, request_id, ..."""
        return self.to_dict()["history"]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Instance) and self._core == other._core

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        step = f" at {self.current_step}" if self.current_step else ""
        return f"<Instance {self.workflow} {self.state}{step} v{self.version}>"

    def _repr_markdown_(self) -> str:
        d = self.to_dict()
        lines = [f"**{d['workflow']}** — {d['state']}"
                 + (f" at `{d['current_step']}`" if d["current_step"] else "")
                 + f" (version {d['version']}, requested by {d['requester']})", "",
                 "| step | status | approvals |", "|---|---|---|"]
        for s in d["steps"]:
            who = ", ".join(a["person"] + (f" for {a['on_behalf_of']}" if a["on_behalf_of"] else "")
                            for a in s["approvals"])
            lines.append(f"| {s['id']} | {s['status']} | {who} |")
        lines += ["", "| # | on | who | action | comment |", "|---|---|---|---|---|"]
        for h in d["history"]:
            lines.append(f"| {h['version']} | {h['on']} | {h['actor']} | {h['action']} "
                         f"| {h['comment']} |")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        d = self.to_dict()
        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(s['id'])}</td><td>{esc(s['status'])}</td>"
            f"<td>{esc(', '.join(a['person'] for a in s['approvals']))}</td></tr>"
            for s in d["steps"])
        hist = "".join(
            f"<tr><td>{h['version']}</td><td>{esc(h['on'])}</td><td>{esc(h['actor'])}</td>"
            f"<td>{esc(h['action'])}</td><td>{esc(h['comment'])}</td></tr>"
            for h in d["history"])
        return (f"<div><b>{esc(d['workflow'])}</b> — {esc(d['state'])} (version {d['version']})"
                f"<table><tr><th>step</th><th>status</th><th>approvals</th></tr>{rows}</table>"
                f"<table><tr><th>#</th><th>on</th><th>who</th><th>action</th><th>comment</th></tr>"
                f"{hist}</table></div>")


class WorkflowSet:
    """A policy's approval workflows, compiled: immutable, safe to share between threads."""

    def __init__(self, policy: Optional[Policy] = None) -> None:
        self.policy: Policy = resolve_policy(policy)
        self._core = _core.workflow.WorkflowSet(self.policy._handle)

    @property
    def workflow_ids(self) -> list[str]:
        return self._core.workflow_ids

    def start(self, workflow: str, action: dict[str, Any], people: People) -> Instance:
        """Start ``workflow`` with a submit action (carrying ``request``)."""
        return Instance(self._core.start(workflow, _action_json(action),
                                        _core_of(people, People, "people")))

    def apply(self, instance: Instance, action: dict[str, Any], people: People) -> Instance:
        """Apply ``action``; returns the new instance (``instance`` is unchanged). Raises a
        :class:`keyaccount.WorkflowError` subclass when refused. Repeating an applied
        ``request_id`` returns the instance unchanged (safe retries)."""
        return self.apply_detailed(instance, action, people)[0]

    def apply_detailed(self, instance: Instance, action: dict[str, Any],
                       people: People) -> tuple[Instance, bool]:
        """Like :meth:`apply`, and also says whether the action was a replay of an applied
        request id: ``(instance, replayed)``."""
        core, replayed = self._core.apply(_core_of(instance, Instance, "instance"),
                                          _action_json(action), _core_of(people, People, "people"))
        return Instance(core), replayed

    def who_may_act(self, instance: Instance, as_of: DateLike,
                    people: People) -> list[dict[str, Any]]:
        """Who may act on the current step on ``as_of``: person, place, via, on_behalf_of.

        Answered for the instance as it stood on ``as_of``: actions recorded after that day
        are ignored (with a :class:`LaterFactsWarning`). An instance of another policy raises
        :class:`PolicyMismatchError`; one submitted after ``as_of`` :class:`WrongStateError`."""
        text, ignored = self._core.who_may_act(_core_of(instance, Instance, "instance"),
                                               _day(as_of), _core_of(people, People, "people"))
        _warn_later(instance, as_of, ignored)
        return json.loads(text)

    def as_of(self, instance: Instance, day: DateLike, people: People) -> Instance:
        """``instance`` as it stood at the end of ``day``: its history replayed up to that day,
        leaving out later actions (a :class:`LaterFactsWarning` says how many). Refusals as
        :meth:`who_may_act`."""
        core, ignored = self._core.as_of(_core_of(instance, Instance, "instance"), _day(day),
                                         _core_of(people, People, "people"))
        _warn_later(instance, day, ignored)
        return Instance(core)

    def deadline(self, instance: Instance, as_of: DateLike,
                 people: People) -> Optional[dict[str, Any]]:
        """The current step's deadline on ``as_of`` (due, overdue, escalation level and the
        superiors it escalated to), or None when no step is active. Answered for the instance
        as it stood on ``as_of``, as :meth:`who_may_act` is."""
        text, ignored = self._core.deadline(_core_of(instance, Instance, "instance"),
                                            _day(as_of), _core_of(people, People, "people"))
        _warn_later(instance, as_of, ignored)
        return None if text is None else json.loads(text)

    def graph(self, workflow: str, format: str = "mermaid",
              instance: Optional[Instance] = None) -> str:
        """A Mermaid or Graphviz DOT picture of ``workflow``, with ``instance``'s progress."""
        progress = None if instance is None else _core_of(instance, Instance, "instance")
        return self._core.draw(workflow, format, progress)

    def __repr__(self) -> str:
        return f"<WorkflowSet {', '.join(self.workflow_ids)}>"

    def _repr_markdown_(self) -> str:
        return "\n\n".join(f"```mermaid\n{self.graph(w)}```" for w in self.workflow_ids)


def _ownership_args(customers: Iterable[dict[str, str]],
                    assignments: Union[Iterable[dict[str, str]], dict[str, str]]) -> tuple[str, str]:
    if isinstance(assignments, dict):
        assignments = [{"customer": c, "owner": o} for c, o in assignments.items()]
    out = []
    for name, items in (("customers", customers), ("assignments", assignments)):
        if isinstance(items, (str, bytes, dict)) or not isinstance(items, Iterable):
            raise TypeError(f"{name} must be a list of dicts, not {type(items).__name__}")
        out.append(_dumps(list(items), name,
                          lambda at, problem: _input_error(f"{at}: {problem}", at)))
    return out[0], out[1]


def _limit(people: Any, max_accounts_per_owner: Any) -> Any:
    _core_of(people, People, "people")
    m = max_accounts_per_owner
    if m is not None and (isinstance(m, bool) or not isinstance(m, int) or not 0 <= m < 2 ** 31):
        raise _input_error("max_accounts_per_owner: expected a whole number >= 0 (0: no "
                           f"limit), got {m!r}", "max_accounts_per_owner")
    return m


def check_ownership(people: People, customers: Iterable[dict[str, str]],
                    assignments: Union[Iterable[dict[str, str]], dict[str, str]],
                    max_accounts_per_owner: Optional[int] = None) -> dict[str, Any]:
    """Art. 6.2: check that every key customer has exactly one active owner holding the
    required position, and nobody owns more than the limit. ``customers``: ``{"id", "tier"}``
    dicts; ``assignments``: ``{"customer", "owner"}`` dicts or a ``{customer: owner}`` dict.
    Returns ``{"ok", "issues", "unowned", "load"}``."""
    max_accounts_per_owner = _limit(people, max_accounts_per_owner)
    c, a = _ownership_args(customers, assignments)
    return json.loads(_core.workflow.check_ownership(people.policy._handle, people._core, c, a,
                                            max_accounts_per_owner))


def propose_owners(people: People, customers: Iterable[dict[str, str]],
                   assignments: Union[Iterable[dict[str, str]], dict[str, str]],
                   max_accounts_per_owner: Optional[int] = None) -> dict[str, Any]:
    """Propose owners for the key customers without a valid one, balancing load,
    deterministically. Returns ``{"proposed", "unplaceable", "load_after"}``."""
    max_accounts_per_owner = _limit(people, max_accounts_per_owner)
    c, a = _ownership_args(customers, assignments)
    return json.loads(_core.workflow.propose_owners(people.policy._handle, people._core, c, a,
                                           max_accounts_per_owner))
