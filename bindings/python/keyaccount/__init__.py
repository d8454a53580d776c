"""keyaccount: a key-customer relationship maintenance policy as executable, explainable rules.

The C++ core lives in the private extension ``keyaccount._core``; this package re-exports a
small, documented Python API on top of it.
"""

from __future__ import annotations

from . import _core, care
from ._errors import (
    AllocationError,
    ArgumentError,
    CalendarError,
    ComplaintError,
    ConditionError,
    DuplicateRequestError,
    ComplaintRefused,
    ClassifierError,
    Error,
    EvaluationError,
    ExpressionError,
    InputError,
    InstanceFormatError,
    InvalidActionError,
    InvalidRequestError,
    LaterFactsWarning,
    NotAuthorizedError,
    PeopleError,
    PlanError,
    PolicyError,
    PolicyMismatchError,
    PolicyNotInForceWarning,
    SeparationOfDutiesError,
    StaleVersionError,
    SupplyError,
    UnknownPersonError,
    UnknownStepError,
    UnknownWorkflowError,
    WorkflowError,
    WrongStateError,
)
from .policy import Diagnostic, Policy, default_policy, validate
from .workflow import Instance, People, WorkflowSet, check_ownership, propose_owners
from .classify import Decision, Transition, classify, classify_columns, iter_classify, reclassify
from ._schemas import schema
from .impact import Comparison, PolicyDiff, compare, sweep
from .amend import Amendment, AmendmentError, amend, amendment_request
from .policy_tests import Coverage, PolicyTestCase, PolicyTestFile, PolicyTestReport, run_tests

__version__: str = _core.__version__

__all__ = [
    "AllocationError",
    "ArgumentError",
    "CalendarError",
    "ComplaintError",
    "PlanError",
    "SupplyError",
    "LaterFactsWarning",
    "PolicyNotInForceWarning",
    "ConditionError",
    "DuplicateRequestError",
    "Instance",
    "InstanceFormatError",
    "InvalidActionError",
    "InvalidRequestError",
    "NotAuthorizedError",
    "People",
    "PeopleError",
    "PolicyMismatchError",
    "SeparationOfDutiesError",
    "StaleVersionError",
    "UnknownPersonError",
    "UnknownStepError",
    "UnknownWorkflowError",
    "WorkflowSet",
    "WrongStateError",
    "check_ownership",
    "propose_owners",
    "ComplaintRefused",
    "ClassifierError",
    "Comparison",
    "PolicyDiff",
    "compare",
    "amend",
    "amendment_request",
    "Amendment",
    "AmendmentError",
    "sweep",
    "Decision",
    "Diagnostic",
    "Error",
    "EvaluationError",
    "ExpressionError",
    "InputError",
    "Policy",
    "PolicyError",
    "WorkflowError",
    "Transition",
    "Coverage",
    "PolicyTestCase",
    "PolicyTestFile",
    "PolicyTestReport",
    "run_tests",
    "cel",
    "__version__",
    "care",
    "classify",
    "classify_columns",
    "iter_classify",
    "default_policy",
    "default_policy_text",
    "reclassify",
    "schema",
    "validate",
]


def default_policy_text() -> str:
    """Return the JSON text of the embedded default policy (the seed, Art. 1–14)."""
    return _core.policy.default_policy_text()


from . import cel  # noqa: E402  (after _core: the CEL layer wraps it)
