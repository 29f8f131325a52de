"""Snapshots keep their crosswalk results, rated when they are written.

Current snapshots made before this are rated here once, so the pages that show them
never rate a record; older snapshots are rated when something asks for them."""

from django.db import migrations, models


def rate_current_snapshots(apps, schema_editor):
    from guidebook.catalogue.crosswalk import crosswalk_results
    from guidebook.evidence.record_json import programme_from_stored

    Snapshot = apps.get_model("catalogue", "Snapshot")
    for snapshot in Snapshot.objects.filter(is_current=True).only("pk", "record").iterator():
        record = programme_from_stored(snapshot.record)
        Snapshot.objects.filter(pk=snapshot.pk).update(crosswalk=crosswalk_results(record))


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0009_crosswalk_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="crosswalk",
            field=models.JSONField(
                blank=True,
                help_text="Each crosswalk standard's result, by key, as computed at publication.",
                null=True,
            ),
        ),
        migrations.RunPython(rate_current_snapshots, migrations.RunPython.noop),
    ]
