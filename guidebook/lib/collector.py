"""Keep the garbage collector's full passes short in a web worker.

CPython's cycle collector now and then walks every object a process holds. A worker
that has loaded Django and the site holds about 100,000 objects, and the finder's
index and compiled templates add more: a full pass took 70 ms, long enough that the
requests queued behind it set the slowest 1% of an uncached catalogue page
(benchmarks/README.md). Nearly all of those objects live as long as the worker, so
after start-up, and again once the worker is warm, they are moved out of the
collector's sight (``gc.freeze``): a full pass then takes a few milliseconds.

Frozen objects are still freed when nothing refers to them; only garbage held in a
cycle and frozen would stay, so each freeze collects first. Used by
``guidebook.wsgi`` only: commands and tests keep Python's default.
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished
from django.urls import get_resolver

__all__ = ["WARM_REQUESTS", "freeze_when_warm", "start"]

WARM_REQUESTS = 500
"""Requests a worker serves before its second freeze: templates compiled, index built."""

_served = 0


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def start() -> None:
    """Freeze what start-up made (the URL configuration included), and freeze again
    once ``WARM_REQUESTS`` requests have been served."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    _freeze()
    request_finished.connect(freeze_when_warm, dispatch_uid="guidebook-collector")


def freeze_when_warm(**_: Any) -> None:
    """After the ``WARM_REQUESTS``-th request, freeze once more and stop counting."""
    global _served
    _served += 1
    if _served >= WARM_REQUESTS:
        request_finished.disconnect(dispatch_uid="guidebook-collector")
        _freeze()
