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
