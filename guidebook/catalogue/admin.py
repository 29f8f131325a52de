"""The admin: the evidence team's direct view of every stored record."""

from __future__ import annotations

from django.contrib import admin

from guidebook.catalogue import models


class CharacteristicInline(admin.TabularInline):
    model = models.Characteristic
    extra = 1


class CostProfileInline(admin.StackedInline):
    model = models.CostProfile
    can_delete = False


class ImportedRatingInline(admin.StackedInline):
    model = models.ImportedRating
    can_delete = True
    extra = 0


class StudyInline(admin.TabularInline):
    model = models.Study
    fields = ["position", "key", "label", "citation", "design", "country", "independent"]
    extra = 0
    show_change_link = True


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
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


class PublicationInline(admin.TabularInline):
    model = models.Publication
    extra = 0


class FindingInline(admin.StackedInline):
    model = models.Finding
    extra = 0


class AppraisalInline(admin.StackedInline):
    model = models.Appraisal
    extra = 0


@admin.register(models.Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["programme", "label", "citation", "design", "country"]
    list_filter = ["design"]
    search_fields = ["citation", "programme__name"]
    inlines = [PublicationInline, FindingInline, AppraisalInline]


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["name", "date"]


@admin.register(models.Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["study", "outcome", "category", "reporter", "direction", "significant"]
    list_filter = ["category", "reporter", "direction"]


@admin.register(models.Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    list_display = ["study", "reviewer", "consensus", "verdict"]
    list_filter = ["consensus"]
