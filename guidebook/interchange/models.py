"""Releases: dated, immutable editions of the published catalogue.

A release names the snapshots that were current when it was made (``ReleaseEntry``)
and holds what its files were built from besides them: its notes, the release it
follows, and the site address, publisher and data licence in force that day. From
these alone its files are built again byte for byte (``guidebook.interchange.releases``),
and their SHA-256 checksums, kept here, prove it. Nothing about a release changes once
it is made: saving an existing one is refused, and the snapshots it names cannot be
deleted while it exists.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from guidebook.catalogue.models import Snapshot


class ReleaseImmutable(Exception):
    """A release was about to be changed after it was made."""


class Release(models.Model):
    name = models.CharField(
        max_length=20,
        unique=True,
        help_text="Its permanent name: the date, with -2, -3... for a second or third that day.",
    )
    day = models.DateField()
    sequence = models.PositiveSmallIntegerField(default=1)
    notes = models.TextField(blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    citation = models.JSONField(
        help_text="Site address, publisher and data licence when it was made (in its files)."
    )
    checksums = models.JSONField(
        default=dict, help_text="SHA-256 of every file, by path, as built when it was made."
    )

    class Meta:
        ordering = ["-day", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["day", "sequence"], name="release_once_per_sequence")
        ]
        permissions = [("make_release", "Can make a release of the published catalogue")]

    def __str__(self) -> str:
        return f"Release {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The checksums are written once, when the files are first built; after that
        # nothing may change.
        if self.pk is not None:
            stored = Release.objects.filter(pk=self.pk).values_list("checksums", flat=True).first()
            if stored or set(kwargs.get("update_fields") or ["checksums"]) != {"checksums"}:
                raise ReleaseImmutable(f"release {self.name} was made and cannot change")
        super().save(*args, **kwargs)


class ReleaseEntry(models.Model):
    """One programme in a release: the snapshot that was current when it was made."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="entries")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=120)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["release", "slug"], name="release_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.release.name}: {self.slug}"
