"""The imported-ratings report: computed against imported ratings, and why they differ."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from guidebook.catalogue.agreement_markdown import agreement_markdown
from guidebook.catalogue.convert import save_record
from guidebook.catalogue.publishing import programme_cost, publish
from guidebook.catalogue.reports import (
    compare_programme,
    imported_ratings_report,
    programmes_report,
)
from guidebook.evidence.errors import UnknownStandard
from guidebook.evidence.record_json import programme_from_dict

PAGE = "/staff/reports/imported-ratings/"
SOURCE = "https://example.org/programme"
NO_APPRAISAL = (
    "Rule 'level 2 needs a study of level 2 or better that found a child outcome improved' "
    "(rating-2.supporting-study) not met: Lieberman, Weston and Pawl (1991) is below level 2 "
    "because it has no consensus appraisal; Cicchetti, Rogosch and Toth (2006), followed up "
    "in 2011 and 2013 is below level 2 because it has no consensus appraisal."
)
NO_SESSIONS = (
    "Rule 'a cost rating needs every input the cost model cannot do without' "
    "(cost.required-inputs): not recorded: number of sessions."
)


def imported(data, evidence, cost="NA"):
    # Without its number of sessions the cost model cannot estimate it at all (NA).
    data["cost"]["sessions"] = None
    data["imported"] = {
        "evidence_rating": evidence,
        "cost_rating": cost,
        "source": SOURCE,
        "retrieved": "2016-07-01",
    }
    return data


def unappraised(data, slug="ipp-unappraised", name="IPP without appraisals"):
    data = copy.deepcopy(data)
    data.update(slug=slug, name=name)
    for study in data["studies"]:
        study["appraisal"] = None
    return data


def row_of(data, standard="eif-2018"):
    programme = programme_from_dict(data)
    return compare_programme(programme, programme_cost(programme), standard)


def test_a_programme_without_an_imported_rating_is_left_out(ipp_data):
    ipp_data["imported"] = None
    assert row_of(ipp_data) is None


def test_agreeing_ratings_give_no_reason(ipp_data):
    row = row_of(imported(ipp_data, "3+"))
    assert (row.evidence.computed, row.evidence.imported, row.evidence.agrees) == ("3+", "3+", True)
    assert row.evidence.details == row.evidence.rules == ()
    assert row.cost.agrees and row.cost.reason == ""
    assert row.agrees
    assert {key: c.agrees for key, c in row.by_standard.items()} == {
        "eif-2017": True,
        "eif-2018": True,
    }


def test_a_disagreement_names_each_deciding_rule_its_studies_and_facts(ipp_data):
    row = row_of(unappraised(imported(ipp_data, "3+", "3")))
    assert (row.evidence.computed, row.evidence.imported) == ("NL2", "3+")
    assert row.evidence.rules == ("rating-2.supporting-study",)
    assert row.evidence.subjects == (("study-1", "study-2"),)
    assert row.evidence.reason == NO_APPRAISAL
    assert (row.cost.computed, row.cost.imported) == ("NA", "3")
    assert row.cost.rules == ("cost.required-inputs",)
    assert row.cost.subjects == (("sessions",),)
    assert row.cost.reason == NO_SESSIONS
    assert not row.agrees


def test_the_plus_and_the_asterisk_are_compared_too(ipp_data):
    row = row_of(imported(ipp_data, "3"))
    assert row.evidence.rules == ("rating-3.plus.other-supporting-study",)
    assert row.evidence.subjects == (("study-1", "study-2"),)
    starred = row_of(imported(ipp_data, "3+*"))
    assert starred.evidence.rules == ("asterisk.mixed-findings",)
    assert starred.by_standard["eif-2017"].reason == (
        "Rule 'the asterisk marks a rigorous study whose child findings did not, on balance, "
        "improve' (asterisk.mixed-findings) not met: eif-2017 has no mixed-findings rule."
    )


@pytest.fixture
def two_published(db, ipp_data):
    """IPP with a matching imported rating, and a copy of it with its appraisals removed."""
    imported(ipp_data, "3+")
    publish(save_record(programme_from_dict(ipp_data)))
    copy_data = unappraised(ipp_data)
    copy_data["imported"]["cost_rating"] = "3"
    publish(save_record(programme_from_dict(copy_data)))


AGREEMENT = [
    "1 of 2 agree exactly (level, plus, asterisk) under eif-2018",
    "1 of 2 agree exactly (level, plus, asterisk) under eif-2017",
]
SUMMARY = (
    "2 programmes with an imported rating: 1 disagree on the evidence rating, "
    "1 on the cost rating, 1 agree on both."
)


def test_it_reports_current_snapshots(two_published):
    report = imported_ratings_report()
    assert [row.slug for row in report.disagreements] == ["ipp-unappraised"]
    assert [row.slug for row in report.agreements] == ["infant-parent-psychotherapy"]
    row = report.disagreements[0]
    assert row.standard == "eif-2018"
    assert row.evidence.reason == NO_APPRAISAL
    assert row.cost.reason == NO_SESSIONS
    assert list(report.agreement_lines) == AGREEMENT
    assert report.summary == SUMMARY


def test_it_compares_under_a_chosen_standard(two_published):
    report = imported_ratings_report(standard="eif-2017")
    assert {row.standard for row in report.rows} == {"eif-2017"}
    assert report.standard == "eif-2017"
    with pytest.raises(UnknownStandard):
        imported_ratings_report(standard="eif-1999")


def test_record_files_are_reported_as_publishing_would_rate_and_cost_them(ipp_data):
    programmes = [
        programme_from_dict(unappraised(imported(ipp_data, "3+", "3"), "b", "B")),
        programme_from_dict(imported(ipp_data, "3+")),
        programme_from_dict({**ipp_data, "slug": "none", "name": "A", "imported": None}),
    ]
    report = programmes_report(programmes)
    assert [row.name for row in report.rows] == ["B", "Infant-Parent Psychotherapy"]
    assert report.rows[0].evidence.reason == NO_APPRAISAL
    assert report.standard == "eif-2018"
    with pytest.raises(UnknownStandard):
        programmes_report(programmes, "eif-1999")


def test_the_markdown_table_lists_every_programme_and_every_reason(ipp_data):
    programmes = [
        programme_from_dict(unappraised(imported(ipp_data, "3+", "3"))),
        programme_from_dict(imported(copy.deepcopy(ipp_data), "3+*")),
    ]
    text = agreement_markdown(programmes_report(programmes))
    assert text.startswith(
        "| programme | published | eif-2018 | what decides a difference under eif-2018 | "
        "eif-2017 | what decides a difference under eif-2017 |\n"
    )
    assert (
        "| IPP without appraisals | 3+ | NL2 | `rating-2.supporting-study` (study-1, study-2) "
        "| NL2 | `rating-2.supporting-study` (study-1, study-2) |"
    ) in text
    assert "| Infant-Parent Psychotherapy | 3+* | 3+ | `asterisk.mixed-findings` (study-2) " in text
    assert "Agreement: 0 of 2 agree exactly (level, plus, asterisk) under eif-2018; " in text
    assert f"  - {NO_APPRAISAL}" in text
    # Under eif-2017 the asterisk is decided differently: that reason is listed as well.
    assert "- **Infant-Parent Psychotherapy**, computed 3+ under eif-2017, published 3+*:" in text
    assert "- **IPP without appraisals**, computed NL2 under eif-2017" not in text
    assert "| Infant-Parent Psychotherapy | NA | NA | agrees |\n" in text
    assert text.endswith(
        "| IPP without appraisals | 3 | NA | `cost.required-inputs` (sessions) |\n"
    )


def test_the_markdown_says_so_when_every_evidence_rating_agrees(ipp_data):
    text = agreement_markdown(programmes_report([programme_from_dict(imported(ipp_data, "3+"))]))
    assert "Every computed evidence rating matches its published one." in text


def test_a_cell_cannot_break_the_markdown_table(ipp_data):
    ipp_data["name"] = "IPP | a pipe"
    text = agreement_markdown(programmes_report([programme_from_dict(imported(ipp_data, "3+"))]))
    assert "| IPP \\| a pipe | 3+ |" in text


# --- The staff page ---------------------------------------------------------------------


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


def test_the_staff_page_lists_each_disagreement_with_its_rule_and_facts(
    admin_client, two_published
):
    response = admin_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('data-testid="disagreements"')[1].split("</table>")[0]
    assert "IPP without appraisals" in table
    assert "NL2 / 3+" in table
    assert "(rating-2.supporting-study) not met: Lieberman, Weston and Pawl (1991)" in table
    assert "(cost.required-inputs): not recorded: number of sessions." in table
    assert f'<a href="{SOURCE}">' in table
    assert "Infant-Parent Psychotherapy" not in table
    agreements = html.split('data-testid="agreements"')[1].split("</ul>")[0]
    assert "Infant-Parent Psychotherapy" in agreements
    lines = html.split('data-testid="agreement-lines"')[1].split("</ul>")[0]
    assert all(line in lines for line in AGREEMENT)
    assert "1 disagree on the evidence rating" in html
    assert f'href="{PAGE}?standard=eif-2017"' in html


def test_the_staff_page_compares_under_a_chosen_standard(admin_client, two_published):
    response = admin_client.get(PAGE, {"standard": "eif-2017"})
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('data-testid="disagreements"')[1].split("</table>")[0]
    assert "eif-2017" in table
    assert "eif-2018" not in table
    assert "<strong>eif-2017</strong>" in html


def test_the_staff_page_refuses_an_unknown_standard(admin_client, two_published):
    response = admin_client.get(PAGE, {"standard": "eif-1999"})
    assert response.status_code == 400
    assert "eif-1999" in response.content.decode()
    assert "eif-2017, eif-2018" in response.content.decode()


# --- The command ------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("imported_report", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_disagreements_the_agreement_and_a_summary(two_published):
    printed = run()
    assert "IPP without appraisals" in printed
    assert "NL2 / 3+" in printed
    assert "rating-2.supporting-study" in printed
    assert "Infant-Parent Psychotherapy" not in printed
    assert printed.rstrip().splitlines()[-3:] == [*AGREEMENT, SUMMARY]


def test_the_command_lists_agreements_too_when_asked(two_published):
    printed = run("--all")
    assert "Infant-Parent Psychotherapy" in printed
    assert "3+ / 3+" in printed


def test_the_command_compares_under_a_chosen_standard(two_published):
    assert "(eif-2017)" in run("--standard", "eif-2017")
    with pytest.raises(CommandError):
        run("--standard", "eif-1999")


def test_the_command_prints_the_markdown_table(two_published):
    printed = run("--markdown")
    assert printed.startswith("| programme | published | eif-2018 |")
    assert "| IPP without appraisals | 3+ | NL2 |" in printed


def test_the_command_reads_record_files_instead_of_the_catalogue(db, ipp_data, tmp_path):
    path = tmp_path / "ipp.json"
    path.write_text(json.dumps(unappraised(imported(ipp_data, "3+"))), encoding="utf-8")
    printed = run("--files", str(path))
    assert "IPP without appraisals" in printed
    assert printed.rstrip().splitlines()[-1].startswith("1 programme with an imported rating")


def test_the_command_names_a_record_file_it_cannot_read(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json"):
        run("--files", str(broken))
    with pytest.raises(CommandError, match=r"missing\.json"):
        run("--files", str(tmp_path / "missing.json"))


def test_the_guidebook_command_takes_the_hyphenated_verb(two_published, capsys):
    from guidebook.cli import main

    assert main(["imported-report"]) == 0
    assert "IPP without appraisals" in capsys.readouterr().out
