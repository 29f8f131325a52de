"""The admin: the evidence team's direct view of every stored record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db.models import Field, URLField

from guidebook.catalogue import models

# Addresses typed without a scheme are taken as https (Django 6's default, chosen now).
HTTPS_URLS: Mapping[type[Field[Any, Any]], Mapping[str, Any]] = {
    URLField: {"assume_scheme": "https"}
}


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
class ProgrammeAdmin(admin.ModelAdmin):
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
    ]


class PublicationInline(admin.StackedInline):  # stacked: a full reference has many fields
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
class StudyAdmin(admin.ModelAdmin):
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
