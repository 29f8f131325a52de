"""Staff screens of one study in a round: findings, the two appraisals, the consensus.

Independence: a reviewer sees only their own answers. Nobody sees either reviewer's
answers until both have submitted; then the consensus screen lists them side by side,
criterion by criterion, with the disagreements first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from guidebook.catalogue.convert import publication_record
from guidebook.catalogue.models import Appraisal, Study
from guidebook.editorial.forms.appraisal import (
    ConsensusForm,
    ReviewerAppraisalForm,
    answer_text,
    as_initial,
    field_name,
)
from guidebook.editorial.forms.crosswalk import StudyConductForm
from guidebook.editorial.forms.search import FindingForm
from guidebook.editorial.forms.statistics import statistics_rows
from guidebook.editorial.models import Assessment, Consensus, ReviewerAppraisal, State
from guidebook.editorial.views.access import (
    get_assessment,
    get_study,
    refused,
    signed_in,
    staff_view,
)
from guidebook.editorial.views.preview import crosswalk_preview, draft_preview
from guidebook.evidence.standards import CRITERIA

REVIEWERS_PER_STUDY = 2


def _appraisals(assessment: Assessment, study: Study) -> list[ReviewerAppraisal]:
    return list(
        ReviewerAppraisal.objects.filter(assessment=assessment, study=study).select_related(
            "reviewer"
        )
    )


def _both_submitted(appraisals: list[ReviewerAppraisal]) -> bool:
    submitted = [a for a in appraisals if a.is_submitted]
    return len(submitted) >= REVIEWERS_PER_STUDY


def study_page(
    request: HttpRequest,
    assessment: Assessment,
    study: Study,
    form: FindingForm | None = None,
    conduct_form: StudyConductForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The study's page; a form given is shown as posted (with its errors)."""
    appraisals = _appraisals(assessment, study)
    level = draft_preview(assessment.programme).study_levels().get(study.key)
    context = {
        "assessment": assessment,
        "study": study,
        "findings": [
            {"finding": finding, "statistics": statistics_rows(finding.statistics)}
            for finding in study.findings.all()
        ],
        "publications": [publication_record(p) for p in study.publications.all()],
        "form": form or FindingForm(study=study),
        "conduct_form": conduct_form or StudyConductForm(study=study, prefix="conduct"),
        "crosswalk": crosswalk_preview(assessment.programme),
        "may_enter_findings": request.user.has_perm("editorial.enter_findings")
        and assessment.is_open,
        "appraisals": appraisals,
        "both_submitted": _both_submitted(appraisals),
        "consensus": Consensus.objects.filter(assessment=assessment, study=study).first(),
        "level": level,
    }
    return render(request, "editorial/study_detail.html", context, status=status)


@staff_view()
def study_detail(request: HttpRequest, pk: int, study_pk: int) -> HttpResponse:
    assessment = get_assessment(pk)
    study = get_study(assessment, study_pk)
    return study_page(request, assessment, study)


def _appraiser(request: HttpRequest) -> str:
    user = signed_in(request)
    return user.get_full_name() or user.get_username()


@staff_view("editorial.enter_findings")
@require_POST
def add_finding(request: HttpRequest, pk: int, study_pk: int) -> HttpResponse:
    assessment = get_assessment(pk)
    study = get_study(assessment, study_pk)
    if not assessment.is_open:
        return refused(request, "This round is published; open a new round to change findings.")
    form = FindingForm(request.POST, study=study, appraiser=_appraiser(request))
    if not form.is_valid():
        return study_page(request, assessment, study, form, status=400)
    finding = form.save()
    messages.success(request, f"Finding '{finding.outcome}' added to {study.label}.")
    return redirect("editorial:study_detail", pk=assessment.pk, study_pk=study.pk)


def _appraise_page(
    request: HttpRequest,
    assessment: Assessment,
    study: Study,
    own: ReviewerAppraisal | None,
    form: ReviewerAppraisalForm,
    status: int = 200,
) -> HttpResponse:
    others = [a for a in _appraisals(assessment, study) if a.reviewer_id != request.user.pk]
    context = {
        "assessment": assessment,
        "study": study,
        "own": own,
        "form": form,
        "locked": own is not None and own.is_submitted,
        "open": assessment.state == State.APPRAISAL,
        # Whether the others have submitted, never what they answered.
        "others": [{"submitted": a.is_submitted} for a in others],
    }
    return render(request, "editorial/appraise.html", context, status=status)


@staff_view("editorial.appraise_study")
def appraise_study(request: HttpRequest, pk: int, study_pk: int) -> HttpResponse:
    """One reviewer's own appraisal: save a draft, then submit it (it is then locked)."""
    assessment = get_assessment(pk)
    study = get_study(assessment, study_pk)
    own = ReviewerAppraisal.objects.filter(
        assessment=assessment, study=study, reviewer=signed_in(request)
    ).first()
    initial: dict[str, Any] = as_initial(own.answers) if own else {}
    if own:
        initial["comment"] = own.comment
    if request.method != "POST":
        form = ReviewerAppraisalForm(initial=initial, complete=False)
        return _appraise_page(request, assessment, study, own, form)
    problem = _appraisal_refusal(assessment, study, own, request)
    if problem:
        return refused(request, problem, back=assessment.get_absolute_url())
    submitting = request.POST.get("action") == "submit"
    form = ReviewerAppraisalForm(request.POST, complete=submitting)
    if not form.is_valid():
        return _appraise_page(request, assessment, study, own, form, status=400)
    own = own or ReviewerAppraisal(assessment=assessment, study=study, reviewer=signed_in(request))
    own.answers = form.answers()
    own.comment = form.cleaned_data["comment"]
    own.submitted_at = timezone.now() if submitting else None
    own.save()
    if submitting:
        messages.success(request, f"Your appraisal of {study.label} is submitted.")
        return redirect(assessment.get_absolute_url())
    messages.success(request, "Your answers are saved as a draft.")
    return redirect("editorial:appraise_study", pk=assessment.pk, study_pk=study.pk)


def _appraisal_refusal(
    assessment: Assessment, study: Study, own: ReviewerAppraisal | None, request: HttpRequest
) -> str | None:
    if assessment.state != State.APPRAISAL:
        return "Studies can be appraised only while the round is at 'Appraisal'."
    if own is not None and own.is_submitted:
        return "Your appraisal is submitted and can no longer be changed."
    if own is None and len(_appraisals(assessment, study)) >= REVIEWERS_PER_STUDY:
        return f"{study.label} already has its two reviewers in this round."
    return None


def comparison(appraisals: list[ReviewerAppraisal]) -> list[dict[str, Any]]:
    """Each criterion with both reviewers' answers; disagreements first."""
    first, second = appraisals[0], appraisals[1]
    rows = []
    for criterion in CRITERIA:
        answers = [first.answers.get(criterion.id), second.answers.get(criterion.id)]
        rows.append({"criterion": criterion, "answers": answers, "agree": answers[0] == answers[1]})
    return sorted(rows, key=lambda row: row["agree"])


@staff_view("editorial.settle_consensus")
def settle_consensus(request: HttpRequest, pk: int, study_pk: int) -> HttpResponse:
    assessment = get_assessment(pk)
    study = get_study(assessment, study_pk)
    submitted = [a for a in _appraisals(assessment, study) if a.is_submitted]
    if len(submitted) < REVIEWERS_PER_STUDY:
        return refused(
            request,
            f"The consensus waits until both reviewers of {study.label} have submitted.",
            back=assessment.get_absolute_url(),
        )
    rows = comparison(submitted)
    disagreements = [row["criterion"].id for row in rows if not row["agree"]]
    settled = Consensus.objects.filter(assessment=assessment, study=study).first()
    if request.method != "POST":
        agreed = {r["criterion"].id: r["answers"][0] for r in rows if r["agree"]}
        initial: dict[str, Any] = as_initial(
            settled.appraisal.answers if settled and settled.appraisal else agreed
        )
        initial["note"] = settled.note if settled else ""
        form = ConsensusForm(initial=initial, disagreements=disagreements)
        return _consensus_page(request, assessment, study, submitted, rows, form, settled)
    if assessment.state != State.APPRAISAL:
        return refused(
            request, "The consensus can be settled only while the round is at 'Appraisal'."
        )
    form = ConsensusForm(request.POST, disagreements=disagreements)
    if not form.is_valid():
        return _consensus_page(request, assessment, study, submitted, rows, form, settled, 400)
    _save_consensus(assessment, study, submitted, form, disagreements, request)
    messages.success(request, f"The consensus on {study.label} is settled.")
    return redirect("editorial:study_detail", pk=assessment.pk, study_pk=study.pk)


def _show_reviewers_answers(
    form: ConsensusForm, rows: list[dict[str, Any]], submitted: list[ReviewerAppraisal]
) -> None:
    """Put both reviewers' answers under each consensus question, so each question is
    printed once, with what the reviewers said beside it."""
    names = [a.reviewer.get_username() for a in submitted[:REVIEWERS_PER_STUDY]]
    for row in rows:
        field = form.fields.get(field_name(row["criterion"]))
        if field is None:
            continue
        said = " and ".join(
            f"{name} {answer_text(answer)}"
            for name, answer in zip(names, row["answers"], strict=True)
        )
        if row["agree"]:
            field.help_text = f"Both reviewers answered {answer_text(row['answers'][0])}."
        else:
            field.help_text = f"The reviewers disagree: {said}. Settle it here."


def _consensus_page(
    request: HttpRequest,
    assessment: Assessment,
    study: Study,
    submitted: list[ReviewerAppraisal],
    rows: list[dict[str, Any]],
    form: ConsensusForm,
    settled: Consensus | None,
    status: int = 200,
) -> HttpResponse:
    _show_reviewers_answers(form, rows, submitted)
    context = {
        "assessment": assessment,
        "study": study,
        "reviewers": [a.reviewer for a in submitted[:REVIEWERS_PER_STUDY]],
        "comments": [a.comment for a in submitted[:REVIEWERS_PER_STUDY]],
        "rows": rows,
        "disagreement_count": sum(1 for row in rows if not row["agree"]),
        "form": form,
        "field_names": {row["criterion"].id: field_name(row["criterion"]) for row in rows},
        "settled": settled,
        "open": assessment.state == State.APPRAISAL,
    }
    return render(request, "editorial/consensus.html", context, status=status)


@transaction.atomic
def _save_consensus(
    assessment: Assessment,
    study: Study,
    submitted: list[ReviewerAppraisal],
    form: ConsensusForm,
    disagreements: list[str],
    request: HttpRequest,
) -> None:
    """Write the study's consensus appraisal, from which the core computes its level."""
    names = " and ".join(a.reviewer.get_username() for a in submitted[:REVIEWERS_PER_STUDY])
    # Updated in place, so the change history shows what the new consensus changed.
    appraisal, _ = Appraisal.objects.update_or_create(
        study=study,
        consensus=True,
        defaults={
            "reviewer": f"consensus of {names}"[:150],
            "answers": form.answers(),
            "verdict": None,
            "justification": "",
        },
    )
    Consensus.objects.update_or_create(
        assessment=assessment,
        study=study,
        defaults={
            "appraisal": appraisal,
            "disagreements": disagreements,
            "note": form.cleaned_data["note"],
            "settled_by": signed_in(request),
        },
    )
