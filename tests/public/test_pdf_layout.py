"""How a programme's PDF falls into pages: no page left mostly blank before the next
one, and no heading left at the foot of a page away from its text.

The layout is WeasyPrint's own (``pdf_layout.print_layout``, what ``programme_pdf`` writes), read
box by box, so the test sees the pages a reader would print.
"""

import pytest
from django.test import RequestFactory

from guidebook.catalogue.convert import save_record
from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.publishing import publish
from guidebook.interchange.demo import demo_records
from guidebook.public.pdf_layout import print_layout
from guidebook.public.presenters import build_programme_page

# Long demo programmes whose PDFs once had most of a page blank before a study or table.
SLUGS = ["coping-power", "family-nurse-partnership"]
HEADINGS = {"h1", "h2", "h3", "h4", "caption", "summary"}
# Every page but the last must be filled this far down (of its height).
LEAST_FILLED = 0.6


def _leaves(box):
    """The boxes with no children under ``box``: lines' text, images, empty cells."""
    stack = [box]
    while stack:
        current = stack.pop()
        children = getattr(current, "children", None)
        if children:
            stack.extend(children)
        else:
            yield current


def _content(page_box):
    """The page's content boxes, without its margin boxes (the page number)."""
    return [child for child in page_box.children if type(child).__name__ != "MarginBox"]


def _lowest(page_box):
    """The lowest box on the page: (its bottom edge, its element's tag)."""
    lowest = (0.0, "")
    for content in _content(page_box):
        for leaf in _leaves(content):
            bottom = leaf.position_y + leaf.margin_height()
            if bottom > lowest[0]:
                lowest = (bottom, _tag_of(leaf))
    return lowest


def _tag_of(box):
    """The nearest heading-like element a box belongs to, else its own element's tag."""
    return getattr(box, "heading_tag", "") or getattr(box, "element_tag", "")


def _mark_headings(box, inherited=""):
    """Remember on every box the heading element it sits in, if any."""
    tag = getattr(box, "element_tag", "")
    here = tag if tag in HEADINGS else inherited
    box.heading_tag = here
    for child in getattr(box, "children", None) or []:
        _mark_headings(child, here)


@pytest.fixture
def layouts(db):
    for record in demo_records():
        if record.slug in SLUGS:
            publish(save_record(record, reason="PDF layout test"), note="Test")
    request = RequestFactory().get("/")
    found = {}
    for slug in SLUGS:
        snapshot = Snapshot.objects.get(slug=slug, is_current=True)
        context = build_programme_page(snapshot, [snapshot]).context()
        document = print_layout(request, "public/programme_detail.html", context)
        for page in document.pages:
            _mark_headings(page._page_box)
        found[slug] = document
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_no_page_but_the_last_is_left_mostly_blank(layouts, slug):
    pages = layouts[slug].pages
    fill = [round(_lowest(page._page_box)[0] / page.height, 2) for page in pages[:-1]]
    assert [share for share in fill if share < LEAST_FILLED] == [], fill


@pytest.mark.parametrize("slug", SLUGS)
def test_no_page_ends_on_a_heading(layouts, slug):
    endings = [_lowest(page._page_box)[1] for page in layouts[slug].pages]
    assert [tag for tag in endings if tag in HEADINGS] == [], endings
