"""The reference page the project must not repeat, for the checks that it does not.

The page is not part of the project: it sits in ``../shared`` beside the repository
on the machine the project is built on, and nowhere else. Without it the checks
cannot run, so they are skipped and say why, rather than passing with nothing to
compare against.
"""

import re

import pytest

from tests.conftest import REPO

# The only place the tests look outside the repository (a user's clone has no ../shared).
SEED_PAGE = REPO.parent / "shared" / "seed" / "infant-parent-psychotherapy.txt"
RUN_LENGTH = 9


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def runs_of(text: str) -> set[str]:
    """Every run of ``RUN_LENGTH`` consecutive words in ``text``."""
    found = words(text)
    return {" ".join(found[i : i + RUN_LENGTH]) for i in range(len(found) - RUN_LENGTH + 1)}


def seed_runs() -> set[str]:
    """The reference page's runs of words; skips the calling test when it is absent."""
    if not SEED_PAGE.is_file():
        pytest.skip(
            f"the reference page is not beside this clone ({SEED_PAGE} is missing); "
            "the check that nothing repeats it runs only where ../shared exists"
        )
    return runs_of(SEED_PAGE.read_text(encoding="utf-8"))
