import copy
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO_IPP = REPO / "guidebook" / "interchange" / "demo" / "infant-parent-psychotherapy.json"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache.

    The in-memory cache outlives a test's database: without this, a page cached by one
    test (and the catalogue version) could be served to the next.
    """
    from django.core.cache import caches

    from guidebook.public import fragments

    for alias in ("default", "fragments"):
        caches[alias].clear()
    fragments.clear()
    yield
    for alias in ("default", "fragments"):
        caches[alias].clear()
    fragments.clear()


@pytest.fixture
def ipp_data():
    """The demo IPP record as decoded JSON; each test gets its own copy."""
    return copy.deepcopy(json.loads(DEMO_IPP.read_text(encoding="utf-8")))


@pytest.fixture
def ipp_record(ipp_data):
    from guidebook.evidence.record_json import programme_from_dict

    return programme_from_dict(ipp_data)


@pytest.fixture
def ipp(db, ipp_record):
    """Infant-Parent Psychotherapy stored from the demo record and published."""
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    programme = save_record(ipp_record)
    publish(programme, note="Test fixture")
    return programme
