"""The demo catalogue's agreement table, computed: what test_agreement_table pins.

After a deliberate change of rules or records, look at what moved, then regenerate the
pinned table (in test_agreement_table.py) and the docs section (in
docs/demo-catalogue.md, between its agreement markers) with:

    PYTHONPATH=. .venv/bin/python -m tests.catalogue.agreement_rows --write

Without ``--write`` it prints both instead. The test compares literal values, so a
change that moves a rating fails it until the table is regenerated and the change is
seen in review.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TEST_MODULE = Path(__file__).resolve().parent / "test_agreement_table.py"
DOCS = REPO / "docs" / "demo-catalogue.md"
TABLE_START, TABLE_END = "# --- agreement table: start", "# --- agreement table: end"
DOCS_START = "<!-- agreement table: start (tests/catalogue/agreement_rows.py writes it) -->"
DOCS_END = "<!-- agreement table: end -->"


def demo_report() -> Any:
    """The imported-ratings report over the shipped demo record files (no database)."""
    from guidebook.catalogue.reports import programmes_report
    from guidebook.interchange.demo import demo_records

    return programmes_report(demo_records())


def _deciders(comparison: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(zip(comparison.rules, comparison.subjects, strict=True))


def agreement_rows(report: Any) -> list[tuple[Any, ...]]:
    """One row per programme: slug, published, each standard's computed rating and
    deciders (newest first), then the published and computed cost and its decider."""
    rows = []
    for row in report.rows:
        cells: list[Any] = [row.slug, row.evidence.imported]
        for key in reversed(report.standards):
            comparison = row.by_standard[key]
            cells += [comparison.computed, _deciders(comparison)]
        cells += [row.cost.imported, row.cost.computed, _deciders(row.cost)]
        rows.append(tuple(cells))
    return rows


def docs_section() -> str:
    """The section of docs/demo-catalogue.md between the agreement markers."""
    text = DOCS.read_text(encoding="utf-8")
    return text.split(DOCS_START + "\n", 1)[1].split(DOCS_END, 1)[0]


def _literal(value: Any) -> str:
    """Python source for nested tuples of strings, quoted as the formatter quotes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    items = [_literal(item) for item in value]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _table_source(report: Any) -> str:
    rows = "".join(f"    {_literal(row)},\n" for row in agreement_rows(report))
    lines = "".join(f"    {_literal(line)},\n" for line in report.agreement_lines)
    # One programme a line, as a table reads; the formatter would spread each over 30.
    return f"# fmt: off\nTABLE = [\n{rows}]\n# fmt: on\n\nAGREEMENT_LINES = [\n{lines}]\n"


def _replace(text: str, start: str, end: str, new: str) -> str:
    head, rest = text.split(start + "\n", 1)
    return head + start + "\n" + new + end + rest.split(end, 1)[1]


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guidebook.settings")
    import django

    django.setup()
    from guidebook.catalogue.agreement_markdown import agreement_markdown

    report = demo_report()
    table, markdown = _table_source(report), agreement_markdown(report)
    if "--write" not in argv:
        print(table, markdown, sep="\n")
        return
    source = TEST_MODULE.read_text(encoding="utf-8")
    TEST_MODULE.write_text(_replace(source, TABLE_START, TABLE_END, table), encoding="utf-8")
    docs = DOCS.read_text(encoding="utf-8")
    DOCS.write_text(_replace(docs, DOCS_START, DOCS_END, markdown), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
