"""Generated and mutated records through validate, store, publish, render, export, import.

``make test`` runs 100 examples of each of the three properties; ``make fuzz`` runs
the long profile (GUIDEBOOK_FUZZ_EXAMPLES, 10,000 each there: 30,000 in all, 20,000
of them mutated) on SQLite and on PostgreSQL and prints how many records the gate
refused and how many went through everything.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.pipeline import through_everything
from tests.fuzz.records import mutated_texts, mutated_values, records

EXAMPLES = int(os.environ.get("GUIDEBOOK_FUZZ_EXAMPLES", "100"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _report(name: str, counts: Counter[str]) -> None:
    total = counts["accepted"] + counts["refused"]
    line = f"fuzz {name}: {total} examples, {counts['accepted']} through everything, "
    line += f"{counts['refused']} refused with messages, 0 errors"
    print(line)


@pytest.mark.django_db
def test_every_valid_record_survives_everything_and_round_trips_byte_for_byte(client):
    counts: Counter[str] = Counter()

    @PROFILE
    @given(records())
    def check(data):
        through_everything(client, data, counts)

    check()
    _report("valid records", counts)
    assert counts["refused"] == 0, counts


@pytest.mark.django_db
def test_a_mutated_record_is_refused_with_messages_or_survives_everything(client):
    counts: Counter[str] = Counter()

    @PROFILE
    @given(mutated_values())
    def check(data):
        through_everything(client, data, counts)

    check()
    _report("mutated values", counts)


@pytest.mark.django_db
def test_a_mutated_record_file_is_refused_with_messages_or_survives_everything(client):
    counts: Counter[str] = Counter()

    @PROFILE
    @given(mutated_texts())
    def check(text):
        through_everything(client, text, counts)

    check()
    _report("mutated files", counts)
