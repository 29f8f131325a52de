"""Published records as the core's types, decoded once per process.

Decoding a snapshot's record checks it against the JSON Schema and the core's
consistency rules, about 15 ms for a programme with ten studies. Pages that nobody's
cache answers (a visitor with a shortlist on the programme page, the calculator, the
compare page) would pay that on every request. A published record never changes, so
the decoded one is kept and shared.

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

MAX_RECORDS = 256

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
