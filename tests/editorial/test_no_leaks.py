"""Nothing in a draft or an assessment under way reaches the public: pages, JSON twins,
the API or the downloads.

Rather than list today's public addresses, the test walks the URLconf: every public
route (all but /admin/ and /staff/) is requested with each slug-like parameter set to
a draft programme and to a published one under re-assessment, and every page reached
by following links from them is read too. So addresses added later are covered.
"""

import io
import re
import zipfile
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from guidebook.editorial.models import ReviewerAppraisal, State, Submission
from tests.editorial.conftest import small_record

MARKER = "zqxdraft"  # appears only in unpublished data
PRIVATE = ("admin/", "staff/")
DRAFT_SLUG = "zqxdraft-secret-programme"
CRAWL_LIMIT = 400
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def public_routes(resolver=None, prefix=""):
    """Every public route as text, e.g. 'programmes/<slug:slug>/' (regex routes skipped)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if route.startswith(PRIVATE):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def addresses(route, slugs):
    """The route with every parameter filled in with each slug (and 1 for numbers)."""
    if not CONVERTER.search(route):
        return ["/" + route]
    filled = []
    for slug in slugs:

        def fill(match, slug=slug):
            return "1" if match["converter"] == "int" else slug

        filled.append("/" + CONVERTER.sub(fill, route))
    return filled


def texts_of(response):
    """The response's readable text; a zip archive is opened and each member read."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return [body.decode("utf-8", "replace")]


LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)["']|"(/(?:api|programmes|downloads)[^"\s]*)\"""")


def links_in(text):
    for match in LINK.finditer(text):
        link = (match.group(1) or match.group(2)).replace("&amp;", "&")
        parts = urlsplit(link)
        if (
            parts.netloc
            or not parts.path.startswith("/")
            or parts.path.startswith(tuple("/" + p for p in PRIVATE))
        ):
            continue
        yield link


@pytest.fixture
def drafts(ipp, personas, make_round):
    """Unpublished work of every kind, each carrying the marker."""
    from guidebook.catalogue.models import Finding, Study
    from guidebook.editorial import workflow

    # A published programme re-opened, with edits not yet published.
    ipp.summary = f"{MARKER} rewritten summary awaiting sign-off"
    ipp.save()
    reopened = workflow.open_round(ipp, personas["editor"], provider=personas["provider"])
    reopened.state = State.APPRAISAL
    reopened.save()
    study = Study.objects.create(
        programme=ipp,
        key="study-9",
        position=9,
        label="Study 9",
        citation=f"{MARKER} et al",
        design="rct",
    )
    Finding.objects.create(
        study=study, key="new", outcome=f"{MARKER} outcome", category="mental-health"
    )
    ReviewerAppraisal.objects.create(
        assessment=reopened, study=study, reviewer=personas["reviewer"], comment=f"{MARKER} doubts"
    )
    # A programme submitted by its provider, never published.
    record = small_record(
        slug=DRAFT_SLUG,
        name="Zqxdraft Secret Programme",
        summary=f"{MARKER} hedgehogs and their families",
    )
    make_round(State.PANEL_SIGN_OFF, record=record)
    # A questionnaire still in draft.
    Submission.objects.create(provider=personas["provider"], name=f"{MARKER} questionnaire")
    return ipp


def test_no_draft_data_is_reachable_from_any_public_address(client, drafts):
    slugs = [DRAFT_SLUG, drafts.slug]
    queue = deque(address for route in public_routes() for address in addresses(route, slugs))
    queue.extend(["/programmes/?q=hedgehogs", "/api/programmes?q=hedgehogs"])
    seen, leaks, draft_found = set(), [], []
    while queue and len(seen) < CRAWL_LIMIT:
        address = queue.popleft()
        if address in seen:
            continue
        seen.add(address)
        if address.endswith(".pdf") and DRAFT_SLUG not in address:
            continue  # published PDFs are rendered from the same snapshot; slow to make
        response = client.get(address)
        if DRAFT_SLUG in urlsplit(address).path and response.status_code == 200:
            draft_found.append(address)
        if response.status_code != 200:
            continue
        for text in texts_of(response):
            if MARKER in text.lower():
                leaks.append(address)
            queue.extend(links_in(text))
    assert not leaks, f"draft data reached: {leaks}"
    assert not draft_found, f"an unpublished programme answered at: {draft_found}"
    # The walk really covered the catalogue, its twins, the API and the downloads.
    visited = " ".join(seen)
    for expected in ("/programmes/", f"/programmes/{drafts.slug}.json", "/api/", "/downloads/"):
        assert expected in visited


def test_the_published_page_stays_as_published_while_a_new_round_is_under_way(client, drafts):
    page = client.get(f"/programmes/{drafts.slug}/").content.decode()
    assert "Infant-Parent Psychotherapy" in page
    assert MARKER not in page.lower()
    assert "Study 9" not in page
