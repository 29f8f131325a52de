"""Stored addresses become links only when they are http(s); anything else is text."""

import dataclasses
import json

import pytest
from django.template import Context, Template

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.records import Publication
from guidebook.lib.web_links import is_web_url, web_link
from tests.conftest import REPO
from tests.public.published import store

DEMO = REPO / "guidebook" / "interchange" / "demo"
IPP = "infant-parent-psychotherapy"
IMPORTED = "incredible-years-toddler"


def _demo(slug):
    return json.loads((DEMO / f"{slug}.json").read_text(encoding="utf-8"))


def _imported_only(slug):
    """A demo record with its appraisals and its number of sessions taken out, so the
    pages show the ratings published elsewhere, with the address of their source."""
    data = _demo(slug)
    for study in data["studies"]:
        study["appraisal"] = None
    data["cost"]["sessions"] = None
    return data


# address, whether it may be a link
ADDRESSES = [
    ("https://example.org/programme", True),
    ("http://example.org", True),
    ("HTTPS://EXAMPLE.ORG/", True),
    ("https://example.org/a?b=1&c=2#d", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("\x01javascript:alert(1)", False),
    ("https://example.org/\nx", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False),
    ("file:///etc/passwd", False),
    ("mailto:someone@example.org", False),
    ("//example.org/path", False),
    ("/programmes/", False),
    ("http:alert(1)", False),
    ("https://[::1", False),
    ("https://example.org ", False),
    ("", False),
]


@pytest.mark.parametrize(("address", "linkable"), ADDRESSES)
def test_only_absolute_http_addresses_count_as_web_addresses(address, linkable):
    assert is_web_url(address) is linkable


@pytest.mark.parametrize(("address", "linkable"), ADDRESSES)
def test_an_address_is_a_link_only_when_it_is_a_web_address(address, linkable):
    html = web_link(address)
    assert ("<a href=" in html) is linkable


def test_a_web_address_is_linked_and_escaped():
    assert web_link("https://example.org/?a=1&b=2") == (
        '<a href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>'
    )


def test_link_words_and_words_for_screen_readers():
    assert web_link("https://example.org/", "The source's page", "for Triple P") == (
        '<a href="https://example.org/">The source&#x27;s page'
        '<span class="visually-hidden"> for Triple P</span></a>'
    )


def test_anything_else_is_shown_as_escaped_text_beside_the_words():
    assert web_link("javascript:alert('<x>')", "its original source") == (
        "its original source (javascript:alert(&#x27;&lt;x&gt;&#x27;))"
    )
    assert web_link("javascript:alert(1)") == "javascript:alert(1)"
    assert web_link("", "its original source") == "its original source"
    assert web_link(None) == ""


def test_templates_load_the_tag_by_name():
    template = Template('{% load web_links %}{% web_link url "the site" %}')
    assert template.render(Context({"url": "javascript:x"})) == "the site (javascript:x)"


def _published_with_bad_addresses(data, monkeypatch):
    """``data`` stored and published, then its stored addresses replaced by script
    addresses, as if bad data had got past every check on the way in."""
    from guidebook.evidence.record_json import programme_from_dict
    from guidebook.public import presenters

    programme = store(data)
    snapshot = Snapshot.objects.get(slug=programme.slug, is_current=True)
    assessment = dict(snapshot.assessment)
    assessment["imported"] = {**assessment["imported"], "source": "javascript:alert('source')"}
    Snapshot.objects.filter(pk=snapshot.pk).update(assessment=assessment)
    decoded = programme_from_dict(data)
    studies = tuple(
        dataclasses.replace(
            study,
            publications=(Publication("A paper", url="javascript:alert('publication')"),),
        )
        for study in decoded.studies
    )
    contact = dataclasses.replace(decoded.contact, website="javascript:alert('website')")
    imported = decoded.imported and dataclasses.replace(
        decoded.imported, source="javascript:alert('source')"
    )
    bad = dataclasses.replace(decoded, contact=contact, studies=studies, imported=imported)
    monkeypatch.setattr(presenters, "published_record", lambda snapshot: bad)
    return programme.slug


@pytest.mark.django_db
def test_the_programme_page_links_no_script_address(client, monkeypatch):
    slug = _published_with_bad_addresses(_demo(IPP), monkeypatch)
    html = client.get(f"/programmes/{slug}/").content.decode()
    assert 'href="javascript:' not in html
    for shown in (
        "javascript:alert(&#x27;website&#x27;)",
        "javascript:alert(&#x27;publication&#x27;)",
    ):
        assert shown in html


@pytest.mark.django_db
def test_an_imported_ratings_source_is_text_unless_it_is_a_web_address(client, monkeypatch):
    slug = _published_with_bad_addresses(_imported_only(IMPORTED), monkeypatch)
    html = client.get(f"/programmes/{slug}/").content.decode()
    assert "(javascript:alert(&#x27;source&#x27;))" in html
    assert 'href="javascript:' not in html
    compare = client.get(f"/compare/?p={slug}&p={slug}").content.decode()
    assert 'href="javascript:' not in compare


@pytest.mark.django_db
def test_the_programme_page_still_links_web_addresses(client):
    store(_demo(IPP))
    store(_imported_only(IMPORTED))
    ipp = client.get(f"/programmes/{IPP}/").content.decode()
    assert '<a href="https://www.jstor.org/stable/1130715">' in ipp
    imported = client.get(f"/programmes/{IMPORTED}/").content.decode()
    # Imported or computed, the page links the rating another guidebook published.
    assert f'<a href="https://guidebook.eif.org.uk/programme/{IMPORTED}">' in imported
