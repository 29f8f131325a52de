"""Full-text search of the published catalogue, on SQLite or PostgreSQL.

``search_programmes(text)`` answers with the ids of the programmes matching the text,
best match first; the finder keeps those among the programmes its filters allow and
ranks them in that order. What a query means is decided here, the same way for both
databases (``expression``): the words typed, stemmed by the database; synonyms and
programme aliases from curated tables (``vocabulary``); and, when nothing is found,
the indexed words nearest in spelling to a misspelt word (``typos``). How it is
looked up is each database's own (``backends``). The index is written in the
transaction that publishes (``store``). docs/search.md tells the whole story.
"""

from __future__ import annotations

from django.db import connection

from guidebook.catalogue.search.backends import backend_for
from guidebook.catalogue.search.expression import SearchExpression, parse
from guidebook.catalogue.search.typos import corrections

__all__ = ["search_programmes"]


def _corrected(expression: SearchExpression, candidates: dict[str, list[str]]) -> SearchExpression:
    return expression.corrected(
        {word: corrections(word, found) for word, found in candidates.items()}
    )


def search_programmes(text: str) -> list[int]:
    """Ids of the current programmes matching ``text``, best match first.

    One query when something is found; when nothing is, one more to look up the
    words a misspelling may stand for and, if there are any, one to search again.
    """
    expression = parse(text)
    if not expression.terms:
        return []
    backend = backend_for(connection)
    found = backend.ranked(expression)
    words = [term.correctable for term in expression.terms if term.correctable]
    if found or not words:
        return found
    corrected = _corrected(expression, backend.candidates(words))
    return backend.ranked(corrected) if corrected != expression else []
