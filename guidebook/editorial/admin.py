"""The admin shows the workflow's records read-only: they change only through the workflow.

Individual reviewers' appraisals are left out on purpose, so the admin cannot become
a way to read one reviewer's answers before both have submitted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guidebook.editorial import models


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StateChangeInline(admin.TabularInline):
    model = models.StateChange
    fields = readonly_fields = ("at", "by", "action", "from_state", "to_state", "comment")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ["programme", "round", "state", "provider", "opened_at"]
    list_filter = ["state"]
    search_fields = ["programme__name"]
    inlines = [StateChangeInline]


@admin.register(models.Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ["name", "provider", "status", "updated"]
    list_filter = ["status"]


@admin.register(models.EvidenceSearch)
class EvidenceSearchAdmin(ReadOnly):
    list_display = ["assessment", "source", "searched_on", "results", "by"]


@admin.register(models.Screening)
class ScreeningAdmin(ReadOnly):
    list_display = ["assessment", "citation", "decision", "by"]
    list_filter = ["decision"]


@admin.register(models.ProviderApplication)
class ProviderApplicationAdmin(ReadOnly):
    """Decided on the staff screen, where every decision is recorded with its reason."""

    list_display = ["full_name", "organisation", "user", "status", "applied_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["full_name", "organisation", "user__email"]
