"""The finder's filter checkboxes, built in Python.

A catalogue page offers a few hundred filter values (every published outcome and
country among them), and rendering each through the template language was most of
the cost of a page that no cache answers. The markup is the one the template wrote.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from guidebook.catalogue.finder import FacetCounts

register = template.Library()

_OPTION = (
    '<li><input type="checkbox" id="filter-{0}-{1}" name="{0}" value="{2}"{3}> '
    '<label for="filter-{0}-{1}">{4} <span class="count">({5}<span class="visually-hidden">'
    " programme{6}</span>)</span></label></li>"
)
_CHECKED = mark_safe(" checked")


@register.simple_tag
def filter_options(facet: FacetCounts) -> SafeString:
    """One ``<li>`` per value of ``facet``: its checkbox, label and count."""
    return format_html_join(
        "\n",
        _OPTION,
        (
            (
                facet.name,
                number,
                option.key,
                _CHECKED if option.selected else "",
                option.label,
                option.count,
                "" if option.count == 1 else "s",
            )
            for number, option in enumerate(facet.options, start=1)
        ),
    )
