"""Calibration cases of the cost model: four programmes whose cost rating is published.

The delivery facts are those of the calibration table in the project's standards
(section 2, "Calibration cases"), copied here so that no test reads anything outside
the repository; where a fact comes from elsewhere the comment names the source.
Training and licence facts are published for none of the four. The calibration gives
all four the same stand-ins for them (``STAND_INS``, documented in
docs/methodology/cost-model.md), so that no case is fitted to its own answer; every
other unknown input takes its plausible range, and the published band must hold
across the whole range.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from guidebook.evidence.records import CostProfile


@dataclass(frozen=True)
class Part:
    """One pattern of delivery: a cost profile and how it is delivered."""

    profile: CostProfile
    delivery_models: tuple[str, ...]


@dataclass(frozen=True)
class CalibrationCase:
    name: str
    published: str
    parts: tuple[Part, ...]
    unit_cost: float  # the itemised estimate, every unknown input at its typical value
    # The published band without the stand-ins: training and licence then take their
    # plausible ranges too (NA where those ranges span a band boundary).
    without_stand_ins: str


# Three days (21 hours) of practitioner training at a £500 fee, and no licence fee.
STAND_INS = {
    "practitioner_training_hours": 21.0,
    "practitioner_training_fee": 500.0,
    "licence_fee": 0.0,
}

# Group; 14 weekly sessions of 2 hours; two facilitators at QCF 7/8. Group size not
# published: the group_size range applies.
INCREDIBLE_YEARS_TODDLER = (
    Part(
        CostProfile(
            sessions=14,
            session_hours=2.0,
            practitioners_per_session=2,
            practitioner_level="qcf-7-8",
        ),
        ("group",),
    ),
)

# Group of up to 6 parents; 14 weekly sessions of about 5 hours; two family support
# workers (QCF 4/5).
MELLOW_TODDLERS = (
    Part(
        CostProfile(
            sessions=14,
            session_hours=5.0,
            practitioners_per_session=2,
            practitioner_level="qcf-4-5",
            families_per_group=6,
        ),
        ("group",),
    ),
)

# Five two-hour group sessions and three individual phone calls of 15 to 30 minutes,
# by one clinical psychologist (QCF 7/8). Groups of up to 12 parents (the programme's
# guidebook page, and Triple P UK's description of the programme). The provider
# training fee covers the practitioner's training materials and resources (Triple P
# International, provider training terms and conditions), so no separate start-up
# materials. A profile has one session pattern, so the calls are a second, one-to-one
# part (midpoint 0.375 h) whose set-up, booster training and materials are counted in
# the first.
LEVEL_4_GROUP_TRIPLE_P = (
    Part(
        CostProfile(
            sessions=5,
            session_hours=2.0,
            practitioners_per_session=1,
            practitioner_level="qcf-7-8",
            families_per_group=12,
            setup_materials=0.0,
        ),
        ("group",),
    ),
    Part(
        CostProfile(
            sessions=3,
            session_hours=0.375,
            practitioners_per_session=1,
            practitioner_level="qcf-7-8",
            families_per_group=1,
            practitioner_training_hours=0.0,
            practitioner_training_fee=0.0,
            booster_training=False,
            supervisor_training_hours=0.0,
            licence_fee=0.0,
            setup_materials=0.0,
            materials_per_family=0.0,
        ),
        ("telephone",),
    ),
)

# Home visiting; 64 visits by specialist nurses (QCF 6). Visits last 60 to 90 minutes
# (Blueprints for Healthy Youth Development, Nurse-Family Partnership): a profile holds
# one length, so the midpoint.
FAMILY_NURSE_PARTNERSHIP = (
    Part(
        CostProfile(sessions=64, session_hours=1.25, practitioner_level="qcf-6"),
        ("home-visiting",),
    ),
)

CALIBRATION = (
    CalibrationCase("Incredible Years Toddler", "2", INCREDIBLE_YEARS_TODDLER, 217.78, "2"),
    CalibrationCase("Mellow Toddlers", "2", MELLOW_TODDLERS, 450.10, "NA"),
    CalibrationCase("Level 4 Group Triple P", "1", LEVEL_4_GROUP_TRIPLE_P, 83.49, "NA"),
    CalibrationCase("Family Nurse Partnership", "5", FAMILY_NURSE_PARTNERSHIP, 2158.61, "5"),
)


def with_stand_ins(part: Part) -> Part:
    """The part with the stand-ins filling whichever training and licence facts it lacks."""
    missing = {k: v for k, v in STAND_INS.items() if getattr(part.profile, k) is None}
    return replace(part, profile=replace(part.profile, **missing))
