"""
Python and Arrow columns turned into C++ blocks.
"""
from __future__ import annotations
import numpy
import numpy.typing
import typing
__all__: list[str] = ['arrow_category_codes', 'arrow_date_days', 'arrow_repeated_id_rows', 'category_codes', 'date_days', 'given_twice', 'repeated_id_rows', 'series_block', 'series_from_offsets', 'text_cell_states']
def arrow_category_codes(chunks: list, field: str) -> tuple:
    """
    Arrow string chunks [(offsets, data, validity, offset, length)] to (codes, categories).
    """
def arrow_date_days(chunks: list, field: str) -> numpy.typing.NDArray[numpy.int32]:
    """
    Arrow string chunks [(offsets, data, validity, offset, length)] of dates to int32 days.
    """
def category_codes(values: typing.Any) -> typing.Any:
    """
    A column of strings to (int32 codes, categories), or None for other element types.
    """
def date_days(values: typing.Any, field: str) -> typing.Any:
    """
    A column of date strings to int32 days (INT32_MIN: missing), or None for other types.
    """
def series_block(rows: typing.Any, field: str) -> tuple:
    """
    A list column to (2-D float64 block, int64 lengths, bool mask of missing cells or None); InputError names a bad element.
    """
def series_from_offsets(offsets: typing.Annotated[numpy.typing.ArrayLike, numpy.int64], values: typing.Annotated[numpy.typing.ArrayLike, numpy.float64], field: str) -> tuple:
    """
    Flat values and int64 offsets (n + 1) to (2-D float64 block, int64 lengths).
    """
def text_cell_states(values: typing.Any) -> typing.Any:
    """
    Per cell of a text column: 0 text, 1 None/NaN, 2 empty, 3 other; None when all are text.
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
