"""Print the imported-ratings report: computed against imported ratings, and why they differ."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from guidebook.catalogue.agreement_markdown import agreement_markdown
from guidebook.catalogue.reports import (
    ImportedRatingRow,
    ImportedRatingsReport,
    imported_ratings_report,
    programmes_report,
)
from guidebook.evidence.errors import RecordError
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.standards import all_standards


def _table(rows: tuple[ImportedRatingRow, ...], title: str) -> Table:
    table = Table(title=title, show_lines=True)
    table.add_column("Programme", overflow="fold")
    table.add_column("Evidence\ncomputed / imported", no_wrap=True)
    table.add_column("Why the evidence ratings differ", overflow="fold")
    table.add_column("Cost\ncomputed / imported", no_wrap=True)
    table.add_column("Why the cost ratings differ", overflow="fold")
    for row in rows:
        table.add_row(
            row.name,
            f"{row.evidence.computed} / {row.evidence.imported}\n({row.standard})",
            "\n".join(row.evidence.details) or "agree",
            f"{row.cost.computed} / {row.cost.imported}",
            row.cost.reason or "agree",
        )
    return table


def _from_files(paths: list[str], standard: str | None) -> ImportedRatingsReport:
    programmes = []
    for name in paths:
        path = Path(name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            programmes.append(programme_from_dict(data, source=str(path)))
        except (OSError, ValueError, RecordError) as error:
            raise CommandError(f"{path}: {error}") from None
    return programmes_report(programmes, standard)


class Command(BaseCommand):
    help = (
        "Compare each published programme's computed ratings with its imported ones and "
        "list where they disagree, with the rule and the recorded facts that decide it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="list programmes that agree as well")
        parser.add_argument(
            "--width", type=int, default=140, help="width of the table in characters"
        )
        parser.add_argument(
            "--standard",
            choices=[standard.key for standard in all_standards()],
            help="the standard the table shows (default: each programme's published one)",
        )
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="print the agreement table as Markdown (as docs/demo-catalogue.md shows it)",
        )
        parser.add_argument(
            "--files",
            nargs="+",
            metavar="FILE",
            help="compare these record files instead of the published catalogue",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        standard = options["standard"]
        if options["files"]:
            report = _from_files(options["files"], standard)
        else:
            report = imported_ratings_report(standard=standard)
        if options["markdown"]:
            self.stdout.write(agreement_markdown(report), ending="")
            return
        rows = report.rows if options["all"] else report.disagreements
        title = "Imported ratings" if options["all"] else "Where computed and imported disagree"
        # Rendered to text first: Django's output wrapper would break rich's own writes.
        buffer = io.StringIO()
        if rows:
            Console(file=buffer, width=options["width"], color_system=None).print(
                _table(rows, title)
            )
        self.stdout.write(buffer.getvalue(), ending="")
        for line in report.agreement_lines:
            self.stdout.write(line)
        self.stdout.write(report.summary)
