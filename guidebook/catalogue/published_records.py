"""Published records as the core's types, decoded once and shared for a while.

A snapshot's record is built without checking it again (``programme_from_stored``,
under half a millisecond for ten studies), and the programme page is rendered once
per snapshot (``guidebook.public.fragments``); the calculator and the compare page
still decode records on every request, so the most recent are kept. A decoded record
holds a few hundred kilobytes of objects, so few are kept: a worker must stay small.

Entries are keyed by the snapshot's ``inputs_hash``, a SHA-256 of the record itself
(and of the standard it was rated under), so an entry can only ever stand for the
very record it was decoded from, whichever snapshot holds it. The most recently used
``MAX_RECORDS`` are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.record_json import programme_from_stored
from guidebook.evidence.records import Programme

__all__ = ["MAX_RECORDS", "published_record"]

MAX_RECORDS = 32

_lock = threading.Lock()
_decoded: OrderedDict[str, Programme] = OrderedDict()


def published_record(snapshot: Snapshot) -> Programme:
    """The record ``snapshot`` published, as the core's ``Programme``."""
    key = snapshot.inputs_hash
    with _lock:
        found = _decoded.get(key)
        if found is not None:
            _decoded.move_to_end(key)
            return found
    record = programme_from_stored(snapshot.record)
    if key:
        with _lock:
            _decoded[key] = record
            while len(_decoded) > MAX_RECORDS:
                _decoded.popitem(last=False)
    return record
