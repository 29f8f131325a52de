"""Pages never contradict themselves: every public page and format of every demo programme.

The real demo catalogue is loaded with the project's own loader (``guidebook demo``), and
each programme's page, JSON twin, PDF, compare column and compare.json entry, shortlist
row, CSV row and PDF section, API detail and list entry, open-data rows and catalogue row
are read as text. A format fails when it shows NL2's sentences for a programme none of
whose studies is appraised here, or shows a published rating beside its own without the
sentence that reconciles them (``tests.public.surfaces``). What is expected is read from
each programme's record, so the test follows the demo data as it changes.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from guidebook.catalogue.models import Snapshot
from guidebook.interchange.demo import demo_records
from tests.public.surfaces import SURFACES, all_problems, collect


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker):
    """The demo catalogue published, every format of every programme read, and the
    problems found; rolled back when the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            slugs = sorted(Snapshot.objects.filter(is_current=True).values_list("slug", flat=True))
            texts = collect(Client(), slugs)
            found = all_problems(texts, slugs)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield slugs, texts, found
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_every_demo_programme_is_walked_in_every_format(walked, db):
    slugs, texts, _ = walked
    assert slugs == sorted(record.slug for record in demo_records())
    assert {(slug, surface) for slug in slugs for surface in SURFACES} <= set(texts)


@pytest.mark.parametrize("surface", SURFACES)
def test_no_format_of_a_demo_programme_contradicts_itself(walked, db, surface):
    _, _, found = walked
    assert [line for line in found if line.split(" ")[1] == f"{surface}:"] == []


# --- No developer output and no text slips, on any format of any demo programme ----------

# Fragments that only Python's repr of data writes: a dict or list opened or closed on a
# single-quoted string. JSON (in the CSV tables) uses double quotes, so never matches.
PYTHON_DATA = re.compile(r"\{'|\['|'\]|'\}")
# Read as prose, no format shows data brackets at all: an empty or nested list or dict.
DATA_BRACKETS = re.compile(r"\[\]|\{\}|\[\{|\}\]|\[\[")
# A rule id standing for a sentence (the JSON and CSV formats keep ids, as data).
RULE_ID = re.compile(r"\b(?:rating-(?:2|3|4|ne)|asterisk|level-\d)\.[a-z][\w.-]*")
READ_AS_PROSE = ("page", "pdf", "compare", "shortlist", "shortlist-pdf")

# One row per slip once seen on a page: the pattern, and what it looked like.
TEXT_SLIPS = [
    (re.compile(r"= <|= >"), "(p = < 0.001)"),
    (re.compile(r"\(\s*\)"), "an empty ()"),
    (re.compile(r"(\([^()]+\)) \1"), "(hours) (hours)"),
    (re.compile(r"(?<!\.)\.\.(?!\.)"), "1-20.."),
    (re.compile(r"\b\d+\.0 participants"), "180.0 participants"),
]


def test_no_format_shows_python_data(walked, db):
    _, texts, _ = walked
    found = {key: PYTHON_DATA.findall(text) for key, text in texts.items()}
    assert {key: hits for key, hits in found.items() if hits} == {}


def test_no_page_or_pdf_shows_data_brackets(walked, db):
    _, texts, _ = walked
    found = {
        key: DATA_BRACKETS.findall(text) for key, text in texts.items() if key[1] in READ_AS_PROSE
    }
    assert {key: hits for key, hits in found.items() if hits} == {}


def test_no_page_or_pdf_labels_a_rule_by_its_id_alone(walked, db):
    _, texts, _ = walked
    found = {key: RULE_ID.findall(text) for key, text in texts.items() if key[1] in READ_AS_PROSE}
    assert {key: hits for key, hits in found.items() if hits} == {}


@pytest.mark.parametrize(("pattern", "slip"), TEXT_SLIPS, ids=[slip for _, slip in TEXT_SLIPS])
def test_no_format_shows_a_known_text_slip(walked, db, pattern, slip):
    _, texts, _ = walked
    found = {key: pattern.findall(text) for key, text in texts.items()}
    assert {key: hits for key, hits in found.items() if hits} == {}, slip
