"""What a published rating rests on: its state, and the one sentence for each state."""

import pytest

from guidebook.catalogue.rating_basis import (
    PublishedRating,
    cost_basis,
    evidence_basis,
    is_appraised,
    public_assessment,
    public_cost,
)

SOURCE = "https://www.example.org/programme/one"
IMPORTED = {
    "evidence_rating": "3+",
    "cost_rating": "2",
    "source": SOURCE,
    "retrieved": "2021-01-01",
    "note": "As published.",
}


def assessment(shown, computed, imported=IMPORTED, *, appraised=None, levels=()):
    data = {
        "shown": {"value": shown, "source": "imported" if shown != computed else "computed"},
        "rating": {"value": computed},
        "imported": imported,
        "explanation": {"summary": "Computed summary.", "not_higher": ["Why."]},
        "reasons": [{"rule": "rating-2.supporting-study", "met": False}],
        "mixed_studies": [],
        "study_levels": list(levels),
    }
    if appraised is not None:
        data["appraised"] = appraised
    return data


def imported_assessment():
    data = assessment("3+", "NL2", appraised=False)
    data["shown"]["source"] = "imported"
    return data


@pytest.mark.parametrize(
    ("data", "state", "label", "statement"),
    [
        (
            imported_assessment(),
            "imported",
            "3+ (imported)",
            "This is the rating example.org published (retrieved 1 January 2021): the "
            "studies behind it are not yet appraised here, so Guidebook has not computed "
            "a rating of its own.",
        ),
        (
            assessment("3+", "3+"),
            "agrees",
            "3+",
            "This rating, computed from the studies appraised here, matches the one "
            "example.org published (retrieved 1 January 2021).",
        ),
        (
            assessment("2", "2"),
            "differs",
            "2",
            "The rating example.org published (retrieved 1 January 2021) is 3+; this one "
            "is computed from the studies appraised here, and its reasons show why the two "
            "differ.",
        ),
        (assessment("3", "3", None), "computed", "3", ""),
    ],
    ids=["imported", "agrees", "differs", "computed"],
)
def test_each_evidence_state_has_its_own_sentence(data, state, label, statement):
    basis = evidence_basis(data)
    assert (basis.state, basis.label, basis.statement) == (state, label, statement)


def test_an_imported_evidence_rating_withholds_the_computed_one():
    basis = evidence_basis(imported_assessment())
    assert basis.imported
    assert basis.computed is None
    assert basis.published == PublishedRating("3+", SOURCE, "2021-01-01", "As published.")


def cost(rating, shown=None):
    data = {"rating": rating, "label": "x", "missing": [], "breakdown": []}
    if shown is not None:
        data["shown"] = {"rating": shown, "source": "imported" if shown != rating else "computed"}
    return data


@pytest.mark.parametrize(
    ("estimate", "published", "state", "label", "statement"),
    [
        (
            cost("NA", "2"),
            "2",
            "imported",
            "2 (imported)",
            "This is the cost rating example.org published (retrieved 1 January 2021): "
            "Guidebook's cost model cannot estimate one until the inputs it lacks are "
            "recorded.",
        ),
        (
            cost("2", "2"),
            "2",
            "agrees",
            "2",
            "This cost rating, estimated from the delivery facts recorded here, matches "
            "the one example.org published (retrieved 1 January 2021).",
        ),
        (
            cost("4", "4"),
            "2",
            "differs",
            "4",
            "The cost rating example.org published (retrieved 1 January 2021) is 2; this "
            "one is estimated from the delivery facts recorded here, and its breakdown "
            "shows why the two differ.",
        ),
        (
            cost("NA", "NA"),
            "NA",
            "agrees",
            "NA",
            "Neither Guidebook's cost model nor example.org (retrieved 1 January 2021) "
            "gives this programme a cost rating.",
        ),
        (
            cost("3", "3"),
            "NA",
            "differs",
            "3",
            "No cost rating was published by example.org (retrieved 1 January 2021); this "
            "one is estimated from the delivery facts recorded here.",
        ),
        # A snapshot from before imported cost ratings were shown: its own rating.
        (cost("2"), "2", "agrees", "2", None),
    ],
    ids=["imported", "agrees", "differs", "neither-rates", "none-published", "old-snapshot"],
)
def test_each_cost_state_has_its_own_sentence(estimate, published, state, label, statement):
    basis = cost_basis(estimate, assessment("3", "3", {**IMPORTED, "cost_rating": published}))
    assert (basis.state, basis.label) == (state, label)
    if statement is not None:
        assert basis.statement == statement


def test_without_a_published_rating_the_cost_has_nothing_to_reconcile():
    basis = cost_basis(cost("NA", "NA"), assessment("3", "3", None))
    assert (basis.state, basis.statement, basis.published) == ("computed", "", None)


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("https://www.example.org/a", "example.org"),
        ("https://guidebook.eif.org.uk/programme/x", "guidebook.eif.org.uk"),
        ("test catalogue", "test catalogue"),
    ],
)
def test_the_source_is_named_by_its_site(source, name):
    assert PublishedRating("3", source, "2021-01-01").source_name == name


@pytest.mark.parametrize(
    ("retrieved", "words"), [("2016-07-01", "1 July 2016"), ("July 2016", "July 2016")]
)
def test_the_retrieval_date_is_given_in_words(retrieved, words):
    assert PublishedRating("3", SOURCE, retrieved).retrieved_on == words


def consensus_level(met, **extra):
    return {
        "study": "s",
        "level": "3",
        "level_label": "level 3",
        "reasons": [{"rule": "study.consensus-appraisal", "met": met}],
        **extra,
    }


@pytest.mark.parametrize(
    ("data", "appraised"),
    [
        (assessment("3", "3", appraised=True), True),
        (assessment("3", "3", appraised=False), False),
        # Snapshots from before the assessment said so: the consensus reason decides.
        (assessment("3", "3", levels=[consensus_level(True)]), True),
        (assessment("3", "3", levels=[consensus_level(False)]), False),
        (assessment("3", "3"), False),
    ],
)
def test_whether_the_evidence_is_appraised(data, appraised):
    assert is_appraised(data) is appraised


def test_the_public_assessment_of_an_imported_rating_withholds_the_computed_one():
    data = imported_assessment()
    data["study_levels"] = [consensus_level(False, appraised=False)]
    public = public_assessment(data)
    assert (public["rating"], public["explanation"]) == (None, None)
    assert public["reasons"] == public["mixed_studies"] == []
    assert public["appraised"] is False
    assert public["shown"]["statement"].startswith("This is the rating example.org published")
    [level] = public["study_levels"]
    assert (level["appraised"], level["level"], level["level_label"]) == (
        False,
        None,
        "not yet appraised",
    )
    # The stored snapshot itself is left as it was.
    assert data["rating"] == {"value": "NL2"}


def test_the_public_assessment_of_a_computed_rating_keeps_it_and_reconciles():
    data = assessment("3+", "3+", levels=[consensus_level(True)])
    public = public_assessment(data)
    assert public["rating"] == {"value": "3+"}
    assert public["reasons"] == data["reasons"]
    assert public["appraised"] is True
    assert public["shown"]["statement"].startswith("This rating, computed from")
    assert public["study_levels"][0]["level"] == "3"


def test_the_public_cost_carries_the_shown_rating_and_its_sentence():
    public = public_cost(cost("NA", "2"), imported_assessment())
    assert public["shown"]["rating"] == "2"
    assert public["shown"]["source"] == "imported"
    assert public["shown"]["statement"].startswith("This is the cost rating example.org")
    assert public["rating"] == "NA"
