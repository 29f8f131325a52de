"""What a search asks for: the terms a programme must mention, each with alternatives.

``parse`` turns the words typed into a ``SearchExpression``. Every term must be found
in a programme (AND, as the finder always required of each word); a term is found
when any of its phrases is (OR). A term's phrases are the words typed, then their
synonyms (``vocabulary.SYNONYMS``), then, only when nothing at all was found, the
indexed words closest in spelling (``typos``). Both backends read the same
expression, so they agree on what a query means and differ only in stemming and
ranking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from guidebook.catalogue.search.text import STOPWORDS, words
from guidebook.catalogue.search.vocabulary import CATALOGUE_WORDS, synonyms_by_phrase

__all__ = ["Phrase", "SearchExpression", "Term", "parse"]

Phrase = tuple[str, ...]
"""Folded words that must appear together, in this order."""

_SYNONYMS = synonyms_by_phrase()
_LONGEST_SYNONYM = max(len(typed) for typed in _SYNONYMS)
_SHORTEST_CORRECTED = 4


@dataclass(frozen=True)
class Term:
    """Something typed that a programme must mention, and what else will do for it."""

    typed: Phrase
    phrases: tuple[Phrase, ...]
    corrections: tuple[Phrase, ...] = ()
    """Indexed words the typed word is taken to be a misspelling of."""

    @property
    def as_meant(self) -> tuple[Phrase, ...]:
        """What was typed, or the words it was corrected to, without synonyms."""
        return (self.typed, *self.corrections)

    @property
    def correctable(self) -> str | None:
        """The typed word, if a misspelling of it may be corrected.

        Only a single word of four letters or more without synonyms: shorter words
        (and acronyms) are too close to too many others, and a word with synonyms is
        one the tables know.
        """
        if len(self.typed) != 1 or len(self.phrases) != 1:
            return None
        word = self.typed[0]
        return word if word.isalpha() and len(word) >= _SHORTEST_CORRECTED else None


@dataclass(frozen=True)
class SearchExpression:
    """Terms that must all be found; empty when nothing searchable was typed.

    ``whole`` is every word typed, in order, when there are several (``boosts``).
    """

    terms: tuple[Term, ...]
    whole: Phrase = ()

    def boosts(self) -> list[SearchExpression]:
        """What ranks a programme higher, most telling first: every word typed as one
        phrase, then every term as typed or corrected (before synonyms)."""
        found = []
        if self.whole:
            found.append(SearchExpression((Term(self.whole, (self.whole,)),)))
        literal = tuple(Term(term.typed, term.as_meant) for term in self.terms)
        if any(term.as_meant != term.phrases for term in self.terms):
            found.append(SearchExpression(literal))
        return found

    def corrected(self, corrections: Mapping[str, Sequence[str]]) -> SearchExpression:
        """The same expression with each misspelt word's corrections (and their
        synonyms) as alternatives."""
        terms = []
        for term in self.terms:
            corrected = tuple((word,) for word in corrections.get(term.correctable or "", ()))
            extra = tuple(phrase for word in corrected for phrase in _term(word).phrases)
            phrases = tuple(dict.fromkeys(term.phrases + extra))
            terms.append(replace(term, phrases=phrases, corrections=corrected))
        return replace(self, terms=tuple(terms))


def _term(typed: Phrase) -> Term:
    return Term(typed, _SYNONYMS.get(typed, (typed,)))


def parse(text: str) -> SearchExpression:
    """The expression for the text typed in a search box.

    Phrases of the synonym table are recognised first, longest first ("home visiting"
    before "home"). Stop words ("the", "for") are dropped, and so are words every
    programme could claim ("programme"), unless only such words were typed.
    """
    typed = words(text)
    terms: list[Term] = []
    common: list[Term] = []
    position = 0
    while position < len(typed):
        for length in range(min(_LONGEST_SYNONYM, len(typed) - position), 0, -1):
            phrase = tuple(typed[position : position + length])
            if length == 1 or phrase in _SYNONYMS:
                break
        position += length
        if length == 1 and phrase[0] in STOPWORDS:
            continue
        (common if length == 1 and phrase[0] in CATALOGUE_WORDS else terms).append(_term(phrase))
    chosen = tuple(dict.fromkeys(terms or common))
    whole = tuple(typed) if len(typed) > 1 and chosen else ()
    return SearchExpression(chosen, whole)
