"""Write one stored programme as a record file in the documented JSON format.

The text is canonical (``record_file.canonical_json``): the same programme exports
byte for byte the same from SQLite and PostgreSQL, and export, import into an empty
database and export again gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guidebook.catalogue.convert import programmes_with_records, to_record
from guidebook.evidence.record_file import canonical_json
from guidebook.evidence.record_json import programme_to_dict


class Command(BaseCommand):
    help = "Export a programme as JSON (to standard output, or to --output FILE)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programmes_with_records().filter(slug=options["slug"]).first()
        if programme is None:
            raise CommandError(f"programme '{options['slug']}': no programme with this slug")
        text = canonical_json(programme_to_dict(to_record(programme)))
        if options["output"] is None:
            self.stdout.write(text, ending="")
        else:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
