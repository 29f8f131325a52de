"""The demo catalogue shipped with the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.records import Programme


def demo_records() -> list[Programme]:
    """Every programme record in the shipped demo catalogue, validated."""
    folder = resources.files("guidebook.interchange") / "demo"
    records = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            data: Any = json.loads(entry.read_text(encoding="utf-8"))
            records.append(programme_from_dict(data, source=f"demo/{entry.name}"))
    return records
