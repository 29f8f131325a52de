"""The one way the site writes CSV: RFC 4180, and no cell a spreadsheet would run.

A spreadsheet opening a CSV file treats a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and one that starts with a tab, a carriage return or a NUL may be
read as such once the spreadsheet trims it. Text written by providers and staff
reaches the open-data tables, the shortlist and the reports, so such a cell could
fetch a web address with the row's data in it, or worse, on the computer of whoever
opens the file (CWE-1236). Every text cell that starts with one of those characters
is written with a single quote in front, which spreadsheets show as text and do not
evaluate. This is OWASP's advice (https://owasp.org/www-community/attacks/CSV_Injection
and ASVS 5.0 requirement 1.2.10).

Only text is changed. Numbers are written as numbers, so a negative effect size stays
``-0.35`` and the data package's column types still hold. The raw text stays in every
other format: the API, the JSON twins of the pages, and record files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TextIO

__all__ = ["FORMULA_STARTS", "Cell", "csv_text", "row_writer", "spreadsheet_safe", "write_csv"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""First characters that make a spreadsheet read a text cell as a formula."""

Cell = str | int | float | Decimal | None
"""What a cell may hold: text, a number, or ``None`` for an empty cell."""


def spreadsheet_safe(cell: Cell) -> str | int | float | Decimal:
    """``cell`` as written: text that a spreadsheet would evaluate gets a leading ``'``."""
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def row_writer(handle: TextIO, header: Sequence[str]) -> Callable[[Sequence[Cell]], None]:
    """Write ``header`` to ``handle`` and answer a function that writes one row after it,
    for files written a few rows at a time."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(header)

    def write(row: Sequence[Cell]) -> None:
        writer.writerow([spreadsheet_safe(cell) for cell in row])

    return write


def write_csv(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Write ``header`` and ``rows`` to ``handle``: CRLF line ends, quoted as needed."""
    write = row_writer(handle, header)
    for row in rows:
        write(row)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The CSV file ``write_csv`` writes, as text."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()
