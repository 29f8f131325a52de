"""A small published catalogue for finder, catalogue page, API and browser tests.

Eight programmes that differ on every filter. Ratings are imported (no study carries
an appraisal), so each programme's rating is exactly the one in the table; cost
ratings are computed from the cost profiles, chosen to land in each band.
"""

from dataclasses import dataclass
from datetime import date

from guidebook.evidence.records import (
    Characteristics,
    CostProfile,
    Finding,
    ImportedRating,
    Programme,
    Study,
)

# What each profile below states besides its delivery: every input the cost model would
# otherwise take from a plausible range, at its typical value (supervision: one hour in
# 20 of delivery), so each estimate is one figure in one band.
_STATED = {
    "booster_training": False,
    "supervisor_training_hours": 0,
    "setup_materials": 250,
    "materials_per_family": 10,
}

# Cost profiles whose estimates fall in each band (checked by test_finder).
_PROFILES = {
    "1": CostProfile(
        sessions=2,
        session_hours=1,
        practitioners_per_session=1,
        practitioner_level="qcf-3",
        families_per_group=8,
        practitioner_training_hours=0,
        practitioner_training_fee=0,
        licence_fee=0,
        supervision_hours_per_family=0.0125,
        **_STATED,
    ),
    "2": CostProfile(
        sessions=10,
        session_hours=1,
        practitioners_per_session=1,
        practitioner_level="qcf-6",
        families_per_group=1,
        practitioner_training_hours=0,
        practitioner_training_fee=0,
        licence_fee=0,
        supervision_hours_per_family=0.5,
        **_STATED,
    ),
    "3": CostProfile(
        sessions=20,
        session_hours=1.5,
        practitioners_per_session=1,
        practitioner_level="qcf-7-8",
        families_per_group=1,
        practitioner_training_hours=0,
        practitioner_training_fee=0,
        licence_fee=0,
        supervision_hours_per_family=1.5,
        **_STATED,
    ),
    "4": CostProfile(
        sessions=36,
        session_hours=1.5,
        practitioners_per_session=1,
        practitioner_level="qcf-7-8",
        families_per_group=1,
        practitioner_training_hours=0,
        practitioner_training_fee=0,
        licence_fee=0,
        supervision_hours_per_family=2.7,
        **_STATED,
    ),
    "5": CostProfile(
        sessions=64,
        session_hours=1.5,
        practitioners_per_session=1,
        practitioner_level="qcf-7-8",
        families_per_group=1,
        practitioner_training_hours=0,
        practitioner_training_fee=0,
        licence_fee=0,
        supervision_hours_per_family=4.8,
        **_STATED,
    ),
    "NA": CostProfile(),
}


@dataclass(frozen=True)
class Row:
    slug: str
    name: str
    summary: str
    ages: tuple[str, ...]
    delivery: tuple[str, ...]
    settings: tuple[str, ...]
    targeting: tuple[str, ...]
    countries: tuple[str, ...]
    uk_provision: bool
    uk_evaluation: bool
    outcomes: tuple[tuple[str, str], ...]
    rating: str
    cost: str


CATALOGUE = [
    Row(
        "alpha-home-visits",
        "Alpha Home Visits",
        "Nurses visit expectant mothers at home until the baby turns two.",
        ("perinatal", "infants"),
        ("home-visiting",),
        ("home",),
        ("targeted-selected",),
        ("United Kingdom", "United States"),
        True,
        True,
        (
            ("maltreatment", "Fewer child protection referrals"),
            ("mental-health", "Improved attachment security"),
        ),
        "4+",
        "5",
    ),
    Row(
        "bravo-parenting-groups",
        "Bravo Parenting Groups",
        "Weekly groups where parents of young children practise calm routines.",
        ("toddlers", "preschool"),
        ("group",),
        ("childrens-centre", "community-centre"),
        ("targeted-selected",),
        ("United Kingdom",),
        True,
        False,
        (("crime-antisocial", "Reduced behaviour problems"),),
        "3+",
        "2",
    ),
    Row(
        "charlie-classroom-curriculum",
        "Charlie Classroom Curriculum",
        "Teachers follow a reading and feelings curriculum with whole classes.",
        ("primary-school", "preadolescents"),
        ("classroom",),
        ("primary-school",),
        ("universal",),
        ("United States",),
        False,
        False,
        (("school-achievement", "Better reading scores"), ("mental-health", "Reduced anxiety")),
        "3*",
        "1",
    ),
    Row(
        "delta-teen-therapy",
        "Delta Teen Therapy",
        "A therapist works with teenagers in trouble and their families, partly by phone.",
        ("adolescents",),
        ("individual", "telephone"),
        ("outpatient-health",),
        ("targeted-indicated",),
        ("United States", "Australia"),
        True,
        False,
        (("crime-antisocial", "Fewer arrests"), ("substance-abuse", "Less alcohol use")),
        "4",
        "4",
    ),
    Row(
        "echo-online-coaching",
        "Echo Online Coaching",
        "An app that coaches families towards active play and healthy meals.",
        ("preschool", "primary-school"),
        ("online",),
        ("online",),
        ("universal",),
        ("United Kingdom",),
        True,
        True,
        (("obesity-physical-health", "Healthier weight"),),
        "2+",
        "1",
    ),
    Row(
        "foxtrot-nurse-visits",
        "Foxtrot Nurse Visits",
        "Nurses visit new parents at home to support bonding with the baby.",
        ("infants",),
        ("home-visiting",),
        ("home",),
        ("targeted-indicated",),
        ("Netherlands",),
        False,
        False,
        (("mental-health", "Improved attachment security"),),
        "2",
        "3",
    ),
    Row(
        "golf-mentoring",
        "Golf Mentoring",
        "Volunteers mentor young people through weekly outings.",
        ("adolescents",),
        ("individual",),
        ("community-centre",),
        ("targeted-selected",),
        ("United States",),
        False,
        False,
        (),
        "NL2",
        "NA",
    ),
    Row(
        "hotel-youth-club",
        "Hotel Youth Club",
        "An evening club offering sport and homework help to young people.",
        ("preadolescents", "adolescents"),
        ("group",),
        ("community-centre", "secondary-school"),
        ("universal",),
        ("United Kingdom",),
        True,
        True,
        (),
        "NE",
        "2",
    ),
]


def record_of(row: Row) -> Programme:
    findings = tuple(
        Finding(
            key=f"outcome-{n}",
            outcome=outcome,
            category=category,
            direction="positive",
            significant=True,
        )
        for n, (category, outcome) in enumerate(row.outcomes, start=1)
    )
    if not findings:
        findings = (
            Finding(
                key="no-effect",
                outcome="School attendance",
                category="school-achievement",
                direction="null",
                significant=False,
            ),
        )
    return Programme(
        slug=row.slug,
        name=row.name,
        summary=row.summary,
        description=f"{row.name} is a made-up programme for tests.",
        characteristics=Characteristics(
            age_groups=row.ages,
            delivery_models=row.delivery,
            settings=row.settings,
            targeting=row.targeting,
            countries=row.countries,
            uk_provision=row.uk_provision,
            uk_evaluation=row.uk_evaluation,
        ),
        cost=_PROFILES[row.cost],
        studies=(
            Study(
                key="study-1",
                label="Study 1",
                citation=f"{row.name} trial (2020)",
                design="rct",
                findings=findings,
            ),
        ),
        imported=ImportedRating(
            evidence_rating=row.rating,
            cost_rating="NA",
            source="https://example.org/test-catalogue",
            retrieved=date(2024, 1, 1),
        ),
    )


def publish_catalogue() -> dict[str, object]:
    """Store and publish the eight programmes; returns the stored programmes by slug."""
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    stored = {}
    for row in CATALOGUE:
        programme = save_record(record_of(row))
        publish(programme, note="finder test catalogue")
        stored[row.slug] = programme
    return stored


def module_catalogue():
    """A module-scoped fixture publishing the catalogue once for a whole test module.

    Assign it in a test module (``published_catalogue = module_catalogue()``) and ask
    for ``db`` too in each test. The catalogue lives in a transaction that is rolled
    back when the module ends, as Django's ``setUpTestData`` does, and each test's own
    changes are rolled back to a savepoint inside it.
    """
    import pytest
    from django.db import transaction

    @pytest.fixture(scope="module")
    def published_catalogue(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            stored = publish_catalogue()
        yield stored
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    return published_catalogue
