"""
Policies: loading, diagnostics, diffs, amendments.
"""
from __future__ import annotations
import collections.abc
import keyaccount._core.workflow
import os
import typing
__all__: list[str] = ['CompiledPolicy', 'Diagnostic', 'amend_policy', 'amendment_request', 'default_policy', 'default_policy_text', 'diff_policies', 'load_policy_file', 'load_policy_text', 'value_diagnostic', 'with_parameters']
class Diagnostic:
    """
    One problem found in a policy: severity, stable code, message, JSON pointer, and 1-based line and column in the file.
    """
    def __repr__(self) -> str:
        ...
    @property
    def code(self) -> str:
        ...
    @property
    def column(self) -> int | None:
        ...
    @property
    def line(self) -> int | None:
        ...
    @property
    def message(self) -> str:
        ...
    @property
    def pointer(self) -> str:
        ...
    @property
    def severity(self) -> str:
        ...
class CompiledPolicy:
    """
    A loaded, validated policy (immutable).
    """
    def not_in_force(self, as_of: str) -> str | None:
        """
        Art. 14: the warning when `as_of` is before `effective_on`, else None.
        """
    def summary(self) -> str:
        """
        A readable summary of the policy.
        """
    @property
    def canonical_text(self) -> str:
        ...
    @property
    def content_hash(self) -> str:
        ...
    @property
    def effective_on(self) -> str | None:
        ...
    @property
    def id(self) -> str:
        ...
    @property
    def version(self) -> str:
        ...
def amend_policy(instance: keyaccount._core.workflow.Instance, candidate_text: str, effective_on: str | None = None, baseline: CompiledPolicy | None = None) -> tuple[str | None, str, str]:
    """
    The amended policy document: (text, approved_by, candidate_hash), or (None, kind, message) when refused.
    """
def amendment_request(baseline: CompiledPolicy, candidate: CompiledPolicy, summary: str) -> str:
    """
    The request (JSON text) to submit to the policy_amendment workflow for `candidate`.
    """
def default_policy() -> CompiledPolicy:
    """
    The embedded default policy.
    """
def default_policy_text() -> str:
    """
    The JSON text of the embedded default policy.
    """
def diff_policies(old: CompiledPolicy, new: CompiledPolicy, format: str = 'json') -> str:
    """
    The structural diff of two policies: JSON text (format='json'), text or Markdown.
    """
def load_policy_file(path: os.PathLike | str | bytes) -> tuple[CompiledPolicy | None, list[Diagnostic]]:
    """
    Loads a policy file: (CompiledPolicy or None, [Diagnostic]).
    """
def load_policy_text(text: str, positions: bool = True) -> tuple[CompiledPolicy | None, list[Diagnostic]]:
    """
    Loads policy JSON text: (CompiledPolicy or None, [Diagnostic]). positions=False drops line and column (text serialised from a dict: the pointer is the place).
    """
def value_diagnostic(code: str, message: str, pointer: str) -> Diagnostic:
    """
    An error at a JSON pointer of a policy given as a dict (no line or column): for a value JSON cannot carry, found before serialising.
    """
def with_parameters(policy: CompiledPolicy, values: collections.abc.Mapping[str, typing.SupportsFloat | typing.SupportsIndex]) -> tuple[CompiledPolicy | None, list[Diagnostic]]:
    """
    The policy with some parameters set, validated: (CompiledPolicy or None, [Diagnostic]).
    """
