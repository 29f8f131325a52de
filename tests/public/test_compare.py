"""The compare page and its JSON twin: 2 to 4 published programmes side by side."""

from html import unescape

import pytest

from guidebook.catalogue.models import Programme
from tests.public.published import programme_data, publish_variants, store, unrated_cost

pytestmark = pytest.mark.django_db


def compare_url(slugs, twin=False):
    query = "&".join(f"p={slug}" for slug in slugs)
    return ("/compare.json?" if twin else "/compare/?") + query


@pytest.mark.parametrize("count", [2, 3, 4])
def test_it_sets_2_to_4_programmes_side_by_side_in_the_order_asked(client, ipp_data, count):
    slugs = publish_variants(ipp_data, count)
    asked = list(reversed(slugs))
    response = client.get(compare_url(asked))
    assert response.status_code == 200
    html = response.content.decode()
    column_heads = [html.index(f'href="/programmes/{slug}/">') for slug in asked]
    assert column_heads == sorted(column_heads)
    assert html.count('data-testid="compare-rating"') == count


# One row per way a request can be refused: the slugs asked for, then what the page says.
REFUSALS = [
    ([], "expected from 2 to 4 programme slugs, found 0"),
    (["programme-1"], "expected from 2 to 4 programme slugs, found 1 (programme-1)"),
    (
        ["programme-1", "programme-2", "programme-3", "programme-4", "programme-5"],
        "expected from 2 to 4 programme slugs, found 5",
    ),
    (["programme-1", "programme-1"], "expected each programme once, found 'programme-1' 2 times"),
    (
        ["programme-1", "no-such-thing"],
        "expected the slug of a published programme, found 'no-such-thing'",
    ),
    (
        ["programme-1", "draft-only"],
        "expected the slug of a published programme, found 'draft-only'",
    ),
]


@pytest.fixture
def five_published_and_a_draft(ipp_data):
    publish_variants(ipp_data, 5)
    store(programme_data(ipp_data, "draft-only", "Draft Only"), publish=False)


@pytest.mark.parametrize(("slugs", "problem"), REFUSALS)
def test_it_refuses_with_400_naming_the_problem(client, five_published_and_a_draft, slugs, problem):
    response = client.get(compare_url(slugs))
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "These programmes cannot be compared" in text
    assert problem in text


@pytest.mark.parametrize(("slugs", "problem"), REFUSALS)
def test_the_json_twin_refuses_with_the_same_problems(
    client, five_published_and_a_draft, slugs, problem
):
    response = client.get(compare_url(slugs, twin=True))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "These programmes cannot be compared."
    assert all(p["record"] == "compare request" and p["field"] == "p" for p in body["problems"])
    assert any(problem in p["message"] for p in body["problems"])


def test_every_problem_is_reported_at_once(client, five_published_and_a_draft):
    response = client.get(compare_url(["ghost", "ghost"], twin=True))
    found = [p["found"] for p in response.json()["problems"]]
    assert found == ["'ghost' 2 times", "'ghost'"]


def test_it_shows_the_reasons_outcomes_delivery_and_cost_breakdown(client, ipp_data):
    publish_variants(ipp_data, 2, costed={2})
    text = unescape(client.get(compare_url(["programme-1", "programme-2"])).content.decode())
    for expected in [
        "At least one rigorous evaluation found that Programme 1 improved a child outcome",
        "Why not higher:",
        "No second rigorously conducted study has yet repeated its results",
        "The plus means that",
        "For a 3: a rigorously conducted (level 3) RCT or QED found a statistically "
        "significant improvement in a child outcome.",
        "Improved attachment security",
        "(Study 1, Study 2)",
        "Infants",
        "Targeted indicated",
        "Individual",
        "32, 1 to 1.5 hours each",
        "QCF level 7/8",
        "Not estimated here: not known number of sessions.",
        "Delivery: £",
        "per child",
    ]:
        assert expected in text, expected


def test_the_json_twin_carries_the_same_programmes(client, ipp_data):
    publish_variants(ipp_data, 2, costed={2})
    response = client.get(compare_url(["programme-2", "programme-1"], twin=True))
    assert response.status_code == 200
    programmes = response.json()["programmes"]
    assert [p["programme"] for p in programmes] == ["programme-2", "programme-1"]
    first, second = programmes
    assert first["cost"]["rating"] != "NA" and first["cost"]["breakdown"]
    assert second["cost"]["rating"] == "NA"
    assert second["rating"]["value"] == "3+"
    assert second["rating"]["reasons"][0]["rule"].startswith("rating-")
    assert second["child_outcomes"][0]["outcomes"][0]["outcome"] == "Improved attachment security"
    assert second["who_it_is_for"] == {
        "age_groups": ["Infants"],
        "targeting": ["Targeted indicated"],
    }


def test_it_shows_what_was_published_not_later_drafts(client, ipp_data):
    publish_variants(ipp_data, 2)
    Programme.objects.filter(slug="programme-1").update(name="Renamed in a draft")
    text = client.get(compare_url(["programme-1", "programme-2"])).content.decode()
    assert "Programme 1" in text
    assert "Renamed in a draft" not in text


def test_an_imported_rating_says_where_it_came_from(client, ipp_data):
    publish_variants(ipp_data, 1)
    data = programme_data(ipp_data, "imported-one", "Imported One", cost=unrated_cost(ipp_data))
    data["imported"] = {
        "evidence_rating": "2+",
        "cost_rating": "2",
        "source": "https://example.org/imported-one",
        "retrieved": "2016-07-01",
        "note": "",
    }
    for study in data["studies"]:
        study["appraisal"] = None
    store(data)
    text = unescape(client.get(compare_url(["programme-1", "imported-one"])).content.decode())
    assert (
        "This is the rating example.org published (retrieved 1 July 2016): the studies "
        "behind it are not yet appraised here" in text
    )
    assert 'href="https://example.org/imported-one"' in text
    twin = client.get(compare_url(["programme-1", "imported-one"], twin=True)).json()
    rating = twin["programmes"][1]["rating"]
    assert (rating["value"], rating["source"], rating["computed"]) == ("2+", "imported", None)
    assert rating["published"]["retrieved"] == "2016-07-01"
    assert rating["not_higher"] == rating["reasons"] == []
    cost = twin["programmes"][1]["cost"]
    assert (cost["rating"], cost["source"], cost["computed"]) == ("2", "imported", "NA")
    assert cost["label"] == "medium-low"


def test_the_page_offers_shortlist_buttons_for_each_programme(client, ipp_data):
    publish_variants(ipp_data, 2)
    text = client.get(compare_url(["programme-1", "programme-2"])).content.decode()
    assert 'action="/shortlist/add/programme-1/"' in text
    assert 'action="/shortlist/add/programme-2/"' in text
    assert "csrfmiddlewaretoken" not in text
