"""Full references and provenance, for the programme page and the staff pages.

A reference is rendered from its structured fields (authors, year, title, journal,
volume, issue, pages, DOI, PubMed id); a publication recorded with only its short
citation is shown as it was recorded.
"""

from __future__ import annotations

from django import template

from guidebook.evidence.records import Publication

register = template.Library()

DOI_RESOLVER = "https://doi.org/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"


def _authors(authors: tuple[str, ...]) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _source(publication: Publication) -> str:
    """'Journal, 62(1), 199-209', from the parts the record has."""
    volume = publication.volume + (f"({publication.issue})" if publication.issue else "")
    return ", ".join(part for part in (publication.journal, volume, publication.pages) if part)


@register.simple_tag
def reference_parts(publication: Publication) -> dict[str, str]:
    """The pieces of a full reference, and its links, for a template to lay out.

    ``full`` is false when the record has no title: the page then shows the short
    citation instead.
    """
    year = f"({publication.year})" if publication.year else ""
    return {
        "full": "yes" if publication.title else "",
        "authors": " ".join(part for part in (_authors(publication.authors), year) if part),
        "title": publication.title.rstrip("."),
        "source": _source(publication),
        "doi": publication.doi,
        "doi_url": DOI_RESOLVER + publication.doi if publication.doi else "",
        "pmid": publication.pmid,
        "pubmed_url": f"{PUBMED}{publication.pmid}/" if publication.pmid else "",
    }
