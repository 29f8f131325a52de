"""What changed between two releases: programmes added and withdrawn, ratings and cost
bands changed, and why.

A release compares the snapshots it froze with those its previous release froze,
programme by programme (by slug). A rating or cost band that changed is explained
from the new snapshot: the note it was published with (a re-rating says so), the
standard and version before and after, the rules whose outcome changed
(``editorial.rerating.deciding_rules``, the same words as the re-rating report) and
the one-line summary of the new rating. A programme published again with the same
ratings is listed as updated, with its note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidebook.catalogue.models import Snapshot
from guidebook.editorial.rerating import deciding_rules

__all__ = ["changelog", "changelog_markdown"]


def _standard(snapshot: Snapshot) -> str:
    return f"{snapshot.standard_key} {snapshot.standard_version}"


def _programme(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "programme": snapshot.slug,
        "name": snapshot.name,
        "rating": snapshot.rating,
        "rating_source": snapshot.rating_source,
        "cost_rating": snapshot.cost_rating,
        "standard": _standard(snapshot),
    }


def _rating_change(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    return {
        "programme": new.slug,
        "name": new.name,
        "from": old.rating,
        "to": new.rating,
        "from_source": old.rating_source,
        "to_source": new.rating_source,
        "from_standard": _standard(old),
        "to_standard": _standard(new),
        "reason": new.note,
        "rules": list(deciding_rules(old.assessment, new.assessment)),
        "summary": new.assessment.get("explanation", {}).get("summary", ""),
    }


def _cost_change(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    return {
        "programme": new.slug,
        "name": new.name,
        "from": old.cost_rating,
        "to": new.cost_rating,
        "from_unit_cost": old.unit_cost,
        "to_unit_cost": new.unit_cost,
        "to_missing": [item["field"] for item in new.cost.get("missing", [])],
        "cost_model": new.cost.get("model_version", ""),
        "reason": new.note,
    }


def changelog(
    current: Sequence[Snapshot], previous: Sequence[Snapshot] | None, previous_name: str | None
) -> dict[str, Any]:
    """The changes from ``previous`` (the last release's snapshots) to ``current``."""
    now = {snapshot.slug: snapshot for snapshot in current}
    before = {snapshot.slug: snapshot for snapshot in previous or ()}
    kept = sorted(set(now) & set(before))
    rating_changes = [
        _rating_change(before[slug], now[slug])
        for slug in kept
        if before[slug].rating != now[slug].rating
    ]
    cost_changes = [
        _cost_change(before[slug], now[slug])
        for slug in kept
        if before[slug].cost_rating != now[slug].cost_rating
    ]
    changed = {item["programme"] for item in rating_changes + cost_changes}
    updated = [
        {"programme": slug, "name": now[slug].name, "reason": now[slug].note}
        for slug in kept
        if before[slug].pk != now[slug].pk and slug not in changed
    ]
    return {
        "previous": previous_name,
        "programmes": len(now),
        "added": [_programme(now[slug]) for slug in sorted(set(now) - set(before))],
        "withdrawn": [_programme(before[slug]) for slug in sorted(set(before) - set(now))],
        "ratings_changed": rating_changes,
        "cost_bands_changed": cost_changes,
        "updated": updated,
    }


def _line(text: str) -> str:
    # One line of Markdown: record text never breaks the list it sits in.
    return " ".join(text.split())


def _shown(rating: str, source: str) -> str:
    return f"{rating} (imported)" if source == "imported" else rating


def _rating_lines(item: dict[str, Any]) -> list[str]:
    lines = [
        f"- **{_line(item['name'])}** (`{item['programme']}`): "
        f"{_shown(item['from'], item['from_source'])} to {_shown(item['to'], item['to_source'])}, "
        f"under {item['from_standard']} then {item['to_standard']}."
    ]
    if item["reason"]:
        lines.append(f"  - Why: {_line(item['reason'])}")
    if item["rules"]:
        lines.append(f"  - Rules that made the difference: {'; '.join(item['rules'])}")
    if item["summary"]:
        lines.append(f"  - Now: {_line(item['summary'])}")
    return lines


def _cost_lines(item: dict[str, Any]) -> list[str]:
    lines = [
        f"- **{_line(item['name'])}** (`{item['programme']}`): {item['from']} to {item['to']}."
    ]
    if item["to_unit_cost"] is not None:
        lines.append(f"  - Estimated unit cost now £{item['to_unit_cost']:,.2f} per child.")
    if item["to_missing"]:
        lines.append(f"  - Inputs not known: {'; '.join(item['to_missing'])}")
    if item["reason"]:
        lines.append(f"  - Why: {_line(item['reason'])}")
    return lines


def _programme_lines(items: list[dict[str, Any]]) -> list[str]:
    return [
        f"- **{_line(item['name'])}** (`{item['programme']}`): rated {item['rating']}, "
        f"cost rating {item['cost_rating']}, under {item['standard']}."
        for item in items
    ]


def changelog_markdown(name: str, day: str, notes: str, changes: dict[str, Any]) -> str:
    """The changelog as Markdown, for people; ``changelog.json`` holds the same for tools."""
    lines = [f"# Changelog: release {name} ({day})", ""]
    if notes.strip():
        lines += [_line(notes), ""]
    if changes["previous"] is None:
        lines += [f"The first release: {changes['programmes']} published programmes.", ""]
    else:
        lines += [
            f"Changes since release {changes['previous']}; "
            f"{changes['programmes']} published programmes in this one.",
            "",
        ]
    sections = (
        ("Programmes added", _programme_lines(changes["added"])),
        ("Programmes withdrawn", _programme_lines(changes["withdrawn"])),
        (
            "Evidence ratings changed",
            [line for item in changes["ratings_changed"] for line in _rating_lines(item)],
        ),
        (
            "Cost ratings changed",
            [line for item in changes["cost_bands_changed"] for line in _cost_lines(item)],
        ),
        (
            "Published again, ratings unchanged",
            [
                f"- **{_line(item['name'])}** (`{item['programme']}`)"
                + (f": {_line(item['reason'])}" if item["reason"] else "")
                for item in changes["updated"]
            ],
        ),
    )
    for title, body in sections:
        if changes["previous"] is None and title != "Programmes added":
            continue
        lines += [f"## {title}", ""] + (body or ["None."]) + [""]
    return "\n".join(lines).rstrip() + "\n"
