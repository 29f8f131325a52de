"""Methodology pages: how Guidebook turns reported statistics into effect sizes.

The page is written into its template (the site never reads the repository's docs
at run time); the constants it quotes come from the evidence core, so the page
cannot drift from the code that computes the numbers.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guidebook.evidence.effect_sizes import CONTINUITY_CORRECTION, COX_SCALE
from guidebook.evidence.findings_effects import POOLING_METHOD
from guidebook.evidence.standards import DEFAULT_LIMITS


def methodology_effect_sizes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/methodology_effect_sizes.html",
        {
            "alpha": DEFAULT_LIMITS.alpha,
            "cox_scale": COX_SCALE,
            "continuity_correction": CONTINUITY_CORRECTION,
            "pooling_method": POOLING_METHOD,
        },
    )
