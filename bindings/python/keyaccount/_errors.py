"""Exception classes. Every error kind of the C++ core maps to one class here."""

from __future__ import annotations


class Error(Exception):
    """Base class of every error keyaccount raises."""
