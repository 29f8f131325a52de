"""The imported-ratings report: computed against imported ratings, and why they differ."""

import io

import pytest
from django.core.management import call_command

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.publishing import publish
from guidebook.catalogue.reports import compare_snapshot, imported_ratings_report
from guidebook.evidence.record_json import programme_from_dict

PAGE = "/staff/reports/imported-ratings/"
SOURCE = "https://example.org/programme"
APPRAISED = {"key": "s1", "appraisal": {"reviewer": "panel", "consensus": True}}
UNAPPRAISED = {"key": "s1", "appraisal": None}
REVIEWER_ONLY = {"key": "s1", "appraisal": {"reviewer": "reviewer1", "consensus": False}}
NO_INPUTS = {
    "rating": "NA",
    "unit_cost": None,
    "missing": [{"field": "licence_fee", "label": "licence fee"}],
}


def assessment(computed, imported_evidence, imported_cost, not_higher=()):
    return {
        "rating": {"value": computed},
        "standard": {"key": "eif-2018", "version": "1.0"},
        "explanation": {"not_higher": list(not_higher)},
        "imported": {
            "evidence_rating": imported_evidence,
            "cost_rating": imported_cost,
            "source": SOURCE,
        },
    }


SPANNING = {
    "rating": "NA",
    "unit_cost": None,
    "missing": [],
    "range": {"low": 80.0, "high": 120.0},
    "ratings": ["1", "2"],
    "deciding": [{"field": "practitioner_training_fee", "label": "practitioner training fee"}],
}


def priced(rating, unit_cost):
    return {"rating": rating, "unit_cost": unit_cost, "missing": []}


@pytest.mark.parametrize(
    ("studies", "assessed", "cost", "evidence_reason", "cost_reason"),
    [
        # Nothing recorded: both computed ratings fall back to NL2 and NA.
        (
            [],
            assessment("NL2", "3+", "1"),
            NO_INPUTS,
            "no study recorded",
            "cost inputs not recorded: licence fee",
        ),
        (
            [UNAPPRAISED, {**UNAPPRAISED, "key": "s2"}],
            assessment("NL2", "3", "NA"),
            NO_INPUTS,
            "no appraised study recorded (2 studies without a consensus appraisal)",
            "",
        ),
        (
            [UNAPPRAISED],
            assessment("NL2", "2", "NA"),
            NO_INPUTS,
            "no appraised study recorded (1 study without a consensus appraisal)",
            "",
        ),
        # One reviewer's answers are not yet an appraisal.
        (
            [REVIEWER_ONLY],
            assessment("NL2", "2", "NA"),
            NO_INPUTS,
            "no appraised study recorded (1 study without a consensus appraisal)",
            "",
        ),
        # Appraised evidence that falls short: the reasons it is not higher are given.
        (
            [APPRAISED],
            assessment("3", "3+", "2", ["No second supporting study."]),
            priced("2", 250.0),
            "computed from 1 appraised study under eif-2018 1.0: No second supporting study.",
            "",
        ),
        # Appraised evidence that goes further than the source: no shortfall to explain.
        (
            [APPRAISED, {**APPRAISED, "key": "s2"}],
            assessment("4", "3+", "2", ["Not 4+."]),
            priced("3", 640.5),
            "computed from 2 appraised studies under eif-2018 1.0",
            "Guidebook estimates £640.50 a child (band 3)",
        ),
        (
            [APPRAISED],
            assessment("3+", "3+", "NA"),
            priced("4", 1360.02),
            "",
            "the source gives no cost rating; Guidebook estimates £1,360.02 a child",
        ),
        # NA because the unknown inputs' ranges span two bands: which, and what decides.
        (
            [APPRAISED],
            assessment("3+", "3+", "1"),
            SPANNING,
            "",
            "unknown cost inputs could make it 1 or 2 (£80.00 to £120.00 a child); "
            "deciding: practitioner training fee",
        ),
    ],
)
def test_it_explains_each_disagreement(studies, assessed, cost, evidence_reason, cost_reason):
    # Each study's level says whether it is appraised, as the core records it.
    levels = [
        {"study": s["key"], "appraised": bool(s["appraisal"] and s["appraisal"]["consensus"])}
        for s in studies
    ]
    assessed = {**assessed, "study_levels": levels}
    row = compare_snapshot("p", "P", {"studies": studies}, assessed, cost)
    assert row.source == SOURCE
    assert row.evidence.reason == evidence_reason
    assert row.evidence.agrees == (evidence_reason == "")
    assert row.cost.reason == cost_reason
    assert row.cost.agrees == (cost_reason == "")
    assert row.agrees == (row.evidence.agrees and row.cost.agrees)


def test_it_skips_programmes_without_an_imported_rating():
    assessed = {**assessment("3+", "3+", "NA"), "imported": None}
    assert compare_snapshot("p", "P", {"studies": []}, assessed, NO_INPUTS) is None


@pytest.fixture
def two_published(db, ipp_data):
    """IPP with a matching imported rating, and a copy of it with its appraisals removed
    and no number of sessions (cost NA)."""
    ipp_data["imported"] = {
        "evidence_rating": "3+",
        "cost_rating": "4",
        "source": SOURCE,
        "retrieved": "2016-07-01",
    }
    publish(save_record(programme_from_dict(ipp_data)))
    ipp_data.update(slug="ipp-unappraised", name="IPP without appraisals")
    ipp_data["imported"]["cost_rating"] = "3"
    ipp_data["cost"]["sessions"] = None
    for study in ipp_data["studies"]:
        study["appraisal"] = None
    publish(save_record(programme_from_dict(ipp_data)))


def test_it_reports_current_snapshots(two_published):
    report = imported_ratings_report()
    assert [row.slug for row in report.disagreements] == ["ipp-unappraised"]
    assert [row.slug for row in report.agreements] == ["infant-parent-psychotherapy"]
    row = report.disagreements[0]
    assert (row.evidence.computed, row.evidence.imported) == ("NL2", "3+")
    assert (
        row.evidence.reason
        == "no appraised study recorded (2 studies without a consensus appraisal)"
    )
    assert (row.cost.computed, row.cost.imported) == ("NA", "3")
    assert row.cost.reason == "cost inputs not recorded: number of sessions"
    assert report.summary == (
        "2 programmes with an imported rating: 1 disagree on the evidence rating, "
        "1 on the cost rating, 1 agree on both."
    )


def test_the_staff_page_sends_anonymous_visitors_to_log_in(client, two_published):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert f"next={PAGE}" in response["Location"]


def test_the_staff_page_refuses_users_who_are_not_staff(client, django_user_model, two_published):
    client.force_login(django_user_model.objects.create_user("bob", password="x"))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_staff_page_lists_each_disagreement_with_its_reason(admin_client, two_published):
    response = admin_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('data-testid="disagreements"')[1].split("</table>")[0]
    assert "IPP without appraisals" in table
    assert "NL2 / 3+" in table
    assert "no appraised study recorded (2 studies without a consensus appraisal)" in table
    assert f'<a href="{SOURCE}">' in table
    assert "Infant-Parent Psychotherapy" not in table
    agreements = html.split('data-testid="agreements"')[1].split("</ul>")[0]
    assert "Infant-Parent Psychotherapy" in agreements
    assert "1 disagree on the evidence rating" in html


def test_the_command_prints_the_disagreements_and_a_summary(two_published):
    out = io.StringIO()
    call_command("imported_report", stdout=out)
    printed = out.getvalue()
    assert "IPP without appraisals" in printed
    assert "NL2 / 3+" in printed
    assert "Infant-Parent Psychotherapy" not in printed
    assert printed.rstrip().splitlines()[-1].startswith("2 programmes with an imported rating")


def test_the_command_lists_agreements_too_when_asked(two_published):
    out = io.StringIO()
    call_command("imported_report", "--all", stdout=out)
    assert "Infant-Parent Psychotherapy" in out.getvalue()
    assert "3+ / 3+" in out.getvalue()


def test_the_guidebook_command_takes_the_hyphenated_verb(two_published, capsys):
    from guidebook.cli import main

    assert main(["imported-report"]) == 0
    assert "IPP without appraisals" in capsys.readouterr().out
