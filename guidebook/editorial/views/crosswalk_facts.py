"""Staff screens for the facts other clearinghouses' rules read: how a study was run,
a finding's domains and harm, and the programme's readiness.

Entered by whoever enters findings, while the round is open; each screen shows what
the crosswalk standards make of the working record, so the effect of an answer (or of
a fact still missing) is seen at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guidebook.catalogue.models import Finding, Study
from guidebook.editorial.forms.crosswalk import FindingFactsForm, ReadinessForm, StudyConductForm
from guidebook.editorial.models import Assessment
from guidebook.editorial.views.access import get_assessment, get_study, refused, staff_view
from guidebook.editorial.views.preview import crosswalk_preview
from guidebook.editorial.views.studies import study_page

_CLOSED = "This round is published; open a new round to change the record."


@staff_view("editorial.enter_findings")
@require_POST
def study_conduct(request: HttpRequest, pk: int, study_pk: int) -> HttpResponse:
    """Save how a study was run (its conduct facts), from the study's page."""
    assessment = get_assessment(pk)
    study = get_study(assessment, study_pk)
    if not assessment.is_open:
        return refused(request, _CLOSED, back=assessment.get_absolute_url())
    form = StudyConductForm(request.POST, study=study, prefix="conduct")
    if not form.is_valid():
        return study_page(request, assessment, study, conduct_form=form, status=400)
    form.save()
    messages.success(request, f"How {study.label} was run is saved.")
    return redirect("editorial:study_detail", pk=assessment.pk, study_pk=study.pk)


@staff_view("editorial.enter_findings")
def finding_facts(request: HttpRequest, pk: int, study_pk: int, finding_pk: int) -> HttpResponse:
    """A finding's outcome domains, harm and months after the end of treatment."""
    assessment = get_assessment(pk)
    study = get_study(assessment, study_pk)
    finding = get_object_or_404(Finding, pk=finding_pk, study=study)
    if request.method != "POST":
        form = FindingFactsForm(finding=finding)
        return _finding_page(request, assessment, study, finding, form)
    if not assessment.is_open:
        return refused(request, _CLOSED, back=assessment.get_absolute_url())
    form = FindingFactsForm(request.POST, finding=finding)
    if not form.is_valid():
        return _finding_page(request, assessment, study, finding, form, status=400)
    form.save()
    messages.success(request, f"The crosswalk facts of '{finding.outcome}' are saved.")
    return redirect("editorial:study_detail", pk=assessment.pk, study_pk=study.pk)


def _finding_page(
    request: HttpRequest,
    assessment: Assessment,
    study: Study,
    finding: Finding,
    form: FindingFactsForm,
    status: int = 200,
) -> HttpResponse:
    context = {"assessment": assessment, "study": study, "finding": finding, "form": form}
    return render(request, "editorial/finding_facts.html", context, status=status)


@staff_view("editorial.enter_findings")
def programme_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's manual, dissemination readiness and PSC programme area."""
    assessment = get_assessment(pk)
    programme = assessment.programme
    if request.method != "POST":
        return _readiness_page(request, assessment, ReadinessForm(programme=programme))
    if not assessment.is_open:
        return refused(request, _CLOSED, back=assessment.get_absolute_url())
    form = ReadinessForm(request.POST, programme=programme)
    if not form.is_valid():
        return _readiness_page(request, assessment, form, status=400)
    form.save()
    messages.success(request, f"The readiness of {programme.name} is saved.")
    return redirect("editorial:programme_readiness", pk=assessment.pk)


def _readiness_page(
    request: HttpRequest, assessment: Assessment, form: ReadinessForm, status: int = 200
) -> HttpResponse:
    context = {
        "assessment": assessment,
        "form": form,
        "crosswalk": crosswalk_preview(form.programme),
    }
    return render(request, "editorial/readiness.html", context, status=status)
