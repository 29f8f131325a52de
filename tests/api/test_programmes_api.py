"""GET /api/programmes and /api/programmes/{slug}: the finder's answers, as JSON."""

import pytest

from guidebook.catalogue.finder import MAX_PAGE_SIZE
from tests.api.fixture_catalogue import CATALOGUE, module_catalogue
from tests.catalogue.test_finder import (
    COUNT_CASES,
    FILTER_CASES,
    NOT_LISTED_CASES,
    SEARCH_ORDER_CASES,
    SORT_CASES,
)

ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT, GOLF, HOTEL = (row.slug for row in CATALOGUE)
LIST = "/api/programmes"

published_catalogue = module_catalogue()


@pytest.fixture
def catalogue(published_catalogue, db):
    return published_catalogue


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(data):
    return [item["slug"] for item in data["results"]]


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES + SORT_CASES + SEARCH_ORDER_CASES)
def test_the_api_finds_what_the_site_finds(client, catalogue, query, expected):
    data = get(client, f"{LIST}?{query}")
    assert slugs(data) == expected
    assert data["count"] == len(expected)
    html = client.get(f"/programmes/?{query}").content.decode()
    positions = [html.index(f'id="result-{slug}"') for slug in expected]
    assert positions == sorted(positions), "the site lists them in another order"


@pytest.mark.parametrize(("query", "expected"), NOT_LISTED_CASES)
def test_the_not_listed_list_is_a_parameter(client, catalogue, query, expected):
    data = get(client, f"{LIST}?list=not-listed&{query}")
    assert slugs(data) == expected
    assert data["list"] == "not-listed"


def test_the_whole_catalogue_is_one_list_away(client, catalogue):
    data = get(client, f"{LIST}?list=all&sort=-rating")
    assert slugs(data) == [ALPHA, DELTA, BRAVO, CHARLIE, ECHO, FOXTROT, HOTEL, GOLF]


@pytest.mark.parametrize(("query", "name", "expected"), COUNT_CASES)
def test_facets_carry_the_counts_of_the_site(client, catalogue, query, name, expected):
    data = get(client, f"{LIST}?{query}")
    facet = next(facet for facet in data["facets"] if facet["name"] == name)
    assert {o["key"]: o["count"] for o in facet["options"] if o["count"]} == expected


def test_a_result_carries_ratings_outcomes_and_links(client, catalogue):
    [alpha] = get(client, f"{LIST}?q=expectant")["results"]
    assert alpha["slug"] == ALPHA
    assert alpha["rating"] == "4+"
    assert alpha["rating_source"] == "imported"
    assert (alpha["cost_rating"], alpha["cost_label"]) == ("5", "5 (high)")
    assert alpha["unit_cost"] > 2000
    assert alpha["outcomes"] == ["Fewer child protection referrals", "Improved attachment security"]
    assert alpha["url"] == f"http://testserver/api/programmes/{ALPHA}"
    assert alpha["page_url"] == f"http://testserver/programmes/{ALPHA}/"


def test_pages_link_to_the_next_and_previous_with_the_same_filters(client, catalogue):
    first = get(client, f"{LIST}?uk_provision=yes&uk_provision=no&page_size=4")
    assert (first["count"], first["page"], first["pages"], first["page_size"]) == (6, 1, 2, 4)
    assert first["previous"] is None
    assert first["next"] == (
        "http://testserver/api/programmes?uk_provision=yes&uk_provision=no&page_size=4&page=2"
    )
    second = get(client, first["next"])
    assert slugs(first) + slugs(second) == [ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT]
    assert second["next"] is None
    assert second["previous"] == (
        "http://testserver/api/programmes?uk_provision=yes&uk_provision=no&page_size=4"
    )


def test_the_list_parameter_survives_in_page_links(client, catalogue):
    data = get(client, f"{LIST}?list=all&page_size=3")
    assert data["next"] == "http://testserver/api/programmes?list=all&page_size=3&page=2"


def test_the_page_size_has_a_maximum(client, catalogue):
    assert get(client, f"{LIST}?page_size={MAX_PAGE_SIZE}")["page_size"] == MAX_PAGE_SIZE
    assert client.get(f"{LIST}?page_size={MAX_PAGE_SIZE + 1}").status_code == 400


@pytest.mark.parametrize("page_size", [2, 6])
def test_the_list_costs_a_fixed_number_of_queries(
    client, catalogue, django_assert_num_queries, page_size
):
    with django_assert_num_queries(3):
        data = get(
            client, f"{LIST}?list=all&page_size={page_size}&age_group=adolescents&age_group=infants"
        )
    assert len(data["results"]) == min(page_size, 5)


def test_the_detail_is_the_published_snapshot(client, catalogue):
    data = get(client, f"{LIST}/{BRAVO}")
    assert data["programme"]["slug"] == BRAVO
    assert data["programme"]["format"] == "guidebook-programme/1"
    [study] = data["programme"]["studies"]
    assert study["findings"][0]["outcome"] == "Reduced behaviour problems"
    assert data["rating"]["shown"] == {
        "value": "3+",
        "source": "imported",
        "statement": "This is the rating example.org published (retrieved 1 January "
        "2024): the studies behind it are not yet appraised here, so Guidebook has not "
        "computed a rating of its own.",
    }
    # The computed rating (NL2 on no appraised study) and its sentences are withheld.
    assert data["rating"]["appraised"] is False
    assert (data["rating"]["rating"], data["rating"]["explanation"]) == (None, None)
    assert data["rating"]["reasons"] == []
    assert data["cost"]["rating"] == "2"
    assert [line["key"] for line in data["cost"]["breakdown"]]
    assert [entry["rating"] for entry in data["rating_history"]] == ["3+"]
    assert data["page_url"] == f"http://testserver/programmes/{BRAVO}/"


def test_the_detail_of_a_computed_rating_has_reasons_and_study_levels(client, ipp):
    data = get(client, f"{LIST}/infant-parent-psychotherapy")
    rating = data["rating"]
    assert rating["shown"] == {
        "value": "3+",
        "source": "computed",
        "statement": "This rating, computed from the studies appraised here, matches the "
        "one guidebook.eif.org.uk published (retrieved 1 July 2016).",
    }
    assert rating["appraised"] is True
    assert {item["study"]: item["level"] for item in rating["study_levels"]} == {
        "study-1": "2",
        "study-2": "3",
    }
    rules = {reason["rule"]: reason["met"] for reason in rating["reasons"]}
    assert rules["rating-3.rigorous-positive-study"] is True
    assert rules["rating-4.replicated"] is False
    assert len(rating["inputs_hash"]) == 64
    assert (data["cost"]["rating"], data["cost"]["ratings"]) == ("4", ["4"])
    assert data["cost"]["range"]["low"] < data["cost"]["unit_cost"] < data["cost"]["range"]["high"]
    fee = next(a for a in data["cost"]["assumed"] if a["field"] == "practitioner_training_fee")
    assert (fee["value"], fee["low"], fee["high"]) == (500.0, 0.0, 1000.0)


def test_the_detail_shows_the_rating_history_oldest_first(client, ipp):
    from guidebook.catalogue.models import Appraisal
    from guidebook.catalogue.publishing import publish

    Appraisal.objects.filter(study__key="study-2").update(verdict="2-quality")
    assert get(client, f"{LIST}/infant-parent-psychotherapy")["rating"]["shown"]["value"] == "3+"
    publish(ipp, note="re-rated")
    data = get(client, f"{LIST}/infant-parent-psychotherapy")
    assert [entry["rating"] for entry in data["rating_history"]] == ["3+", "2+"]
    assert data["rating_history"][1]["note"] == "re-rated"


def test_a_draft_is_not_found(client, db, ipp_record):
    from guidebook.catalogue.convert import save_record

    save_record(ipp_record)
    response = client.get(f"{LIST}/infant-parent-psychotherapy")
    assert response.status_code == 404
    assert response.json()["error"]["problems"][0]["field"] == "slug"


def test_the_index_points_at_everything(client, db):
    data = get(client, "/api/")
    assert data == {
        "programmes": "http://testserver/api/programmes",
        "standards": "http://testserver/api/standards",
        "openapi": "http://testserver/api/openapi.json",
        "docs": "http://testserver/api/docs",
    }
