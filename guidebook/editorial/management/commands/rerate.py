"""Re-rate every published programme under a standard and report what changes."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import track
from rich.table import Table

from guidebook.editorial.crosswalk_rerate import CROSSWALK_FIELDS, crosswalk_rerate
from guidebook.editorial.rerating import RerateReport, apply_report, rerate_report
from guidebook.evidence.crosswalk import crosswalk_standards
from guidebook.evidence.errors import UnknownStandard
from guidebook.lib.csv_files import Cell, write_csv


class Command(BaseCommand):
    help = (
        "Rate every published programme again under a standard, from its published "
        "record; print what changes and publish new snapshots (unless --dry-run)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--standard", required=True, help="standard key, e.g. eif-2018")
        parser.add_argument("--dry-run", action="store_true", help="report only; publish nothing")
        parser.add_argument("--note", default="", help="note on the new snapshots")
        parser.add_argument("--report", type=Path, help="also write the report to this CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout), width=120)
        if options["standard"] in {s.key for s in crosswalk_standards()}:
            self._crosswalk(console, options)
            return
        try:
            report = rerate_report(
                options["standard"],
                progress=lambda rows, count: track(
                    rows,
                    total=count,
                    description="Re-rating",
                    console=Console(file=cast(IO[str], self.stderr)),
                ),
            )
        except UnknownStandard as error:
            raise CommandError(str(error.problems[0])) from None
        console.print(_table(report))
        if options["report"]:
            _write_csv(report, options["report"])
            self.stderr.write(f"Wrote {options['report']}")
        applied = not options["dry_run"]
        if applied:
            apply_report(report, by=None, note=options["note"])
        self.stdout.write(report.summary(applied=applied))

    def _crosswalk(self, console: Console, options: dict[str, Any]) -> None:
        """A crosswalk standard: report only, since its ratings are never published."""
        rows = crosswalk_rerate(options["standard"])
        table = Table(title=f"Rated under {options['standard']} (computed, never published)")
        for heading in ("Programme", "EIF", "Computed", "Published", "Rule above / needs"):
            table.add_column(heading, overflow="fold")
        for row in rows:
            table.add_row(row.slug, row.eif, row.to_rating, row.published, row.rule)
        console.print(table)
        if options["report"]:
            with options["report"].open("w", newline="", encoding="utf-8") as handle:
                write_csv(handle, CROSSWALK_FIELDS, (row.cells() for row in rows))
        rated = sum(1 for row in rows if row.to_rating != "cannot be rated")
        self.stdout.write(
            f"{len(rows)} programmes, {rated} rated under {options['standard']}. "
            "Crosswalk ratings are computed from the published snapshots: nothing to publish."
        )


def _table(report: RerateReport) -> Table:
    table = Table(title=f"Re-rating under {report.standard_key} {report.standard_version}")
    for heading in ("Programme", "From", "To", "Rule that made the difference", "New snapshot"):
        table.add_column(heading, overflow="fold")
    for row in report.rows:
        table.add_row(
            row.slug,
            f"{row.from_rating} ({row.from_standard})",
            row.to_rating,
            "; ".join(row.deciding_rules) or "-",
            "yes" if row.republish else "no",
        )
    return table


def _write_csv(report: RerateReport, path: Path) -> None:
    fields = [
        "programme",
        "name",
        "from",
        "to",
        "from_standard",
        "to_standard",
        "rule",
        "republish",
    ]
    rows = ([_cell(row.to_dict()[name]) for name in fields] for row in report.rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_csv(handle, fields, rows)


def _cell(value: Any) -> Cell:
    """``republish`` as the words Python prints (``True``), the rest as they are."""
    return str(value) if isinstance(value, bool) else value
