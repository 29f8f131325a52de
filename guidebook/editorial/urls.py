from django.urls import path

from guidebook.editorial.views import (
    access,
    applications,
    assessments,
    crosswalk_facts,
    provider,
    records,
    registration,
    releases,
    studies,
)

app_name = "editorial"
urlpatterns = [
    path("login/", access.sign_in, name="login"),
    path("logout/", access.sign_out, name="logout"),
    path("", assessments.home, name="home"),
    # Asking for a provider account, and deciding on it
    path("register/", registration.register, name="register"),
    path("register/sent/", registration.register_sent, name="register_sent"),
    path("applications/", applications.applications, name="applications"),
    path(
        "applications/<int:pk>/approve/",
        applications.approve_application,
        name="approve_application",
    ),
    path(
        "applications/<int:pk>/decline/",
        applications.decline_application,
        name="decline_application",
    ),
    # Providers
    path("provider/", provider.provider_home, name="provider_home"),
    path("provider/submissions/new/", provider.submission_new, name="submission_new"),
    path("provider/submissions/<int:pk>/", provider.submission_edit, name="submission_edit"),
    path("provider/assessments/<int:pk>/check/", provider.fact_check, name="fact_check"),
    path(
        "provider/assessments/<int:pk>/check/answer/",
        provider.answer_fact_check,
        name="answer_fact_check",
    ),
    # Assessment rounds
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/move/", assessments.move_assessment, name="move_assessment"),
    path("assessments/<int:pk>/search/", assessments.evidence_search, name="evidence_search"),
    path("assessments/<int:pk>/search/add/", assessments.add_search, name="add_search"),
    path("assessments/<int:pk>/search/screen/", assessments.add_screening, name="add_screening"),
    path(
        "assessments/<int:pk>/studies/<int:study_pk>/",
        studies.study_detail,
        name="study_detail",
    ),
    path(
        "assessments/<int:pk>/studies/<int:study_pk>/findings/",
        studies.add_finding,
        name="add_finding",
    ),
    path(
        "assessments/<int:pk>/studies/<int:study_pk>/conduct/",
        crosswalk_facts.study_conduct,
        name="study_conduct",
    ),
    path(
        "assessments/<int:pk>/studies/<int:study_pk>/findings/<int:finding_pk>/crosswalk/",
        crosswalk_facts.finding_facts,
        name="finding_facts",
    ),
    path(
        "assessments/<int:pk>/readiness/",
        crosswalk_facts.programme_readiness,
        name="programme_readiness",
    ),
    path(
        "assessments/<int:pk>/studies/<int:study_pk>/appraise/",
        studies.appraise_study,
        name="appraise_study",
    ),
    path(
        "assessments/<int:pk>/studies/<int:study_pk>/consensus/",
        studies.settle_consensus,
        name="settle_consensus",
    ),
    # Programmes and the catalogue
    path("programmes/<slug:slug>/rounds/", assessments.open_round, name="open_round"),
    path("programmes/<slug:slug>/history/", records.history, name="history"),
    path("rerate/", records.rerate, name="rerate"),
    path("rerate/apply/", records.apply_rerate, name="apply_rerate"),
    path("releases/", releases.releases, name="releases"),
    path("releases/make/", releases.make_release_view, name="make_release"),
]
