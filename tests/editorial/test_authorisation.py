"""The authorisation matrix: every persona, and anonymous, against every staff and
provider view and action, each allowed or refused.

Pages for visitors (asking for a provider account) name ``anonymous`` as allowed;
anyone signed in is sent to their home page from them instead.
"""

import pytest
from django.urls import get_resolver, reverse

from guidebook.editorial.models import State, Submission

VISITOR = "anonymous"
STAFF = {"assessor", "reviewer", "reviewer2", "panel", "editor", "admin"}
PROVIDERS = {"provider", "other_provider", "admin"}  # administrators hold every permission
EVERYONE = ["anonymous", "nobody", "provider", "other_provider", *sorted(STAFF)]


def _draft(world):
    draft = Submission.objects.create(provider=world["personas"]["provider"], name="Draft")
    return reverse("editorial:submission_edit", args=[draft.pk])


def _round(world, state):
    return world["make_round"](state)


def _study_url(name, assessment):
    return reverse(name, args=[assessment.pk, assessment.programme.studies.get().pk])


def _finding_facts(world):
    assessment = _round(world, State.APPRAISAL)
    study = assessment.programme.studies.get()
    return reverse(
        "editorial:finding_facts", args=[assessment.pk, study.pk, study.findings.get().pk]
    )


def _screening(world):
    assessment = _round(world, State.EVIDENCE_SEARCH)
    return reverse("editorial:add_screening", args=[assessment.pk]), {
        "citation": "Ng (2022)",
        "decision": "exclude",
        "reason": "Not about the programme",
    }


def _published(world):
    from guidebook.catalogue.publishing import publish

    assessment = _round(world, State.PUBLISHED)
    publish(assessment.programme)
    return assessment.programme


def _decision(world, name):
    """The address of a decision on a request for a provider account still pending."""
    return reverse(f"editorial:{name}", args=[world["application"]().pk])


# name, method, setup(world) -> url or (url, data), allowed personas, personas told "not found"
MATRIX = [
    ("register", "get", lambda w: reverse("editorial:register"), {VISITOR}, set()),
    (
        "register",
        "post",
        lambda w: (reverse("editorial:register"), w["new_provider"]),
        {VISITOR},
        set(),
    ),
    ("register_sent", "get", lambda w: reverse("editorial:register_sent"), {VISITOR}, set()),
    (
        "applications",
        "get",
        lambda w: reverse("editorial:applications"),
        {"editor", "admin"},
        set(),
    ),
    (
        "approve_application",
        "post",
        lambda w: (_decision(w, "approve_application"), {}),
        {"editor", "admin"},
        set(),
    ),
    (
        "decline_application",
        "post",
        lambda w: (_decision(w, "decline_application"), {"reason": "Not a programme provider"}),
        {"editor", "admin"},
        set(),
    ),
    ("home", "get", lambda w: reverse("editorial:home"), STAFF | PROVIDERS, set()),
    ("provider_home", "get", lambda w: reverse("editorial:provider_home"), PROVIDERS, set()),
    ("submission_new", "get", lambda w: reverse("editorial:submission_new"), PROVIDERS, set()),
    (
        "submission_new",
        "post",
        lambda w: (reverse("editorial:submission_new"), {"name": "X", "action": "save"}),
        PROVIDERS,
        set(),
    ),
    ("submission_edit", "get", _draft, {"provider"}, {"other_provider", "admin"}),
    (
        "submission_edit",
        "post",
        lambda w: (_draft(w), {"name": "Y", "action": "save"}),
        {"provider"},
        {"other_provider", "admin"},
    ),
    (
        "fact_check",
        "get",
        lambda w: reverse("editorial:fact_check", args=[_round(w, State.PROVIDER_CHECK).pk]),
        {"provider", "admin"},
        {"other_provider"},
    ),
    (
        "answer_fact_check",
        "post",
        lambda w: (
            reverse("editorial:answer_fact_check", args=[_round(w, State.PROVIDER_CHECK).pk]),
            {"decision": "approve"},
        ),
        {"provider", "admin"},
        {"other_provider"},
    ),
    (
        "assessment_detail",
        "get",
        lambda w: _round(w, State.APPRAISAL).get_absolute_url(),
        STAFF,
        set(),
    ),
    (
        "move_assessment",
        "post",
        lambda w: (
            reverse("editorial:move_assessment", args=[_round(w, State.SUBMITTED).pk]),
            {"action": "start-search"},
        ),
        {"assessor", "admin"},
        set(),
    ),
    (
        "move_assessment",
        "post",
        lambda w: (
            reverse("editorial:move_assessment", args=[_round(w, State.APPRAISAL).pk]),
            {"action": "send-back", "comment": "Search again"},
        ),
        {"assessor", "editor", "admin"},
        set(),
    ),
    (
        "evidence_search",
        "get",
        lambda w: reverse("editorial:evidence_search", args=[_round(w, State.EVIDENCE_SEARCH).pk]),
        STAFF,
        set(),
    ),
    (
        "add_search",
        "post",
        lambda w: (
            reverse("editorial:add_search", args=[_round(w, State.EVIDENCE_SEARCH).pk]),
            {"source": "ERIC", "searched_on": "2024-01-02", "results": "4"},
        ),
        {"assessor", "admin"},
        set(),
    ),
    ("add_screening", "post", _screening, {"assessor", "admin"}, set()),
    (
        "study_detail",
        "get",
        lambda w: _study_url("editorial:study_detail", _round(w, State.APPRAISAL)),
        STAFF,
        set(),
    ),
    (
        "add_finding",
        "post",
        lambda w: (
            _study_url("editorial:add_finding", _round(w, State.APPRAISAL)),
            {
                "outcome": "Calmer",
                "category": "mental-health",
                "beneficiary": "child",
                "reporter": "participant",
                "direction": "positive",
            },
        ),
        {"assessor", "admin"},
        set(),
    ),
    (
        "study_conduct",
        "post",
        lambda w: (
            _study_url("editorial:study_conduct", _round(w, State.APPRAISAL)),
            {"conduct-usual_care": "yes"},
        ),
        {"assessor", "admin"},
        set(),
    ),
    ("finding_facts", "get", _finding_facts, {"assessor", "admin"}, set()),
    (
        "finding_facts",
        "post",
        lambda w: (_finding_facts(w), {"harmful": "no"}),
        {"assessor", "admin"},
        set(),
    ),
    (
        "programme_readiness",
        "get",
        lambda w: reverse("editorial:programme_readiness", args=[_round(w, State.APPRAISAL).pk]),
        {"assessor", "admin"},
        set(),
    ),
    (
        "programme_readiness",
        "post",
        lambda w: (
            reverse("editorial:programme_readiness", args=[_round(w, State.APPRAISAL).pk]),
            {"manual": "yes"},
        ),
        {"assessor", "admin"},
        set(),
    ),
    (
        "appraise_study",
        "get",
        lambda w: _study_url("editorial:appraise_study", _round(w, State.APPRAISAL)),
        {"reviewer", "reviewer2", "admin"},
        set(),
    ),
    (
        "appraise_study",
        "post",
        lambda w: (
            _study_url("editorial:appraise_study", _round(w, State.APPRAISAL)),
            {"design__comparison-group": "yes", "action": "save"},
        ),
        {"reviewer", "reviewer2", "admin"},
        set(),
    ),
    (
        "settle_consensus",
        "get",
        lambda w: _study_url("editorial:settle_consensus", w["appraised"]()),
        {"assessor", "reviewer", "reviewer2", "admin"},
        set(),
    ),
    (
        "settle_consensus",
        "post",
        lambda w: (
            _study_url("editorial:settle_consensus", w["appraised"]()),
            {**w["level_3"], "note": "settled"},
        ),
        {"assessor", "reviewer", "reviewer2", "admin"},
        set(),
    ),
    (
        "open_round",
        "post",
        lambda w: (reverse("editorial:open_round", args=[_published(w).slug]), {}),
        {"editor", "admin"},
        set(),
    ),
    (
        "history",
        "get",
        lambda w: reverse("editorial:history", args=[_round(w, State.APPRAISAL).programme.slug]),
        STAFF,
        set(),
    ),
    ("rerate", "get", lambda w: reverse("editorial:rerate"), {"editor", "admin"}, set()),
    (
        "apply_rerate",
        "post",
        lambda w: (reverse("editorial:apply_rerate"), {"standard": "eif-2017"}),
        {"editor", "admin"},
        set(),
    ),
    ("releases", "get", lambda w: reverse("editorial:releases"), {"editor", "admin"}, set()),
    (
        "make_release",
        "post",
        # Notes too long: allowed through to the form's refusal, so nothing is written.
        lambda w: (reverse("editorial:make_release"), {"notes": "x" * 3000}),
        {"editor", "admin"},
        set(),
    ),
]
# Signing in and out is open to everyone by nature.
OPEN_TO_ALL = {"login", "logout"}


def _expected(persona, allowed, hidden):
    if persona in allowed:
        return "allowed"
    if persona == "anonymous":
        return "sign in"
    if VISITOR in allowed:
        return "sent home"
    return "not found" if persona in hidden else "forbidden"


def _outcome(response):
    login = reverse("editorial:login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return "sign in"
    # No action ends on the staff home page: only the visitors' pages send people there.
    if response.status_code == 302 and response["Location"] == reverse("editorial:home"):
        return "sent home"
    if response.status_code in (200, 302):
        return "allowed"
    return {403: "forbidden", 404: "not found"}.get(response.status_code, response.status_code)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize(
    ("name", "method", "setup", "allowed", "hidden"),
    MATRIX,
    ids=[f"{row[1]}-{row[0]}-{i}" for i, row in enumerate(MATRIX)],
)
def test_each_persona_is_allowed_or_refused(
    client, world, persona, name, method, setup, allowed, hidden
):
    target = setup(world)
    url, data = target if isinstance(target, tuple) else (target, {})
    if persona != "anonymous":
        client.force_login(world["personas"][persona])
    response = getattr(client, method)(url, data)
    assert _outcome(response) == _expected(persona, allowed, hidden), response.content[:300]


def test_the_matrix_covers_every_editorial_view():
    names = {pattern.name for pattern in get_resolver().namespace_dict["editorial"][1].url_patterns}
    assert names - OPEN_TO_ALL == {row[0] for row in MATRIX}
