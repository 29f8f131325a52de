"""The finder: filters, search, counts, sorting and pages over published snapshots."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from guidebook.catalogue.finder import (
    FILTERS,
    MAX_PAGE_SIZE,
    Scope,
    find_programmes,
    parse_query,
)
from guidebook.catalogue.models import Programme, Snapshot
from guidebook.evidence.errors import InvalidRecord
from tests.api.fixture_catalogue import CATALOGUE, module_catalogue

ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT, GOLF, HOTEL = (row.slug for row in CATALOGUE)
LISTED = [ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT]


published_catalogue = module_catalogue()


@pytest.fixture
def catalogue(published_catalogue, db):
    return published_catalogue


def find(query_string, scope=Scope.LISTED, **options):
    return find_programmes(QueryDict(query_string), scope, **options)


def slugs(results):
    return [found.snapshot.slug for found in results.items]


def counts(results, name):
    facet = next(facet for facet in results.facets if facet.name == name)
    return {option.key: option.count for option in facet.options if option.count}


# One row per filter, then combinations: the query and the programmes it finds (by name).
FILTER_CASES = [
    ("", LISTED),
    ("age_group=infants", [ALPHA, FOXTROT]),
    ("age_group=infants&age_group=adolescents", [ALPHA, DELTA, FOXTROT]),
    ("outcome_category=mental-health", [ALPHA, CHARLIE, FOXTROT]),
    ("outcome_category=substance-abuse&outcome_category=maltreatment", [ALPHA, DELTA]),
    ("outcome=Improved attachment security", [ALPHA, FOXTROT]),
    ("outcome=Fewer arrests&outcome=Healthier weight", [DELTA, ECHO]),
    ("delivery_model=home-visiting", [ALPHA, FOXTROT]),
    ("delivery_model=telephone&delivery_model=classroom", [CHARLIE, DELTA]),
    ("setting=community-centre", [BRAVO]),
    ("setting=online&setting=outpatient-health", [DELTA, ECHO]),
    ("targeting=universal", [CHARLIE, ECHO]),
    ("targeting=targeted-indicated", [DELTA, FOXTROT]),
    ("rating=evidence-based", [ALPHA, BRAVO, CHARLIE, DELTA]),
    ("rating=3", [CHARLIE]),  # 3* is a 3 with mixed findings
    ("rating=4%2B&rating=2", [ALPHA, FOXTROT]),
    ("rating=evidence-based&rating=2%2B", [ALPHA, BRAVO, CHARLIE, DELTA, ECHO]),
    ("cost_rating=1", [CHARLIE, ECHO]),
    ("cost_rating=4&cost_rating=5", [ALPHA, DELTA]),
    ("cost_rating=NA", []),
    ("uk_provision=yes", [ALPHA, BRAVO, DELTA, ECHO]),
    ("uk_provision=no", [CHARLIE, FOXTROT]),
    ("uk_provision=yes&uk_provision=no", LISTED),
    ("uk_evaluation=yes", [ALPHA, ECHO]),
    ("country=United States", [ALPHA, CHARLIE, DELTA]),
    ("country=Netherlands&country=Australia", [DELTA, FOXTROT]),
    # Different filters must all hold.
    ("age_group=infants&uk_provision=no", [FOXTROT]),
    ("rating=evidence-based&cost_rating=1&cost_rating=2", [BRAVO, CHARLIE]),
    ("age_group=preschool&targeting=universal&uk_evaluation=yes", [ECHO]),
    ("outcome_category=mental-health&country=United States&rating=3", [CHARLIE]),
    ("delivery_model=group&setting=home", []),
    # Search: every word (or a stem or synonym of it), any case, anywhere the
    # programme's page shows it (test_search.py has the rules). In name order here;
    # SEARCH_ORDER_CASES pins the best match order.
    ("q=nurses&sort=name", [ALPHA, FOXTROT]),
    ("q=nurses home baby two", [ALPHA]),
    ("q=READING", [CHARLIE]),
    ("q=attachment&sort=name", [ALPHA, FOXTROT]),
    ("q=made-up&sort=name", LISTED),
    ("q=therapy", [DELTA]),
    ("q=nurses therapy", []),
    ("q=100%", []),
    ("q=nurses&delivery_model=home-visiting&age_group=perinatal", [ALPHA]),
    ("q=nurses&delivery_model=group", []),
    # Blank values mean "not given", as an empty search box does.
    ("q=&age_group=&sort=", LISTED),
]

NOT_LISTED_CASES = [
    ("", [GOLF, HOTEL]),
    ("rating=NE", [HOTEL]),
    ("rating=NL2&rating=NE", [GOLF, HOTEL]),
    ("age_group=adolescents", [GOLF, HOTEL]),
    ("setting=community-centre&uk_provision=no", [GOLF]),
    ("cost_rating=NA", [GOLF]),
    ("q=club", [HOTEL]),
    ("age_group=infants", []),
]


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES)
def test_it_finds_the_programmes_matching_every_filter(catalogue, query, expected):
    results = find(query)
    assert slugs(results) == expected
    assert results.total == len(expected)


@pytest.mark.parametrize(("query", "expected"), NOT_LISTED_CASES)
def test_the_not_listed_list_holds_only_nl2_and_ne_programmes(catalogue, query, expected):
    assert slugs(find(query, Scope.NOT_LISTED)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("list=all", [ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT, GOLF, HOTEL]),
        ("list=all&age_group=adolescents", [DELTA, GOLF, HOTEL]),
        ("list=all&rating=NE&rating=4", [DELTA, HOTEL]),
        ("list=not-listed&uk_evaluation=yes", [HOTEL]),
        ("list=listed&age_group=adolescents", [DELTA]),
    ],
)
def test_the_list_can_be_chosen_where_allowed(catalogue, query, expected):
    assert slugs(find(query, allow_scope=True)) == expected


# Counts beside values follow every OTHER filter: (query, filter, non-zero counts).
COUNT_CASES = [
    (
        "",
        "age_group",
        {"perinatal": 1, "infants": 2, "toddlers": 1, "preschool": 2, "primary-school": 2}
        | {"preadolescents": 1, "adolescents": 1},
    ),
    ("", "rating", {"evidence-based": 4, "4+": 1, "4": 1, "3+": 1, "3": 1, "2+": 1, "2": 1}),
    ("", "cost_rating", {"1": 2, "2": 1, "3": 1, "4": 1, "5": 1}),
    ("", "uk_provision", {"yes": 4, "no": 2}),
    # The filter's own choice does not narrow its own counts...
    (
        "age_group=infants",
        "age_group",
        {"perinatal": 1, "infants": 2, "toddlers": 1, "preschool": 2, "primary-school": 2}
        | {"preadolescents": 1, "adolescents": 1},
    ),
    # ...but narrows every other filter's.
    ("age_group=infants", "delivery_model", {"home-visiting": 2}),
    ("age_group=infants", "rating", {"evidence-based": 1, "4+": 1, "2": 1}),
    (
        "age_group=infants",
        "outcome",
        {"Improved attachment security": 2} | {"Fewer child protection referrals": 1},
    ),
    (
        "age_group=infants&uk_provision=no",
        "age_group",
        {"infants": 1, "primary-school": 1, "preadolescents": 1},
    ),
    ("age_group=infants&uk_provision=no", "uk_provision", {"yes": 1, "no": 1}),
    ("age_group=infants&age_group=toddlers", "uk_provision", {"yes": 2, "no": 1}),
    ("q=nurses", "cost_rating", {"5": 1, "3": 1}),
    ("q=nurses", "age_group", {"perinatal": 1, "infants": 2}),
    ("rating=evidence-based", "cost_rating", {"1": 1, "2": 1, "4": 1, "5": 1}),
    ("cost_rating=1", "rating", {"evidence-based": 1, "3": 1, "2+": 1}),
]


@pytest.mark.parametrize(("query", "name", "expected"), COUNT_CASES)
def test_counts_beside_values_respect_the_other_filters(catalogue, query, name, expected):
    assert counts(find(query), name) == expected


@pytest.mark.parametrize(
    "query",
    [
        "",
        "age_group=infants",
        "q=nurses&uk_provision=yes",
        "rating=evidence-based&cost_rating=1",
        "age_group=adolescents&age_group=toddlers&country=United Kingdom",
    ],
)
def test_each_count_is_what_choosing_that_value_alone_would_find(catalogue, query):
    """The faceted-search rule, checked value by value against real searches."""
    results = find(query)
    params = QueryDict(query)
    for facet in results.facets:
        for option in facet.options:
            narrowed = params.copy()
            narrowed.setlist(facet.name, [option.key])
            assert find(narrowed.urlencode()).total == option.count, (facet.name, option.key)


def test_the_offered_values_come_from_the_vocabularies_and_the_catalogue(catalogue):
    facets = {facet.name: facet for facet in find("age_group=infants").facets}
    assert [option.label for option in facets["age_group"].options][:2] == [
        "Perinatal (pregnancy)",
        "Infants",
    ]
    assert [o.key for o in facets["age_group"].options if o.selected] == ["infants"]
    assert [o.key for o in facets["rating"].options] == [
        "evidence-based",
        *("4+", "4", "3+", "3", "2+", "2"),
    ]
    assert [o.key for o in facets["country"].options] == [
        "Australia",
        "Netherlands",
        "United Kingdom",
        "United States",
    ]
    assert facets["cost_rating"].options[0].label == "1 (low)"
    not_listed = {facet.name: facet for facet in find("", Scope.NOT_LISTED).facets}
    assert [o.key for o in not_listed["rating"].options] == ["NE", "NL2"]
    assert set(facets) == {item.name for item in FILTERS}


SORT_CASES = [
    ("sort=name", LISTED),
    ("sort=-name", list(reversed(LISTED))),
    ("sort=-rating", [ALPHA, DELTA, BRAVO, CHARLIE, ECHO, FOXTROT]),
    ("sort=rating", [FOXTROT, ECHO, CHARLIE, BRAVO, DELTA, ALPHA]),
    # Equal cost ratings keep name order; programmes without one come last both ways.
    ("sort=cost", [CHARLIE, ECHO, BRAVO, FOXTROT, DELTA, ALPHA]),
    ("sort=-cost", [ALPHA, DELTA, FOXTROT, BRAVO, CHARLIE, ECHO]),
    ("sort=-rating&age_group=infants", [ALPHA, FOXTROT]),
    # Best match order without search words is name order.
    ("sort=relevance", LISTED),
]

SEARCH_ORDER_CASES = [
    # Best match first: a word in the name counts most (Foxtrot Nurse Visits).
    ("q=nurses", [FOXTROT, ALPHA]),
    ("q=nurses&sort=relevance", [FOXTROT, ALPHA]),
    # Any other sort asked for wins over the best match.
    ("q=nurses&sort=name", [ALPHA, FOXTROT]),
    ("q=nurses&sort=-rating", [ALPHA, FOXTROT]),
    ("q=attachment&sort=cost", [FOXTROT, ALPHA]),
]


@pytest.mark.parametrize(("query", "expected"), SORT_CASES)
def test_it_sorts_by_name_rating_and_cost(catalogue, query, expected):
    assert slugs(find(query)) == expected


@pytest.mark.parametrize(("query", "expected"), SEARCH_ORDER_CASES)
def test_search_words_sort_best_match_first_unless_told_otherwise(catalogue, query, expected):
    assert slugs(find(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"), [("sort=cost", [HOTEL, GOLF]), ("sort=-cost", [HOTEL, GOLF])]
)
def test_programmes_without_a_cost_rating_sort_last(catalogue, query, expected):
    assert slugs(find(query, Scope.NOT_LISTED)) == expected


PAGE_CASES = [
    # query, programmes on the page, total pages, previous, next
    ("page_size=4", [ALPHA, BRAVO, CHARLIE, DELTA], 2, None, 2),
    ("page_size=4&page=2", [ECHO, FOXTROT], 2, 1, None),
    ("page_size=6", LISTED, 1, None, None),
    ("page_size=1&page=6", [FOXTROT], 6, 5, None),
    ("page_size=1&page=3&sort=-rating", [BRAVO], 6, 2, 4),
    (f"page_size={MAX_PAGE_SIZE}", LISTED, 1, None, None),
    ("age_group=perinatal&page_size=1", [ALPHA], 1, None, None),
    ("delivery_model=group&setting=home", [], 1, None, None),
]


@pytest.mark.parametrize(("query", "expected", "pages", "previous", "following"), PAGE_CASES)
def test_it_pages_through_the_results(catalogue, query, expected, pages, previous, following):
    results = find(query)
    assert slugs(results) == expected
    assert (results.page_count, results.previous_page, results.next_page) == (
        pages,
        previous,
        following,
    )


def test_the_pages_together_hold_every_programme_once(catalogue):
    seen = []
    for page in (1, 2, 3):
        seen += slugs(find(f"page_size=2&page={page}&sort=-cost"))
    assert seen == slugs(find("sort=-cost"))


# Bad requests: (query, parameter, part of what was expected, what was found).
BAD_CASES = [
    ("colour=red", "colour", "a known parameter", "'colour'"),
    ("list=all", "list", "a known parameter", "'list'"),
    ("age_group=teens", "age_group", "one of perinatal, infants", "'teens'"),
    ("outcome_category=happiness", "outcome_category", "one of mental-health", "'happiness'"),
    ("delivery_model=carrier-pigeon", "delivery_model", "one of individual", "'carrier-pigeon'"),
    ("setting=moon", "setting", "one of home", "'moon'"),
    ("targeting=everyone", "targeting", "one of universal", "'everyone'"),
    ("rating=NL2", "rating", "one of evidence-based, 4+", "'NL2'"),
    ("rating=5", "rating", "one of evidence-based", "'5'"),
    ("rating=3*", "rating", "one of evidence-based", "'3*'"),
    ("rating=4+", "rating", "one of evidence-based, 4+", "'4 '"),  # "+" unencoded is a space
    ("cost_rating=6", "cost_rating", "one of 1, 2, 3, 4, 5, NA", "'6'"),
    ("uk_provision=maybe", "uk_provision", "one of yes, no", "'maybe'"),
    ("uk_evaluation=true", "uk_evaluation", "one of yes, no", "'true'"),
    ("outcome=Flying", "outcome", "a value published in the catalogue", "'Flying'"),
    ("country=Atlantis", "country", "a value published in the catalogue", "'Atlantis'"),
    ("sort=price", "sort", "one of relevance, name, -name, -rating", "'price'"),
    ("sort=name&sort=-name", "sort", "a single value", "['name', '-name']"),
    ("q=a&q=b", "q", "a single value", "['a', 'b']"),
    ("page=0", "page", "a whole number of at least 1", "'0'"),
    ("page=-1", "page", "a whole number of at least 1", "'-1'"),
    ("page=two", "page", "a whole number of at least 1", "'two'"),
    ("page=1.5", "page", "a whole number of at least 1", "'1.5'"),
    ("page=3", "page", "a page from 1 to 1", "'3'"),
    ("page_size=4&page=3", "page", "a page from 1 to 2", "'3'"),
    ("page_size=0", "page_size", f"a whole number from 1 to {MAX_PAGE_SIZE}", "'0'"),
    (f"page_size={MAX_PAGE_SIZE + 1}", "page_size", "a whole number from 1 to", "'101'"),
    ("q=" + "+".join(["word"] * 11), "q", "at most 10 words", "'word word"),
    ("q=" + "x" * 201, "q", "200 characters", "'xxx"),
    ("q=nurse%00", "q", "without control characters", "'nurse\\x00'"),
]


@pytest.mark.parametrize(("query", "parameter", "expected", "found"), BAD_CASES)
def test_bad_parameters_are_named_with_what_was_expected(
    catalogue, query, parameter, expected, found
):
    with pytest.raises(InvalidRecord) as raised:
        find(query)
    [problem] = raised.value.problems
    assert problem.record == "query"
    assert problem.field == parameter
    assert expected in problem.expected
    assert problem.found.startswith(found)


def test_the_not_listed_list_refuses_listed_ratings(catalogue):
    with pytest.raises(InvalidRecord) as raised:
        find("rating=evidence-based", Scope.NOT_LISTED)
    assert raised.value.problems[0].expected == "one of NE, NL2"


def test_an_unknown_list_is_named(catalogue):
    with pytest.raises(InvalidRecord) as raised:
        find("list=everything", allow_scope=True)
    assert str(raised.value.problems[0]) == (
        "query: field 'list' expected one of listed, not-listed, all, found 'everything'"
    )


def test_every_problem_is_reported_at_once(catalogue):
    with pytest.raises(InvalidRecord) as raised:
        find("colour=red&age_group=teens&age_group=elders&sort=price&page=x&country=Atlantis")
    fields = [problem.field for problem in raised.value.problems]
    assert fields == ["colour", "age_group", "age_group", "sort", "page", "country"]


@pytest.fixture
def empty_catalogue(db):
    # The module's catalogue may already be there; this test's savepoint removes it.
    Programme.objects.all().delete()


def test_an_open_value_is_refused_when_nothing_is_published(empty_catalogue):
    with pytest.raises(InvalidRecord) as raised:
        find("outcome=Anything")
    assert raised.value.problems[0].expected == "a published value (none is published yet)"


def test_an_empty_catalogue_has_one_empty_page(empty_catalogue):
    results = find("")
    assert (results.total, results.page_count, results.first_shown, results.last_shown) == (
        0,
        1,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("", ""),
        ("age_group=toddlers&age_group=infants", "age_group=infants&age_group=toddlers"),
        ("q=+nurses+++home+&sort=relevance&page=1&page_size=20", "q=nurses+home"),
        # Best match is the default only with search words; name only without.
        ("q=nurses&sort=name", "q=nurses&sort=name"),
        ("sort=name&age_group=infants", "age_group=infants"),
        ("sort=relevance", "sort=relevance"),
        ("page=2&cost_rating=1&q=a", "q=a&cost_rating=1&page=2"),
        ("rating=2&rating=evidence-based&rating=2", "rating=evidence-based&rating=2"),
        ("sort=-cost&page_size=5&uk_provision=no", "uk_provision=no&sort=-cost&page_size=5"),
    ],
)
def test_a_query_has_one_shareable_form(given, normalised):
    query, problems = parse_query(QueryDict(given))
    assert problems == []
    assert query.encode() == normalised
    again, _ = parse_query(QueryDict(query.encode()))
    assert again == query


def test_the_shareable_form_names_the_list_where_it_is_a_parameter():
    query, _ = parse_query(QueryDict("list=all&age_group=infants"), allow_scope=True)
    assert query.encode() == urlencode({"list": "all", "age_group": "infants"})
    assert query.without("age_group").encode() == "list=all"


def test_only_current_published_snapshots_are_found(catalogue):
    Programme.objects.filter(slug=ALPHA).update(name="Renamed in a draft")
    assert "Renamed in a draft" not in [f.snapshot.name for f in find("").items]

    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish
    from tests.api.fixture_catalogue import Row, record_of

    draft = Row(
        "india-draft",
        "India Draft",
        "Not yet published.",
        ("infants",),
        ("group",),
        (),
        (),
        ("United Kingdom",),
        True,
        True,
        (),
        "4",
        "1",
    )
    stored = save_record(record_of(draft))
    assert "india-draft" not in slugs(find("page_size=100"))
    publish(stored)
    publish(stored, note="published twice")
    assert slugs(find("q=india")) == ["india-draft"]
    assert Snapshot.objects.filter(slug="india-draft").count() == 2


def test_the_fixture_programmes_have_the_intended_ratings(catalogue):
    published = {s.slug: (s.rating, s.cost_rating, s.listed) for s in Snapshot.objects.all()}
    assert published == {
        row.slug: (row.rating, row.cost, row.rating not in {"NL2", "NE"}) for row in CATALOGUE
    }


def test_the_other_list_count_leaves_the_rating_aside(catalogue):
    assert find("age_group=adolescents&rating=4").elsewhere == 2
    assert find("age_group=adolescents", Scope.NOT_LISTED).elsewhere == 1
    assert find("list=all", allow_scope=True).elsewhere == 0


@pytest.mark.parametrize("page_size", [2, 6])
def test_a_search_in_a_transaction_costs_four_queries_whatever_the_page_size(
    catalogue, django_assert_num_queries, page_size
):
    # Inside a transaction the index is built for each call (two queries), the search
    # words are looked up, then the page is read; outside one the index is shared and
    # a call costs two queries (test_finder_index.py).
    with django_assert_num_queries(4):
        results = find(f"page_size={page_size}&q=made-up&age_group=infants&age_group=toddlers")
        [found.snapshot.summary for found in results.items]
