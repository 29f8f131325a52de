"""A finding's statistics, entered one value to a field for each kind the record format
knows, checked with messages that name the field, and shown back as a readable table."""

import re
from html import unescape

import pytest
from django.urls import reverse

from guidebook.catalogue.models import Finding
from guidebook.editorial.forms.statistics import KINDS, field_name, initial_of, statistics_rows
from guidebook.editorial.models import State

FINDING = {
    "outcome": "Fewer sleep problems",
    "category": "mental-health",
    "beneficiary": "child",
    "reporter": "observer",
    "direction": "",
    "significant": "",
}

# One row per kind: what staff type, and the record's statistics the form stores.
VALID = [
    (
        "means",
        {
            "mean_treatment": "12.5",
            "sd_treatment": "3",
            "n_treatment": "50",
            "mean_comparison": "10",
            "sd_comparison": "3.2",
            "n_comparison": "48",
            "higher_is_better": "yes",
        },
        {
            "mean_treatment": 12.5,
            "sd_treatment": 3.0,
            "n_treatment": 50,
            "mean_comparison": 10.0,
            "sd_comparison": 3.2,
            "n_comparison": 48,
            "higher_is_better": True,
        },
    ),
    (
        "t",
        {"t": "2.1", "n_treatment": "40", "n_comparison": "41"},
        {"t": 2.1, "n_treatment": 40, "n_comparison": 41, "higher_is_better": True},
    ),
    (
        "f",
        {"f": "4.4", "n_treatment": "40", "n_comparison": "41", "favours_treatment": "no"},
        {"f": 4.4, "n_treatment": 40, "n_comparison": 41, "favours_treatment": False},
    ),
    (
        "p",
        {"p": "0.03", "n_treatment": "1,200", "n_comparison": "1180", "favours_treatment": "yes"},
        {"p": 0.03, "n_treatment": 1200, "n_comparison": 1180, "favours_treatment": True},
    ),
    (
        "counts",
        {
            "events_treatment": "5",
            "n_treatment": "60",
            "events_comparison": "12",
            "n_comparison": "58",
        },
        {
            "events_treatment": 5,
            "n_treatment": 60,
            "events_comparison": 12,
            "n_comparison": 58,
            "event_is_good": False,
        },
    ),
    (
        "effect",
        {
            "effect_size": "0.42",
            "metric": "smd",
            "ci_lower": "0.1",
            "ci_upper": "0.74",
            "ci_level": "0.9",
            "se": "",
            "n_treatment": "90",
            "n_comparison": "88",
            "higher_is_better": "no",
        },
        {
            "effect_size": 0.42,
            "metric": "smd",
            "ci_lower": 0.1,
            "ci_upper": 0.74,
            "ci_level": 0.9,
            "n_treatment": 90,
            "n_comparison": 88,
            "higher_is_better": False,
        },
    ),
]


@pytest.fixture
def searching(client, personas, make_round):
    assessment = make_round(State.EVIDENCE_SEARCH)
    client.force_login(personas["assessor"])
    return assessment


def post(client, searching, tag, values, extra=None):
    study = searching.programme.studies.get()
    data = {**FINDING, "statistics_kind": tag, **(extra or {})}
    data.update({field_name(tag, key): value for key, value in values.items()})
    url = reverse("editorial:add_finding", args=[searching.pk, study.pk])
    return study, client.post(url, data)


def test_every_kind_of_the_record_format_has_a_group_of_fields():
    assert [kind.tag for kind in KINDS] == ["means", "t", "f", "p", "counts", "effect"]
    effect = next(kind for kind in KINDS if kind.tag == "effect")
    assert {value.key for value in effect.values} >= {
        "effect_size",
        "ci_lower",
        "ci_upper",
        "ci_level",
        "se",
        "metric",
        "n_treatment",
        "n_comparison",
    }


@pytest.mark.parametrize(("tag", "typed", "stored"), VALID, ids=[row[0] for row in VALID])
def test_each_kind_is_stored_in_the_record_format(client, searching, tag, typed, stored):
    study, response = post(client, searching, tag, typed)
    assert response.status_code == 302
    assert study.findings.get(outcome=FINDING["outcome"]).statistics == {"type": tag, **stored}


@pytest.mark.parametrize(("tag", "typed", "stored"), VALID, ids=[row[0] for row in VALID])
def test_stored_statistics_come_back_into_the_fields(tag, typed, stored):
    initial = initial_of({"type": tag, **stored})
    assert initial["statistics_kind"] == tag
    for key in stored:
        assert initial[field_name(tag, key)] not in (None, ""), key


# One row per mistake: the kind, what was typed, the field, and its message.
MISTAKES = [
    (
        "p",
        {"n_treatment": "90", "n_comparison": "88", "favours_treatment": "yes"},
        "p",
        "expected a number from 0 to 1, found nothing.",
    ),
    (
        "p",
        {"p": "0.3x", "n_treatment": "90", "n_comparison": "88", "favours_treatment": "yes"},
        "p",
        "expected a number from 0 to 1, found '0.3x'.",
    ),
    (
        "t",
        {"t": "2", "n_treatment": "0", "n_comparison": "40"},
        "n_treatment",
        "expected a whole number of at least 1, found '0'.",
    ),
    (
        "t",
        {"t": "2", "n_treatment": "40.5", "n_comparison": "40"},
        "n_treatment",
        "expected a whole number of at least 1, found '40.5'.",
    ),
    (
        "means",
        {
            "mean_treatment": "1",
            "sd_treatment": "0",
            "n_treatment": "5",
            "mean_comparison": "1",
            "sd_comparison": "1",
            "n_comparison": "5",
        },
        "sd_treatment",
        "expected a number above 0, found '0'.",
    ),
    (
        "f",
        {"f": "4", "n_treatment": "40", "n_comparison": "41"},
        "favours_treatment",
        "expected yes or no, found nothing.",
    ),
    (
        "effect",
        {"effect_size": "0.4", "ci_level": "95"},
        "ci_level",
        "expected a number between 0 and 1, such as 0.95, found '95'.",
    ),
    (
        "counts",
        {
            "events_treatment": "70",
            "n_treatment": "60",
            "events_comparison": "1",
            "n_comparison": "60",
        },
        "events_treatment",
        None,
    ),
    ("effect", {"effect_size": "0.4"}, None, None),
]


@pytest.mark.parametrize(("tag", "typed", "key", "message"), MISTAKES)
def test_a_mistake_is_put_on_the_field_it_concerns_and_nothing_is_stored(
    client, searching, tag, typed, key, message
):
    _, response = post(client, searching, tag, typed)
    assert response.status_code == 400
    errors = response.context["form"].errors
    if key is None:  # the core's own check, on the kind as a whole
        assert errors["statistics_kind"]
    else:
        assert errors[field_name(tag, key)]
        if message:
            assert errors[field_name(tag, key)] == [message]
        else:  # the core's check, put back on the field it names
            assert errors[field_name(tag, key)][0].startswith("expected ")
    page = response.content.decode()
    assert 'class="error-summary"' in page and f"({key})" in page if key else True
    assert Finding.objects.count() == 1


def test_values_typed_under_another_kind_are_refused_not_dropped(client, searching):
    _, response = post(
        client,
        searching,
        "t",
        {"t": "2", "n_treatment": "40", "n_comparison": "41"},
        extra={field_name("p", "p"): "0.04"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field_name("p", "p")] == [
        "filled in, but the statistics reported are a t statistic (treatment minus "
        "comparison); clear it or choose 'A two-sided p value'."
    ]


def test_none_reported_stores_no_statistics(client, searching):
    study, response = post(client, searching, "", {})
    assert response.status_code == 302
    assert study.findings.get(outcome=FINDING["outcome"]).statistics is None


def test_the_study_page_shows_statistics_as_a_table_not_data(client, searching):
    study, _ = post(client, searching, *VALID[-1][:2])
    html = client.get(reverse("editorial:study_detail", args=[searching.pk, study.pk])).content
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode())))
    assert "An effect size the paper published" in text
    assert "Confidence interval, lower end 0.1" in text
    assert "Scale of the effect size Standardised mean difference (d or g)" in text
    assert "Treatment group size 90" in text
    assert "{'" not in text and "'type'" not in text


def test_statistics_rows_read_the_cluster_design_too():
    shown = statistics_rows(
        {
            "type": "t",
            "t": 2.0,
            "n_treatment": 1200,
            "n_comparison": 1100,
            "cluster": {"intraclass_correlation": 0.05, "mean_cluster_size": 25.0},
        }
    )
    assert shown["rows"] == [
        ("t", "2"),
        ("Treatment group size", "1,200"),
        ("Comparison group size", "1,100"),
        ("Intraclass correlation", "0.05"),
        ("Mean cluster size", "25"),
    ]
    assert statistics_rows(None) is None
    assert statistics_rows({"type": "new-kind"})["rows"] == []
