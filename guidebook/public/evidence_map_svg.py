"""The evidence map drawn as SVG on the server: the page's picture and the download.

Each cell is a link to the catalogue filtered to it. Programmes rated 2 or above
here are drawn as one filled circle whose area grows with their number and whose
shade and digit give the strongest level among them (4 darkest, 2 lightest). The
programmes that are not rated here are never folded into that circle: each kind has
a small outline mark of its own beside it, growing with its number (a plain circle
for NL2, a crossed square for NE, a dashed diamond for programmes under assessment).
A cell with no rated programme at level 3 or above, a gap, is tinted; an empty cell
shows a dot. A legend at the foot says all of this in words, and each cell's link
carries its numbers in words, so nothing rests on colour or shape alone. The table
beside the picture on the page gives every number too.

Only presentation attributes are used (no ``style``), so the same markup works inline
under the site's Content-Security-Policy and as a file of its own. Every text that
comes from a record is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

from guidebook.catalogue.evidence_map import Cell, EvidenceMap, Row, Status

__all__ = ["Layout", "cell_words", "map_svg"]

# Shades of one blue (ColorBrewer "Blues", 9-class: Brewer 2003, colorbrewer2.org),
# darker for stronger evidence; the digit drawn in the circle repeats the level.
LEVEL_FILLS = {"4": "#08306b", "3": "#2171b5", "2": "#9ecae1"}
LEVEL_INKS = {"4": "#ffffff", "3": "#ffffff", "2": "#08306b"}
GAP_FILL = "#fdf0dc"
LINE = "#c9c9d3"
INK = "#1d1d1f"
MUTED = "#4a4a55"
CATEGORY_FILL = "#eef1f5"
STATUS_STROKES = {Status.NL2: "#4a4a55", Status.NE: "#8c2d04", Status.UNDER_ASSESSMENT: "#7a5a00"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Layout:
    """Sizes in SVG user units (pixels when drawn at natural size)."""

    label_width: float = 330
    column_width: float = 80
    header: float = 150
    row: float = 30
    legend: float = 150
    font: float = 13
    label_characters: int = 44
    category_characters: int = 38
    column_characters: int = 30
    smallest_radius: float = 6.5
    largest_radius: float = 13.5

    def width(self, columns: int) -> float:
        # Room on the right for the last column's slanted heading and the key's words.
        return max(self.label_width + columns * self.column_width + 110, 900)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def cell_words(row: Row, cell: Cell, column_label: str) -> str:
    """What a cell holds, in words: its link's name and tooltip."""
    where = f"{row.label}, {column_label}"
    if cell.total == 0:
        return f"{where}: no programme."
    parts = []
    if cell.rated:
        parts.append(
            f"{_plural(cell.rated, 'programme')} rated 2 or above "
            f"(strongest {cell.strongest}; {cell.evidence_based} at level 3 or above)"
        )
    else:
        parts.append("no programme rated 2 or above")
    for count, words in (
        (cell.nl2, "NL2"),
        (cell.ne, "NE"),
        (cell.under_assessment, "under assessment"),
    ):
        if count:
            parts.append(f"{count} {words}")
    gap = " A gap: nothing rated at level 3 or above." if cell.is_gap else ""
    return f"{where}: " + "; ".join(parts) + "." + gap


def _radius(count: int, largest: int, layout: Layout) -> float:
    """Area grows with the count (radius with its square root), up to ``largest``."""
    share = math.sqrt(count / max(largest, 1))
    return layout.smallest_radius + share * (layout.largest_radius - layout.smallest_radius)


def _small_size(count: int) -> float:
    # The marks of programmes not rated here grow with their number, up to five.
    return 3.0 + 0.6 * min(count, 5)


def _rated_mark(cell: Cell, x: float, y: float, largest: int, layout: Layout) -> str:
    level = cell.level or "2"
    radius = _radius(cell.rated, largest, layout)
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{LEVEL_FILLS[level]}"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
        f'font-weight="700" fill="{LEVEL_INKS[level]}">{level}</text>'
    )


def status_mark(status: Status, x: float, y: float, size: float) -> str:
    """The outline mark of a kind of programme not rated here, centred on (x, y)."""
    stroke = STATUS_STROKES[status]
    if status is Status.NL2:
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="#ffffff" '
            f'stroke="{stroke}" stroke-width="1.6"/>'
        )
    if status is Status.NE:
        left, top, side = x - size, y - size, 2 * size
        return (
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{side:.1f}" height="{side:.1f}" '
            f'fill="#ffffff" stroke="{stroke}" stroke-width="1.6"/>'
            f'<path d="M{left:.1f} {top:.1f}L{left + side:.1f} {top + side:.1f}" '
            f'stroke="{stroke}" stroke-width="1.2"/>'
        )
    reach = size + 1
    corners = ((x, y - reach), (x + reach, y), (x, y + reach), (x - reach, y))
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return (
        f'<polygon points="{points}" fill="#ffffff" stroke="{stroke}" '
        f'stroke-width="1.6" stroke-dasharray="2 1.5"/>'
    )


def _cell(
    row: Row,
    cell: Cell,
    x: float,
    y: float,
    words: str,
    link: str,
    largest: int,
    layout: Layout,
) -> Iterator[str]:
    width, height = layout.column_width, layout.row
    middle = y + height / 2
    fill = GAP_FILL if cell.is_gap else "#ffffff"
    yield f'<a href="{escape(link)}" aria-label="{escape(words)}" class="map-cell">'
    yield f"<title>{escape(words)}</title>"
    yield (
        f'<rect class="map-cell-area" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" fill="{fill}" stroke="{LINE}" stroke-width="0.5"/>'
    )
    if cell.total == 0:
        yield f'<circle cx="{x + width / 2:.1f}" cy="{middle:.1f}" r="1.6" fill="{MUTED}"/>'
    if cell.rated:
        yield _rated_mark(cell, x + 20, middle, largest, layout)
    others = [(status, count) for status, count in _others(cell) if count]
    for position, (status, count) in enumerate(others):
        yield status_mark(status, x + 44 + position * 13, middle, _small_size(count))
    yield "</a>"


def _others(cell: Cell) -> tuple[tuple[Status, int], ...]:
    return (
        (Status.NL2, cell.nl2),
        (Status.NE, cell.ne),
        (Status.UNDER_ASSESSMENT, cell.under_assessment),
    )


def _header(evidence_map: EvidenceMap, layout: Layout) -> Iterator[str]:
    for position, (_, label) in enumerate(evidence_map.columns):
        x = layout.label_width + position * layout.column_width + layout.column_width / 2
        y = layout.header - 8
        yield (
            f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate(-40 {x:.1f} {y:.1f})" '
            f'font-size="{layout.font}" fill="{INK}"><title>{escape(label)}</title>'
            f"{escape(_short(label, layout.column_characters))}</text>"
        )
    yield (
        f'<text x="8" y="{layout.header - 8:.1f}" font-size="{layout.font}" font-weight="700" '
        f'fill="{INK}">Outcome ({escape(evidence_map.dimension.label.lower())} across)</text>'
    )


def _legend_text(x: float, y: float, words: str) -> str:
    return f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="12" fill="{INK}">{escape(words)}</text>'


def _legend(y: float, largest: int, layout: Layout) -> Iterator[str]:
    yield (
        f'<text x="8" y="{y + 18:.1f}" font-size="{layout.font}" font-weight="700" '
        f'fill="{INK}">Key</text>'
    )
    line = y + 42
    yield _legend_text(8, line, "Rated 2 or above here, by strongest level:")
    x = 268.0
    for level in ("4", "3", "2"):
        fill, ink = LEVEL_FILLS[level], LEVEL_INKS[level]
        yield f'<circle cx="{x:.1f}" cy="{line:.1f}" r="9" fill="{fill}"/>'
        yield (
            f'<text x="{x:.1f}" y="{line + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="700" fill="{ink}">{level}</text>'
        )
        x += 26
    yield _legend_text(x, line, f"(the bigger, the more programmes; most in a cell: {largest})")
    line += 28
    yield _legend_text(8, line, "Not rated here, never counted in the circle:")
    x = 276.0
    for status, words, room in (
        (Status.NL2, "NL2", 52),
        (Status.NE, "NE", 46),
        (Status.UNDER_ASSESSMENT, "under assessment (rating imported)", 0),
    ):
        yield status_mark(status, x, line, 5)
        yield _legend_text(x + 10, line, words)
        x += room
    line += 28
    yield (
        f'<rect x="8" y="{line - 9:.1f}" width="26" height="18" fill="{GAP_FILL}" stroke="{LINE}"/>'
    )
    yield _legend_text(42, line, "A gap: no programme rated 3 or above.")
    yield f'<circle cx="300" cy="{line:.1f}" r="1.6" fill="{MUTED}"/>'
    yield _legend_text(310, line, "No programme at all.")


def map_svg(
    evidence_map: EvidenceMap,
    link: Callable[[Row, Cell], str],
    *,
    title: str = "Evidence and gap map",
    standalone: bool = False,
    layout: Layout | None = None,
) -> str:
    """The map as SVG markup; ``standalone`` adds the XML declaration for a file of its own."""
    layout = layout or Layout()
    columns = evidence_map.columns
    width = layout.width(len(columns))
    height = layout.header + len(evidence_map.rows) * layout.row + layout.legend
    largest = max((cell.rated for row in evidence_map.rows for cell in row.cells), default=0)
    labels = dict(columns)
    description = (
        f"{len(evidence_map.rows)} rows of outcome categories and outcomes across "
        f"{len(columns)} {evidence_map.dimension.label.lower()} columns, counting "
        f"{evidence_map.programme_count} programmes. Each cell links to the catalogue "
        "filtered to it; the table on the map's page gives the same numbers."
    )
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'] if standalone else []
    parts.append(
        f'<svg xmlns="{SVG_NAMESPACE}" class="evidence-map" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="system-ui, sans-serif" aria-labelledby="evidence-map-title '
        f'evidence-map-desc">'
    )
    parts.append(f'<title id="evidence-map-title">{escape(title)}</title>')
    parts.append(f'<desc id="evidence-map-desc">{escape(description)}</desc>')
    parts.append(f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>')
    parts.extend(_header(evidence_map, layout))
    for index, row in enumerate(evidence_map.rows):
        y = layout.header + index * layout.row
        if row.is_category:
            parts.append(
                f'<rect x="0" y="{y:.1f}" width="{layout.label_width:.1f}" '
                f'height="{layout.row:.1f}" fill="{CATEGORY_FILL}"/>'
            )
        weight = ' font-weight="700"' if row.is_category else ""
        indent = 8 if row.is_category else 22
        limit = layout.category_characters if row.is_category else layout.label_characters
        parts.append(
            f'<text x="{indent}" y="{y + layout.row / 2 + 4:.1f}" font-size="{layout.font}"'
            f'{weight} fill="{INK}"><title>{escape(row.label)}</title>'
            f"{escape(_short(row.label, limit))}</text>"
        )
        for position, cell in enumerate(row.cells):
            x = layout.label_width + position * layout.column_width
            words = cell_words(row, cell, labels[cell.column])
            parts.extend(_cell(row, cell, x, y, words, link(row, cell), largest, layout))
    parts.extend(_legend(layout.header + len(evidence_map.rows) * layout.row, largest, layout))
    parts.append("</svg>")
    return "".join(parts) + ("\n" if standalone else "")
