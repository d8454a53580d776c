"""
Python and Arrow columns turned into C++ blocks.
"""
from __future__ import annotations
import numpy
import numpy.typing
import typing
__all__: list[str] = ['MISSING_REQUIRED', 'NOT_FINITE', 'arrow_category_codes', 'arrow_date_days', 'arrow_id_problems', 'arrow_repeated_id_rows', 'category_codes', 'date_days', 'expected_words', 'given_twice', 'id_problems', 'is_missing', 'kind_of', 'padded_lengths', 'read_column', 'repeated_id_rows', 'series_block', 'series_from_offsets']
#: The one wording of a missing required value.
MISSING_REQUIRED: str
#: The one wording of NaN or an infinity where a number belongs.
NOT_FINITE: str
def arrow_category_codes(chunks: list, field: str) -> tuple:
    """
    Arrow string chunks [(offsets, data, validity, offset, length)] to (codes, categories).
    """
def arrow_date_days(chunks: list, field: str) -> tuple:
    """
    Arrow string chunks [(offsets, data, validity, offset, length)] of dates to (int32 days, [(row, message)]).
    """
def arrow_id_problems(chunks: list, required: bool) -> list:
    """
    id_problems of an Arrow string column's chunks.
    """
def category_codes(values: typing.Any) -> tuple:
    """
    A column of strings to (int32 codes, categories, [(row, message)] of cells not text).
    """
def date_days(values: typing.Any) -> tuple:
    """
    A column of dates (text or date objects) to (int32 days, INT32_MIN: missing; [(row, message)] of the cells that are not dates).
    """
def expected_words(kind: str) -> str:
    """
    What a field of this type takes, in an error's words ('a number', ...).
    """
def id_problems(values: typing.Any, required: bool) -> list:
    """
    [(row, message)] of the ids the record reader would refuse (missing, empty, not text).
    """
def is_missing(value: typing.Any) -> bool:
    """
    Whether a value is no value: None, NaN, pandas' NA and NaT, numpy's NaT.
    """
def kind_of(value: typing.Any) -> str:
    """
    What a value is in an error's words: 'a string', 'a number', ...
    """
def padded_lengths(block: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]) -> typing.Any:
    """
    The int64 lengths of a 2-D float64 block of months right-padded with NaN (0 for a row of NaN), or None when no row ends in NaN.
    """
def read_column(kind: str, values: numpy.ndarray, missing: typing.Any, field: str, required: bool) -> tuple:
    """
    A number / int / bool / date column (a 1-D numpy array, typed or of objects, and a mask of missing values or None) read as the batch reads it: (values, bool mask of missing values for an optional int or bool column or None, [(row, message)] of the values refused, in the record reader's words).
    """
def series_block(rows: typing.Any, field: str) -> tuple:
    """
    A list column to (2-D float64 block, int64 lengths, bool mask of missing cells or None); InputError names a bad element.
    """
def series_from_offsets(offsets: typing.Annotated[numpy.typing.ArrayLike, numpy.int64], values: typing.Annotated[numpy.typing.ArrayLike, numpy.float64], field: str) -> tuple:
    """
    Flat values and int64 offsets (n + 1) to (2-D float64 block, int64 lengths).
    """
def repeated_id_rows(ids: typing.Any) -> tuple:
    """
    (int64 rows, int64 first rows) of the ids an earlier row gave (keyaccount/_repeated.py).
    """
def arrow_repeated_id_rows(chunks: list) -> tuple:
    """
    The same for Arrow string chunks [(offsets, data, validity, offset, length)].
    """
def given_twice(id: str, first: str) -> str:
    """
    The one wording of a customer id given twice.
    """
