"""Staff screens of assessment rounds: the dashboard, a round, its moves and its search log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guidebook.catalogue.models import Programme, Study
from guidebook.editorial import roles, workflow
from guidebook.editorial.forms.questionnaire import evaluations_of
from guidebook.editorial.forms.search import EvidenceSearchForm, ScreeningForm, new_study
from guidebook.editorial.models import Assessment, ReviewerAppraisal, Screening, State
from guidebook.editorial.views.access import get_assessment, refused, signed_in, staff_view
from guidebook.editorial.views.applications import DECIDE, pending_count
from guidebook.editorial.views.preview import draft_preview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff see the work under way; a provider goes to their own page."""
    if request.user.has_perm("editorial.view_assessment"):
        return dashboard(request)
    if request.user.has_perm("editorial.submit_programme"):
        return redirect("editorial:provider_home")
    raise PermissionDenied("This account has no role in the guidebook yet.")


def dashboard(request: HttpRequest) -> HttpResponse:
    open_rounds = (
        Assessment.objects.exclude(state=State.PUBLISHED)
        .select_related("programme", "provider")
        .order_by("opened_at")
    )
    rounds = [
        {"assessment": a, "your_move": bool(workflow.available_moves(request.user, a))}
        for a in open_rounds
    ]
    idle = Programme.objects.annotate(
        open_rounds=Count("assessments", filter=~Q(assessments__state=State.PUBLISHED))
    ).filter(open_rounds=0)
    context = {
        "rounds": rounds,
        "idle_programmes": idle.order_by("name"),
        "providers": get_user_model()
        .objects.filter(groups__name=roles.PROVIDER)
        .order_by("username"),
        "roles": roles.roles_of(request.user),
        "pending_applications": pending_count() if request.user.has_perm(DECIDE) else 0,
    }
    return render(request, "editorial/dashboard.html", context)


@staff_view()
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(pk)
    studies = Study.objects.filter(programme=assessment.programme)
    round_appraisals = ReviewerAppraisal.objects.filter(assessment=assessment).select_related(
        "reviewer"
    )
    preview = draft_preview(assessment.programme)
    levels = preview.study_levels()
    context = {
        "assessment": assessment,
        "steps": list(State),
        "moves": workflow.available_moves(request.user, assessment),
        "may_send_back": workflow.may_send_back(request.user, assessment),
        "previous": workflow.previous_state(State(assessment.state)),
        "changes": assessment.changes.select_related("by"),
        "studies": [
            {
                "study": study,
                "appraisals": [a for a in round_appraisals if a.study_id == study.pk],
                "settled": study.appraisals.filter(consensus=True).exists(),
                "level": levels.get(study.key, {}).get("level_label", ""),
            }
            for study in studies
        ],
        "preview": preview,
        "default_review_name": workflow.default_review_name(),
    }
    return render(request, "editorial/assessment_detail.html", context)


@staff_view()
@require_POST
def move_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Make one move (forward, or send back a step) with the comment given."""
    assessment = get_assessment(pk)
    try:
        change = workflow.move(
            assessment,
            request.POST.get("action", ""),
            request.user,
            request.POST.get("comment", ""),
            review_name=request.POST.get("review_name", ""),
        )
    except workflow.TransitionRefused as error:
        return refused(request, error, back=assessment.get_absolute_url())
    messages.success(request, f"Moved to '{State(change.to_state).label}'.")
    return redirect(assessment.get_absolute_url())


@staff_view("editorial.manage_assessment")
@require_POST
def open_round(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a new assessment round; the public page stays as published until it ends."""
    programme = get_object_or_404(Programme, slug=slug)
    provider = None
    if request.POST.get("provider"):
        provider = get_object_or_404(
            get_user_model(), pk=request.POST["provider"], groups__name=roles.PROVIDER
        )
    try:
        assessment = workflow.open_round(
            programme,
            signed_in(request),
            provider=provider,
            comment=request.POST.get("comment", ""),
        )
    except workflow.TransitionRefused as error:
        return refused(request, error)
    messages.success(request, f"Round {assessment.round} of {programme.name} is open.")
    return redirect(assessment.get_absolute_url())


@staff_view()
def evidence_search(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(pk)
    return _search_page(request, assessment, EvidenceSearchForm(), _screening_form(assessment))


def _screening_form(assessment: Assessment, data: object = None) -> ScreeningForm:
    return ScreeningForm(data, assessment=assessment)


def _search_page(
    request: HttpRequest,
    assessment: Assessment,
    search_form: EvidenceSearchForm,
    screening_form: ScreeningForm,
    status: int = 200,
) -> HttpResponse:
    submission = assessment.submission
    context = {
        "assessment": assessment,
        "searches": assessment.searches.select_related("by"),
        "screenings": assessment.screenings.select_related("by", "study", "search"),
        "listed_by_provider": evaluations_of(submission.answers) if submission else [],
        "search_form": search_form,
        "screening_form": screening_form,
        "may_edit": _may_log_search(request, assessment),
    }
    return render(request, "editorial/evidence_search.html", context, status=status)


def _may_log_search(request: HttpRequest, assessment: Assessment) -> bool:
    return (
        request.user.has_perm("editorial.search_evidence")
        and assessment.state == State.EVIDENCE_SEARCH
    )


def _check_may_log(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    if assessment.state != State.EVIDENCE_SEARCH:
        return refused(
            request,
            "The search log can be added to only while the round is at 'Evidence search'.",
            back=assessment.get_absolute_url(),
        )
    return None


@staff_view("editorial.search_evidence")
@require_POST
def add_search(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(pk)
    problem = _check_may_log(request, assessment)
    if problem:
        return problem
    form = EvidenceSearchForm(request.POST)
    if not form.is_valid():
        return _search_page(request, assessment, form, _screening_form(assessment), status=400)
    form.instance.assessment = assessment
    form.instance.by = signed_in(request)
    form.save()
    messages.success(request, "The search is logged.")
    return redirect("editorial:evidence_search", pk=assessment.pk)


@staff_view("editorial.search_evidence")
@require_POST
def add_screening(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a study found; an included one becomes a study of the programme."""
    assessment = get_assessment(pk)
    problem = _check_may_log(request, assessment)
    if problem:
        return problem
    form = _screening_form(assessment, request.POST)
    if not form.is_valid():
        return _search_page(request, assessment, EvidenceSearchForm(), form, status=400)
    with transaction.atomic():
        screening: Screening = form.save(commit=False)
        screening.assessment = assessment
        screening.by = signed_in(request)
        if screening.decision == Screening.Decision.INCLUDE:
            screening.study = new_study(assessment.programme, form.cleaned_data)
        screening.save()
    messages.success(
        request, f"'{screening.citation}' is {screening.get_decision_display().lower()}."
    )
    return redirect("editorial:evidence_search", pk=assessment.pk)
