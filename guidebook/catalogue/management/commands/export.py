"""Write one stored programme as a record file in the documented JSON format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guidebook.catalogue.convert import programmes_with_records, to_record
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
        text = json.dumps(programme_to_dict(to_record(programme)), indent=2, ensure_ascii=False)
        if options["output"] is None:
            self.stdout.write(text)
        else:
            options["output"].write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
