"""Parts of public pages rendered once and handed to every visitor after.

A published snapshot never changes (publishing writes a new one), so whatever a page
draws from one snapshot alone is rendered once per snapshot and kept under its id:
the programme page, less its shortlist button, and the catalogue's result rows. What
depends on the whole catalogue (the catalogue's facet counts and the order of its
results) is kept under the catalogue version instead, which every publication moves
on. Either way a publication retires exactly what it changed: the programme it
published gets a new snapshot id, and nothing else is touched except the catalogue's
lists and counts. Visitors with a session (a shortlist, signed-in staff) and the
first visitor after a publication are served from these too; only the parts that are
theirs are rendered for them.

The keys also carry ``revision()``, a digest of the code and templates that render
the parts, so a deployment that changes how a page looks never serves parts rendered
by the old code from a shared (Redis) cache. The store is the ``fragments`` cache:
Redis when ``REDIS_URL`` is set, else each process's own memory, bounded by entry
count (``GUIDEBOOK_FRAGMENT_CACHE_ENTRIES``).

In front of that store each process keeps the parts it used last ready to hand, up
to ``RECENT_BYTES`` of them: reading a part back from the store (unpickling,
decompressing, unpickling again) cost about a tenth of a millisecond, a tenth of an
uncached catalogue page. A key never changes what it holds (it names the snapshot or
the catalogue version, and the code's revision), so these copies are exact. A part is
stored with the time it expires, and a process's copy expires then too, however late
the process read it from the store.
"""

from __future__ import annotations

import hashlib
import pickle
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection

from guidebook.catalogue.publishing import catalogue_version

__all__ = ["clear", "once", "once_per_catalogue", "revision"]

T = TypeVar("T")

_PACKAGE = Path(__file__).resolve().parents[1]

RECENT_BYTES = 4_000_000
"""How much of the parts used last a process keeps ready, measured as pickled."""


class _Recent:
    """The parts this process used last, newest at the end, within ``RECENT_BYTES``."""

    def __init__(self) -> None:
        self.parts: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()  # expires, size
        self.size = 0

    def get(self, key: str) -> Any:
        kept = self.parts.get(key)
        if kept is None:
            return None
        if kept[0] <= _now():
            self._drop(key)
            return None
        self.parts.move_to_end(key)
        return kept[2]

    def put(self, key: str, value: Any, size: int, expires: float) -> None:
        if key in self.parts:
            self._drop(key)
        if size > RECENT_BYTES:
            return
        self.parts[key] = (expires, size, value)
        self.size += size
        while self.size > RECENT_BYTES:
            self._drop(next(iter(self.parts)))

    def _drop(self, key: str) -> None:
        self.size -= self.parts.pop(key)[1]

    def clear(self) -> None:
        self.parts.clear()
        self.size = 0


_recent = _Recent()


def _now() -> float:
    """Seconds since the epoch: an expiry stored by one process is read by others."""
    return time.time()


@cache
def revision() -> str:
    """A digest of every Python file and template in the package, read once per process."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in {".py", ".html", ".json"} and "migrations" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _key(kind: str, identity: str) -> str:
    return f"guidebook:fragment:{revision()}:{kind}:{identity}"


def _store() -> BaseCache:
    return caches["fragments"]


def once(kind: str, identity: str, render: Callable[[], T], seconds: int | None = None) -> T:
    """The part ``kind`` for ``identity`` (a snapshot's), rendered by ``render`` the
    first time it is asked for and kept ``seconds`` (``FRAGMENT_CACHE_SECONDS``).

    Parts are kept compressed: HTML shrinks about tenfold, so a worker's own memory
    holds many more of them (reading one back costs a tenth of a millisecond).
    """
    key = _key(kind, identity)
    seconds = settings.FRAGMENT_CACHE_SECONDS if seconds is None else seconds
    value = _recent.get(key)
    if value is not None:
        return cast(T, value)
    kept = _store().get(key)
    if kept is not None:
        pickled = zlib.decompress(kept)
        expires, value = pickle.loads(pickled)
    else:
        value = render()
        expires = _now() + seconds
        pickled = pickle.dumps((expires, value), pickle.HIGHEST_PROTOCOL)
        _store().set(key, zlib.compress(pickled, 1), seconds)
    _recent.put(key, value, len(pickled), expires)
    return cast(T, value)


def once_per_catalogue(kind: str, identity: str, render: Callable[[], T]) -> T:
    """A part that depends on the whole catalogue (lists, counts), kept for this catalogue
    version.

    Inside an open transaction the version does not yet count what the transaction
    published, so the part is rendered and not kept (as ``caching`` does with pages).
    Kept no longer than a cached page: without Redis another worker learns of a
    publication only when its pages expire, and its parts must not outlive them.
    """
    if connection.in_atomic_block:
        return render()
    seconds = int(getattr(settings, "PAGE_CACHE_SECONDS", 300))
    return once(kind, f"{catalogue_version()}:{identity}", render, seconds)


def clear() -> None:
    """Forget every kept part (tests; never needed for correctness)."""
    _store().clear()
    _recent.clear()
