"""
CEL expressions: evaluate and compile.
"""
from __future__ import annotations
import collections.abc
import typing
__all__: list[str] = ['CelProgram', 'cel_compile', 'cel_evaluate']
class CelProgram:
    """
    A compiled CEL expression. Immutable; evaluate it as often as needed.
    """
    def __repr__(self) -> str:
        ...
    def evaluate(self, variables: collections.abc.Mapping[str, typing.Any] | None = None) -> typing.Any:
        """
        Evaluates with the given {name: value} bindings.
        """
    @property
    def declarations(self) -> dict[str, str]:
        ...
    @property
    def result_type(self) -> str:
        ...
    @property
    def source(self) -> str:
        ...
def cel_compile(expr: str, declarations: collections.abc.Mapping[str, str] | None = None) -> CelProgram:
    """
    Compiles a CEL expression against {name: type text} declarations.
    """
def cel_evaluate(expr: str, variables: collections.abc.Mapping[str, typing.Any] | None = None) -> typing.Any:
    """
    Compiles and evaluates a CEL expression once.
    """
