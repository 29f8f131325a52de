"""Two independent appraisals, the disagreements between them, and the consensus."""

import pytest
from django.urls import reverse

from guidebook.catalogue.models import Appraisal
from guidebook.editorial.models import Consensus, ReviewerAppraisal, State
from tests.editorial.conftest import LEVEL_3_ANSWERS, as_post


def _urls(assessment):
    study = assessment.programme.studies.get()
    args = [assessment.pk, study.pk]
    return (
        reverse("editorial:appraise_study", args=args),
        reverse("editorial:settle_consensus", args=args),
        study,
    )


def test_a_reviewer_saves_a_draft_then_submits_and_it_is_locked(client, personas, make_round):
    assessment = make_round(State.APPRAISAL)
    appraise, _, _ = _urls(assessment)
    client.force_login(personas["reviewer"])
    draft = {"design__comparison-group": "yes", "action": "save"}
    assert client.post(appraise, draft).status_code == 302
    own = ReviewerAppraisal.objects.get()
    assert own.answers == {"design.comparison-group": True} and not own.is_submitted
    response = client.post(appraise, {**as_post(LEVEL_3_ANSWERS), "action": "submit"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.is_submitted and own.answers == LEVEL_3_ANSWERS
    assert client.post(appraise, {**as_post(LEVEL_3_ANSWERS), "action": "save"}).status_code == 409


def test_submitting_needs_every_criterion_answered_naming_each_missing_one(
    client, personas, make_round
):
    assessment = make_round(State.APPRAISAL)
    appraise, _, _ = _urls(assessment)
    client.force_login(personas["reviewer"])
    partial = {k: v for k, v in LEVEL_3_ANSWERS.items() if k != "sample.size"}
    response = client.post(appraise, {**as_post(partial), "action": "submit"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"sample__size": ["Expected an answer, found none."]}
    assert not ReviewerAppraisal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sample__analysed-fraction", "1.5", "less than or equal to 1"),
        ("sample__size", "-3", "greater than or equal to 0"),
        ("design__comparison-group", "maybe", "Select a valid choice"),
    ],
)
def test_an_answer_out_of_range_is_refused_on_its_question(
    client, personas, make_round, field, value, message
):
    assessment = make_round(State.APPRAISAL)
    appraise, _, _ = _urls(assessment)
    client.force_login(personas["reviewer"])
    response = client.post(appraise, {field: value, "action": "save"})
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]


def test_a_reviewer_cannot_see_the_other_reviewers_answers(client, personas, make_round):
    from django.utils import timezone

    assessment = make_round(State.APPRAISAL)
    appraise, consensus, study = _urls(assessment)
    ReviewerAppraisal.objects.create(
        assessment=assessment,
        study=study,
        reviewer=personas["reviewer"],
        answers={**LEVEL_3_ANSWERS, "sample.size": 987.0},
        comment="my private doubts about attrition",
        submitted_at=timezone.now(),
    )
    client.force_login(personas["reviewer2"])
    page = client.get(appraise).content.decode()
    assert "987" not in page and "private doubts" not in page
    assert "The other reviewer has submitted" in page
    # Nor through the consensus screen (it waits for both), the study page or the round page.
    waiting = client.get(consensus)
    assert waiting.status_code == 409
    assert "waits until both reviewers" in waiting.content.decode()
    for url in (
        reverse("editorial:study_detail", args=[assessment.pk, study.pk]),
        reverse("editorial:assessment_detail", args=[assessment.pk]),
    ):
        page = client.get(url).content.decode()
        assert "987" not in page and "private doubts" not in page


def test_a_third_reviewer_is_refused(client, personas, appraised):
    from django.contrib.auth.models import Group, User

    third = User.objects.create_user("reviewer3")
    third.groups.add(Group.objects.get(name="reviewer"))
    appraise, _, _ = _urls(appraised)
    client.force_login(third)
    response = client.post(appraise, {**as_post(LEVEL_3_ANSWERS), "action": "save"})
    assert response.status_code == 409
    assert "already has its two reviewers" in response.content.decode()


def test_appraising_is_refused_outside_the_appraisal_step(client, personas, make_round):
    assessment = make_round(State.EXPERT_REVIEW)
    appraise, _, _ = _urls(assessment)
    client.force_login(personas["reviewer"])
    response = client.post(appraise, {**as_post(LEVEL_3_ANSWERS), "action": "save"})
    assert response.status_code == 409
    assert not ReviewerAppraisal.objects.exists()


def test_once_both_submitted_the_disagreements_are_listed_criterion_by_criterion(
    client, personas, appraised
):
    _, consensus, _ = _urls(appraised)
    client.force_login(personas["assessor"])
    response = client.get(consensus)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert response.context["disagreement_count"] == 1
    first = rows[0]
    assert first["criterion"].id == "analysis.intention-to-treat"
    assert (first["answers"], first["agree"]) == ([True, False], False)
    assert all(row["agree"] for row in rows[1:])
    page = response.content.decode()
    assert "notes of reviewer" in page and "notes of reviewer2" in page
    # Agreed answers are filled in; the disagreement is left for the consensus to settle.
    form = response.context["form"]
    assert form.initial["design__random-assignment"] == "yes"
    assert "analysis__intention-to-treat" not in form.initial


def test_the_consensus_needs_a_note_when_the_reviewers_disagreed(client, personas, appraised):
    _, consensus, _ = _urls(appraised)
    client.force_login(personas["assessor"])
    response = client.post(consensus, {**as_post(LEVEL_3_ANSWERS), "note": ""})
    assert response.status_code == 400
    assert (
        "Expected a note on how the 1 disagreement(s) were settled"
        in (response.context["form"].errors["note"][0])
    )
    assert not Appraisal.objects.filter(consensus=True).exists()


def test_the_consensus_is_saved_and_the_core_levels_the_study_from_it(client, personas, appraised):
    _, consensus, study = _urls(appraised)
    client.force_login(personas["reviewer"])
    note = "Dropouts were kept in their groups; the second reading was mistaken."
    response = client.post(consensus, {**as_post(LEVEL_3_ANSWERS), "note": note})
    assert response.status_code == 302
    settled = Appraisal.objects.get(study=study, consensus=True)
    assert settled.answers == LEVEL_3_ANSWERS
    assert settled.reviewer == "consensus of reviewer and reviewer2"
    record = Consensus.objects.get()
    assert (record.note, record.disagreements, record.settled_by) == (
        note,
        ["analysis.intention-to-treat"],
        personas["reviewer"],
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="study-level">Level 3<' in page


def test_settling_again_changes_the_consensus_in_place(client, personas, appraised):
    _, consensus, study = _urls(appraised)
    client.force_login(personas["assessor"])
    client.post(consensus, {**as_post(LEVEL_3_ANSWERS), "note": "first"})
    weaker = {**LEVEL_3_ANSWERS, "analysis.intention-to-treat": False}
    client.post(consensus, {**as_post(weaker), "note": "second thoughts"})
    settled = Appraisal.objects.get(study=study, consensus=True)
    assert settled.answers["analysis.intention-to-treat"] is False
    assert Consensus.objects.get().note == "second thoughts"
    assert settled.history.count() == 2  # created, then changed
