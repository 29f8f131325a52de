"""Public pages: small views over one permission-aware getter per object type."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from guidebook.catalogue import models
from guidebook.catalogue.convert import programmes_with_records
from guidebook.public.presenters import ProgrammePage, build_programme_page


def _get_public_programme(slug: str) -> models.Programme:
    """The programme the public may see under this slug, or 404."""
    programme = programmes_with_records().filter(slug=slug).first()
    if programme is None:
        raise Http404(f"No programme '{slug}'")
    return programme


def _programme_page(slug: str) -> ProgrammePage:
    return build_programme_page(_get_public_programme(slug))


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = [build_programme_page(p) for p in programmes_with_records()]
    return render(request, "public/programme_list.html", {"pages": programmes})


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _programme_page(slug)
    return render(request, "public/programme_detail.html", page.context())


def programme_json(request: HttpRequest, slug: str) -> JsonResponse:
    page = _programme_page(slug)
    return JsonResponse(page.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 2})
