"""``{% static %}`` keeps each address per process, giving what Django's tag gives and
forgetting it when the static settings change."""

from django.template import engines
from django.templatetags.static import StaticNode
from django.test import override_settings

from guidebook.lib.static_urls import static_url


def _render(source):
    return engines["django"].from_string(source).render({})


def test_the_tag_gives_the_address_djangos_tag_gives():
    expected = StaticNode.handle_simple("public/site.css")
    assert _render("{% load static_urls %}{% static 'public/site.css' %}") == expected
    assert _render("{% load static_urls %}{% static 'public/site.css' as a %}[{{ a }}]") == (
        f"[{expected}]"
    )


def test_the_prefix_tags_are_djangos():
    assert _render("{% load static_urls %}{% get_static_prefix %}") == "/static/"


def test_a_changed_static_setting_is_seen_at_once():
    before = static_url("public/site.css")
    with override_settings(STATIC_URL="https://assets.example.org/s/"):
        assert static_url("public/site.css").startswith("https://assets.example.org/s/")
        assert _render("{% load static_urls %}{% static 'public/site.css' %}").startswith(
            "https://assets.example.org/s/"
        )
    assert static_url("public/site.css") == before
