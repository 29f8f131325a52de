"""The admin: the evidence team's direct view of every stored record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Field, URLField
from django.http import HttpRequest
from django.utils.text import capfirst

from guidebook.catalogue import models

# Addresses typed without a scheme are taken as https (Django 6's default, chosen now).
HTTPS_URLS: Mapping[type[Field[Any, Any]], Mapping[str, Any]] = {
    URLField: {"assume_scheme": "https"}
}


# Stored as JSON lists of text; the admin edits them one item a line, never as JSON.
LIST_FIELDS = frozenset(
    {"countries", "delivery_summary", "activities", "theory_of_change", "other_outcomes", "authors"}
)


class LinesField(forms.CharField):
    """A list of short texts, edited one item a line; blank lines are dropped."""

    widget = forms.Textarea

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in str(text).splitlines() if line.strip()]


class ListsAsLines:
    """Admin mixin: every list field of ``LIST_FIELDS`` becomes a ``LinesField``."""

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest | None, **kwargs: Any
    ) -> Any:
        if db_field.name in LIST_FIELDS:
            hint = f"{db_field.help_text} One a line.".strip()
            return LinesField(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class CharacteristicInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = models.Characteristic
    extra = 1


class CostProfileInline(admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = models.CostProfile
    can_delete = False


class ImportedRatingInline(admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = models.ImportedRating
    can_delete = True
    extra = 0


class StudyInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = models.Study
    fields = ["position", "key", "label", "citation", "design", "country", "independent"]
    extra = 0
    show_change_link = True


@admin.register(models.Programme)
class ProgrammeAdmin(ListsAsLines, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "slug", "last_updated"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["reviews"]
    inlines = [CharacteristicInline, CostProfileInline, ImportedRatingInline, StudyInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "description"]}),
        ("Where and for whom", {"fields": ["countries", "uk_provision", "uk_evaluation"]}),
        (
            "Delivery",
            {
                "fields": [
                    "sessions",
                    "session_hours_min",
                    "session_hours_max",
                    "frequency",
                    "duration",
                    "delivery_summary",
                    "activities",
                ]
            },
        ),
        (
            "Implementation",
            {"fields": ["practitioners", "training", "supervision", "fidelity", "licence"]},
        ),
        ("Theory of change", {"fields": ["theory_of_change"]}),
        (
            "Contact",
            {
                "fields": [
                    "contact_name",
                    "contact_organisation",
                    "contact_email",
                    "contact_website",
                ]
            },
        ),
        (
            "Reviews and dates",
            {"fields": ["reviews", "first_published", "last_updated"]},
        ),
        ("Evidence notes", {"fields": ["evidence_summary", "other_outcomes_note"]}),
        (
            "Facts other clearinghouses check first",
            {"fields": ["manual", "dissemination_ready", "psc_area"]},
        ),
    ]


class PublicationInline(
    ListsAsLines, admin.StackedInline
):  # stacked: a full reference has many fields
    formfield_overrides = HTTPS_URLS
    model = models.Publication
    extra = 0


class FindingInline(admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = models.Finding
    extra = 0


class AppraisalInline(admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = models.Appraisal
    extra = 0


@admin.register(models.Study)
class StudyAdmin(ListsAsLines, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["programme", "label", "citation", "design", "country"]
    list_filter = ["design"]
    search_fields = ["citation", "programme__name"]
    inlines = [PublicationInline, FindingInline, AppraisalInline]


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "date"]


@admin.register(models.Finding)
class FindingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["study", "outcome", "category", "reporter", "direction", "significant"]
    list_filter = ["category", "reporter", "direction"]


@admin.register(models.Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["study", "reviewer", "consensus", "verdict"]
    list_filter = ["consensus"]
