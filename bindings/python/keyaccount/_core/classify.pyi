"""
The classifier and its batch entry points.
"""
from __future__ import annotations
import collections.abc
import keyaccount._core.policy
import numpy
import numpy.typing
import typing
__all__: list[str] = ['Classifier', 'ImpactReport', 'row_error_text', 'run_policy_tests', 'to_spark_sql']
class Classifier:
    """
    A policy's tiers and criteria compiled to CEL programs. Immutable and thread-safe.
    """
    def __init__(self, policy: keyaccount._core.policy.CompiledPolicy) -> None:
        ...
    def _time_classify_columns(self, rows: typing.SupportsInt | typing.SupportsIndex, columns: dict, as_of: str, threads: typing.SupportsInt | typing.SupportsIndex = 1, repeat: typing.SupportsInt | typing.SupportsIndex = 5) -> float:
        """
        Benchmark helper: best seconds of `repeat` C++ batch runs on these columns.
        """
    def classify_arrow(self, source: typing.Any, as_of: str, threads: typing.SupportsInt | typing.SupportsIndex = 1, explain: bool = False, first_row: typing.SupportsInt | typing.SupportsIndex = 0, ids: bool = True, text: str = "objects") -> tuple[numpy.typing.NDArray[numpy.int32], list, typing.Any, typing.Any]:
        """
        Classifies an Arrow table: `source` is the PyCapsule of `__arrow_c_stream__()` or the (schema, array) capsules of `__arrow_c_array__()`, read batch by batch in C++. (tier indices (int32, -1: no tier), [(row, field, message, criterion, id)], ids (object array; None without an id column or with ids=False), explanation columns or None).
        """
    def classify_columns(self, rows: typing.SupportsInt | typing.SupportsIndex, columns: dict, as_of: str, threads: typing.SupportsInt | typing.SupportsIndex = 1, explain: bool = False, text: str = "objects", blank: typing.Any | None = None) -> tuple[numpy.typing.NDArray[numpy.int32], list, typing.Any]:
        """
        Classifies a table given as columns {field: (kind, array, ...)}: (tier indices (int32, -1 for a bad row), [(row, field, message)], explanation columns or None).
        """
    def classify_json(self, record_json: str, as_of: str) -> int:
        """
        The tier index of one customer (JSON text).
        """
    def compare_columns(self, candidate: Classifier, rows: typing.SupportsInt | typing.SupportsIndex, columns: dict, as_of: str, threads: typing.SupportsInt | typing.SupportsIndex = 1, ids: collections.abc.Sequence[str] = []) -> ImpactReport:
        """
        The impact of `candidate` against this (baseline) policy on a table given as columns, as an ImpactReport (keyaccount/classify/impact.hpp).
        """
    def explain_json(self, record_json: str, as_of: str) -> str:
        """
        The explanation of one customer, as JSON text.
        """
    def explain_text(self, record_json: str, as_of: str) -> str:
        """
        The explanation of one customer, as text.
        """
    def provenance_json(self, as_of: str) -> str:
        """
        The provenance of its decisions on `as_of` (policy id, version, hash, as_of, keyaccount version), as JSON text.
        """
    def reclassify_json(self, record_json: str, as_of: str, previous_tier: str, consecutive_failures: typing.SupportsInt | typing.SupportsIndex) -> str:
        """
        Re-classification against the previous tier (Art. 6.1) and the profile card, as JSON.
        """
    @property
    def criterion_ids(self) -> list[str]:
        ...
    @property
    def fields_used(self) -> list[str]:
        ...
    @property
    def tier_ids(self) -> list[str]:
        ...
class ImpactReport:
    """
    The impact of a candidate policy on a table (keyaccount/classify/impact.hpp), as compare_columns returns it.
    """
    def change_columns(self) -> dict:
        """
        The changed customers as columns, in row order: {'row': int64 array, 'old_tier', 'new_tier': [str], 'flipped': [[criterion id]], 'old_why_not', 'new_why_not': [str] (each flipped criterion's English why-not as 'id: text', joined with '; ')}.
        """
    def to_json(self) -> str:
        """
        The report as JSON text, as `keyaccount diff --customers --format json` writes it (with `failures` when some rows were left out).
        """
    @property
    def customers(self) -> int:
        """
        Customers classified by both policies.
        """
    @property
    def failed(self) -> int:
        """
        Customers either policy could not classify (left out).
        """
    @property
    def failures(self) -> list:
        """
        [(row, policy, field, criterion, message)] of the rows left out, in row order.
        """
    @property
    def matrix(self) -> list[list[int]]:
        """
        matrix[i][j]: customers in baseline tier i and candidate tier j.
        """
def row_error_text(field: str, message: str, criterion: str = '') -> str:
    """
    A row's error in words (keyaccount/classify/format.hpp): 'criterion C could not be evaluated: message' when a criterion is named, else 'field: message'.
    """
def run_policy_tests(policy: keyaccount._core.policy.CompiledPolicy, policy_name: str, files: collections.abc.Sequence[str], threshold: typing.SupportsFloat | typing.SupportsIndex | None = None) -> str:
    """
    Runs policy test files against a CompiledPolicy; the report as JSON text (what `keyaccount test --format json` prints). Raises InputError for a file that cannot be read or is not a valid test file.
    """
def to_spark_sql(classifier: Classifier, as_of: str, columns: collections.abc.Sequence[tuple[str, str]]) -> tuple[str, str, str]:
    """
    The Spark SQL of a Classifier on `as_of` (YYYY-MM-DD) for a DataFrame of `columns` [(name, Spark type as DataType.simpleString() writes it)], in its order: (tier, error, refusal). `tier` gives a row's tier id where `error` is NULL; `error` words a row that cannot be classified as classify(on_error='skip') does. When the policy or a column cannot be translated exactly, both are '' and `refusal` says why.
    """
