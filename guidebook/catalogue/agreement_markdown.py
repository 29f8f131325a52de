"""The imported-ratings report as Markdown: the agreement table that docs/demo-catalogue.md shows.

One table of evidence ratings (published, then computed under each standard, newest
first, with the rules that decide each difference and the studies they turn on), the
agreement count under each standard, the full reason for every difference under the
newest standard (and under an older one where it says something the newest does not),
and one table of cost ratings. The docs page holds this text between two markers, and
a test checks it is what the report says today.
"""

from __future__ import annotations

from guidebook.catalogue.reports import Comparison, ImportedRatingRow, ImportedRatingsReport

__all__ = ["agreement_markdown"]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _rules(comparison: Comparison) -> str:
    """'`rule` (study, study); `rule`' or 'agrees' (subjects are cost inputs for cost)."""
    if comparison.agrees:
        return "agrees"
    return "; ".join(
        f"`{rule}` ({', '.join(subjects)})" if subjects else f"`{rule}`"
        for rule, subjects in zip(comparison.rules, comparison.subjects, strict=True)
    )


def _evidence_table(report: ImportedRatingsReport, order: tuple[str, ...]) -> list[str]:
    head = ["programme", "published"]
    for key in order:
        head += [key, f"what decides a difference under {key}"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in report.rows:
        cells = [row.name, row.evidence.imported]
        for key in order:
            comparison = row.by_standard[key]
            cells += [comparison.computed, _rules(comparison)]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return lines


def _details(row: ImportedRatingRow, key: str, already: tuple[str, ...]) -> list[str]:
    comparison = row.by_standard[key]
    new = [detail for detail in comparison.details if detail not in already]
    if not new:
        return []
    heading = (
        f"- **{row.name}**, computed {comparison.computed} under {key}, "
        f"published {comparison.imported}:"
    )
    return [heading, *(f"  - {detail}" for detail in new)]


def _reasons(report: ImportedRatingsReport, order: tuple[str, ...]) -> list[str]:
    newest, older = order[0], order[1:]
    lines: list[str] = []
    for row in report.rows:
        lines += _details(row, newest, ())
        for key in older:
            lines += _details(row, key, row.by_standard[newest].details)
    return lines or ["Every computed evidence rating matches its published one."]


def _cost_table(report: ImportedRatingsReport) -> list[str]:
    lines = [
        "| programme | published | computed | what decides a difference |",
        "| --- | --- | --- | --- |",
    ]
    for row in report.rows:
        cost = row.cost
        cells = [row.name, cost.imported, cost.computed, _rules(cost)]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return lines


def agreement_markdown(report: ImportedRatingsReport) -> str:
    """The report as Markdown (module docstring); ends with a newline."""
    order = tuple(reversed(report.standards))
    counts = "; ".join(report.agreement_lines)
    lines = [
        *_evidence_table(report, order),
        "",
        f"Agreement: {counts}.",
        "",
        "Why each evidence rating differs:",
        "",
        *_reasons(report, order),
        "",
        "Cost ratings:",
        "",
        *_cost_table(report),
    ]
    return "\n".join(lines) + "\n"
