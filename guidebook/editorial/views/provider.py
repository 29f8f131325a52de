"""The provider's screens: their submissions, the questionnaire, and the fact check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from guidebook.catalogue.convert import save_record
from guidebook.editorial import workflow
from guidebook.editorial.forms.questionnaire import (
    QuestionnaireForm,
    answers_from_post,
    initial_from_answers,
)
from guidebook.editorial.models import Assessment, State, Submission
from guidebook.editorial.views.access import (
    get_assessment,
    get_own_submission,
    refused,
    signed_in,
)
from guidebook.editorial.views.preview import draft_preview

provider_view = permission_required("editorial.submit_programme", raise_exception=True)


@login_required
@provider_view
def provider_home(request: HttpRequest) -> HttpResponse:
    context = {
        "submissions": Submission.objects.filter(provider=signed_in(request)),
        "assessments": Assessment.objects.filter(provider=signed_in(request)).select_related(
            "programme"
        ),
    }
    return render(request, "editorial/provider/home.html", context)


def _questionnaire(
    request: HttpRequest, form: QuestionnaireForm, submission: Submission | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "submission": submission}
    return render(request, "editorial/provider/questionnaire.html", context, status=status)


def _save_draft(request: HttpRequest, submission: Submission | None) -> HttpResponse:
    answers = answers_from_post(request.POST)
    if submission is None:
        submission = Submission(provider=signed_in(request))
    submission.answers = answers
    submission.name = str(answers.get("name", "")).strip()[:200]
    submission.save()
    messages.success(request, "Your draft is saved. You can come back to it at any time.")
    return redirect("editorial:submission_edit", pk=submission.pk)


@transaction.atomic
def _submit(request: HttpRequest, form: QuestionnaireForm, submission: Submission | None) -> Any:
    """Store the programme, open its first assessment round and close the questionnaire."""
    programme = save_record(form.record, reason="Submitted by the provider")
    if submission is None:
        submission = Submission(provider=signed_in(request))
    submission.answers = answers_from_post(request.POST)
    submission.name = programme.name
    submission.status = Submission.Status.SUBMITTED
    submission.programme = programme
    submission.submitted_at = timezone.now()
    submission.save()
    assessment = workflow.open_round(
        programme,
        by=signed_in(request),
        provider=signed_in(request),
        comment="Submitted by the provider.",
    )
    assessment.submission = submission
    assessment.save(update_fields=["submission"])
    return submission


def _handle_questionnaire(request: HttpRequest, submission: Submission | None) -> HttpResponse:
    if request.method == "GET":
        initial = initial_from_answers(submission.answers) if submission else {}
        return _questionnaire(request, QuestionnaireForm(initial=initial), submission)
    if request.POST.get("action") == "save":
        return _save_draft(request, submission)
    form = QuestionnaireForm(request.POST)
    if not form.is_valid():
        # Nothing is written: the provider sees every problem beside its question.
        return _questionnaire(request, form, submission, status=400)
    submission = _submit(request, form, submission)
    messages.success(
        request, "Thank you. Your programme is submitted and its assessment has begun."
    )
    return redirect("editorial:submission_edit", pk=submission.pk)


@login_required
@provider_view
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest) -> HttpResponse:
    return _handle_questionnaire(request, None)


@login_required
@provider_view
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_own_submission(request, pk)
    if not submission.is_draft:
        if request.method == "POST":
            return refused(
                request, "This programme is already submitted; it cannot be changed here."
            )
        assessment = Assessment.objects.filter(submission=submission).first()
        context = {"submission": submission, "assessment": assessment}
        return render(request, "editorial/provider/submitted.html", context)
    return _handle_questionnaire(request, submission)


def _get_round_to_check(request: HttpRequest, pk: int) -> Assessment:
    """A round whose facts this user may check: their own (providers see no other)."""
    assessment = get_assessment(pk)
    approve = workflow.BY_ACTION["approve-facts"]
    if not workflow.may_make(request.user, assessment, approve):
        raise Http404("No such assessment for this account")
    return assessment


@login_required
@permission_required("editorial.check_facts", raise_exception=True)
def fact_check(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get_round_to_check(request, pk)
    context = {
        "assessment": assessment,
        "ready": assessment.state == State.PROVIDER_CHECK,
        "preview": draft_preview(assessment.programme),
    }
    return render(request, "editorial/provider/fact_check.html", context)


@login_required
@permission_required("editorial.check_facts", raise_exception=True)
@require_POST
def answer_fact_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the facts (the round goes to the panel) or send corrections back."""
    assessment = _get_round_to_check(request, pk)
    if assessment.state != State.PROVIDER_CHECK:
        return refused(request, "This round is not waiting for your check.")
    comment = request.POST.get("comment", "")
    approve = request.POST.get("decision") == "approve"
    action = "approve-facts" if approve else workflow.SEND_BACK
    if not approve and not comment.strip():
        return refused(request, "Write the corrections in the comment box before sending them.")
    try:
        workflow.move(assessment, action, request.user, comment)
    except workflow.TransitionRefused as error:
        return refused(request, error)
    if approve:
        messages.success(request, "Thank you. The facts are approved; the evidence panel is next.")
    else:
        messages.success(request, "Thank you. Your corrections are sent to the evidence team.")
    return redirect("editorial:provider_home")
