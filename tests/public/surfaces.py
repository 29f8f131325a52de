"""Every public page and format of published programmes, as text, and the check that no
one of them contradicts itself.

``collect`` fetches, for each programme, its page, its JSON twin, its PDF, its column of
the compare page and its entry in compare.json, its row of the shortlist page, of
shortlist.csv and its section of shortlist.pdf, its API detail and list entry, its rows
of the open-data tables and its row in the catalogue. ``problems`` judges one of those
texts against what the programme's *record* says (is any study appraised by consensus?
did another guidebook publish a rating?), not against the code that wrote the page, so
the check keeps working whatever the demo data holds.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from pypdf import PdfReader

from guidebook.catalogue.models import Snapshot
from guidebook.evidence.record_json import programme_from_dict

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}

# The computed NL2's sentences, and the empty outcome lists that only an appraised
# programme that falls short may show.
NL2_WORDING = (
    "does not yet reach level 2",
    "no improvement in child outcomes can be claimed",
    "No child outcome is supported",
    "No evaluation of the programme has been assessed",
    "None supported at level 2",
    "None at level 2 or above",
    "not level 2",
)

# Formats that show a programme's ratings in full (the reconciling sentences are due);
# catalogue rows and the open-data rule and study tables show less.
FULL = (
    "page",
    "page-json",
    "pdf",
    "compare",
    "compare-json",
    "shortlist",
    "shortlist-csv",
    "shortlist-pdf",
    "api-detail",
    "api-list",
    "open-data-programmes",
)
ROWS = ("catalogue-row",)
PARTS = ("open-data-ratings", "open-data-studies")
SURFACES = FULL + ROWS + PARTS


# --- Text of each format -------------------------------------------------------------------


# Put between the values of a JSON or CSV format, and at the edges of an HTML block, so
# that a sentence never runs on into the next value or cell.
BREAK = " \u00a6 "
_BLOCK = re.compile(r"</?(?:p|li|td|th|tr|dt|dd|div|br|h[1-6]|ul|ol|dl|section|table)\b[^>]*>")


def text_of_html(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = _BLOCK.sub(BREAK, html)
    return normalised(unescape(re.sub(r"<[^>]+>", " ", html)))


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return normalised("\n".join(page.extract_text() for page in reader.pages))


def strings_of(value) -> list[str]:
    """Every string in a JSON value, keys aside."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_of(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_of(item)]
    return []


def text_of_json(value) -> str:
    return normalised(BREAK.join(strings_of(value)))


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


class _TableCells(HTMLParser):
    """The cells of each row of the first table with the given data-testid, as text."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid, self.depth, self.rows = testid, 0, []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (dict(attrs).get("data-testid") == self.testid or self.depth):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(normalised("".join(self._cell)))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data + " ")


def table_columns(html: str, testid: str, count: int) -> list[str]:
    """The text of each of ``count`` programme columns of a side-by-side table."""
    parser = _TableCells(testid)
    parser.feed(html)
    columns = [[] for _ in range(count)]
    for row in parser.rows:
        if len(row) == count + 1:
            for index, cell in enumerate(row[1:]):
                columns[index].append(cell)
    return [normalised(" ".join(column)) for column in columns]


# --- Collecting every format of every programme ---------------------------------------------


def _get(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _chunks(slugs: list[str], size: int = 4) -> list[list[str]]:
    """Groups of 2 to ``size`` slugs covering all (the compare page takes 2 to 4)."""
    groups = [slugs[i : i + size] for i in range(0, len(slugs), size)]
    if len(groups) > 1 and len(groups[-1]) < 2:
        groups[-1].insert(0, groups[-2].pop())
    if len(groups) == 1 and len(groups[0]) < 2:
        raise ValueError("the compare page needs two programmes")
    return groups


def collect(client, slugs: list[str]) -> dict[tuple[str, str], str]:
    """(slug, surface) -> the text that surface shows of that programme."""
    texts: dict[tuple[str, str], str] = {}
    for slug in slugs:
        texts[slug, "page"] = text_of_html(_get(client, f"/programmes/{slug}/").content.decode())
        texts[slug, "page-json"] = text_of_json(_get(client, f"/programmes/{slug}.json").json())
        texts[slug, "pdf"] = pdf_text(_get(client, f"/programmes/{slug}.pdf").content)
        texts[slug, "api-detail"] = text_of_json(_get(client, f"/api/programmes/{slug}").json())
    _collect_compare(client, slugs, texts)
    _collect_shortlist(client, slugs, texts)
    _collect_lists(client, slugs, texts)
    _collect_open_data(client, slugs, texts)
    return texts


def _collect_compare(client, slugs, texts) -> None:
    for group in _chunks(slugs):
        query = "&".join(f"p={slug}" for slug in group)
        html = _get(client, f"/compare/?{query}").content.decode()
        for slug, column in zip(
            group, table_columns(html, "compare-table", len(group)), strict=True
        ):
            texts[slug, "compare"] = column
        entries = _get(client, f"/compare.json?{query}").json()["programmes"]
        for entry in entries:
            texts[entry["programme"], "compare-json"] = text_of_json(entry)


def _collect_shortlist(client, slugs, texts) -> None:
    for slug in slugs:
        response = client.post(f"/shortlist/add/{slug}/", {"next": "/shortlist/"}, **SAME_ORIGIN)
        assert response.status_code == 302, (slug, response.status_code)
    html = _get(client, "/shortlist/").content.decode()
    for row in re.findall(r'<tr data-testid="shortlist-row">(.*?)</tr>', html, flags=re.S):
        slug = re.search(r'name="p" value="([^"]+)"', row).group(1)
        texts[slug, "shortlist"] = text_of_html(row)
    for row in csv_rows(_get(client, "/shortlist.csv").content):
        texts[row["programme"], "shortlist-csv"] = normalised(BREAK.join(row.values()))
    report = pdf_text(_get(client, "/shortlist.pdf").content)
    # The report follows the shortlist's order; each section ends with "Full entry:".
    sections = report.split("Full entry:")
    assert len(sections) == len(slugs) + 1, "one section per shortlisted programme"
    for slug, section in zip(slugs, sections, strict=False):
        texts[slug, "shortlist-pdf"] = section


def _collect_lists(client, slugs, texts) -> None:
    url = "/api/programmes?list=all&page_size=100"
    while url:
        listed = _get(client, url).json()
        for entry in listed["results"]:
            texts[entry["slug"], "api-list"] = text_of_json(entry)
        url = listed["next"]
    for address in ("/programmes/", "/programmes/not-listed/"):
        page = 1
        while True:
            response = client.get(address, {"page_size": 100, "page": page})
            if response.status_code == 400 and page > 1:
                break  # past the last page
            assert response.status_code == 200, (address, response.status_code)
            html = response.content.decode()
            items = re.findall(r'<li class="result">(.*?)</li>', html, flags=re.S)
            for item in items:
                slug = re.search(r'href="/programmes/([^/"]+)/"', item).group(1)
                texts[slug, "catalogue-row"] = text_of_html(item)
            if not items:
                break
            page += 1


def _collect_open_data(client, slugs, texts) -> None:
    for table, surface in (
        ("programmes", "open-data-programmes"),
        ("ratings", "open-data-ratings"),
        ("studies", "open-data-studies"),
    ):
        grouped: dict[str, list[str]] = {slug: [] for slug in slugs}
        for row in csv_rows(_get(client, f"/downloads/{table}.csv").getvalue()):
            grouped.setdefault(row["programme"], []).append(BREAK.join(row.values()))
        for slug, rows in grouped.items():
            texts[slug, surface] = normalised(BREAK.join(rows))


# --- What each programme's record says its formats must show --------------------------------


@dataclass(frozen=True)
class Expected:
    """What a programme's formats must say, read from its published record alone."""

    slug: str
    appraised: bool
    published: str | None
    published_cost: str | None
    cost_imported: bool
    source_name: str
    retrieved_on: str

    @property
    def evidence_imported(self) -> bool:
        return self.published is not None and not self.appraised


def expected_of(snapshot: Snapshot) -> Expected:
    record = programme_from_dict(snapshot.record)
    appraised = any(
        study.appraisal is not None and study.appraisal.consensus for study in record.studies
    )
    imported = record.imported
    if imported is None:
        return Expected(snapshot.slug, appraised, None, None, False, "", "")
    host = urlsplit(imported.source).hostname
    day: date = imported.retrieved
    cost_imported = snapshot.cost["rating"] == "NA" and imported.cost_rating != "NA"
    return Expected(
        slug=snapshot.slug,
        appraised=appraised,
        published=imported.evidence_rating,
        published_cost=imported.cost_rating,
        cost_imported=cost_imported,
        source_name=host.removeprefix("www.") if host else imported.source,
        retrieved_on=f"{day.day} {day:%B %Y}",
    )


def sentences(text: str) -> list[str]:
    # A sentence ends at . ! or ? followed by a space and a capital; a site's name
    # (guidebook.eif.org.uk) has no space after its dots, so it stays whole.
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])|\s*\u00a6\s*", text)


def _attributed(sentence: str, expected: Expected) -> bool:
    return expected.source_name in sentence and expected.retrieved_on in sentence


def _evidence_reconciled(text: str, expected: Expected) -> bool:
    for sentence in sentences(text):
        if not _attributed(sentence, expected) or "cost" in sentence:
            continue
        if expected.evidence_imported and "not yet appraised here" in sentence:
            return True
        if not expected.evidence_imported and ("matches" in sentence or "differ" in sentence):
            return True
    return False


def _cost_reconciled(text: str, expected: Expected) -> bool:
    return any(
        _attributed(sentence, expected) and "cost" in sentence for sentence in sentences(text)
    )


def problems(expected: Expected, surface: str, text: str) -> list[str]:
    """What is wrong with one format's text of one programme ([] when nothing is)."""
    found = []
    if not expected.appraised and expected.published is not None:
        wording = NL2_WORDING if expected.published == "NL2" else (*NL2_WORDING, "NL2")
        found += [
            f"shows {phrase!r} though no study is appraised"
            for phrase in wording
            if re.search(rf"\b{re.escape(phrase)}\b", text)
        ]
    full = surface in FULL
    if expected.published is not None:
        if (full or (surface in ROWS and expected.evidence_imported)) and not _evidence_reconciled(
            text, expected
        ):
            found.append("shows two evidence ratings without the sentence reconciling them")
        if (full or (surface in ROWS and expected.cost_imported)) and not _cost_reconciled(
            text, expected
        ):
            found.append("shows two cost ratings without the sentence reconciling them")
    shows_rating = full or surface in ROWS
    if (
        expected.evidence_imported
        and shows_rating
        and (expected.published not in text or "imported" not in text)
    ):
        found.append(f"does not show the published rating {expected.published} as imported")
    return found


def all_problems(texts: dict[tuple[str, str], str], slugs: list[str]) -> list[str]:
    """Every problem of every format of every programme, one line each."""
    expected = {
        snapshot.slug: expected_of(snapshot)
        for snapshot in Snapshot.objects.filter(slug__in=slugs, is_current=True)
    }
    missing = [
        (slug, surface) for slug in slugs for surface in SURFACES if (slug, surface) not in texts
    ]
    lines = [f"{slug} {surface}: not found" for slug, surface in missing]
    for (slug, surface), text in sorted(texts.items()):
        lines += [
            f"{slug} {surface}: {problem}" for problem in problems(expected[slug], surface, text)
        ]
    return lines
