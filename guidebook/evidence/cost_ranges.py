"""Plausible ranges for the cost inputs a programme's record may leave unknown.

A record often lacks a fact the cost model uses (a training fee, a licence fee, the
length of a session). Rather than give up (NA) or guess one number, the model takes
the fact to lie somewhere in a documented plausible range and works out the unit
cost across the whole range (``cost_unknowns``). Each range here is three
parameters of ``cost_parameters``: ``<key>_low``, the typical value used for the
itemised estimate (``typical_name``) and ``<key>_high``, all with one source.

Which range applies can depend on how the programme is delivered: a one-to-one
programme sees one family at a time, a group programme a group, a classroom
programme a class (``DELIVERY_DEFAULTS``). This is data only; it imports nothing
from the rest of the cost model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "DELIVERY_DEFAULTS",
    "INPUT_RANGES",
    "TYPICAL_LEVEL",
    "TYPICAL_LEVEL_SOURCE",
    "UNRECORDED_DELIVERY",
    "DeliveryDefaults",
    "InputRange",
    "input_range",
]


@dataclass(frozen=True)
class InputRange:
    """A plausible range for one unknown cost input, with its source."""

    key: str
    unit: str
    low: float
    typical: float
    high: float
    typical_name: str
    what: str
    source: str
    minimum: float = 0.0
    exclusive: bool = False

    @property
    def low_name(self) -> str:
        return f"{self.key}_low"

    @property
    def high_name(self) -> str:
        return f"{self.key}_high"


INPUT_RANGES: tuple[InputRange, ...] = (
    InputRange(
        key="one_to_one_session_hours",
        unit="hours",
        low=1.0,
        typical=1.25,
        high=1.5,
        typical_name="default_one_to_one_session_hours",
        what="length of a one-to-one or home-visiting session",
        source=(
            "NICE guideline CG158 (2013) advises individual parent-training programmes "
            "of 60 to 90 minutes a meeting; the typical value is the midpoint."
        ),
        exclusive=True,
    ),
    InputRange(
        key="group_session_hours",
        unit="hours",
        low=1.5,
        typical=2.0,
        high=2.0,
        typical_name="default_group_session_hours",
        what="length of a group session",
        source=(
            "NICE guideline CG158 (2013) advises group parent-training programmes of 90 "
            "to 120 minutes a meeting; the typical value is two hours, the length most "
            "group programmes in the guidebook publish."
        ),
        exclusive=True,
    ),
    InputRange(
        key="lesson_hours",
        unit="hours",
        low=0.5,
        typical=0.75,
        high=1.0,
        typical_name="default_lesson_hours",
        what="length of a classroom session",
        source="Guidebook's decision: a school lesson, from half an hour to an hour.",
        exclusive=True,
    ),
    InputRange(
        key="group_practitioners",
        unit="practitioners",
        low=1.0,
        typical=2.0,
        high=2.0,
        typical_name="default_group_practitioners",
        what="practitioners running each group session",
        source=(
            "Guidebook's decision: a group is run by one practitioner or by two "
            "co-facilitators (Level 4 Group Triple P uses one; Incredible Years and "
            "Mellow Toddlers use two); two is the more common."
        ),
        minimum=1.0,
    ),
    InputRange(
        key="group_size",
        unit="families",
        low=10.0,
        typical=10.0,
        high=12.0,
        typical_name="default_group_size",
        what="families in a group",
        source=(
            "NICE guideline CG158 (2013) advises groups of 10 to 12 parents in group "
            "parent-training programmes; the typical value is 10, the end that gives "
            "the higher cost. A group has at least two families: one family alone is "
            "one-to-one delivery."
        ),
        minimum=2.0,
    ),
    InputRange(
        key="class_size",
        unit="children",
        low=20.0,
        typical=25.0,
        high=30.0,
        typical_name="default_class_size",
        what="children in a class",
        source=(
            "The Education Endowment Foundation's Teaching and Learning Toolkit prices "
            "its approaches for a class of 25 pupils (the typical value); English law "
            "caps infant classes at 30 pupils a teacher (School Admissions (Infant "
            "Class Sizes) (England) Regulations 2012). The low end of 20 is Guidebook's "
            "decision."
        ),
        minimum=2.0,
    ),
    InputRange(
        key="training_hours",
        unit="hours",
        low=7.0,
        typical=21.0,
        high=35.0,
        typical_name="default_training_hours",
        what="hours of initial practitioner training",
        source=(
            "Guidebook's decision: one to five days of seven hours, the span of initial "
            "training for the manualised parenting programmes in the guidebook "
            "(Incredible Years and Triple P train practitioners in about three days, "
            "the typical value)."
        ),
    ),
    InputRange(
        key="training_fee",
        unit="£ per practitioner",
        low=0.0,
        typical=500.0,
        high=1000.0,
        typical_name="default_training_fee",
        what="fee for a practitioner's initial training",
        source=(
            "Guidebook's decision: from nothing (training given in-house) to £1,000 a "
            "practitioner, about £200 a day for a five-day course; the typical value is "
            "£500. No public price list covers programmes in general."
        ),
    ),
    InputRange(
        key="licence_fee",
        unit="£ per delivery team",
        low=0.0,
        typical=0.0,
        high=1000.0,
        typical_name="default_licence_fee",
        what="one-off licence fee",
        source=(
            "Guidebook's decision: most programmes charge for training and materials "
            "rather than a separate licence, so the typical value is none; the high end "
            "allows a licence of up to £1,000 for a delivery team."
        ),
    ),
    InputRange(
        key="setup_materials",
        unit="£ per delivery team",
        low=0.0,
        typical=250.0,
        high=500.0,
        typical_name="default_setup_materials",
        what="one-off materials to start delivering",
        source=(
            "Guidebook's decision: from nothing (materials included in the training "
            "fee) to two sets of manuals and session resources; typically one set, £250."
        ),
    ),
    InputRange(
        key="materials_per_family",
        unit="£ per family",
        low=0.0,
        typical=10.0,
        high=15.0,
        typical_name="default_materials_per_family",
        what="materials for each family",
        source=(
            "Guidebook's decision: from nothing to a printed parent handbook with "
            "worksheets; typically a handbook, £10."
        ),
    ),
    InputRange(
        key="supervision_ratio",
        unit="supervision hours per delivery hour",
        low=0.025,
        typical=0.05,
        high=0.075,
        typical_name="supervision_ratio",
        what="supervision for each practitioner hour of delivery",
        source=(
            "Guidebook's decision: one hour of supervision for every 40 to every 13 "
            "hours of delivery; typically one in 20, close to a weekly hour for a full "
            "caseload of home visits."
        ),
    ),
)

_BY_KEY: Mapping[str, InputRange] = MappingProxyType({r.key: r for r in INPUT_RANGES})


def input_range(key: str) -> InputRange:
    """The range called ``key``; ``KeyError`` if there is none."""
    return _BY_KEY[key]


@dataclass(frozen=True)
class DeliveryDefaults:
    """What a delivery model says about the inputs a record leaves unknown.

    ``families`` and ``practitioners`` are either a fixed number (one family and one
    practitioner at a one-to-one session) or the key of an ``InputRange``;
    ``session_hours`` is a range key, or ``None`` where no plausible length is
    documented, so an unknown session length leaves the cost NA.
    """

    kind: str
    families: float | str
    practitioners: float | str
    session_hours: str | None


_ONE_TO_ONE = "one-to-one"

# Keys are the DELIVERY_MODELS vocabulary. Telephone and online delivery are one family
# at a time too, but no source gives a plausible length for their sessions.
DELIVERY_DEFAULTS: Mapping[str, DeliveryDefaults] = MappingProxyType(
    {
        "individual": DeliveryDefaults(_ONE_TO_ONE, 1.0, 1.0, "one_to_one_session_hours"),
        "home-visiting": DeliveryDefaults(_ONE_TO_ONE, 1.0, 1.0, "one_to_one_session_hours"),
        "telephone": DeliveryDefaults(_ONE_TO_ONE, 1.0, 1.0, None),
        "online": DeliveryDefaults(_ONE_TO_ONE, 1.0, 1.0, None),
        "group": DeliveryDefaults(
            "group", "group_size", "group_practitioners", "group_session_hours"
        ),
        "classroom": DeliveryDefaults("classroom", "class_size", 1.0, "lesson_hours"),
    }
)

# A record that does not say how it is delivered could be a group or one-to-one; the
# itemised estimate takes the group, the more common in the guidebook.
UNRECORDED_DELIVERY: tuple[str, ...] = ("group", "individual")

# The level an unknown practitioner level takes in the itemised estimate; the range
# itself runs from the cheapest level to the dearest.
TYPICAL_LEVEL = "qcf-6"
TYPICAL_LEVEL_SOURCE = (
    "Guidebook's decision: a graduate practitioner (QCF 6), such as a nurse, social "
    "worker or teacher, the middle of the qualification scale."
)
