"""A small published catalogue with one programme of every kind the evidence map tells apart.

Real demo records, so ratings are computed as published: Family Nurse Partnership (4*),
Infant-Parent Psychotherapy (3+), FUN FRIENDS (2), Mellow Toddlers (NL2); and two made
from the IPP record: an NE programme for adolescents (every finding null) and one
under assessment for toddlers (no study appraised, so its imported 3+ is shown).
"""

import copy
import json
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "guidebook" / "interchange" / "demo"
DEMO_SLUGS = (
    "family-nurse-partnership",
    "infant-parent-psychotherapy",
    "fun-friends",
    "mellow-toddlers",
)
NULL_SLUG = "null-trial-programme"
AWAITING_SLUG = "awaiting-appraisal-programme"


def demo_data(slug):
    return json.loads((DEMO / f"{slug}.json").read_text(encoding="utf-8"))


def null_trial_data():
    """IPP's record for adolescents with every finding null: a rigorous study, no benefit."""
    data = copy.deepcopy(demo_data("infant-parent-psychotherapy"))
    data.update(slug=NULL_SLUG, name="Null Trial Programme")
    data.pop("imported", None)
    data["characteristics"]["age_groups"] = ["adolescents"]
    for study in data["studies"]:
        for finding in study["findings"]:
            finding.update(direction="null", significant=False, statistics=None)
    return data


def awaiting_appraisal_data():
    """IPP's record for toddlers with no study appraised: shown with its imported 3+."""
    data = copy.deepcopy(demo_data("infant-parent-psychotherapy"))
    data.update(slug=AWAITING_SLUG, name="Awaiting Appraisal Programme")
    data["characteristics"]["age_groups"] = ["toddlers"]
    for study in data["studies"]:
        study["appraisal"] = None
    return data


def store_and_publish(data, standard_key=None):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish
    from guidebook.evidence.record_json import programme_from_dict

    programme = save_record(programme_from_dict(data))
    publish(programme, note="map test", standard_key=standard_key)
    return programme


def publish_map_catalogue():
    """Publish the six programmes; returns their slugs."""
    for slug in DEMO_SLUGS:
        store_and_publish(demo_data(slug))
    store_and_publish(null_trial_data())
    store_and_publish(awaiting_appraisal_data())
    return [*DEMO_SLUGS, NULL_SLUG, AWAITING_SLUG]
