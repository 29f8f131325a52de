"""The shortlist: kept in the session, changed by same-origin POST forms, exported as CSV."""

import csv
import io
from html import unescape

import pytest
from django.test import Client

from guidebook.catalogue.models import Snapshot
from guidebook.public import shortlist
from tests.public.published import programme_data, publish_variants, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client():
    """A client that checks CSRF as a real browser session is checked."""
    return Client(enforce_csrf_checks=True)


SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}


def post_form(client, action, page, **fields):
    """Submit a shortlist form as a browser does from the page: same origin, 'next' set."""
    return client.post(action, {"next": page, **fields}, **SAME_ORIGIN)


def test_it_adds_a_programme_and_goes_back_to_the_page(browser_client, ipp_data):
    publish_variants(ipp_data, 1)
    page = "/programmes/programme-1/"
    response = post_form(browser_client, "/shortlist/add/programme-1/", page)
    assert response.status_code == 302
    assert response["Location"] == page
    assert browser_client.session["shortlist"] == ["programme-1"]
    assert "Remove from shortlist" in browser_client.get(page).content.decode()


def test_it_removes_a_programme(browser_client, ipp_data):
    publish_variants(ipp_data, 2)
    page = "/programmes/programme-1/"
    post_form(browser_client, "/shortlist/add/programme-1/", page)
    post_form(browser_client, "/shortlist/add/programme-2/", page)
    response = post_form(browser_client, "/shortlist/remove/programme-1/", page)
    assert response.status_code == 302
    assert browser_client.session["shortlist"] == ["programme-2"]
    assert "Add to shortlist" in browser_client.get(page).content.decode()


def test_the_shortlist_forms_carry_no_csrf_token(client, ipp_data):
    """A page every visitor sees alike must not carry one visitor's token or cookie."""
    publish_variants(ipp_data, 2)
    for page in ["/programmes/programme-1/", "/compare/?p=programme-1&p=programme-2"]:
        response = client.get(page)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "csrftoken" not in response.cookies


# What a browser says of where a form came from, and whether the shortlist takes it.
CROSS_ORIGIN_CASES = [
    ({"HTTP_SEC_FETCH_SITE": "same-origin"}, 302),
    ({"HTTP_SEC_FETCH_SITE": "none"}, 302),
    ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
    ({"HTTP_SEC_FETCH_SITE": "same-site"}, 403),
    ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"}, 403),
    ({"HTTP_ORIGIN": "http://testserver"}, 302),
    ({"HTTP_ORIGIN": "https://elsewhere.example"}, 403),
    ({"HTTP_ORIGIN": "https://testserver"}, 403),
    ({"HTTP_ORIGIN": "null"}, 403),
    ({}, 302),
]


@pytest.mark.parametrize(("headers", "status"), CROSS_ORIGIN_CASES)
@pytest.mark.parametrize("action", ["add", "remove"])
def test_cross_origin_posts_are_refused(browser_client, ipp_data, headers, status, action):
    publish_variants(ipp_data, 1)
    session = browser_client.session
    session["shortlist"] = ["programme-1"] if action == "remove" else []
    session.save()
    browser_client.cookies["sessionid"] = session.session_key
    response = browser_client.post(f"/shortlist/{action}/programme-1/", {"next": "/"}, **headers)
    assert response.status_code == status
    expected = ["programme-1"] if (action == "add") == (status == 302) else []
    assert browser_client.session["shortlist"] == expected


def test_a_trusted_origin_may_post(browser_client, ipp_data, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example"]
    publish_variants(ipp_data, 1)
    response = browser_client.post(
        "/shortlist/add/programme-1/", {"next": "/"}, HTTP_ORIGIN="https://partner.example"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "action", ["/shortlist/add/programme-1/", "/shortlist/remove/programme-1/"]
)
def test_changing_the_shortlist_needs_a_post(client, ipp_data, action):
    publish_variants(ipp_data, 1)
    assert client.get(action).status_code == 405


def test_it_will_not_add_what_is_not_published(client, ipp_data):
    store(programme_data(ipp_data, "draft-only", "Draft Only"), publish=False)
    assert client.post("/shortlist/add/draft-only/").status_code == 404
    assert client.post("/shortlist/add/no-such-thing/").status_code == 404
    assert "shortlist" not in client.session


def test_adding_twice_keeps_one_entry_in_the_order_first_added(client, ipp_data):
    publish_variants(ipp_data, 2)
    for slug in ["programme-2", "programme-1", "programme-2"]:
        client.post(f"/shortlist/add/{slug}/")
    assert client.session["shortlist"] == ["programme-2", "programme-1"]


@pytest.mark.parametrize(
    ("next_page", "goes_to"),
    [
        ("/compare/?p=programme-1&p=programme-2", "/compare/?p=programme-1&p=programme-2"),
        ("https://elsewhere.example/steal", "/shortlist/"),
        ("//elsewhere.example/steal", "/shortlist/"),
        ("", "/shortlist/"),
    ],
)
def test_it_only_sends_visitors_back_to_this_site(client, ipp_data, next_page, goes_to):
    publish_variants(ipp_data, 1)
    response = client.post("/shortlist/add/programme-1/", {"next": next_page})
    assert response["Location"] == goes_to


def test_a_full_shortlist_says_so_and_keeps_what_it_has(client, ipp_data, monkeypatch):
    monkeypatch.setattr(shortlist, "SHORTLIST_LIMIT", 2)
    publish_variants(ipp_data, 3)
    client.post("/shortlist/add/programme-1/")
    client.post("/shortlist/add/programme-2/")
    response = client.post("/shortlist/add/programme-3/")
    assert response.status_code == 400
    assert "already holds 2 programmes" in response.content.decode()
    assert client.session["shortlist"] == ["programme-1", "programme-2"]


def test_the_page_lists_shortlisted_programmes_and_offers_to_compare_them(client, ipp_data):
    publish_variants(ipp_data, 2)
    client.post("/shortlist/add/programme-1/")
    client.post("/shortlist/add/programme-2/")
    response = client.get("/shortlist/")
    text = unescape(response.content.decode())
    assert response.status_code == 200
    assert text.count('data-testid="shortlist-row"') == 2
    assert 'action="/compare/"' in text
    assert 'name="p" value="programme-1"' in text
    assert "Compare the ticked programmes" in text


def test_an_empty_shortlist_says_how_to_fill_it(client):
    text = client.get("/shortlist/").content.decode()
    assert 'data-testid="shortlist-empty"' in text


def test_a_withdrawn_programme_drops_out_of_the_shortlist(client, ipp_data):
    publish_variants(ipp_data, 2)
    client.post("/shortlist/add/programme-1/")
    client.post("/shortlist/add/programme-2/")
    Snapshot.objects.filter(slug="programme-1").update(is_current=False)
    text = client.get("/shortlist/").content.decode()
    assert text.count('data-testid="shortlist-row"') == 1
    assert "Programme 1" not in text


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_export_round_trips_to_the_published_snapshots(client, ipp_data):
    publish_variants(ipp_data, 2, costed={2})
    client.post("/shortlist/add/programme-2/")
    client.post("/shortlist/add/programme-1/")
    response = client.get("/shortlist.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="shortlist.csv"'
    rows = read_csv(response)
    assert [row["programme"] for row in rows] == ["programme-2", "programme-1"]
    for row in rows:
        snapshot = Snapshot.objects.get(slug=row["programme"], is_current=True)
        assert row["name"] == snapshot.name
        assert row["evidence_rating"] == snapshot.rating
        assert row["cost_rating"] == snapshot.cost_rating
        expected_cost = "" if snapshot.unit_cost is None else f"{snapshot.unit_cost:.2f}"
        assert row["unit_cost"] == expected_cost
        assert row["child_outcomes"] == "Improved attachment security"
        assert row["age_groups"] == "Infants"
        assert row["page"] == f"http://testserver/programmes/{snapshot.slug}/"
    assert rows[0]["unit_cost"] != ""


def test_the_csv_export_of_an_empty_shortlist_is_just_the_header(client):
    response = client.get("/shortlist.csv")
    lines = response.content.decode().splitlines()
    assert lines == [",".join(shortlist.SHORTLIST_COLUMNS)]
