"""Correcting a misspelt search word to words the catalogue holds.

When a search finds nothing, each correctable word (``Term.correctable``) is compared
with the words indexed (``SearchTerm``); those within a small edit distance become
alternatives. The distance is the optimal string alignment distance (Levenshtein's
insertions, deletions and substitutions, plus swaps of adjacent letters, after
Damerau 1964), the usual measure of typing slips. Both backends decide with it; they
differ only in how they pick the candidates to compare (PostgreSQL by trigram
similarity, with pg_trgm's index; SQLite by length).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["MAX_CORRECTIONS", "allowed_edits", "corrections", "edit_distance"]

MAX_CORRECTIONS = 3
_LONG_WORD = 8


def allowed_edits(word: str) -> int:
    """One slip in a word of up to seven letters, two in a longer one."""
    return 2 if len(word) >= _LONG_WORD else 1


def edit_distance(first: str, second: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` once it must exceed ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(second) + 1))
    for i, letter in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            cost = letter != other
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and letter == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        # Every later cell builds on this row, or (a swap) on the one before plus one.
        if min(current) > limit and min(previous) + 1 > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def corrections(word: str, candidates: Iterable[str]) -> list[str]:
    """The candidates closest to ``word`` within its allowed edits, alphabetically.

    None when ``word`` is itself a candidate: a word the catalogue holds is not a
    misspelling, even if the search found nothing.
    """
    limit = allowed_edits(word)
    distances: dict[str, int] = {}
    for candidate in candidates:
        if candidate == word:
            return []
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            distances[candidate] = distance
    if not distances:
        return []
    nearest = min(distances.values())
    return sorted(c for c, d in distances.items() if d == nearest)[:MAX_CORRECTIONS]
