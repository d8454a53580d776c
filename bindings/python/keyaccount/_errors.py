"""Exception classes. Every error kind of the C++ core maps to one class here, all under
:class:`Error`, so callers can catch broadly or branch precisely."""

from __future__ import annotations

from typing import Any


class Error(Exception):
    """Base class of every error keyaccount raises."""


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
    """A CEL expression failed at evaluation time (division by zero, overflow, no such key...)."""


class InputError(Error):
    """A customer record or other input does not match what the policy declares."""


class WorkflowError(Error):
    """Base class of the refusals of the approval-workflow engine."""


class ClassifierError(Error):
    """A policy's criteria or explanation templates could not be compiled into a classifier."""
