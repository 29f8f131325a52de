"""Who changed what in a programme's records, with a diff for each change.

django-simple-history keeps a copy of a row on every save and delete. A programme's
history gathers the copies of the programme row and of every row that hangs from it
(characteristics, cost inputs, imported rating, studies and, through them, their
publications, findings and consensus appraisals), newest first, each compared with
the copy before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guidebook.catalogue import models

_CHANGE_KIND = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    kind: str
    what: str
    item: str
    fields: tuple[FieldChange, ...]


def _shown(value: Any) -> str:
    """A stored value in words: lists one item after another, mappings as 'name: value'."""
    if value is None or value == "" or value == [] or value == {}:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{name.replace('_', ' ')}: {_shown(item)}" for name, item in value.items()
        )
    return str(value)


def _changes_of(historical_rows: list[Any], what: str) -> list[Change]:
    """Each historical row compared with the previous one of the same object."""
    changes = []
    previous: dict[int, Any] = {}
    for row in sorted(historical_rows, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(row.id)
        if row.history_type == "~" and before is not None:
            delta = row.diff_against(before)
            fields = tuple(
                FieldChange(c.field, _shown(c.old), _shown(c.new)) for c in delta.changes
            )
        elif row.history_type == "-":
            fields = ()
        else:
            # A creation; or an edit of a row created in bulk (an import), whose
            # earlier state was never recorded, so every value is shown.
            earlier = "" if row.history_type == "+" else "(not recorded)"
            fields = tuple(
                FieldChange(f.attname, earlier, _shown(getattr(row, f.attname)))
                for f in row.instance_type._meta.concrete_fields
                if f.attname != "id"
            )
        previous[row.id] = row
        if row.history_type == "~" and not fields:
            continue  # a save that changed nothing
        changes.append(
            Change(
                when=row.history_date,
                who=row.history_user.get_username() if row.history_user else "(system)",
                kind=_CHANGE_KIND[row.history_type],
                what=what,
                item=str(row.instance) if row.history_type != "-" else f"#{row.id}",
                fields=fields,
            )
        )
    return changes


def programme_history(programme: models.Programme) -> list[Change]:
    """Every recorded change to a programme's records, newest first."""
    # Studies ever recorded (deleted ones included) and those stored now: rows written
    # in bulk without history (the synthetic catalogue) have no history rows of their own.
    study_ids = set(
        models.Study.history.filter(programme_id=programme.pk).values_list("id", flat=True)
    ) | set(models.Study.objects.filter(programme_id=programme.pk).values_list("id", flat=True))
    sources: list[tuple[Any, str]] = [
        (models.Programme.history.filter(id=programme.pk), "Programme"),
        (models.Characteristic.history.filter(programme_id=programme.pk), "Characteristic"),
        (models.CostProfile.history.filter(programme_id=programme.pk), "Cost inputs"),
        (models.ImportedRating.history.filter(programme_id=programme.pk), "Imported rating"),
        (models.Study.history.filter(programme_id=programme.pk), "Study"),
        (models.Publication.history.filter(study_id__in=study_ids), "Publication"),
        (models.Finding.history.filter(study_id__in=study_ids), "Finding"),
        (
            models.Appraisal.history.filter(study_id__in=study_ids, consensus=True),
            "Consensus appraisal",
        ),
    ]
    changes = []
    for rows, what in sources:
        changes.extend(_changes_of(list(rows.select_related("history_user")), what))
    return sorted(changes, key=lambda c: c.when, reverse=True)
