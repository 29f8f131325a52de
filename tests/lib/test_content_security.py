"""Every HTML page carries the Content-Security-Policy, and no template needs more."""

import re

import pytest
from django.urls import reverse

from guidebook.lib.content_security import HEADER, policy_header
from tests.conftest import REPO

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

PUBLIC_PAGES = [
    "/programmes/",
    "/programmes/infant-parent-psychotherapy/",
    "/programmes/infant-parent-psychotherapy/cost/",
    "/compare/?p=infant-parent-psychotherapy",
    "/shortlist/",
    "/standards/",
    "/standards/eif-2018/",
    "/standards/cost/",
    "/standards/how-to-read/",
    "/downloads/",
    "/staff/login/",
    "/staff/register/",
    "/admin/login/",
    "/api/docs",
    "/no-such-page/",
]
STAFF_PAGES = ["/staff/", "/staff/rerate/", "/admin/", "/staff/reports/imported-ratings/"]
NOT_HTML = [
    "/programmes/infant-parent-psychotherapy.json",
    "/downloads/programmes.csv",
    "/downloads/datapackage.json",
    "/shortlist.csv",
    "/api/programmes",
]


def test_the_policy_is_the_settings_directives_in_order(settings):
    assert policy_header(settings.SECURE_CSP) == POLICY


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_html_page_carries_the_policy(client, ipp, path):
    response = client.get(path)
    assert response.status_code in {200, 400, 404}, path
    assert response["Content-Type"].startswith("text/html")
    assert response[HEADER] == POLICY


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_every_staff_html_page_carries_the_policy(admin_client, ipp, path):
    response = admin_client.get(path)
    assert response.status_code == 200, path
    assert response[HEADER] == POLICY


# Committed, as in production: the page cache stands aside inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_a_page_served_from_the_page_cache_carries_it_too(client, ipp):
    path = reverse("public:programme_detail", args=[ipp.slug])
    assert client.get(path)["X-Guidebook-Cache"] == "miss"
    cached = client.get(path)
    assert cached["X-Guidebook-Cache"] == "hit"
    assert cached[HEADER] == POLICY


@pytest.mark.parametrize("path", NOT_HTML)
def test_files_that_are_not_html_carry_none(client, ipp, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert HEADER not in response


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
        "inline script",
    ),
    (re.compile(r"<style[\s>]"), "a <style> element"),
    (re.compile(r"\sstyle=[\"']"), "a style attribute"),
    (re.compile(r"\son[a-z]+=[\"']"), "an event handler attribute"),
]
OUR_CODE = [*(REPO / "guidebook").rglob("*.html"), *(REPO / "guidebook").rglob("*.py")]


def test_no_template_or_module_writes_inline_script_or_style():
    found = [
        f"{path.relative_to(REPO)}: {what}"
        for path in sorted(OUR_CODE)
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "the policy would block these"
