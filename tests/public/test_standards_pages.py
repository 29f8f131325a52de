"""The standards pages are read from the rules, so every rule, criterion and number shows.

Each test walks a table in the code (the registry, CRITERIA, PARAMETERS, the cost
parameters) and finds every row on the page: a rule added to the code without
reaching the page, or a page that keeps a number the code no longer uses, fails here.
"""

import re
from html import unescape

import pytest

from guidebook.evidence import cost_parameters, vocabulary
from guidebook.evidence.cost import estimate_cost
from guidebook.evidence.cost_ranges import DELIVERY_DEFAULTS, INPUT_RANGES
from guidebook.evidence.explain import describe_level
from guidebook.evidence.records import CostProfile
from guidebook.evidence.standards import (
    CRITERIA,
    INDEPENDENT_REPORTERS,
    PARAMETERS,
    RATING_VALUES,
    all_standards,
)
from guidebook.public.standards_views import EXAMPLE_DELIVERY, EXAMPLE_PROFILE, HOW_TO_READ

pytestmark = pytest.mark.django_db

STANDARD_KEYS = [standard.key for standard in all_standards()]


def page_text(response):
    """The page's text with tags removed, entities decoded and spaces collapsed."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def get_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return page_text(response)


def test_the_index_lists_every_registered_standard(client):
    text = get_text(client, "/standards/")
    for standard in all_standards():
        for fact in (
            standard.title,
            standard.key,
            standard.version,
            str(standard.year),
            standard.summary,
        ):
            assert fact in text


def test_the_index_twin_lists_the_same_standards_newest_first(client):
    data = client.get("/standards.json").json()
    assert [s["key"] for s in data["standards"]] == list(reversed(STANDARD_KEYS))
    assert data["standards"][0]["newest"] is True
    assert [page["url"] for page in data["pages"]] == [
        "/standards/cost/",
        "/standards/how-to-read/",
    ]


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_every_rating_value_appears_with_what_it_means(client, key):
    text = get_text(client, f"/standards/{key}/")
    for value in RATING_VALUES:
        assert f" {value} " in text
        assert describe_level(value.rstrip("+")) in text
    for level in ("2", "3", "4"):
        plus = describe_level(f"{level}+").removeprefix(describe_level(level)).strip()
        assert plus in text


@pytest.mark.parametrize(
    ("key", "has_asterisk"),
    [("eif-2017", False), ("eif-2018", True)],
)
def test_the_asterisk_is_explained_only_where_the_standard_has_it(client, key, has_asterisk):
    text = get_text(client, f"/standards/{key}/")
    asterisk = describe_level("3*").removeprefix(describe_level("3")).strip()
    assert (asterisk in text) is has_asterisk
    assert ("What the asterisk means" in text) is has_asterisk
    assert (" 3+* " in text) is has_asterisk
    data = client.get(f"/standards/{key}.json").json()
    assert (data["asterisk"] is not None) is has_asterisk
    starred = [r["value"] for r in data["ratings"] if r["asterisk"]]
    assert starred == (["4+*", "4*", "3+*", "3*", "2+*", "2*"] if has_asterisk else [])


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_nl2_and_ne_are_explained_and_listed_apart(client, key):
    text = get_text(client, f"/standards/{key}/")
    assert describe_level("NL2") in text
    assert describe_level("NE") in text
    data = client.get(f"/standards/{key}.json").json()
    listed = {r["value"]: r["listed"] for r in data["ratings"]}
    assert listed["NL2"] is listed["NE"] is False
    assert all(listed[v] for v in ("2", "2+", "3", "3+", "4", "4+"))


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_every_criterion_appears_with_its_question_and_group(client, key):
    text = get_text(client, f"/standards/{key}/")
    for criterion in CRITERIA:
        assert criterion.id in text
        assert criterion.question in text
        assert f"{criterion.group.capitalize()} criteria" in text


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_every_numeric_limit_appears_with_its_default_and_source(client, key):
    text = get_text(client, f"/standards/{key}/")
    for parameter in PARAMETERS:
        assert f"{parameter.name} {parameter.default} {parameter.default}" in text
        assert parameter.help in text
        assert parameter.source in text


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_independent_reporters_are_listed(client, key):
    text = get_text(client, f"/standards/{key}/")
    for reporter in INDEPENDENT_REPORTERS:
        assert vocabulary.REPORTERS[reporter] in text
    assert vocabulary.REPORTERS["participant"] not in text


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_the_json_twin_holds_every_criterion_limit_and_rule(client, key):
    data = client.get(f"/standards/{key}.json").json()
    criteria = [c["id"] for group in data["criteria_groups"] for c in group["criteria"]]
    assert criteria == [c.id for c in CRITERIA]
    assert [p["name"] for p in data["parameters"]] == [p.name for p in PARAMETERS]
    assert [r["value"].rstrip("*") for r in data["ratings"] if not r["asterisk"]] == list(
        reversed(RATING_VALUES)
    )
    levelled = [c for level in data["study_levels"] for c in level["criteria"]]
    assert sorted(levelled) == sorted(criteria)
    text = get_text(client, f"/standards/{key}/")
    for rule in data["rules"]:
        assert rule in text


@pytest.mark.parametrize(
    "url", ["/standards/no-such-standard/", "/standards/no-such-standard.json"]
)
def test_an_unknown_standard_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_the_cost_page_shows_every_band_and_parameter(client):
    text = get_text(client, "/standards/cost/")
    for band in cost_parameters.COST_BANDS:
        assert f"{band.rating} {band.label} {band.wording}" in text
    assert "NA not available" in text
    for parameter in cost_parameters.PARAMETERS:
        assert f"{parameter.name} {parameter.default} {parameter.unit}" in text
        assert parameter.help in text
        assert parameter.source in text


def test_the_cost_page_lists_the_inputs_without_which_there_is_no_rating(client):
    text = get_text(client, "/standards/cost/")
    missing = estimate_cost(CostProfile(), "test", None, ("telephone",)).missing
    assert missing
    for item in missing:
        assert item.label.capitalize() in text
        assert item.field in text


def test_the_cost_page_works_an_example_through(client):
    text = get_text(client, "/standards/cost/")
    estimate = estimate_cost(EXAMPLE_PROFILE, "the worked example", None, EXAMPLE_DELIVERY)
    assert f"Unit cost per child £{estimate.unit_cost:.2f}" in text
    for item in estimate.breakdown:
        assert item.formula in text
    assert estimate.explanation in text
    assert "holds whatever the inputs the record does not give" in estimate.explanation
    for item in estimate.assumed:
        assert item.reason[0].upper() + item.reason[1:] in text


def test_the_cost_page_lists_every_plausible_range_with_its_parameters_and_source(client):
    text = get_text(client, "/standards/cost/")
    for plausible in INPUT_RANGES:
        what = plausible.what[0].upper() + plausible.what[1:]
        row = (
            f"{what} {plausible.low} {plausible.typical} {plausible.high} {plausible.unit} "
            f"{plausible.low_name} , {plausible.typical_name} , {plausible.high_name} "
            f"{plausible.source}"
        )
        assert row in text


def test_the_cost_page_says_what_each_delivery_model_fills_in(client):
    text = get_text(client, "/standards/cost/")
    assert "Individual 1 1 1 to 1.5 hours (1.25 typical)" in text
    assert "Group 10 to 12 families (10 typical) 1 to 2 practitioners (2 typical)" in text
    assert "Telephone 1 1 none: the length must be known" in text
    data = client.get("/standards/cost.json").json()
    assert [row["key"] for row in data["delivery_defaults"]] == list(DELIVERY_DEFAULTS)
    assert [row["key"] for row in data["plausible_ranges"]] == [r.key for r in INPUT_RANGES]


def test_the_cost_twin_matches_the_parameter_table(client):
    data = client.get("/standards/cost.json").json()
    assert [p["name"] for p in data["parameters"]] == [p.name for p in cost_parameters.PARAMETERS]
    assert [b["rating"] for b in data["bands"]] == ["1", "2", "3", "4", "5"]
    assert [q["key"] for q in data["qualification_levels"]] == list(vocabulary.QUALIFICATION_LEVELS)


def test_how_to_read_explains_every_section_of_a_programme_page(client, ipp):
    text = get_text(client, "/standards/how-to-read/")
    programme = get_text(client, "/programmes/infant-parent-psychotherapy/")
    for heading, shown, explanation in HOW_TO_READ:
        assert f"{heading} Shown {shown}. {explanation}" in text
        # IPP is a 3+ without an asterisk: every other section is on its page.
        if heading != "What does the asterisk mean?":
            assert heading in programme, heading


def test_how_to_read_follows_the_order_of_the_programme_page(client, ipp):
    programme = get_text(client, "/programmes/infant-parent-psychotherapy/")
    headings = [h for h, _, _ in HOW_TO_READ if h != "What does the asterisk mean?"]
    position = 0
    for heading in headings:
        found = programme.find(heading, position)
        assert found >= 0, f"{heading!r} is not on the page after position {position}"
        position = found + len(heading)


def test_the_how_to_read_twin_lists_the_sections(client):
    data = client.get("/standards/how-to-read.json").json()
    assert [s["heading"] for s in data["sections"]] == [h for h, _, _ in HOW_TO_READ]


def test_every_page_links_to_the_standards(client):
    assert 'href="/standards/"' in client.get("/standards/cost/").content.decode()
