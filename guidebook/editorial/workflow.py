"""The assessment workflow: which step follows which, who may move it, and the log.

Every move is a row of ``TRANSITIONS`` (forward) or a send-back one step; ``move``
checks the role, the step and the conditions, records who, when and the comment,
publishes on the last step, and has the people the round now waits for told by email
once the move commits. Nothing else changes an assessment's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db import transaction
from django.utils import timezone

from guidebook.catalogue.models import Programme, Review, Study
from guidebook.catalogue.publishing import publish
from guidebook.editorial import notifications
from guidebook.editorial.models import Assessment, State, StateChange

User = Account | AnonymousUser

ORDER = list(State)
SEND_BACK = "send-back"


class TransitionRefused(Exception):
    """A move that the user may not make, or that the assessment is not ready for."""

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.forbidden = forbidden


@dataclass(frozen=True)
class Transition:
    action: str
    source: State
    target: State
    permission: str
    label: str
    # Only the provider of the round may check its facts (or an editor, when none is named).
    provider_step: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "start-search",
        State.SUBMITTED,
        State.EVIDENCE_SEARCH,
        "editorial.search_evidence",
        "Start the evidence search",
    ),
    Transition(
        "start-appraisal",
        State.EVIDENCE_SEARCH,
        State.APPRAISAL,
        "editorial.search_evidence",
        "Finish the search and start appraisal",
    ),
    Transition(
        "request-review",
        State.APPRAISAL,
        State.EXPERT_REVIEW,
        "editorial.search_evidence",
        "Send for expert review",
    ),
    Transition(
        "ask-provider",
        State.EXPERT_REVIEW,
        State.PROVIDER_CHECK,
        "editorial.review_assessment",
        "Finish the review and ask the provider to check the facts",
    ),
    Transition(
        "approve-facts",
        State.PROVIDER_CHECK,
        State.PANEL_SIGN_OFF,
        "editorial.check_facts",
        "Approve the facts",
        provider_step=True,
    ),
    Transition(
        "sign-off",
        State.PANEL_SIGN_OFF,
        State.PUBLISHED,
        "editorial.sign_off",
        "Sign off and publish",
    ),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}
FORWARD_FROM = {t.source: t for t in TRANSITIONS}


def previous_state(state: State) -> State | None:
    """The step before ``state``; none before submission, and a published round is closed."""
    index = ORDER.index(state)
    if index == 0 or state is State.PUBLISHED:
        return None
    return ORDER[index - 1]


def _is_round_provider(user: User, assessment: Assessment) -> bool:
    return assessment.provider_id is not None and assessment.provider_id == user.pk


def may_make(user: User, assessment: Assessment, transition: Transition) -> bool:
    """Whether ``user``'s role allows this forward move on this round (state aside)."""
    if transition.provider_step:
        if _is_round_provider(user, assessment):
            return user.has_perm("editorial.check_facts")
        if assessment.provider_id is None:
            return user.has_perm("editorial.manage_assessment")
        # Administrators hold every permission and may act for any provider.
        return user.has_perm("editorial.check_facts") and user.has_perm(
            "editorial.manage_assessment"
        )
    return user.has_perm(transition.permission)


def may_send_back(user: User, assessment: Assessment) -> bool:
    """Who makes the step's forward move may send it back; editors may send back any step."""
    state = State(assessment.state)
    if previous_state(state) is None:
        return False
    if user.has_perm("editorial.manage_assessment"):
        return True
    return may_make(user, assessment, FORWARD_FROM[state])


def available_moves(user: User, assessment: Assessment) -> list[Transition]:
    """The forward moves this user can make now (at most one: the current step's)."""
    forward = FORWARD_FROM.get(State(assessment.state))
    return [forward] if forward and may_make(user, assessment, forward) else []


# --- Conditions a round must meet before it moves on ----------------------------------


def _search_logged(assessment: Assessment) -> str | None:
    if not assessment.searches.exists():
        return "Log at least one evidence search before appraisal starts."
    return None


def _every_study_settled(assessment: Assessment) -> str | None:
    studies = Study.objects.filter(programme=assessment.programme)
    unsettled = [s.label for s in studies if not s.appraisals.filter(consensus=True).exists()]
    if unsettled:
        return "Settle the consensus appraisal of " + ", ".join(unsettled) + " first."
    return None


READY_CHECKS: dict[str, Callable[[Assessment], str | None]] = {
    "start-appraisal": _search_logged,
    "request-review": _every_study_settled,
}


def _account(user: User) -> Account | None:
    return user if isinstance(user, Account) else None


def _record(
    assessment: Assessment, action: str, source: State, target: State, by: User, comment: str
) -> StateChange:
    assessment.state = target
    assessment.save(update_fields=["state"])
    return StateChange.objects.create(
        assessment=assessment,
        action=action,
        from_state=source,
        to_state=target,
        by=_account(by),
        comment=comment,
    )


@transaction.atomic
def move(
    assessment: Assessment, action: str, by: User, comment: str = "", review_name: str = ""
) -> StateChange:
    """Make one move on the assessment, or raise ``TransitionRefused`` saying why."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    state = State(locked.state)
    comment = comment.strip()
    if action == SEND_BACK:
        target = previous_state(state)
        if target is None:
            raise TransitionRefused(f"A round at '{state.label}' cannot be sent back.")
        if not may_send_back(by, locked):
            raise TransitionRefused("Your role may not send this step back.", forbidden=True)
        if not comment:
            raise TransitionRefused("Say why the step is sent back (the comment is required).")
        change = _record(locked, SEND_BACK, state, target, by, comment)
    else:
        transition = BY_ACTION.get(action)
        if transition is None:
            raise TransitionRefused(f"Unknown action '{action}'.")
        if not may_make(by, locked, transition):
            raise TransitionRefused(f"Your role may not '{transition.label}'.", forbidden=True)
        if transition.source != state:
            raise TransitionRefused(
                f"'{transition.label}' needs a round at '{transition.source.label}'; "
                f"this one is at '{state.label}'."
            )
        problem = READY_CHECKS.get(action, lambda _: None)(locked)
        if problem:
            raise TransitionRefused(problem)
        change = _record(locked, action, state, transition.target, by, comment)
        if transition.target is State.PUBLISHED:
            _publish_round(locked, by, comment, review_name)
    _announce(locked, change)
    assessment.refresh_from_db()
    return change


def _announce(assessment: Assessment, change: StateChange) -> None:
    """Email whoever the move hands the round to (sent only if the move commits)."""
    source, target = change.from_state, change.to_state
    if target == State.PROVIDER_CHECK:
        notifications.fact_check_waiting(assessment, change)
    elif source == State.PROVIDER_CHECK:
        next_move = FORWARD_FROM[State(target)]
        notifications.fact_check_answered(assessment, change, next_move.permission)
    elif target == State.PUBLISHED:
        notifications.programme_published(assessment, change)


def default_review_name(today: date | None = None) -> str:
    return f"Guidebook assessment, {(today or timezone.localdate()):%B %Y}"


def _publish_round(assessment: Assessment, by: User, comment: str, review_name: str) -> None:
    """Name the review, date the programme, and publish its snapshot."""
    today = timezone.localdate()
    programme = Programme.objects.get(pk=assessment.programme_id)
    review, _ = Review.objects.get_or_create(
        name=review_name.strip() or default_review_name(today), date=today
    )
    programme.reviews.add(review)
    programme.first_published = programme.first_published or today
    programme.last_updated = today
    programme.save(update_fields=["first_published", "last_updated"])
    note = f"Round {assessment.round} signed off by the panel"
    assessment.snapshot = publish(
        programme,
        by=_account(by),
        note=f"{note}: {comment}" if comment else note,
    )
    assessment.save(update_fields=["snapshot"])


@transaction.atomic
def open_round(
    programme: Programme, by: User, provider: Account | None = None, comment: str = ""
) -> Assessment:
    """Open the next assessment round of a programme (refused while one is under way)."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    rounds = Assessment.objects.filter(programme=programme)
    if rounds.exclude(state=State.PUBLISHED).exists():
        raise TransitionRefused(f"{programme.name} already has a round under way.")
    last = rounds.order_by("-round").first()
    assessment = Assessment.objects.create(
        programme=programme,
        round=(last.round + 1) if last else 1,
        provider=provider or (last.provider if last else None),
        opened_by=_account(by),
    )
    StateChange.objects.create(
        assessment=assessment,
        action="open",
        to_state=State.SUBMITTED,
        by=_account(by),
        comment=comment,
    )
    return assessment
