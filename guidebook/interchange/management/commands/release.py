"""Freeze the published catalogue as a dated, immutable release; or check one."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from guidebook.interchange.models import Release
from guidebook.interchange.releases import ReleaseRefused, check_release, make_release
from guidebook.interchange.releases.storage import release_folder


class Command(BaseCommand):
    help = (
        "Make a release of the published catalogue: CSV tables, data package, record "
        "files, evidence map, FHIR bundles, checksums, citation metadata and a changelog, "
        "under $GUIDEBOOK_DATA_DIR/releases/<date>/. With --check NAME, build release "
        "NAME again and compare it byte for byte."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--notes", default="", help="what this release is for, in words")
        parser.add_argument(
            "--check", metavar="NAME", help="rebuild release NAME and compare; writes nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with _progress_bar(self.stderr) as bar:
            task = bar.add_task("Starting", total=None)

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            if options["check"]:
                self._check(options["check"], progress)
                return
            try:
                release = make_release(options["notes"], progress=progress)
            except ReleaseRefused as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"Release {release.name}: {release.entries.count()} programme(s), "
            f"{len(release.checksums)} files in {release_folder(release.name)}."
        )

    def _check(self, name: str, progress: Any) -> None:
        release = Release.objects.filter(name=name).first()
        if release is None:
            known = ", ".join(Release.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"--check: expected the name of a release ({known}), found {name!r}")
        result = check_release(release, progress)
        for path in result.differ_from_record:
            self.stderr.write(f"differs from the checksum recorded at release: {path}")
        for path in result.differ_on_disk:
            self.stderr.write(f"differs from the file on disk: {path}")
        for path in result.missing_on_disk:
            self.stderr.write(f"not on disk (served after rebuilding): {path}")
        if not result.reproduced:
            raise CommandError(f"Release {name} was not reproduced byte for byte.")
        self.stdout.write(f"Release {name}: all {result.files} files rebuilt byte for byte.")


def _progress_bar(stream: Any) -> Progress:
    console = Console(file=cast(IO[str], stream))
    return Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
