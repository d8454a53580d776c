"""CEL (Common Expression Language) expressions, evaluated by keyaccount's C++ engine.

>>> from keyaccount import cel
>>> cel.evaluate("monthly.last(3).all(x, x > 50.0)", {"monthly": [10.0, 60.0, 70.0, 80.0]})
True
>>> program = cel.compile("cumulative > 500.0", {"cumulative": "double"})
>>> program.evaluate({"cumulative": 612.5})
True

Values map as: ``None`` ⇄ null, ``bool``, ``int`` (int64), ``float`` (double), ``str``,
``list``/``tuple``/numpy arrays → list, ``dict`` ⇄ map, ``datetime.date`` ⇄ date; numpy
scalars as the Python value they hold (``numpy.int64`` → int, ``numpy.bool_`` → bool,
``numpy.datetime64`` of a whole day → date). ``bytes`` have no CEL value here and are refused
(:class:`keyaccount.InputError`), as are date-times (pass ``.date()``).
Parse and type errors raise :class:`keyaccount.ExpressionError` (with ``.diagnostics``);
evaluation errors (division by zero, overflow, a missing key...) raise
:class:`keyaccount.EvaluationError`. See docs/cel.md for the language and its extensions.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _core
from ._errors import EvaluationError, ExpressionError

__all__ = ["Program", "compile", "evaluate", "ExpressionError", "EvaluationError"]

#: A compiled expression: ``evaluate(variables=None)``, ``result_type``, ``source``,
#: ``declarations``. Immutable and reusable.
Program = _core.expr.CelProgram


def evaluate(expr: str, variables: Optional[Mapping[str, Any]] = None) -> Any:
    """Compile and evaluate ``expr`` once, each variable typed after the value given for it."""
    return _core.expr.cel_evaluate(expr, _mapping(variables, "variables"))


def compile(expr: str, declarations: Optional[Mapping[str, str]] = None) -> Program:  # noqa: A001
    """Compile ``expr`` against ``declarations`` ({name: type text}, e.g. ``"list(double)"``,
    ``"date"``, ``"map(string, int)"``) into a reusable :data:`Program`."""
    return _core.expr.cel_compile(expr, _mapping(declarations, "declarations"))


def _mapping(value: Optional[Mapping[str, Any]], name: str) -> Optional[dict]:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of names, not {type(value).__name__}")
    return dict(value)
