"""Full-text search in each database Guidebook runs on, behind one interface.

Both answer the same ``SearchExpression`` with programme ids, best match first, and
both look up the indexed words a misspelling may be corrected to. docs/search.md
compares them.

- ``SqliteSearch``: an FTS5 table (Porter stemmer over the unicode61 tokenizer) ranked
  by BM25 with per-field weights. Misspellings: the indexed words of about the same
  length, compared in Python (``typos``).
- ``PostgresSearch``: a weighted ``tsvector`` with the "english" configuration
  (Snowball stemmer), ranked by ``ts_rank`` with the field weights. (``ts_rank_cd``,
  cover density, ranked the query set no better and took twice as long over 2,000
  programmes.) Misspellings: words of similar trigrams (pg_trgm, with its index),
  then compared as in SQLite.

Ties are broken by name, then programme id, so an order never depends on the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.db.backends.base.base import BaseDatabaseWrapper

from guidebook.catalogue.search.expression import Phrase, SearchExpression
from guidebook.catalogue.search.typos import allowed_edits

__all__ = ["PostgresSearch", "SearchBackend", "SqliteSearch", "backend_for"]

# Per field, in the order of SearchDocument's text columns: name, aliases, summary,
# outcomes, description, delivery, studies. PostgreSQL's four weights (A to D) are
# its defaults, 1.0, 0.4, 0.2 and 0.1; SQLite's are in the same proportions.
SQLITE_WEIGHTS = (10.0, 10.0, 4.0, 4.0, 2.0, 2.0, 1.0)
POSTGRES_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
_CANDIDATES_PER_WORD = 20


class SearchBackend(Protocol):
    def ranked(self, expression: SearchExpression) -> list[int]:
        """Ids of the programmes matching every term, best match first."""
        ...

    def candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        """Indexed words that each of ``words`` might be a misspelling of."""
        ...


def _quoted(phrase: Phrase) -> str:
    # Folded words hold letters and digits only, so they need no escaping inside quotes.
    return '"' + " ".join(phrase) + '"'


def fts5_query(expression: SearchExpression) -> str:
    """The FTS5 MATCH text: each term's phrases ORed, the terms ANDed."""
    return " AND ".join(
        "(" + " OR ".join(_quoted(phrase) for phrase in term.phrases) + ")"
        for term in expression.terms
    )


class SqliteSearch:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def ranked(self, expression: SearchExpression) -> list[int]:
        boosts = expression.boosts()
        params = [fts5_query(expression), *(fts5_query(boost) for boost in boosts)]
        first = (
            "document.id IN (SELECT rowid FROM catalogue_searchdocument_fts "
            "WHERE catalogue_searchdocument_fts MATCH %s) DESC, "
        ) * len(boosts)
        weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
        sql = (
            "SELECT document.programme_id FROM catalogue_searchdocument_fts "
            "JOIN catalogue_searchdocument AS document "
            "ON document.id = catalogue_searchdocument_fts.rowid "
            "WHERE catalogue_searchdocument_fts MATCH %s "
            f"ORDER BY {first}bm25(catalogue_searchdocument_fts, {weights}), "
            "document.name, document.programme_id"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        shortest = min(len(word) - allowed_edits(word) for word in words)
        longest = max(len(word) + allowed_edits(word) for word in words)
        sql = "SELECT word FROM catalogue_searchterm WHERE length(word) BETWEEN %s AND %s"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [shortest, longest])
            known = [row[0] for row in cursor.fetchall()]
        return {
            word: [c for c in known if abs(len(c) - len(word)) <= allowed_edits(word)]
            for word in words
        }


def tsquery_sql(expression: SearchExpression) -> tuple[str, list[str]]:
    """A tsquery expression and its parameters: phrases ORed (||), terms ANDed (&&)."""
    terms = [
        "(" + " || ".join("phraseto_tsquery('english', %s)" for _ in term.phrases) + ")"
        for term in expression.terms
    ]
    params = [" ".join(phrase) for term in expression.terms for phrase in term.phrases]
    return " && ".join(terms), params


class PostgresSearch:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def ranked(self, expression: SearchExpression) -> list[int]:
        tsquery, params = tsquery_sql(expression)
        first = ""
        for boost in expression.boosts():
            boost_sql, boost_params = tsquery_sql(boost)
            first += f"document.vector @@ ({boost_sql}) DESC, "
            params += boost_params
        sql = (
            f"WITH search AS (SELECT {tsquery} AS query) "
            "SELECT document.programme_id FROM catalogue_searchdocument AS document, search "
            "WHERE document.vector @@ search.query "
            f"ORDER BY {first}"
            f"ts_rank('{POSTGRES_WEIGHTS}', document.vector, search.query) DESC, "
            "document.name, document.programme_id"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def candidates(self, words: Sequence[str]) -> dict[str, list[str]]:
        # "%%" is pg_trgm's similarity operator (above pg_trgm.similarity_threshold,
        # 0.3 by default), which the trigram index answers.
        sql = (
            "SELECT typed.word, near.word FROM unnest(%s::text[]) AS typed(word) "
            "CROSS JOIN LATERAL (SELECT term.word FROM catalogue_searchterm AS term "
            "WHERE term.word %% typed.word "
            "ORDER BY similarity(term.word, typed.word) DESC, term.word LIMIT %s) AS near"
        )
        found: dict[str, list[str]] = {word: [] for word in words}
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [list(words), _CANDIDATES_PER_WORD])
            for typed, near in cursor.fetchall():
                found[typed].append(near)
        return found


def backend_for(connection: BaseDatabaseWrapper) -> SearchBackend:
    """The search of the database ``connection`` talks to."""
    if connection.vendor == "postgresql":
        return PostgresSearch(connection)
    if connection.vendor == "sqlite":
        return SqliteSearch(connection)
    raise NotImplementedError(f"search has no backend for the {connection.vendor} database")
