"""
Care plans, compliance, events, allocation.
"""
from __future__ import annotations
import keyaccount._core.policy
import os
import typing
__all__: list[str] = ['care_allocate', 'care_close_complaint', 'care_compliance', 'care_escalations', 'care_plan', 'care_supply_watch', 'care_symposium']
def care_allocate(policy: keyaccount._core.policy.CompiledPolicy, stock: str | os.PathLike | bytes, orders: str | os.PathLike | bytes, on: str, within_tier: str | None = None, pack_size: typing.SupportsInt | typing.SupportsIndex | None = None, on_error: str = 'raise') -> str:
    """
    The allocation as JSON text.
    """
def care_close_complaint(complaint: str, on: str) -> str:
    """
    Closes a complaint (JSON text); raises ComplaintRefused with its kind when it cannot.
    """
def care_compliance(policy: keyaccount._core.policy.CompiledPolicy, customers: str | os.PathLike | bytes | None, accounts: str | os.PathLike | bytes, people: str | os.PathLike | bytes, complaints: str | os.PathLike | bytes | None, festivals: str | os.PathLike | bytes, as_of: str, symposium: str | os.PathLike | bytes | None = None, visit_plan: str | os.PathLike | bytes | None = None, on_error: str = 'raise') -> str:
    """
    The compliance report as JSON text ("skipped": the records left out under on_error='skip'); with customers, profile cards are checked too.
    """
def care_escalations(policy: keyaccount._core.policy.CompiledPolicy, complaints: str | os.PathLike | bytes, people: str | os.PathLike | bytes, as_of: str) -> str:
    """
    The escalations due on as_of, as JSON text.
    """
def care_plan(policy: keyaccount._core.policy.CompiledPolicy, customers: str | os.PathLike | bytes | None, accounts: str | os.PathLike | bytes, people: str | os.PathLike | bytes, festivals: str | os.PathLike | bytes, start: str, end: str, gift_amount: typing.SupportsFloat | typing.SupportsIndex, format: str, symposium: str | os.PathLike | bytes | None = None, visit_plan: str | os.PathLike | bytes | None = None, on_error: str = 'raise', start_workflows: bool = False) -> tuple[str, list[str]]:
    """
    The plan for a period as JSON, CSV or iCalendar text, and the located messages of the records skipped under on_error='skip'; customers, when given, are classified on the first day and the accounts merged into them.
    """
def care_supply_watch(policy: keyaccount._core.policy.CompiledPolicy, customers: str | os.PathLike | bytes, stock: str | os.PathLike | bytes, as_of: str, on_error: str = 'raise') -> str:
    """
    The supply watch (Art. 7.1-7.2) as JSON text.
    """
def care_symposium(policy: keyaccount._core.policy.CompiledPolicy, customers: str | os.PathLike | bytes | None, accounts: str | os.PathLike | bytes, people: str | os.PathLike | bytes, symposium: str | os.PathLike | bytes | None, as_of: str, year: typing.SupportsInt | typing.SupportsIndex | None = None, on_error: str = 'raise') -> str:
    """
    One year's symposium (Art. 10) on as_of as JSON text: invitees, invitations, attendance.
    """
