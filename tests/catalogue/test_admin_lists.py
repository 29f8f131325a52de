"""The admin edits the record's lists one item a line, never as JSON."""

import re
from html import unescape

import pytest

from guidebook.catalogue.admin import LinesField


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("United States\nUnited Kingdom", ["United States", "United Kingdom"]),
        ("  One  \n\n  Two\r\n", ["One", "Two"]),
        ("", []),
    ],
)
def test_lines_become_a_list_and_a_list_becomes_lines(typed, stored):
    field = LinesField(required=False)
    assert field.clean(typed) == stored
    assert field.prepare_value(stored) == "\n".join(stored)


def test_the_programme_admin_shows_lists_as_lines(admin_client, ipp):
    html = admin_client.get(f"/admin/catalogue/programme/{ipp.pk}/change/").content.decode()
    area = re.search(r'<textarea name="countries"[^>]*>(.*?)</textarea>', html, re.S)
    assert unescape(area.group(1)).strip() == "United States"
    area = re.search(r'<textarea name="theory_of_change"[^>]*>(.*?)</textarea>', html, re.S)
    text = unescape(area.group(1))
    assert not text.lstrip().startswith("[") and '", "' not in text
    assert len(text.strip().splitlines()) == len(ipp.theory_of_change)
