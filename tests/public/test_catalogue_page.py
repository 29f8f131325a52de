"""The catalogue pages: /programmes/ and /programmes/not-listed/, a GET form over the finder."""

import re
from html import unescape

import pytest

from tests.api.fixture_catalogue import CATALOGUE, module_catalogue

ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT, GOLF, HOTEL = (row.slug for row in CATALOGUE)
LIST = "/programmes/"
NOT_LISTED = "/programmes/not-listed/"

published_catalogue = module_catalogue()


@pytest.fixture
def catalogue(published_catalogue, db):
    return published_catalogue


def html_of(response):
    return response.content.decode()


def text_of(response):
    text = re.sub(r"<[^>]+>", " ", html_of(response))
    return re.sub(r"\s+", " ", unescape(text)).strip()


def result_slugs(response):
    html = html_of(response)
    block = html[html.index('data-testid="results"') :] if 'data-testid="results"' in html else ""
    return re.findall(r'<h3 id="result-([a-z0-9-]+)"', block)


def checkbox(response, name, value):
    """The checkbox input for one filter value, as HTML."""
    pattern = rf'<input type="checkbox"[^>]*name="{name}" value="{re.escape(value)}"[^>]*>'
    match = re.search(pattern, html_of(response))
    assert match, f"no checkbox {name}={value}"
    return match.group(0)


def label_for(response, name, value):
    """The text of the label belonging to one filter value's checkbox."""
    input_html = checkbox(response, name, value)
    box_id = re.search(r'id="([^"]+)"', input_html).group(1)
    match = re.search(rf'<label for="{box_id}">(.*?)</label>', html_of(response), re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", match.group(1)))).strip()


def test_the_list_shows_each_listed_programme_with_ratings_summary_and_outcomes(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert result_slugs(response) == [ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT]
    html = html_of(response)
    alpha = html[html.index('id="result-alpha-home-visits"') : html.index('id="result-bravo')]
    assert f'href="/programmes/{ALPHA}/"' in alpha
    assert re.search(r'data-testid="result-rating">4\+', alpha)
    assert 'data-testid="result-cost">5 (high)<' in alpha
    assert "Nurses visit expectant mothers at home" in alpha
    assert "Fewer child protection referrals; Improved attachment security" in alpha
    assert "6 programmes" in text_of(response)


def test_the_form_has_a_fieldset_per_filter_with_counts_search_sort_and_submit(client, catalogue):
    html = html_of(client.get(LIST))
    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends == [
        "Age group",
        "Outcome area",
        "Child outcome",
        "Delivery model",
        "Setting",
        "Level of need",
        "Evidence rating",
        "Cost rating",
        "Delivered in the UK",
        "Evaluated in the UK",
        "Country where it has been implemented",
    ]
    assert '<form class="finder" method="get" action="/programmes/"' in html
    assert (
        '<input type="search" id="finder-q" name="q" value="" aria-describedby="finder-q-hint">'
        in html
    )
    assert '<label for="finder-q">' in html
    assert '<select id="finder-sort" name="sort">' in html
    assert '<button type="submit">Show programmes</button>' in html


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [
        ("age_group", "perinatal", "Perinatal (pregnancy) (1 programme)"),
        ("age_group", "infants", "Infants (2 programmes)"),
        ("targeting", "targeted-indicated", "Targeted indicated (2 programmes)"),
        (
            "outcome_category",
            "mental-health",
            "Supporting children's mental health and wellbeing (3 programmes)",
        ),
        ("rating", "evidence-based", "Evidence-based (3 and above) (4 programmes)"),
        ("cost_rating", "1", "1 (low) (2 programmes)"),
        ("uk_provision", "yes", "Yes (4 programmes)"),
        ("country", "Netherlands", "Netherlands (1 programme)"),
        ("outcome", "Improved attachment security", "Improved attachment security (2 programmes)"),
        ("setting", "inpatient-health", "In-patient health setting (0 programmes)"),
    ],
)
def test_values_carry_vocabulary_labels_and_counts(client, catalogue, name, value, label):
    assert label_for(client.get(LIST), name, value) == label


def test_filtering_keeps_choices_checked_and_counts_follow_other_filters(client, catalogue):
    response = client.get(LIST, {"age_group": ["infants", "toddlers"], "uk_provision": "no"})
    assert result_slugs(response) == [FOXTROT]
    assert "checked" in checkbox(response, "age_group", "infants")
    assert "checked" in checkbox(response, "age_group", "toddlers")
    assert "checked" not in checkbox(response, "age_group", "preschool")
    assert label_for(response, "uk_provision", "yes") == "Yes (2 programmes)"
    assert label_for(response, "age_group", "primary-school") == "Primary school (1 programme)"
    assert "1 programme matches your search" in text_of(response)
    assert 'href="/programmes/">Clear all filters</a>' in html_of(response)


def test_searching_fills_the_box_and_finds_by_words(client, catalogue):
    response = client.get(LIST, {"q": "Nurses  home", "sort": "-rating"})
    assert result_slugs(response) == [ALPHA, FOXTROT]
    assert 'name="q" value="Nurses home"' in html_of(response)
    assert '<option value="-rating" selected>' in html_of(response)
    assert "sorted by evidence rating, strongest first" in text_of(response)


def sort_options(response):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]+)</option>', html_of(response))


def test_searching_puts_the_best_match_first_and_offers_it_as_a_sort(client, catalogue):
    response = client.get(LIST, {"q": "nurses"})
    assert result_slugs(response) == [FOXTROT, ALPHA]  # "Nurse" in Foxtrot's name
    assert "sorted by best match" in text_of(response)
    # The sort the query has anyway goes out blank, so it stays the default.
    assert sort_options(response)[:2] == [
        ("", " selected", "Best match"),
        ("name", "", "Name, A to Z"),
    ]


def test_without_search_words_the_name_order_is_sent_blank_and_best_match_is_not_offered(
    client, catalogue
):
    options = sort_options(client.get(LIST))
    assert options[0] == ("", " selected", "Name, A to Z")
    assert "Best match" not in [label for _, _, label in options]


def test_the_title_says_how_many_programmes_the_search_found(client, catalogue):
    # After sending the form, a screen reader announces the new page's title first.
    title = re.search(r"<title>(.*?)</title>", html_of(client.get(LIST, {"q": "nurses"}))).group(1)
    assert unescape(title) == "2 programmes match your search – Programmes · Guidebook"
    title = re.search(r"<title>(.*?)</title>", html_of(client.get(LIST))).group(1)
    assert title == "Programmes · Guidebook"


def test_a_skip_link_leads_to_the_results(client, catalogue):
    html = html_of(client.get(LIST))
    assert '<a class="skip-link" href="#results-heading">Skip to results</a>' in html
    assert '<h2 id="results-heading" tabindex="-1"' in html


def test_a_search_that_finds_nothing_says_so(client, catalogue):
    response = client.get(LIST, {"q": "submarine"})
    assert response.status_code == 200
    assert result_slugs(response) == []
    assert "No programme on this list matches every filter and word you chose" in text_of(response)


def test_pages_link_to_each_other_keeping_the_filters(client, catalogue):
    response = client.get(LIST, {"page_size": 2, "page": 2, "uk_provision": ["yes", "no"]})
    assert result_slugs(response) == [CHARLIE, DELTA]
    html = html_of(response)
    assert 'start="3"' in html
    query = "uk_provision=yes&amp;uk_provision=no&amp;page_size=2"
    assert f'<a href="/programmes/?{query}" rel="prev">Previous page</a>' in html
    assert f'<a href="/programmes/?{query}&amp;page=3" rel="next">Next page</a>' in html
    assert f'<a href="/programmes/?{query}&amp;page=2" aria-current="page">Page 2</a>' in html
    # A page size other than the default survives a new submission of the form.
    assert '<input type="hidden" name="page_size" value="2">' in html


def test_one_page_of_results_shows_no_page_links(client, catalogue):
    assert 'aria-label="Pages of results"' not in html_of(client.get(LIST))


def test_the_not_listed_page_holds_nl2_and_ne_programmes(client, catalogue):
    response = client.get(NOT_LISTED)
    assert response.status_code == 200
    assert result_slugs(response) == [GOLF, HOTEL]
    assert "<h1>Programmes not listed</h1>" in html_of(response)
    assert label_for(response, "rating", "NE") == "NE (found not to be effective) (1 programme)"
    assert 'data-testid="result-cost">NA (not available)<' in html_of(response)


def test_the_lists_link_to_each_other_with_the_same_filters_but_the_rating(client, catalogue):
    response = client.get(LIST, {"age_group": "adolescents", "rating": "4"})
    assert result_slugs(response) == [DELTA]
    other = re.search(r'<a href="([^"]+)" data-testid="other-list">', html_of(response)).group(1)
    assert unescape(other) == "/programmes/not-listed/?age_group=adolescents"
    assert "2 match the same filters and words, leaving the evidence rating aside" in text_of(
        response
    )
    assert result_slugs(client.get(unescape(other))) == [GOLF, HOTEL]


def test_the_list_links_its_json_twin_in_the_api(client, catalogue):
    html = html_of(client.get(NOT_LISTED, {"age_group": "adolescents"}))
    twin = "/api/programmes?list=not-listed&amp;age_group=adolescents"
    assert f'<link rel="alternate" type="application/json" href="{twin}">' in html


# Bad addresses get a 400 page naming the parameter, never a server error.
BAD_CASES = [
    (LIST, {"colour": "red"}, "colour", "a known parameter"),
    (LIST, {"age_group": "teens"}, "age_group", "one of perinatal, infants"),
    (LIST, {"rating": "NL2"}, "rating", "one of evidence-based, 4+"),
    (LIST, {"page": "0"}, "page", "a whole number of at least 1"),
    (LIST, {"page": "9"}, "page", "a page from 1 to 1"),
    (LIST, {"page_size": "1000"}, "page_size", "a whole number from 1 to 100"),
    (LIST, {"sort": "price"}, "sort", "one of relevance, name, -name"),
    (LIST, {"country": "Atlantis"}, "country", "a value published in the catalogue"),
    (LIST, {"list": "all"}, "list", "a known parameter"),
    (NOT_LISTED, {"rating": "4"}, "rating", "one of NE, NL2"),
]


@pytest.mark.parametrize(("url", "params", "parameter", "expected"), BAD_CASES)
def test_bad_parameters_get_a_400_page_naming_the_problem(
    client, catalogue, url, params, parameter, expected
):
    response = client.get(url, params)
    assert response.status_code == 400
    text = text_of(response)
    assert "This search cannot be run" in text
    assert f"The parameter {parameter} expected {expected}" in text
    assert f'<a href="{url}">Start a new search' in html_of(response)


def test_an_empty_catalogue_says_nothing_is_listed_yet(client, db):
    from guidebook.catalogue.models import Programme

    Programme.objects.all().delete()
    response = client.get(LIST)
    assert response.status_code == 200
    assert "No programme on this list matches yet." in text_of(response)


def test_with_no_nl2_or_ne_programme_the_not_listed_page_says_none_is_recorded(
    client, db, ipp_data
):
    from guidebook.catalogue.models import Programme
    from tests.public.published import programme_data, store

    Programme.objects.all().delete()
    data = programme_data(ipp_data, "imported-one", "Imported One")
    for study in data["studies"]:
        study["appraisal"] = None  # computed, it would be NL2; imported, it is a 3
    data["imported"]["evidence_rating"] = "3"
    store(data)
    text = text_of(client.get(NOT_LISTED))
    assert "No programme in this catalogue is rated NL2 or NE on evidence appraised here" in text
    assert "Imported One" not in text
    listed = text_of(client.get(LIST))
    assert "Imported One Evidence rating 3 (imported)" in listed
    assert "the studies behind it are not yet appraised here" in listed


@pytest.mark.parametrize("page_size", [2, 6])
@pytest.mark.parametrize("url", [LIST, NOT_LISTED])
def test_the_page_costs_a_fixed_number_of_queries(
    client, catalogue, django_assert_num_queries, url, page_size
):
    # The index (two queries, as this test runs in a transaction), the search words
    # in the full-text index, then the page.
    with django_assert_num_queries(4):
        response = client.get(url, {"page_size": page_size, "q": "made-up"})
    assert response.status_code == 200


def test_many_pages_are_linked_around_the_current_one_with_gaps(client, catalogue):
    html = html_of(client.get(LIST, {"page_size": 1, "page": 6}))
    nav = html[html.index('aria-label="Pages of results"') :]
    nav = nav[: nav.index("</nav>")]
    labels = re.findall(r">(Page \d+|…|Previous page|Next page)<", nav)
    assert labels == ["Previous page", "Page 1", "…", "Page 4", "Page 5", "Page 6"]
