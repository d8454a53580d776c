"""Amendments produce the new document (issue 20 item 6, Art. 13–14): an approved
``policy_amendment`` workflow instance and the candidate policy it approved give the amended
policy, with a new revision entry chained to the previous one by content hashes. The C++ core
does the work (keyaccount/policy/amend.hpp), as for ``keyaccount amend``."""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Optional, Union

from . import _core
from ._errors import Error
from .policy import Policy
from .workflow import Instance, _core_of

__all__ = ["Amendment", "AmendmentError", "amend", "amendment_request"]


class AmendmentError(Error):
    """:func:`amend` refused: ``kind`` says why (``not_an_amendment``, ``not_approved``,
    ``policy_mismatch``, ``candidate_mismatch``, ``invalid_request``, ``invalid_candidate``,
    ``invalid_amendment``, ``invalid_date``; docs/impact.md) and the message what does not
    match."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind: str = kind
        self.message: str = message


class Amendment:
    """The amended policy: ``policy`` (loaded), ``text`` (its JSON, to write to a file),
    ``revision`` (the revision entry added, a dict), ``approved_by`` (who signed) and
    ``candidate_hash`` (the content hash of the candidate as approved)."""

    def __init__(self, text: str, approved_by: str, candidate_hash: str) -> None:
        self.text: str = text
        self.policy: Policy = Policy.from_json(text)
        self.revision: dict[str, Any] = dict(json.loads(text)["document"]["revisions"][-1])
        self.approved_by: str = approved_by
        self.candidate_hash: str = candidate_hash

    def to_dict(self) -> dict[str, Any]:
        """The amended policy document as a dict."""
        return json.loads(self.text)

    def write(self, path: Union[str, os.PathLike[str]]) -> None:
        """Write the amended policy document (UTF-8 JSON) to ``path``."""
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(self.text)

    def __repr__(self) -> str:
        r = self.revision
        return (f"<Amendment {self.policy.id} {self.policy.version}: revision {r['mark']} "
                f"({r['changes']} change(s)) of {r['date']}, content hash "
                f"{r['content_hash'][:12]}>")


def amendment_request(baseline: Policy, candidate: Policy, summary: str) -> dict[str, Any]:
    """The request to submit to the ``policy_amendment`` workflow for ``candidate``:
    ``summary``, ``changes`` (the number of changes of ``baseline.diff(candidate)``),
    ``candidate_hash`` and ``baseline_hash`` (content hashes). :func:`amend` later produces the
    document only for the candidate with that hash."""
    for name, value in (("baseline", baseline), ("candidate", candidate)):
        if not isinstance(value, Policy):
            raise TypeError(f"{name} must be a keyaccount.Policy, not {type(value).__name__}")
    if not isinstance(summary, str):  # named here, not pybind11's "incompatible arguments"
        raise TypeError(f"summary must be a string, not {type(summary).__name__}")
    return json.loads(_core.policy.amendment_request(baseline._handle, candidate._handle, summary))


def amend(instance: Instance, candidate: Policy, *,
          effective_on: Union[str, _dt.date, None] = None,
          baseline: Optional[Policy] = None) -> Amendment:
    """The amended policy document from an approved ``policy_amendment`` ``instance`` and the
    ``candidate`` it approved (the request's ``candidate_hash`` must be its content hash):
    ``approved_on`` is the day of the final approval, ``effective_on`` the given day (default:
    that day), and a new revision entry (next mark, ``changes`` and ``summary`` from the
    request, the approval day, ``previous_hash`` and ``content_hash``) ends the revision log.
    With ``baseline`` (the policy in force), also checks that the instance started under it
    and that the request's ``changes`` is the number of changes of the diff. Raises
    :class:`AmendmentError` when refused."""
    inst = _core_of(instance, Instance, "instance")
    if not isinstance(candidate, Policy):
        raise TypeError(f"candidate must be a keyaccount.Policy, not {type(candidate).__name__}")
    if baseline is not None and not isinstance(baseline, Policy):
        raise TypeError(f"baseline must be a keyaccount.Policy, not {type(baseline).__name__}")
    if effective_on is not None and not isinstance(effective_on, (str, _dt.date)):
        raise TypeError(f"effective_on must be a date or 'YYYY-MM-DD', not "
                        f"{type(effective_on).__name__}")
    if isinstance(effective_on, _dt.datetime):
        effective_on = effective_on.date()
    day = effective_on.isoformat() if isinstance(effective_on, _dt.date) else effective_on
    text, second, third = _core.policy.amend_policy(inst, candidate._text, day,
                                             None if baseline is None else baseline._handle)
    if text is None:
        raise AmendmentError(second, third)
    return Amendment(text, second, third)
