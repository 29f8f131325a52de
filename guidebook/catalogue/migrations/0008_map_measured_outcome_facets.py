"""Programmes rated NL2 or NE here are found under the child outcomes their studies measured.

Publishing now adds those outcomes to the facets of such a programme (see
``publishing.outcome_pairs``), so the list of programmes not listed and the evidence
map can say what each was tried for. This adds the same facets to the current
snapshots published before the change; snapshots published later get them anyway.
"""

from django.db import migrations

# The rank of "2" in the rating order NL2 < NE < 2 < ... (evidence.standards.rating_rank).
LISTED_FROM = 2


def add_measured_outcome_facets(apps, schema_editor):
    Snapshot = apps.get_model("catalogue", "Snapshot")
    SnapshotFacet = apps.get_model("catalogue", "SnapshotFacet")
    below_2 = Snapshot.objects.filter(
        is_current=True, rating_source="computed", rating_rank__lt=LISTED_FROM
    )
    for snapshot in below_2.iterator():
        have = set(snapshot.facets.values_list("kind", "key"))
        wanted = set()
        for study in snapshot.record.get("studies", ()):
            for finding in study.get("findings", ()):
                if finding.get("beneficiary") == "child":
                    wanted.add(("outcome_category", finding["category"]))
                    if finding.get("outcome"):
                        wanted.add(("outcome", finding["outcome"]))
        SnapshotFacet.objects.bulk_create(
            SnapshotFacet(snapshot=snapshot, kind=kind, key=key)
            for kind, key in sorted(wanted - have)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_search_index"),
    ]

    operations = [
        migrations.RunPython(add_measured_outcome_facets, migrations.RunPython.noop),
    ]
