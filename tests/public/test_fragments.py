"""Parts rendered once per publication, and never one publication too long.

Visitors with a session (a shortlist, signed-in staff) and hard reloads get pages
assembled from parts kept per published snapshot (the programme page) and per
catalogue version (the catalogue's list and counts). Each test runs on the per-process
memory cache and on Redis: whatever the store, a publication shows at once, and a
publication retires exactly what it changed.
"""

import json
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.models import Programme
from guidebook.catalogue.publishing import publish
from guidebook.evidence.record_file import read_programme_file
from guidebook.public import fragments, views
from tests.redis_server import flush, require_redis

# Committed transactions, as in production: catalogue parts are kept only outside an
# open transaction, where a publication has moved the catalogue version on.
pytestmark = pytest.mark.django_db(transaction=True)

DEMO = Path(__file__).resolve().parents[2] / "guidebook/interchange/demo"
IPP = "/programmes/infant-parent-psychotherapy/"
FNP = "/programmes/family-nurse-partnership/"
REDIS_DATABASE = 12
LOCAL = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments-test",
    },
}
REDIS = {
    alias: {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DATABASE}",
    }
    for alias in ("default", "fragments")
}


@pytest.fixture(params=["local", "redis"])
def store(request, settings):
    """The cache configuration under test, emptied before and after."""
    if request.param == "redis":
        require_redis()
        flush(REDIS_DATABASE)
    settings.CACHES = LOCAL if request.param == "local" else REDIS
    yield request.param
    for alias in ("default", "fragments"):
        caches[alias].clear()
    fragments.clear()


@pytest.fixture
def two_programmes(store):
    stored = []
    for name in ("infant-parent-psychotherapy", "family-nurse-partnership"):
        programme = save_record(read_programme_file(DEMO / f"{name}.json"))
        publish(programme, note="Test fixture")
        stored.append(programme)
    return stored


@pytest.fixture
def renders(monkeypatch):
    """The programme pages rendered in full, by slug."""
    rendered = []
    original = views._programme_page_html

    def counted(request, slug):
        rendered.append(slug)
        return original(request, slug)

    monkeypatch.setattr(views, "_programme_page_html", counted)
    return rendered


def _shortlister(slug):
    visitor = Client()
    visitor.post(f"/shortlist/add/{slug}/", {"next": "/"})
    return visitor


def _rename(programme, name):
    Programme.objects.filter(pk=programme.pk).update(name=name)
    publish(Programme.objects.get(pk=programme.pk), note="Renamed")


def test_a_visitor_with_a_shortlist_gets_a_page_rendered_once_for_everyone(two_programmes, renders):
    visitor = _shortlister("infant-parent-psychotherapy")
    for _ in range(3):
        page = visitor.get(IPP).content.decode()
        assert "Remove from shortlist" in page
    assert "Add to shortlist" in Client().get(IPP).content.decode()
    assert renders == ["infant-parent-psychotherapy"]


def test_a_publication_shows_at_once_to_a_visitor_with_a_shortlist(two_programmes, renders):
    ipp, _ = two_programmes
    visitor = _shortlister("infant-parent-psychotherapy")
    assert "Infant-Parent Psychotherapy" in visitor.get(IPP).content.decode()
    _rename(ipp, "Infant-Parent Psychotherapy, renamed")
    page = visitor.get(IPP).content.decode()
    assert "<h1>Infant-Parent Psychotherapy, renamed</h1>" in page
    assert "Remove from shortlist" in page
    renamed = json.loads(visitor.get("/programmes/infant-parent-psychotherapy.json").content)
    assert renamed["programme"]["name"] == "Infant-Parent Psychotherapy, renamed"


def test_a_publication_retires_only_the_programme_it_published(two_programmes, renders):
    _, fnp = two_programmes
    visitor = _shortlister("infant-parent-psychotherapy")
    visitor.get(IPP)
    visitor.get(FNP)
    _rename(fnp, "Family Nurse Partnership, renamed")
    assert "<h1>Family Nurse Partnership, renamed</h1>" in visitor.get(FNP).content.decode()
    visitor.get(IPP)
    assert renders == [
        "infant-parent-psychotherapy",
        "family-nurse-partnership",
        "family-nurse-partnership",
    ]


def test_a_hard_reload_of_the_catalogue_shows_a_publication_at_once(two_programmes):
    ipp, _ = two_programmes
    reload = {"HTTP_CACHE_CONTROL": "no-cache"}
    before = Client().get("/programmes/", **reload).content.decode()
    assert "Infant-Parent Psychotherapy<" in before
    _rename(ipp, "Infant-Parent Psychotherapy, renamed")
    for visitor in (Client(), _shortlister("family-nurse-partnership")):
        after = visitor.get("/programmes/", **reload).content.decode()
        assert "Infant-Parent Psychotherapy, renamed" in after


def test_the_catalogue_keeps_one_copy_per_question_whatever_the_order_of_its_parameters(
    two_programmes, monkeypatch
):
    from guidebook.public import catalogue_views

    asked = []
    original = catalogue_views.find_programmes

    def counted(params, scope):
        asked.append(params.urlencode())
        return original(params, scope)

    monkeypatch.setattr(catalogue_views, "find_programmes", counted)
    reload = {"HTTP_CACHE_CONTROL": "no-cache"}
    first = Client().get("/programmes/?age_group=infants&sort=name", **reload)
    second = Client().get("/programmes/?sort=name&age_group=infants", **reload)
    assert first.content == second.content
    assert len(asked) == 1


def test_a_process_keeps_the_parts_it_used_last_within_its_budget(monkeypatch):
    monkeypatch.setattr(fragments, "RECENT_BYTES", 1000)
    recent = fragments._Recent()
    later = fragments._now() + 60
    recent.put("a", "A", 400, later)
    recent.put("b", "B", 400, later)
    assert recent.get("a") == "A"  # now the newest
    recent.put("c", "C", 400, later)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == ("A", None, "C")
    assert recent.size == 800
    recent.put("huge", "H", 1001, later)
    assert recent.get("huge") is None
    assert recent.size == 800


def test_a_part_kept_by_the_process_expires_with_its_part_in_the_store(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(fragments, "_now", lambda: now[0])
    recent = fragments._Recent()
    recent.put("a", "A", 10, now[0] + 60)
    recent.put("a", "A2", 10, now[0] + 60)
    assert recent.size == 10
    now[0] += 59
    assert recent.get("a") == "A2"
    now[0] += 1
    assert recent.get("a") is None
    assert recent.size == 0


def test_a_part_is_rendered_once_and_then_read_from_the_process_or_the_store(store):
    rendered = []

    def render():
        rendered.append(1)
        return {"content": "<p>part</p>"}

    assert fragments.once("test-part", "1", render) == {"content": "<p>part</p>"}
    assert fragments.once("test-part", "1", render) == {"content": "<p>part</p>"}
    fragments._recent.clear()  # another process: only the store has it
    assert fragments.once("test-part", "1", render) == {"content": "<p>part</p>"}
    assert rendered == [1]


def test_a_part_read_from_the_store_expires_in_the_process_when_it_does_in_the_store(
    monkeypatch,
):
    now = [1000.0]
    monkeypatch.setattr(fragments, "_now", lambda: now[0])
    fragments.once("test-part", "2", lambda: "<p>part</p>", seconds=60)
    fragments._recent.clear()  # another process, reading it later from the store
    now[0] = 1050.0
    assert fragments.once("test-part", "2", lambda: "never rendered", seconds=60) == "<p>part</p>"
    (kept,) = fragments._recent.parts.values()
    assert kept[0] == 1060.0
