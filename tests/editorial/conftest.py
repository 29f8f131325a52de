"""Personas for every role, and rounds set up at any step of the workflow."""

import pytest

ROLE_OF = {
    "provider": "provider",
    "other_provider": "provider",
    "assessor": "assessor",
    "reviewer": "reviewer",
    "reviewer2": "reviewer",
    "panel": "panel member",
    "editor": "editor",
    "admin": "administrator",
    "nobody": None,
}
PASSWORD = "a-test-password"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The production hasher takes a good fraction of a second on purpose; tests need not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db):
    """One signed-up account per role (``nobody`` has none), keyed by persona name."""
    from django.contrib.auth.models import Group, User

    from guidebook.editorial.roles import STAFF_ROLES

    people = {}
    for name, role in ROLE_OF.items():
        user = User.objects.create_user(name, password=PASSWORD, is_staff=role in STAFF_ROLES)
        if role:
            user.groups.add(Group.objects.get(name=role))
        people[name] = user
    return people


def small_record(slug="sure-start-steps", name="Sure Start Steps", **changes):
    """A programme record with one RCT and no appraisal yet."""
    from guidebook.evidence import records

    study = records.Study(
        key="study-1",
        label="Study 1",
        citation="Okafor et al (2019)",
        design="rct",
        sample_size=240,
        findings=(
            records.Finding(
                key="behaviour",
                outcome="Fewer behaviour problems",
                category="mental-health",
                reporter="observer",
                months_after=0,
                direction="positive",
                significant=True,
            ),
        ),
    )
    fields = {
        "slug": slug,
        "name": name,
        "summary": "Group sessions for parents.",
        "studies": (study,),
    }
    fields.update(changes)
    return records.Programme(**fields)


@pytest.fixture
def make_round(db, personas):
    """A stored programme with an assessment round at ``state`` (set directly)."""
    from guidebook.catalogue.convert import save_record
    from guidebook.editorial import workflow

    def make(state="submitted", provider="provider", record=None):
        programme = save_record(record or small_record())
        assessment = workflow.open_round(
            programme, personas["editor"], provider=personas[provider] if provider else None
        )
        assessment.state = state
        assessment.save()
        return assessment

    return make


# Answers that pass every criterion: the study reaches level 3 under the default limits.
LEVEL_3_ANSWERS = {
    "design.comparison-group": True,
    "design.credible-comparison": True,
    "design.pre-and-post": True,
    "design.random-assignment": True,
    "sample.size": 240.0,
    "sample.analysed-fraction": 0.9,
    "sample.smallest-group": 110.0,
    "sample.overall-attrition": 0.1,
    "sample.differential-attrition": 0.02,
    "sample.baseline-difference": 0.03,
    "measurement.validated": True,
    "measurement.child-outcome-suited": True,
    "measurement.same-for-both-groups": True,
    "analysis.intention-to-treat": True,
    "analysis.clustering": True,
    "analysis.appropriate-test": True,
    "analysis.baseline-adjusted": True,
}


def as_post(answers):
    """Criterion answers as the appraisal form posts them."""
    data = {}
    for criterion_id, answer in answers.items():
        name = criterion_id.replace(".", "__")
        data[name] = ("yes" if answer else "no") if isinstance(answer, bool) else str(answer)
    return data


@pytest.fixture
def appraised(make_round, personas):
    """A round at appraisal whose study both reviewers have submitted (one disagreement)."""
    from django.utils import timezone

    from guidebook.editorial.models import ReviewerAppraisal

    assessment = make_round("appraisal")
    study = assessment.programme.studies.get()
    second = {**LEVEL_3_ANSWERS, "analysis.intention-to-treat": False}
    for reviewer, answers in (("reviewer", LEVEL_3_ANSWERS), ("reviewer2", second)):
        ReviewerAppraisal.objects.create(
            assessment=assessment,
            study=study,
            reviewer=personas[reviewer],
            answers=answers,
            comment=f"notes of {reviewer}",
            submitted_at=timezone.now(),
        )
    return assessment


# A request for a provider account that passes every check of the form.
NEW_PROVIDER = {
    "full_name": "Amara Okafor",
    "email": "Amara.Okafor@Example.org",
    "organisation": "Little Steps Trust",
    "programmes": "Little Steps Together",
    "password1": "quiet-harbour-lantern-42",
    "password2": "quiet-harbour-lantern-42",
}


def pending_application(email="amara.okafor@example.org", full_name="Amara Okafor"):
    """A provider's request for an account, waiting for a decision."""
    from guidebook.editorial.registration import AccountRequest, ask_for_account

    return ask_for_account(
        AccountRequest(
            full_name=full_name,
            email=email,
            organisation=NEW_PROVIDER["organisation"],
            programmes=NEW_PROVIDER["programmes"],
            password=NEW_PROVIDER["password1"],
        )
    )


@pytest.fixture
def world(personas, make_round, request):
    """What the authorisation matrix builds its requests from."""
    return {
        "personas": personas,
        "make_round": make_round,
        "appraised": lambda: request.getfixturevalue("appraised"),
        "level_3": as_post(LEVEL_3_ANSWERS),
        "application": pending_application,
        "new_provider": dict(NEW_PROVIDER),
    }
