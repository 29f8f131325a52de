"""``{% static %}`` with each file's address worked out once per process.

Django's tag asks the app registry whether staticfiles is installed and then the
storage for the file's hashed name on every use: about 0.08 ms each, a quarter of
what an uncached catalogue page costs per request (benchmarks/README.md). The answer
only changes with the static settings, so it is kept per path and forgotten when a
test changes those settings. Templates load it with ``{% load static_urls %}``
(registered in ``TEMPLATES``) and write ``{% static %}`` as usual; the library's
other tags are Django's own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static as django_static

__all__ = ["static_url"]

register = template.Library()

_STATIC_SETTINGS = frozenset({"STATIC_URL", "STATIC_ROOT", "STORAGES", "INSTALLED_APPS"})


@cache
def static_url(path: str) -> str:
    """The address of static file ``path``, as Django's ``static`` gives it."""
    return str(django_static.StaticNode.handle_simple(path))


@receiver(setting_changed)
def _forget_addresses(*, setting: str, **_: Any) -> None:
    if setting in _STATIC_SETTINGS:
        static_url.cache_clear()


class _KeptStaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path: str) -> str:
        return static_url(path)


@register.tag("static")
def do_static(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    """``{% static path [as name] %}``, as Django's."""
    return _KeptStaticNode.handle_token(parser, token)


register.tag("get_static_prefix", django_static.get_static_prefix)
register.tag("get_media_prefix", django_static.get_media_prefix)
