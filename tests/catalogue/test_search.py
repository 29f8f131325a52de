"""Search: folding, terms and synonyms, acronyms, misspellings, and the index kept in step.

The rules are the same on SQLite and PostgreSQL (run this module on both); only
stemming and ranking are each database's own. test_search_queries.py measures
the result on the demo catalogue.
"""

from dataclasses import replace
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.finder import Scope, find_programmes
from guidebook.catalogue.models import (
    ImportedRating,
    Programme,
    SearchDocument,
    SearchTerm,
    SnapshotFacet,
)
from guidebook.catalogue.publishing import publish
from guidebook.catalogue.search import search_programmes
from guidebook.catalogue.search.backends import fts5_query, tsquery_sql
from guidebook.catalogue.search.documents import search_fields
from guidebook.catalogue.search.expression import parse
from guidebook.catalogue.search.store import rebuild_search_index
from guidebook.catalogue.search.text import fold
from guidebook.catalogue.search.typos import corrections, edit_distance
from guidebook.catalogue.search.vocabulary import (
    ALIASES,
    SYNONYMS,
    acronyms,
    aliases_of,
)
from guidebook.evidence.record_json import programme_to_dict
from tests.api.fixture_catalogue import CATALOGUE, Row, record_of

# --- Words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Café ÉCOLE", "cafe ecole"),
        ("Straße", "strasse"),
        ("İzmir", "izmir"),
        ("home-visiting", "home visiting"),
        ("fun_time 100%", "fun time 100"),
        ("children's centre", "children s centre"),
        ("  many   spaces\tand\nlines ", "many spaces and lines"),
        ("", ""),
    ],
)
def test_text_is_folded_the_same_way_for_documents_and_queries(text, folded):
    assert fold(text) == folded


# --- What a query asks for -----------------------------------------------------------------


def phrases_of(text):
    return [[" ".join(phrase) for phrase in term.phrases] for term in parse(text).terms]


@pytest.mark.parametrize(
    ("text", "first_phrases"),
    [
        ("nurses", [["nurses"]]),
        ("Nurses HOME", [["nurses"], ["home"]]),
        # Stop words and words every programme could claim are dropped...
        ("a programme for the nurses", [["nurses"]]),
        # ...unless nothing else was typed.
        ("programme", [["programme"]]),
        ("the of and", []),
        ("", []),
        # A phrase of the synonym table is one term, recognised before its words.
        ("home visiting", [["home visiting", "home visit", "home visitor"]]),
        ("home-visiting nurses", [["home visiting", "home visit", "home visitor"], ["nurses"]]),
        ("depression", [["depression", "depressed", "low mood", "mental health"]]),
        # A word typed twice is one term.
        ("nurses nurses", [["nurses"]]),
    ],
)
def test_a_query_is_terms_each_with_its_alternatives(text, first_phrases):
    found = phrases_of(text)
    assert len(found) == len(first_phrases)
    for phrases, expected in zip(found, first_phrases, strict=True):
        assert phrases[: len(expected)] == expected


def test_the_whole_query_ranks_first_when_it_has_several_words():
    assert parse("positive parenting program").whole == ("positive", "parenting", "program")
    assert parse("parenting").whole == ()
    boosts = parse("depression nurses").boosts()
    # Every word as one phrase, then every term as typed, before synonyms.
    assert [[t.phrases for t in boost.terms] for boost in boosts] == [
        [(("depression", "nurses"),)],
        [(("depression",),), (("nurses",),)],
    ]


def test_a_corrected_word_ranks_as_if_typed_right():
    corrected = parse("depresion").corrected({"depresion": ["depression"]})
    [term] = corrected.terms
    assert term.corrections == (("depression",),)
    # The correction brings its synonyms, and ranks like the word itself would.
    assert ("mental", "health") in term.phrases
    assert corrected.boosts()[-1].terms[0].phrases == (("depresion",), ("depression",))
    assert parse("depresion").corrected({}) == parse("depresion")


def test_each_backend_reads_the_same_expression():
    expression = parse("depression nurses")
    assert fts5_query(expression).startswith('("depression" OR "depressed" OR "low mood"')
    assert fts5_query(expression).endswith(' AND ("nurses")')
    sql, params = tsquery_sql(expression)
    assert sql.count("phraseto_tsquery") == len(params)
    assert params[0] == "depression"
    assert params[-1] == "nurses"


def test_every_synonym_phrase_is_folded_already():
    for synonym in SYNONYMS:
        for phrase in (*synonym.typed, *synonym.also):
            assert fold(phrase) == phrase, phrase
    for alias in ALIASES:
        assert fold(alias.name) == alias.name
        assert all(fold(name) == name for name in alias.aliases)


# --- Names, acronyms and aliases ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Infant-Parent Psychotherapy", {"ipp"}),
        ("Family Nurse Partnership", {"fnp"}),
        ("Incredible Years Toddler", {"iyt"}),
        ("Home Instruction for Parents of Preschool Youngsters (HIPPY)", {"hifpopy", "hippy"}),
        ("Advanced LifeSkills Training", {"alst"}),
        ("Level 4 Group Triple P", {"lgtp"}),
        ("Incredible Years Child Training (Dinosaur School)", {"iyct"}),
        ("Coping Power", set()),  # two letters are too few to tell programmes apart
    ],
)
def test_initials_are_worked_out_from_the_name(name, expected):
    assert acronyms(name) == expected


@pytest.mark.parametrize(
    ("name", "included"),
    [
        ("Incredible Years Toddler", ["iyt", "iy"]),
        ("Level 4 Group Teen Triple P", ["ppp", "positive parenting program"]),
        ("Family Nurse Partnership", ["fnp", "nurse family partnership"]),
        ("Advanced LifeSkills Training", ["advanced life skills training", "lst"]),
    ],
)
def test_aliases_add_the_curated_names_and_split_words(name, included):
    found = aliases_of(name)
    assert all(alias in found for alias in included)


def test_aliases_match_whole_words_of_the_name():
    # "paths" is an alias key; "Warpaths" must not pick up its alias.
    assert "promoting alternative thinking strategies" in aliases_of("PATHS curriculum")
    assert "promoting alternative thinking strategies" not in aliases_of("Warpaths Club")


# --- Misspellings ---------------------------------------------------------------------


def _reference_distance(first, second):
    """Optimal string alignment distance, the textbook table (Damerau 1964)."""
    table = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i in range(len(first) + 1):
        table[i][0] = i
    for j in range(len(second) + 1):
        table[0][j] = j
    for i in range(1, len(first) + 1):
        for j in range(1, len(second) + 1):
            cost = first[i - 1] != second[j - 1]
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


@given(
    st.text(alphabet="abcd", max_size=8),
    st.text(alphabet="abcd", max_size=8),
    st.integers(min_value=0, max_value=3),
)
def test_the_bounded_edit_distance_agrees_with_the_full_table(first, second, limit):
    exact = _reference_distance(first, second)
    assert edit_distance(first, second, limit) == min(exact, limit + 1)


@given(st.text(alphabet="abcd", max_size=8), st.text(alphabet="abcd", max_size=8))
def test_the_edit_distance_is_symmetric(first, second):
    assert edit_distance(first, second, 3) == edit_distance(second, first, 3)


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("depresion", ["depression", "expression", "depressed"], ["depression"]),
        ("mentorng", ["mentoring", "mentor"], ["mentoring"]),
        ("visting", ["visiting", "sitting", "visit"], ["visiting"]),
        ("hoem", ["home", "hoe", "ham"], ["hoe", "home"]),  # a swap is one slip, as a deletion is
        ("nurse", ["nurse", "nurses"], []),  # a word the catalogue holds is no misspelling
        ("parcel", ["parent", "parents"], []),  # two edits is too many for six letters
        ("incredable", ["incredible"], ["incredible"]),  # ten letters may have two
    ],
)
def test_misspellings_are_corrected_to_the_nearest_indexed_words(word, candidates, expected):
    assert corrections(word, candidates) == expected


# --- The documents ------------------------------------------------------------------


def test_a_document_holds_the_labels_the_page_shows(ipp_record):
    facets = {
        ("outcome", "Improved attachment security"),
        ("outcome_category", "mental-health"),
        ("delivery_model", "individual"),
        ("age_group", "infants"),
        ("targeting", "targeted-indicated"),
    }
    fields = search_fields(programme_to_dict(ipp_record), facets)
    assert fields.name == "infant parent psychotherapy"
    assert "ipp" in fields.aliases.split()
    assert "improved attachment security" in fields.outcomes
    assert "supporting children s mental health and wellbeing" in fields.outcomes
    assert "targeted indicated" in fields.delivery
    assert "strange situation" in fields.studies  # a finding's measure
    assert "lieberman" in fields.studies  # a study's citation


# --- Searching the published catalogue ------------------------------------------------------


def find(query_string, scope=Scope.LISTED):
    return find_programmes(QueryDict(query_string), scope)


def slugs(results):
    return [found.snapshot.slug for found in results.items]


def found_for(text, scope=Scope.ALL):
    return sorted(slugs(find(urlencode({"q": text, "page_size": 100}), scope)))


def _search_row(slug, name, summary, outcomes):
    return Row(
        slug=slug,
        name=name,
        summary=summary,
        ages=("infants",),
        delivery=("group",),
        settings=("home",),
        targeting=("universal",),
        countries=("United Kingdom",),
        uk_provision=True,
        uk_evaluation=True,
        outcomes=outcomes,
        rating="3",
        cost="1",
    )


SEARCH_ROWS = [
    (
        _search_row(
            "kite-cafe-mornings",
            "Kite Café Mornings",
            "Parents meet at the ÉCOLE café each week.",
            (("mental-health", "Reduced Anxiety"),),
        ),
        "Straße games and İzmir songs, 100 percent fun_time.",
    ),
    (
        _search_row(
            "lark-parenting",
            "Lark Parenting",
            "Parenting sessions for anxious fathers.",
            (("crime-antisocial", "Fewer arrests"),),
        ),
        "Runs in schools on cafe nights.",
    ),
    (
        _search_row("moth-reading", "Moth Reading", "Teachers read aloud.", ()),
        "A 100% phonics plan with x_y notes.",
    ),
]
KITE, LARK, MOTH = (row.slug for row, _ in SEARCH_ROWS)


def publish_row(row, **changes):
    programme = save_record(replace(record_of(row), **changes))
    publish(programme, note="search test")
    return programme


@pytest.fixture
def search_catalogue(db):
    return {row.slug: publish_row(row, description=text) for row, text in SEARCH_ROWS}


# The search text as typed, and the programmes it finds (by slug, sorted).
SEARCH_CASES = [
    ("café", [KITE, LARK]),  # accents are folded on both sides
    ("CAFÉ", [KITE, LARK]),
    ("cafe", [KITE, LARK]),
    ("École", [KITE]),
    ("ecole", [KITE]),
    ("straße", [KITE]),  # a description
    ("strasse", [KITE]),
    ("İzmir", [KITE]),
    ("Anxiety", [KITE, LARK]),  # an outcome, and "anxious" is a synonym
    ("parent", [KITE, LARK]),  # stems: parents, parenting
    ("PARENTING Fathers", [LARK]),  # every term must be found
    ("parenting anxiety", [KITE, LARK]),
    ("arrests", [LARK]),
    ("arrest", [LARK]),
    ("read", [MOTH]),
    ("reading", [MOTH]),  # the name, and "read" in the summary
    ("100%", [KITE, MOTH]),  # % and _ separate words
    ("fun%time", [KITE]),
    ("x_y", [MOTH]),
    ("xzy", []),
    ("teachers", [MOTH]),
    ("teacher", [MOTH]),
    ("mental health", [KITE]),  # the outcome area's label
    ("crime", [LARK]),  # the outcome area's label
    ("universal", [KITE, LARK, MOTH]),  # the level of need's label
    ("kcm", [KITE]),  # initials of the name
    ("km", []),  # too short to be an acronym
    ("trial", [KITE, LARK, MOTH]),  # the studies' citations
    ("trial programme", [KITE, LARK, MOTH]),  # "programme" says nothing
    ("anxeity", [KITE, LARK]),  # misspelt: corrected, with the synonyms of the correction
    ("fathrs", [LARK]),
    ("moth fathrs", []),  # corrected, but not both in one programme
    ("", [KITE, LARK, MOTH]),
]


@pytest.mark.parametrize(("text", "expected"), SEARCH_CASES)
def test_search_finds_words_stems_synonyms_and_labels(search_catalogue, text, expected):
    assert found_for(text) == expected


def test_search_sees_a_publication_at_once(search_catalogue):
    kite = search_catalogue[KITE]
    assert found_for("kayaking") == []
    # An edit to the record is not public until it is published.
    Programme.objects.filter(pk=kite.pk).update(description="Kayaking on the river.")
    assert found_for("kayaking") == []
    publish(kite, note="new description")
    assert found_for("kayaking") == [KITE]
    # The words only the old snapshot held are gone with it.
    assert found_for("straße") == []
    assert SearchDocument.objects.filter(programme=kite).count() == 1


def test_a_withdrawn_programme_disappears_from_search(search_catalogue):
    assert found_for("fathers") == [LARK]
    Programme.objects.filter(slug=LARK).delete()
    assert found_for("fathers") == []
    assert not SearchDocument.objects.filter(name__contains="lark").exists()


def test_a_programme_rated_below_2_is_found_on_the_other_list_only(search_catalogue):
    lark = search_catalogue[LARK]
    ImportedRating.objects.filter(programme=lark).update(evidence_rating="NL2")
    publish(lark, note="downgraded")
    assert found_for("fathers", Scope.LISTED) == []
    assert found_for("fathers", Scope.NOT_LISTED) == [LARK]


@pytest.mark.django_db(transaction=True)
def test_a_publication_rolled_back_leaves_search_as_it_was():
    stored = [publish_row(row, description=text) for row, text in SEARCH_ROWS]
    with transaction.atomic():
        Programme.objects.filter(pk=stored[2].pk).update(description="Kayaking for readers.")
        publish(stored[2], note="rolled back")
        assert found_for("kayaking") == [MOTH]
        transaction.set_rollback(True)
    assert found_for("kayaking") == []
    assert found_for("phonics") == [MOTH]


def test_the_full_text_index_follows_every_change_to_a_document(search_catalogue):
    # On SQLite, triggers keep the FTS5 table in step with the documents (inserts and
    # deletes above; updates here); on PostgreSQL the vector is a generated column.
    SearchDocument.objects.filter(programme__slug=MOTH).update(summary="juggling")
    assert search_programmes("juggling") == [search_catalogue[MOTH].pk]
    assert search_programmes("aloud") == []


def test_a_search_costs_one_query_and_a_misspelling_three(
    search_catalogue, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert search_programmes("fathers") == [search_catalogue[LARK].pk]
    # Nothing found: the indexed words near "fathrs" are read, then it searches again.
    with django_assert_num_queries(3):
        assert search_programmes("fathrs") == [search_catalogue[LARK].pk]
    # Nothing to correct (an acronym is too short to be misspelt): one query.
    with django_assert_num_queries(1):
        assert search_programmes("xyz") == []
    with django_assert_num_queries(0):
        assert search_programmes("the") == []


def test_best_matches_come_first(search_catalogue):
    kite, lark, moth = (search_catalogue[slug].pk for slug in (KITE, LARK, MOTH))
    # The name outweighs the summary; a phrase typed whole outweighs its words apart.
    assert search_programmes("reading") == [moth]
    assert search_programmes("parenting")[0] == lark
    assert search_programmes("anxious fathers")[0] == lark
    assert search_programmes("anxiety")[0] == kite


def test_the_index_can_be_rebuilt_from_the_snapshots(search_catalogue):
    before = sorted(SearchDocument.objects.values_list(*_DOCUMENT_COLUMNS))
    terms = set(SearchTerm.objects.values_list("word", flat=True))
    SearchDocument.objects.all().delete()
    assert found_for("fathers") == []
    assert rebuild_search_index() == 3
    assert sorted(SearchDocument.objects.values_list(*_DOCUMENT_COLUMNS)) == before
    assert set(SearchTerm.objects.values_list("word", flat=True)) == terms
    assert found_for("fathers") == [LARK]


_DOCUMENT_COLUMNS = ("programme__slug", "name", "aliases", "outcomes", "delivery", "studies")


def test_the_reindex_command_says_how_many_it_indexed(search_catalogue, capsys):
    call_command("reindex")
    assert capsys.readouterr().out == "Indexed 3 published programme(s) for search.\n"
    assert found_for("fathers") == [LARK]


def test_the_words_of_documents_are_kept_for_correcting_misspellings(search_catalogue):
    words = set(SearchTerm.objects.values_list("word", flat=True))
    assert {"fathers", "anxious", "phonics", "strasse"} <= words
    # Short words, numbers and stop words are not corrected to.
    assert words.isdisjoint({"x", "100", "the", "with"})


def test_facets_and_documents_are_written_together(search_catalogue):
    snapshot_ids = set(SnapshotFacet.objects.values_list("snapshot_id", flat=True))
    assert set(SearchDocument.objects.values_list("snapshot_id", flat=True)) == snapshot_ids


def test_the_demo_fixture_rows_are_found_by_their_names(db):
    for row in CATALOGUE[:2]:
        publish_row(row)
    assert found_for("alpha home visits") == [CATALOGUE[0].slug]
