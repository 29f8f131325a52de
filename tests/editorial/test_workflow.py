"""Workflow transitions: allowed to the right role only, at the right step, and recorded."""

import pytest

from guidebook.editorial import workflow
from guidebook.editorial.models import State, StateChange

S = State

# (action, step it needs, step it leads to, personas allowed)
FORWARD = [
    ("start-search", S.SUBMITTED, S.EVIDENCE_SEARCH, {"assessor", "admin"}),
    ("start-appraisal", S.EVIDENCE_SEARCH, S.APPRAISAL, {"assessor", "admin"}),
    ("request-review", S.APPRAISAL, S.EXPERT_REVIEW, {"assessor", "admin"}),
    ("ask-provider", S.EXPERT_REVIEW, S.PROVIDER_CHECK, {"reviewer", "reviewer2", "admin"}),
    ("approve-facts", S.PROVIDER_CHECK, S.PANEL_SIGN_OFF, {"provider", "admin"}),
    ("sign-off", S.PANEL_SIGN_OFF, S.PUBLISHED, {"panel", "admin"}),
]
PERSONAS = [
    "provider",
    "other_provider",
    "assessor",
    "reviewer",
    "reviewer2",
    "panel",
    "editor",
    "admin",
    "nobody",
]


def _ready(assessment, action):
    """Meet the conditions a move checks besides the role and the step."""
    from guidebook.catalogue.models import Appraisal
    from guidebook.editorial.models import EvidenceSearch
    from tests.editorial.conftest import LEVEL_3_ANSWERS

    if action == "start-appraisal":
        EvidenceSearch.objects.create(
            assessment=assessment, source="ERIC", searched_on="2024-03-01", results=12
        )
    if action == "request-review":
        study = assessment.programme.studies.get()
        Appraisal.objects.create(study=study, reviewer="c", answers=LEVEL_3_ANSWERS, consensus=True)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "source", "target", "allowed"), FORWARD)
def test_each_forward_move_is_allowed_only_to_its_role_and_recorded(
    make_round, personas, action, source, target, allowed, persona
):
    assessment = make_round(source)
    _ready(assessment, action)
    user = personas[persona]
    if persona in allowed:
        change = workflow.move(assessment, action, user, "on my way")
        assessment.refresh_from_db()
        assert assessment.state == target
        assert (change.action, change.from_state, change.to_state) == (action, source, target)
        assert change.by == user
        assert change.comment == "on my way"
        assert change.at is not None
    else:
        with pytest.raises(workflow.TransitionRefused) as refused:
            workflow.move(assessment, action, user, "not mine")
        assert refused.value.forbidden
        assessment.refresh_from_db()
        assert assessment.state == source
        assert not StateChange.objects.filter(assessment=assessment, action=action).exists()


@pytest.mark.parametrize(("action", "source", "target", "allowed"), FORWARD)
def test_a_move_from_the_wrong_step_is_refused_and_not_recorded(
    make_round, personas, action, source, target, allowed
):
    wrong = S.PANEL_SIGN_OFF if source != S.PANEL_SIGN_OFF else S.SUBMITTED
    assessment = make_round(wrong)
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.move(assessment, action, personas["admin"])
    assert not refused.value.forbidden
    assert f"needs a round at '{source.label}'" in str(refused.value)
    assert not StateChange.objects.filter(assessment=assessment, action=action).exists()


# (step, personas who may send it back one step)
SEND_BACK = [
    (S.EVIDENCE_SEARCH, {"assessor", "editor", "admin"}),
    (S.APPRAISAL, {"assessor", "editor", "admin"}),
    (S.EXPERT_REVIEW, {"reviewer", "reviewer2", "editor", "admin"}),
    (S.PROVIDER_CHECK, {"provider", "editor", "admin"}),
    (S.PANEL_SIGN_OFF, {"panel", "editor", "admin"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("state", "allowed"), SEND_BACK)
def test_sending_back_a_step_needs_the_role_and_is_recorded_with_the_reason(
    make_round, personas, state, allowed, persona
):
    # Whoever makes the move out of a step may send it back instead; editors always may.
    assessment = make_round(state)
    previous = workflow.previous_state(state)
    user = personas[persona]
    if persona in allowed:
        change = workflow.move(assessment, workflow.SEND_BACK, user, "Study 2 is missing")
        assessment.refresh_from_db()
        assert assessment.state == previous
        assert (change.from_state, change.to_state, change.comment) == (
            state,
            previous,
            "Study 2 is missing",
        )
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.move(assessment, workflow.SEND_BACK, user, "Study 2 is missing")
        assessment.refresh_from_db()
        assert assessment.state == state


@pytest.mark.parametrize("state", [S.SUBMITTED, S.PUBLISHED])
def test_a_submitted_or_published_round_cannot_be_sent_back(make_round, personas, state):
    assessment = make_round(state)
    with pytest.raises(workflow.TransitionRefused, match="cannot be sent back"):
        workflow.move(assessment, workflow.SEND_BACK, personas["admin"], "why not")


def test_sending_back_without_a_reason_is_refused(make_round, personas):
    assessment = make_round(S.APPRAISAL)
    with pytest.raises(workflow.TransitionRefused, match="comment is required"):
        workflow.move(assessment, workflow.SEND_BACK, personas["assessor"], "   ")
    assessment.refresh_from_db()
    assert assessment.state == S.APPRAISAL


def test_appraisal_cannot_start_before_a_search_is_logged(make_round, personas):
    assessment = make_round(S.EVIDENCE_SEARCH)
    with pytest.raises(workflow.TransitionRefused, match="Log at least one evidence search"):
        workflow.move(assessment, "start-appraisal", personas["assessor"])


def test_expert_review_waits_for_every_study_to_have_a_consensus(make_round, personas):
    assessment = make_round(S.APPRAISAL)
    with pytest.raises(
        workflow.TransitionRefused, match="Settle the consensus appraisal of Study 1"
    ):
        workflow.move(assessment, "request-review", personas["assessor"])


def test_an_unknown_action_is_refused(make_round, personas):
    assessment = make_round(S.SUBMITTED)
    with pytest.raises(workflow.TransitionRefused, match="Unknown action 'jump'"):
        workflow.move(assessment, "jump", personas["admin"])


def test_an_editor_checks_the_facts_when_the_round_names_no_provider(make_round, personas):
    assessment = make_round(S.PROVIDER_CHECK, provider=None)
    workflow.move(assessment, "approve-facts", personas["editor"])
    assessment.refresh_from_db()
    assert assessment.state == S.PANEL_SIGN_OFF


def test_sign_off_publishes_a_snapshot_with_the_review_and_dates(make_round, personas):
    from guidebook.catalogue.models import Snapshot

    assessment = make_round(S.PANEL_SIGN_OFF)
    _ready(assessment, "request-review")
    workflow.move(assessment, "sign-off", personas["panel"], "agreed", review_name="Spring review")
    assessment.refresh_from_db()
    snapshot = Snapshot.objects.get(programme=assessment.programme, is_current=True)
    assert assessment.snapshot == snapshot
    assert snapshot.rating == "3"
    assert snapshot.published_by == personas["panel"]
    assert snapshot.review == "Spring review"
    assert snapshot.note == "Round 1 signed off by the panel: agreed"
    programme = assessment.programme
    programme.refresh_from_db()
    assert programme.first_published == programme.last_updated == snapshot.published_at.date()


def test_only_one_round_is_open_at_a_time_and_the_next_round_counts_on(make_round, personas):
    assessment = make_round(S.PUBLISHED)
    second = workflow.open_round(assessment.programme, personas["editor"])
    assert second.round == 2
    assert second.provider == personas["provider"]  # carried over from the last round
    with pytest.raises(workflow.TransitionRefused, match="already has a round under way"):
        workflow.open_round(assessment.programme, personas["editor"])
