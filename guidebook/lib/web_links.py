"""Links to addresses that came from records: only http(s) addresses become links.

A record's addresses (a provider's website, a publication, the source of an imported
rating, a study the provider listed) come from forms and imported files. Validation
should already refuse anything but http(s), but a page must not depend on that: an
address such as ``javascript:...`` or ``data:...`` made into a link runs when it is
clicked. So every stored address goes through ``web_link``, which links it only when
it is a plain http(s) address and otherwise shows it as text. Load it with
``{% load web_links %}`` (registered in ``TEMPLATES``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

__all__ = ["is_web_url", "web_link"]

register = template.Library()

WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(address: str) -> bool:
    """Whether ``address`` is an absolute http(s) URL with a host, with nothing a
    browser would strip or ignore (spaces at either end, control characters)."""
    if address != address.strip() or any(ord(c) < 32 or ord(c) == 127 for c in address):
        return False
    try:
        parts = urlsplit(address)
    except ValueError:  # e.g. an unclosed "[" in the host
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


@register.simple_tag
def web_link(address: object, text: str = "", hidden: str = "") -> SafeString:
    """``<a href>`` to ``address`` when it is an http(s) URL, else the address as text.

    ``text`` is the link's words (the address itself when empty); ``hidden`` adds
    words after them that only screen readers read, to tell like links apart.
    """
    url = "" if address is None else str(address)
    words = format_html("{}{}", text or url, _hidden(hidden))
    if is_web_url(url):
        return format_html('<a href="{}">{}</a>', url, words)
    if not text or not url:
        return words
    return format_html("{} ({})", words, url)


def _hidden(words: str) -> SafeString:
    return format_html('<span class="visually-hidden"> {}</span>', words) if words else SafeString()
