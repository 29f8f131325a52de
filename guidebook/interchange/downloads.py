"""The published catalogue as open data: CSV tables and a Frictionless data package.

Every table is built from current published snapshots only (the same rows the public
pages read), so a draft can never reach a download. Each table is declared once, as
data: its columns with their types and descriptions, its primary key and its foreign
keys. The CSV writer, the ``datapackage.json`` descriptor, the downloads page and
``docs/open-data.md`` all follow from these declarations, so they cannot disagree.

Cells follow the Frictionless table schema defaults: booleans are ``true`` and
``false``, an empty cell is a missing value, dates are ISO 8601, and the ``object``
columns hold JSON. Text a spreadsheet would run as a formula is written with a
leading ``'`` (``guidebook.lib.csv_files``).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from guidebook.interchange import open_data_rows as table_rows
from guidebook.interchange.open_data_rows import PublishedProgramme, Row
from guidebook.lib.csv_files import Cell, csv_text, row_writer

__all__ = [
    "DATA_LICENCE",
    "PACKAGE_NAME",
    "TABLES",
    "Column",
    "OpenData",
    "PublishedProgramme",
    "Table",
    "build_open_data",
    "table",
    "write_open_data",
]

PACKAGE_NAME = "guidebook-catalogue"

# Guidebook's default for the data it publishes; an operator who publishes under
# other terms sets GUIDEBOOK_DATA_LICENCE in Django settings (see docs/open-data.md).
DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, Frictionless type and meaning."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    """One CSV file of the data package."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows_of: Callable[[PublishedProgramme], Iterable[Row]]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict[str, Any]:
        """The table's Frictionless table schema."""
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in self.columns
            ],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(own), "reference": {"resource": other, "fields": list(theirs)}}
                for own, other, theirs in self.foreign_keys
            ]
        return schema


# --- Cells --------------------------------------------------------------------------------


def _cell(value: Any) -> Cell:
    """A value as a CSV cell in the Frictionless defaults; numbers stay numbers."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# --- The tables --------------------------------------------------------------------------

_PROGRAMME_KEY = Column("programme", "string", "The programme's slug (see programmes.csv).")
_TO_PROGRAMMES = ((("programme",), "programmes", ("programme",)),)
_TO_STUDIES = ((("programme", "study"), "studies", ("programme", "study")),)


def _conduct_columns() -> tuple[Column, ...]:
    """How a study was run, for other clearinghouses' rules (docs/methodology/crosswalk.md)."""
    return (
        Column("usual_care", "boolean", "Run in a usual care setting; empty: not recorded."),
        Column("trial_sample", "string", "Trial sample id: reports of one trial share it."),
        Column("comparison", "string", "What the comparison group received."),
        Column("randomisation_compromised", "boolean", "Random assignment compromised."),
        Column("overall_attrition", "number", "Overall attrition (fraction)."),
        Column("differential_attrition", "number", "Attrition difference between groups."),
        Column("baseline_difference", "number", "Largest absolute baseline difference (SD)."),
        Column("baseline_adjusted", "boolean", "Analysis adjusts for baseline differences."),
        Column("confounded", "boolean", "A factor aligned with one condition."),
        Column("developer_independent", "boolean", "Evaluators independent of the developer."),
    )


def _provenance_columns(of: str) -> tuple[Column, ...]:
    """Where the study or finding was read from, when, and who appraised it."""
    return (
        Column("provenance_sources", "array", f"Web addresses the {of} was read from, as JSON."),
        Column("provenance_retrieved", "date", "When they were read."),
        Column("provenance_appraised_by", "string", f"Who appraised the {of}."),
        Column("provenance_note", "string", "A note on the provenance."),
    )


TABLES: tuple[Table, ...] = (
    Table(
        name="programmes",
        title="Programmes",
        description=(
            "One row per published programme: its ratings, the standard they were "
            "computed under, its cost estimate, delivery and implementation facts."
        ),
        columns=(
            Column("programme", "string", "The programme's slug: its stable identifier."),
            Column("name", "string", "The programme's name."),
            Column("summary", "string", "One-sentence summary."),
            Column("description", "string", "A longer description."),
            Column("evidence_rating", "string", "The evidence rating shown on its page."),
            Column(
                "rating_source",
                "string",
                "computed (from the studies appraised here) or imported (published by "
                "another guidebook, shown while the studies behind it are not yet "
                "appraised here).",
            ),
            Column(
                "rating_statement",
                "string",
                "The sentence its page shows on what the rating rests on when another "
                "guidebook published one too; empty when none did.",
            ),
            Column(
                "evidence_appraised",
                "boolean",
                "Whether at least one of its studies carries a consensus appraisal here.",
            ),
            Column(
                "computed_rating",
                "string",
                "The rating Guidebook computes from the appraised studies; empty while "
                "the rating is imported.",
            ),
            Column("standard_key", "string", "The standard the rating was computed under."),
            Column("standard_version", "string", "That standard's version."),
            Column("inputs_hash", "string", "A hash of everything the rating was computed from."),
            Column(
                "computed_summary",
                "string",
                "One line saying what the computed rating means for this programme; empty "
                "while the rating is imported.",
            ),
            Column(
                "imported_rating",
                "string",
                "The evidence rating another guidebook published; empty when none is recorded.",
            ),
            Column(
                "imported_cost_rating",
                "string",
                "The cost rating another guidebook published (NA if it gave none).",
            ),
            Column(
                "imported_source",
                "string",
                "Where those ratings were published; empty when none is recorded.",
            ),
            Column("imported_retrieved", "date", "When the published ratings were retrieved."),
            Column("imported_note", "string", "The note recorded with the published ratings."),
            Column("cost_rating", "string", "The cost rating shown: 1 (low) to 5 (high), or NA."),
            Column(
                "cost_rating_source",
                "string",
                "computed, or imported (shown while the cost model gives NA).",
            ),
            Column(
                "cost_rating_statement",
                "string",
                "The sentence reconciling the cost rating with a published one; empty "
                "when none is recorded.",
            ),
            Column("computed_cost_rating", "string", "The cost rating Guidebook's model gives."),
            Column("cost_label", "string", "The cost rating shown, in words."),
            Column("unit_cost", "number", "Estimated cost per child in pounds; empty when NA."),
            Column(
                "unit_cost_low",
                "number",
                "Least cost per child over the plausible ranges of unknown inputs; empty "
                "when an input the model needs is missing.",
            ),
            Column(
                "unit_cost_high",
                "number",
                "Greatest cost per child over the plausible ranges of unknown inputs.",
            ),
            Column(
                "cost_missing",
                "string",
                "Cost inputs without which no estimate is made, separated by '; '.",
            ),
            Column(
                "cost_deciding",
                "string",
                "When NA: unknown cost inputs whose range alone spans a band boundary, "
                "separated by '; '.",
            ),
            Column(
                "uk_provision",
                "boolean",
                "Whether it has been delivered in the UK (empty: not known).",
            ),
            Column(
                "uk_evaluation",
                "boolean",
                "Whether its best evidence includes a UK study (empty: not known).",
            ),
            Column("sessions", "integer", "Number of sessions."),
            Column("session_hours_min", "number", "Shortest session, in hours."),
            Column("session_hours_max", "number", "Longest session, in hours."),
            Column("frequency", "string", "How often sessions take place."),
            Column("duration", "string", "How long the programme lasts."),
            Column("practitioners", "string", "Who can deliver it."),
            Column("training", "string", "Training requirements."),
            Column("supervision", "string", "How practitioners are supervised."),
            Column("fidelity", "string", "Systems for keeping delivery faithful to the model."),
            Column("licence", "string", "Licensing requirement."),
            Column("contact_organisation", "string", "The organisation to contact."),
            Column("contact_website", "string", "The programme's website."),
            Column("first_published", "date", "When the guidebook first published it."),
            Column("last_updated", "date", "When its entry was last updated."),
            Column("published_at", "datetime", "When this snapshot was published."),
            Column("manual", "boolean", "A delivery manual exists; empty when not recorded."),
            Column(
                "dissemination_ready",
                "boolean",
                "Ready for dissemination; empty when not recorded.",
            ),
            Column("psc_area", "string", "PSC programme area key; empty when not recorded."),
        ),
        primary_key=("programme",),
        rows_of=table_rows.programme_rows,
    ),
    Table(
        name="characteristics",
        title="Programme characteristics",
        description=(
            "Who each programme is for and how and where it is delivered: one row per "
            "age group, delivery model, setting, level of need and country."
        ),
        columns=(
            _PROGRAMME_KEY,
            Column(
                "kind",
                "string",
                "age_group, delivery_model, setting, targeting (level of need) or country.",
            ),
            Column("key", "string", "The vocabulary key (the country's name for countries)."),
            Column("label", "string", "The value in words."),
        ),
        primary_key=("programme", "kind", "key"),
        rows_of=table_rows.characteristic_rows,
        foreign_keys=_TO_PROGRAMMES,
    ),
    Table(
        name="studies",
        title="Studies",
        description=(
            "One row per evaluation study of a published programme, with the level the "
            "standard gave it."
        ),
        columns=(
            _PROGRAMME_KEY,
            Column("study", "string", "The study's key, unique within its programme."),
            Column("position", "integer", "Its order on the programme's page."),
            Column("label", "string", "How pages name it, e.g. 'Study 1'."),
            Column("citation", "string", "Short citation."),
            Column("design", "string", "rct, qed, pre-post or other."),
            Column("country", "string", "Where it was carried out."),
            Column("sample", "string", "Who took part."),
            Column("sample_size", "integer", "Number of participants."),
            Column("timing", "string", "When outcomes were measured."),
            Column("independent", "boolean", "Run independently of the developer or provider."),
            Column("appraised", "boolean", "Whether it carries a consensus appraisal here."),
            Column(
                "level",
                "string",
                "Study level: below-2, 2, 2-quality or 3; empty while it is not appraised.",
            ),
            Column("level_label", "string", "The study level in words ('not yet appraised')."),
            Column("other_outcomes", "string", "Outcomes for others than the child, '; '."),
            *_conduct_columns(),
            *_provenance_columns("study"),
        ),
        primary_key=("programme", "study"),
        rows_of=table_rows.study_rows,
        foreign_keys=_TO_PROGRAMMES,
    ),
    Table(
        name="publications",
        title="Publications",
        description="The publications that report each study, one row each.",
        columns=(
            _PROGRAMME_KEY,
            Column("study", "string", "The study's key (see studies.csv)."),
            Column("position", "integer", "Its order among the study's publications."),
            Column("citation", "string", "Short citation, as pages show it."),
            Column("url", "string", "Where to read it."),
            Column("authors", "string", "Authors as 'Surname AB', in order, separated by '; '."),
            Column("year", "integer", "Year of publication."),
            Column("title", "string", "The article's title."),
            Column("journal", "string", "The journal (or other venue)."),
            Column("volume", "string", "Volume."),
            Column("issue", "string", "Issue."),
            Column("pages", "string", "Pages, e.g. 199-209."),
            Column("doi", "string", "DOI, bare (resolve at https://doi.org/)."),
            Column("pmid", "string", "PubMed id."),
        ),
        primary_key=("programme", "study", "position"),
        rows_of=table_rows.publication_rows,
        foreign_keys=_TO_STUDIES,
    ),
    Table(
        name="findings",
        title="Findings",
        description=(
            "One row per outcome measured in a study at one time point: who benefited, "
            "who reported it, its direction and significance, and its statistics."
        ),
        columns=(
            _PROGRAMME_KEY,
            Column("study", "string", "The study's key (see studies.csv)."),
            Column("finding", "string", "The finding's key, unique within its study."),
            Column("outcome", "string", "The outcome in words."),
            Column("category", "string", "Outcome category key (see outcomes.csv)."),
            Column("measure", "string", "The instrument or measure used."),
            Column(
                "reporter",
                "string",
                "Who reported it: participant, observer, assessor, records or teacher.",
            ),
            Column("beneficiary", "string", "child, parent, couple or family."),
            Column("months_after", "number", "Months after the programme ended."),
            Column(
                "direction",
                "string",
                "positive, null or negative, as recorded; empty when not recorded.",
            ),
            Column(
                "significant",
                "boolean",
                "Statistically significant, as recorded; empty when not recorded.",
            ),
            Column("statistics", "object", "Reported statistics as JSON, if recorded."),
            Column("psc_domain", "string", "PSC target outcome domain; empty: not recorded."),
            Column("blueprints_outcome", "string", "Blueprints outcome; empty: not recorded."),
            Column("harmful", "boolean", "A harmful effect; empty when not recorded."),
            Column(
                "months_after_treatment_end",
                "number",
                "Months after the end of treatment; empty when not recorded.",
            ),
            *_provenance_columns("finding"),
        ),
        primary_key=("programme", "study", "finding"),
        rows_of=table_rows.finding_rows,
        foreign_keys=_TO_STUDIES,
    ),
    Table(
        name="outcomes",
        title="Child outcomes",
        description=(
            "The child outcomes each programme is known to improve, by category, with "
            "the studies that support each one."
        ),
        columns=(
            _PROGRAMME_KEY,
            Column("category", "string", "Outcome category key."),
            Column("category_label", "string", "The outcome category in words."),
            Column("outcome", "string", "The outcome in words."),
            Column("studies", "string", "Labels of the supporting studies, separated by '; '."),
        ),
        primary_key=("programme", "category", "outcome"),
        rows_of=table_rows.outcome_rows,
        foreign_keys=_TO_PROGRAMMES,
    ),
    Table(
        name="ratings",
        title="Ratings and their reasons",
        description=(
            "Every rule the standard checked for each programme's computed rating, one "
            "row per rule: whether it was met and the values that decided it. Programme "
            "rules come first, then each study's. Programmes shown with an imported "
            "rating have no rows: no rule decided it."
        ),
        columns=(
            _PROGRAMME_KEY,
            Column("reason", "integer", "The reason's position in the programme's list."),
            Column("evidence_rating", "string", "The rating shown (as in programmes.csv)."),
            Column("computed_rating", "string", "The rating computed from the evidence."),
            Column("standard_key", "string", "The evidence standard applied."),
            Column("standard_version", "string", "That standard's version."),
            Column("scope", "string", "programme for a rating rule, study for a study rule."),
            Column("study", "string", "The study a study rule was checked on."),
            Column("rule", "string", "The rule's stable identifier."),
            Column("met", "boolean", "Whether the rule was met."),
            Column("values", "object", "The values that decided it, as JSON."),
        ),
        primary_key=("programme", "reason"),
        rows_of=table_rows.rating_rows,
        foreign_keys=_TO_PROGRAMMES,
    ),
    Table(
        name="cost_items",
        title="Cost breakdown",
        description=(
            "The itemised estimate behind each cost rating: one row per set-up or "
            "recurring item, in pounds per child. Programmes rated NA have none."
        ),
        columns=(
            _PROGRAMME_KEY,
            Column("item", "string", "The item's key."),
            Column("position", "integer", "Its order in the breakdown."),
            Column("label", "string", "The item in words."),
            Column("kind", "string", "set-up (shared over the horizon) or recurring."),
            Column("amount", "number", "Pounds per child, to the penny."),
            Column("formula", "string", "The sum that gave the amount."),
        ),
        primary_key=("programme", "item"),
        rows_of=table_rows.cost_item_rows,
        foreign_keys=_TO_PROGRAMMES,
    ),
)

_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The table called ``name``; ``KeyError`` if there is none."""
    return _BY_NAME[name]


# --- The whole package ---------------------------------------------------------------------


@dataclass(frozen=True)
class OpenData:
    """Every table as CSV text, with row counts and the package descriptor."""

    csv_text: dict[str, str]
    row_counts: dict[str, int]
    descriptor: dict[str, Any] = field(default_factory=dict)

    def descriptor_json(self) -> str:
        return _package_json(self.descriptor)


def _package_json(package: dict[str, Any]) -> str:
    """``datapackage.json`` as written everywhere: UTF-8 text, indented, newline-ended."""
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def _csv(table_: Table, rows: list[Row]) -> str:
    return csv_text(
        [column.name for column in table_.columns],
        ([_cell(row[column.name]) for column in table_.columns] for row in rows),
    )


def descriptor(created: str | None, licence: dict[str, str]) -> dict[str, Any]:
    """The Frictionless (tabular) data package descriptor for the tables."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Guidebook: the published catalogue",
        "description": (
            "Every programme currently published in this guidebook, with its evidence "
            "and cost ratings, the reasons for them, its studies and findings. A rating "
            "is computed from the studies appraised here, or imported: published by "
            "another guidebook and shown, with its source and date, while the studies "
            "behind it are not yet appraised here (rating_source, rating_statement and "
            "the imported_ columns of programmes.csv). Built from published snapshots "
            "only; see docs/open-data.md."
        ),
        "licenses": [licence],
        "resources": [
            {
                "name": t.name,
                "path": t.path,
                "title": t.title,
                "description": t.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": t.schema(),
            }
            for t in TABLES
        ],
    }
    if created is not None:
        package["created"] = created
    return package


ZIP_NAME = "guidebook-open-data.zip"
COUNTS_NAME = "row-counts.json"


def write_open_data(
    programmes: Iterable[PublishedProgramme], folder: Path, licence: dict[str, str] | None = None
) -> dict[str, int]:
    """Write every table's CSV file into ``folder`` as ``programmes`` go by, then
    ``datapackage.json``, the zip of them all and the row counts; answer the counts.

    Only one programme's rows are held at a time, so a catalogue of any size is written
    in the memory of one programme (``build_open_data`` holds every row).
    """
    counts = {t.name: 0 for t in TABLES}
    latest: str | None = None
    with ExitStack() as files:
        writers = {
            t.name: row_writer(
                files.enter_context((folder / t.path).open("w", encoding="utf-8", newline="")),
                [column.name for column in t.columns],
            )
            for t in TABLES
        }
        for published in programmes:
            for t in TABLES:
                for row in t.rows_of(published):
                    writers[t.name]([_cell(row[column.name]) for column in t.columns])
                    counts[t.name] += 1
            latest = max(latest or published.published_at, published.published_at)
    package = _package_json(descriptor(latest, licence or DATA_LICENCE))
    (folder / "datapackage.json").write_text(package, encoding="utf-8")
    with zipfile.ZipFile(folder / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / "datapackage.json", "datapackage.json")
        for t in TABLES:
            archive.write(folder / t.path, t.path)
    (folder / COUNTS_NAME).write_text(json.dumps(counts), encoding="utf-8")
    return counts


def build_open_data(
    programmes: Iterable[PublishedProgramme], licence: dict[str, str] | None = None
) -> OpenData:
    """Every table, its rows from ``programmes`` in the order given."""
    rows: dict[str, list[Row]] = {t.name: [] for t in TABLES}
    latest: str | None = None
    for published in programmes:
        for t in TABLES:
            rows[t.name].extend(t.rows_of(published))
        latest = max(latest or published.published_at, published.published_at)
    counts = {name: len(found) for name, found in rows.items()}
    return OpenData(
        csv_text={t.name: _csv(t, rows[t.name]) for t in TABLES},
        row_counts=counts,
        descriptor=descriptor(latest, licence or DATA_LICENCE),
    )
