"""The API's ``release`` parameter: read-only queries against a release.

A release froze the snapshots that were current when it was made; with
``release=NAME`` the list and the programme endpoints answer from those snapshots
instead of the current ones, through the same finder. An unknown release is a 404
in the API's one error shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest, QueryDict

from guidebook.api.errors import NotFound
from guidebook.api.parameters import RELEASE_PARAMETER
from guidebook.catalogue.models import Snapshot
from guidebook.evidence.errors import InvalidRecord, Problem
from guidebook.interchange.models import Release

__all__ = ["ChosenRelease", "chosen_release", "without_release"]

_NAME = re.compile(r"\d{4}-\d{2}-\d{2}(-\d+)?")


@dataclass(frozen=True)
class ChosenRelease:
    name: str
    snapshot_ids: tuple[int, ...]

    def snapshot(self, slug: str) -> Snapshot:
        found = Snapshot.objects.filter(id__in=self.snapshot_ids, slug=slug).first()
        if found is None:
            raise NotFound(
                Problem(
                    "programme",
                    "slug",
                    f"the slug of a programme in release {self.name}",
                    repr(slug),
                )
            )
        return found


def chosen_release(request: HttpRequest) -> ChosenRelease | None:
    """The release the request names, if any; ``NotFound`` for one that does not exist."""
    values = [value.strip() for value in request.GET.getlist(RELEASE_PARAMETER) if value.strip()]
    if not values:
        return None
    if len(values) > 1:
        raise InvalidRecord.single("query", RELEASE_PARAMETER, "a single value", values)
    name = values[0]
    release = Release.objects.filter(name=name).first() if _NAME.fullmatch(name) else None
    if release is None:
        raise NotFound(
            Problem(
                "query", RELEASE_PARAMETER, "the name of a release, e.g. 2026-12-04", repr(name)
            )
        )
    ids = tuple(release.entries.values_list("snapshot_id", flat=True))
    return ChosenRelease(release.name, ids)


def without_release(params: QueryDict) -> QueryDict:
    """The parameters for the finder: everything but ``release``."""
    rest = params.copy()
    rest.pop(RELEASE_PARAMETER, None)
    return rest
