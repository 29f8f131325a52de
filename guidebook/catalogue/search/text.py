"""Words as search sees them: folded, split, and the words too common to search for.

Documents and queries go through ``fold`` before either database sees them, so both
backends index and search exactly the same characters: letter case and accents do not
matter ("École" is "ecole", "straße" is "strasse"), and anything that is not a letter
or a digit separates words ("home-visiting" is "home visiting", "fun_time" is
"fun time", "children's" is "children s"). Stemming is the databases' own (Porter in
SQLite's FTS5, Snowball English in PostgreSQL).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["STOPWORDS", "fold", "words"]

_NOT_A_WORD_CHARACTER = re.compile(r"[\W_]+")

# The English stop-word list PostgreSQL's "english" configuration uses (Snowball's,
# shipped as tsearch_data/english.stop). Queries drop these words on both databases,
# so SQLite (whose FTS5 keeps every word) answers as PostgreSQL does.
_STOPWORD_LIST = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, with one space between its words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_A_WORD_CHARACTER.sub(" ", bare).split())


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return fold(text).split()
