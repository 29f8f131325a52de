"""Published programmes for the compare, shortlist, PDF, calculator and download tests.

Each is the demo IPP record under another slug and name, with a complete cost profile
(rated, with a breakdown) or one that does not give its number of sessions (NA), so
a test can publish as many distinct programmes as it needs.
"""

import copy

# A group programme whose cost profile is complete, so it gets a cost rating and an
# itemised breakdown (one figure, no range).
COMPLETE_COST = {
    "sessions": 14,
    "session_hours": 2,
    "practitioners_per_session": 2,
    "practitioner_level": "qcf-7-8",
    "families_per_group": 8,
    "practitioner_training_hours": 21,
    "practitioner_training_fee": 500,
    "booster_training": False,
    "supervisor_level": "qcf-7-8",
    "supervisor_training_hours": 14,
    "supervision_hours_per_family": 0.35,
    "licence_fee": 0,
    "setup_materials": 300,
    "materials_per_family": 15,
}


def unrated_cost(ipp_data):
    """The IPP cost profile without its number of sessions: no estimate at all (NA)."""
    return dict(ipp_data["cost"], sessions=None)


def programme_data(ipp_data, slug, name, *, cost=None):
    data = copy.deepcopy(ipp_data)
    data["slug"] = slug
    data["name"] = name
    if cost is not None:
        data["cost"] = dict(cost)
    return data


def store(data, *, publish=True):
    """Store a record (and publish it unless told not to); returns the Programme row."""
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish as publish_programme
    from guidebook.evidence.record_json import programme_from_dict

    programme = save_record(programme_from_dict(data))
    if publish:
        publish_programme(programme, note="test")
    return programme


def publish_variants(ipp_data, count, *, costed=()):
    """Publish ``count`` programmes named 'Programme 1'...; slugs 'programme-1'...

    Those whose number is in ``costed`` get the complete cost profile, the others
    one without its number of sessions (cost NA).
    """
    slugs = []
    for number in range(1, count + 1):
        cost = COMPLETE_COST if number in costed else unrated_cost(ipp_data)
        slug = f"programme-{number}"
        store(programme_data(ipp_data, slug, f"Programme {number}", cost=cost))
        slugs.append(slug)
    return slugs
