"""Print the imported-ratings report: computed against imported ratings, and why they differ."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from guidebook.catalogue.reports import ImportedRatingRow, imported_ratings_report


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
            f"{row.evidence.computed} / {row.evidence.imported}",
            row.evidence.reason or "agree",
            f"{row.cost.computed} / {row.cost.imported}",
            row.cost.reason or "agree",
        )
    return table


class Command(BaseCommand):
    help = (
        "Compare each published programme's computed ratings with its imported ones and "
        "list where they disagree, with the reason."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="list programmes that agree as well")
        parser.add_argument(
            "--width", type=int, default=140, help="width of the table in characters"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = imported_ratings_report()
        rows = report.rows if options["all"] else report.disagreements
        title = "Imported ratings" if options["all"] else "Where computed and imported disagree"
        # Rendered to text first: Django's output wrapper would break rich's own writes.
        buffer = io.StringIO()
        if rows:
            Console(file=buffer, width=options["width"], color_system=None).print(
                _table(rows, title)
            )
        self.stdout.write(buffer.getvalue(), ending="")
        self.stdout.write(report.summary)
