"""Published snapshots: what the public sees, frozen at publication.

The public site, its JSON twins, the API and the downloads read only these rows, so
nothing recorded in a draft or an assessment under way can reach the public. A
snapshot keeps the record, the rating with its reasons, the cost estimate, the
standard's key and version and a hash of the inputs, so any published rating can be
reproduced later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guidebook.catalogue.models.programme import Programme


class Snapshot(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="snapshots")
    slug = models.SlugField(max_length=120, db_index=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    published_at = models.DateTimeField(db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(blank=True)
    review = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=True)

    standard_key = models.CharField(max_length=40)
    standard_version = models.CharField(max_length=20)
    inputs_hash = models.CharField(max_length=64)

    rating = models.CharField(max_length=5, help_text="The rating shown (computed or imported).")
    rating_source = models.CharField(max_length=10, default="computed")
    rating_rank = models.PositiveSmallIntegerField(help_text="Position in the rating order.")
    listed = models.BooleanField(help_text="Rated 2 or above: listed in the main catalogue.")
    cost_rating = models.CharField(max_length=2)
    unit_cost = models.FloatField(null=True, blank=True)
    search_text = models.TextField(blank=True)

    record = models.JSONField()
    assessment = models.JSONField()
    cost = models.JSONField()
    crosswalk = models.JSONField(
        null=True,
        blank=True,
        help_text="Each crosswalk standard's result, by key, as computed at publication.",
    )

    class Meta:
        ordering = ["name"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(is_current=True),
                name="one_current_snapshot",
            )
        ]
        indexes = [models.Index(fields=["is_current", "listed", "name"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.rating} published {self.published_at:%Y-%m-%d}"


class SnapshotFacet(models.Model):
    """One filterable value of a published snapshot (age group, outcome, rating...)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind", "key"], name="facet_once")
        ]
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind}={self.key}"
