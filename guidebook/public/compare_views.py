"""Compare 2 to 4 published programmes side by side, as a page and as JSON.

The programmes are named in the address (``/compare/?p=slug&p=slug``), so a
comparison can be bookmarked and shared. A request that names too few or too many,
names one twice, or names one that is not published gets a 400 answer that lists
every problem, each naming the parameter, what was expected and what was found.
"""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.errors import Problem
from guidebook.public.shortlist import shortlisted_slugs
from guidebook.public.summaries import COMPARE_MAX, COMPARE_MIN, ProgrammeSummary, summarise

PARAMETER = "p"
_REQUEST = "compare request"
_JSON_STYLE = {"ensure_ascii": False, "indent": 2}


class ComparisonRefused(Exception):
    """The programmes named cannot be compared; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _count_problems(slugs: list[str]) -> list[Problem]:
    expected = f"from {COMPARE_MIN} to {COMPARE_MAX} programme slugs"
    if COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        return []
    found = f"{len(slugs)}" + (f" ({', '.join(slugs)})" if slugs else "")
    return [Problem(_REQUEST, PARAMETER, expected, found)]


def _repeat_problems(slugs: list[str]) -> list[Problem]:
    return [
        Problem(_REQUEST, PARAMETER, "each programme once", f"'{slug}' {times} times")
        for slug, times in Counter(slugs).items()
        if times > 1
    ]


def chosen_programmes(slugs: list[str]) -> list[ProgrammeSummary]:
    """The published programmes named by ``slugs``, in that order.

    Raises ``ComparisonRefused`` with every problem at once.
    """
    problems = _count_problems(slugs) + _repeat_problems(slugs)
    snapshots = {s.slug: s for s in Snapshot.objects.filter(slug__in=slugs, is_current=True)}
    problems += [
        Problem(_REQUEST, PARAMETER, "the slug of a published programme", f"'{slug}'")
        for slug in dict.fromkeys(slugs)
        if slug not in snapshots
    ]
    if problems:
        raise ComparisonRefused(problems)
    return [summarise(snapshots[slug]) for slug in slugs]


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    slugs = request.GET.getlist(PARAMETER)
    try:
        programmes = chosen_programmes(slugs)
    except ComparisonRefused as refused:
        context = {
            "problems": refused.problems,
            "compare_min": COMPARE_MIN,
            "compare_max": COMPARE_MAX,
        }
        return render(request, "public/compare.html", context, status=400)
    context = {
        "programmes": programmes,
        "shortlisted": set(shortlisted_slugs(request.session)),
        "query": request.GET.urlencode(),
    }
    return render(request, "public/compare.html", context)


@require_GET
def compare_json(request: HttpRequest) -> JsonResponse:
    try:
        programmes = chosen_programmes(request.GET.getlist(PARAMETER))
    except ComparisonRefused as refused:
        problems = [problem.as_dict() for problem in refused.problems]
        body = {"error": "These programmes cannot be compared.", "problems": problems}
        return JsonResponse(body, status=400, json_dumps_params=_JSON_STYLE)
    body = {"programmes": [programme.as_json() for programme in programmes]}
    return JsonResponse(body, json_dumps_params=_JSON_STYLE)
