"""Exception classes. Every error kind of the C++ core maps to one class here, all under
:class:`Error`, so callers can catch broadly or branch precisely."""

from __future__ import annotations

from typing import Any


class Error(Exception):
    """Base class of every error keyaccount raises.

    An error of the C++ core (docs/errors.md) carries what the core knows of it: ``problems``
    (every problem found, each a message starting with its own place; at least the message
    itself), ``where`` (the place as one string, ``FILE:LINE:COLUMN: /pointer: row N: field``
    with the parts known; ``""`` when unknown) and its parts ``file``, ``pointer``, ``field``
    (``""`` when unknown), ``line``, ``column``, ``row`` (``None`` when unknown), and
    ``error_kind``, the core's kind (``"input"``, ``"people"``, ...; ``""`` for errors raised
    by the Python layer)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._problems: list[str] | None = None
        self.where: str = ""
        self.file: str = ""
        self.line: int | None = None
        self.column: int | None = None
        self.pointer: str = ""
        self.field: str = ""
        self.row: int | None = None
        self.error_kind: str = ""

    @property
    def problems(self) -> list[str]:
        """Every problem, each located; for an error about one thing, its message alone (as
        reworded by the Python layer, when it adds a record's place)."""
        if self._problems is not None:
            return list(self._problems)
        return [str(self)] if self.args else []

    @problems.setter
    def problems(self, value: list[str]) -> None:
        self._problems = list(value)


class PolicyNotInForceWarning(UserWarning):
    """Art. 14: a policy was applied (classify, plan, compliance) on a day before its
    ``document.effective_on``. The call still returns its result, computed by the policy's
    rules; turn the warning into an error with
    ``warnings.simplefilter("error", keyaccount.PolicyNotInForceWarning)``, or catch it with
    ``warnings.catch_warnings(record=True)``."""


class LaterFactsWarning(UserWarning):
    """A question "as of a day" met facts dated after that day (a workflow action recorded
    later): they were ignored, as they were not known on that day, and the answer is the one
    that day would have given. The message says how many and until when."""


class PolicyError(Error):
    """A policy could not be loaded: it has at least one error diagnostic.

    ``diagnostics`` holds every problem found (not only the first)."""

    def __init__(self, message: str, diagnostics: list[Any] | None = None) -> None:
        super().__init__(message)
        self.diagnostics: list[Any] = list(diagnostics or [])


class ExpressionError(Error):
    """A CEL expression could not be parsed or type-checked."""

    def __init__(self, message: str, diagnostics: list[Any] | None = None) -> None:
        super().__init__(message)
        self.diagnostics: list[Any] = list(diagnostics or [])


class EvaluationError(Error):
    """A CEL expression failed at evaluation time (division by zero, overflow, an index past
    the end of a list...). When classifying, ``criterion`` is the id of the criterion whose
    condition failed on the customer's data and ``cause`` the CEL error; ``row`` (a table's
    row) or ``id`` (the customer id) says whose data. Empty / None where they do not apply
    (``keyaccount.cel.evaluate``)."""

    def __init__(self, message: str, criterion: str = "", cause: str = "",
                 row: int | None = None, id: str | None = None) -> None:
        super().__init__(message)
        self.criterion: str = criterion
        self.cause: str = cause
        self.row: int | None = row
        self.id: str | None = id


class ArgumentError(Error, ValueError):
    """An argument of a call has a value the function does not take (``on_error="ignore"``,
    ``threads=-1``, ``days=0``): the call was written wrongly, whatever the data. A
    ``ValueError`` too, as Python code expects of a bad argument value; a ``TypeError`` is
    raised instead when the argument is of the wrong type."""


class InputError(Error):
    """A customer record or other input does not match what the policy declares."""


class WorkflowError(Error):
    """Base class of the refusals of the approval-workflow engine."""


class PeopleError(InputError):
    """The people supplied do not fit the policy's organisation (unknown positions, duplicate
    ids, loops of superiors, headcount exceeded). ``problems`` lists every one, located."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        if problems is not None:
            self.problems = list(problems)


class InstanceFormatError(InputError, WorkflowError):
    """A stored workflow instance is not valid JSON of the instance format. ``where`` is the
    JSON pointer of the offending value (``/history/2/on``) or ``line L, column C``."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.pointer = where if where.startswith("/") else ""


class _Refusal(WorkflowError):
    """An action the engine refused. ``kind`` is the C++ refusal kind; the message says why."""

    kind: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message: str = message


class NotAuthorizedError(_Refusal):
    """The actor may not do this here and now (holds no position that may act, not active...)."""

    kind = "not_authorized"


class WrongStateError(_Refusal):
    """The instance is not in a state that allows the action (approving a rejected request...)."""

    kind = "wrong_state"


class SeparationOfDutiesError(_Refusal):
    """Own request, or one person filling two places where distinct people are required."""

    kind = "separation_of_duties"


class StaleVersionError(_Refusal):
    """The action was based on an older version of the instance (``expected_version``)."""

    kind = "stale_version"


class UnknownStepError(_Refusal):
    """The action names a step the workflow does not have."""

    kind = "unknown_step"


class UnknownWorkflowError(_Refusal):
    """The policy has no workflow with this id."""

    kind = "unknown_workflow"


class UnknownPersonError(_Refusal):
    """The actor or delegate is not among the people supplied."""

    kind = "unknown_person"


class InvalidRequestError(_Refusal):
    """The request does not match the workflow's declared request fields."""

    kind = "invalid_request"


class InvalidActionError(_Refusal):
    """The action itself is malformed (empty comment, delegation without an end, bad date...)."""

    kind = "invalid_action"


class DuplicateRequestError(_Refusal):
    """The request id was used before for a different action."""

    kind = "duplicate_request"


class ConditionError(_Refusal):
    """A step condition (CEL) could not be evaluated for this request."""

    kind = "condition_error"


class PolicyMismatchError(_Refusal):
    """The instance belongs to another policy (id or version) or its steps do not match."""

    kind = "policy_mismatch"


#: Refusal kind → exception class.
REFUSAL_CLASSES: dict[str, type[_Refusal]] = {
    cls.kind: cls
    for cls in (NotAuthorizedError, WrongStateError, SeparationOfDutiesError, StaleVersionError,
                UnknownStepError, UnknownWorkflowError, UnknownPersonError, InvalidRequestError,
                InvalidActionError, DuplicateRequestError, ConditionError, PolicyMismatchError)
}
class ComplaintRefused(Error):
    """A complaint cannot be closed (Art. 8). ``kind`` says why: ``open_escalation`` (an
    escalation on it is still open), ``not_resolved``, ``already_closed`` or ``invalid_date``."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind: str = kind
class ClassifierError(Error):
    """A policy's criteria or explanation templates could not be compiled into a classifier."""


class PlanError(InputError):
    """Accounts that cannot be planned (empty or duplicate id, unknown tier, an override the
    policy does not allow). ``problems`` lists every one, located."""


class CalendarError(InputError):
    """The festival calendar is unusable (an activity names a festival it does not have, a
    festival without an id or with one date twice). ``problems`` lists every one, located."""


class ComplaintError(InputError):
    """Complaints refused (an unknown category, dates out of order). ``problems`` lists every
    one, located."""


class AllocationError(InputError):
    """Allocation input refused (a duplicate line id, a negative quantity, a bad time, a pack
    size below 1). ``problems`` lists every one, located."""


class SupplyError(InputError):
    """Supply-watch input refused (no ``supply_watch`` section, a demand rule that fails, a stock
    line refused). ``problems`` lists every one, located."""


def located_input_error(message: str, field: str = "", row: int | None = None) -> InputError:
    """An InputError with the ``field`` and ``row`` attributes the C++ core sets on its own
    (internal: for the Python side's checks, so both kinds of error read the same)."""
    exc = InputError(message)
    exc.field, exc.row = field, row  # type: ignore[attr-defined]
    return exc
