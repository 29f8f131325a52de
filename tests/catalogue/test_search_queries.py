"""Search quality on the demo catalogue: realistic queries and the programmes they should find.

Each row is what a person might type and the programmes it should find, the one
they most likely want first; where several are equally good answers (a family of
programmes, a broad outcome), the row says ``ANY`` and any of them first will do. Expectations rest on what is stable in the demo records
(names, summaries, descriptions, delivery and published outcomes), not on studies,
which change as the evidence is recorded. The targets (issue 12): every expected
programme found for at least 95% of (query, programme) pairs, and the first
expected programme among the first three results for at least 90% of queries, on
SQLite and on PostgreSQL. The test prints both rates and every miss.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict

from guidebook.catalogue.finder import find_programmes

ALST = "advanced-lifeskills-training"
BBBS = "big-brothers-big-sisters"
COPING = "coping-power"
EFF = "e-family-foundations"
ENHANCED = "enhanced-triple-p"
FNP = "family-nurse-partnership"
FRIENDS_YOUTH = "friends-for-youth"
FUN_FRIENDS = "fun-friends"
GROUP_STEPPING = "group-stepping-stones-triple-p"
HIPPY = "home-instruction-for-parents-of-preschool-youngsters-hippy"
IY_DINOSAUR = "incredible-years-child-training-dinosaur-school"
IY_TEACHER = "incredible-years-teacher-classroom-management"
IY_TODDLER = "incredible-years-toddler"
IPP = "infant-parent-psychotherapy"
TEEN_TRIPLE_P = "level-4-group-teen-triple-p"
GROUP_TRIPLE_P = "level-4-group-triple-p"
MELLOW = "mellow-toddlers"
PAFT = "parents-as-first-teachers"
PARENTS_PLUS = "parents-plus-adolescent-programme"
PATHS = "paths-elementary-curriculum"
SEMINARS_STEPPING = "selected-seminars-stepping-stones-triple-p"
TRANSITIONS = "triple-p-family-transitions"
TRIPLE_P_ONLINE = "triple-p-online"

ANY = "any"
"""Any expected programme among the first three counts as a hit."""

TRIPLE_P = [
    GROUP_TRIPLE_P,
    TEEN_TRIPLE_P,
    ENHANCED,
    GROUP_STEPPING,
    SEMINARS_STEPPING,
    TRANSITIONS,
    TRIPLE_P_ONLINE,
]

QUERY_SET = [
    # Acronyms and other names
    ("IPP", [IPP]),
    ("FNP", [FNP]),
    ("IY", [IY_TODDLER, IY_DINOSAUR, IY_TEACHER], ANY),
    ("PATHS", [PATHS]),
    ("HIPPY", [HIPPY]),
    ("BBBS", [BBBS]),
    ("Nurse-Family Partnership", [FNP]),
    ("positive parenting program", TRIPLE_P, ANY),
    ("parents as teachers", [PAFT]),
    ("life skills", [ALST]),
    ("dinosaur school", [IY_DINOSAUR]),
    ("family foundations", [EFF]),
    ("triple p online", [TRIPLE_P_ONLINE]),
    ("teen triple p", [TEEN_TRIPLE_P]),
    ("stepping stones", [GROUP_STEPPING, SEMINARS_STEPPING], ANY),
    ("Incredible Years", [IY_TODDLER, IY_DINOSAUR, IY_TEACHER], ANY),
    ("Triple P", TRIPLE_P, ANY),
    # Outcomes and outcome areas, in the words people use
    ("mental health", [FRIENDS_YOUTH, IY_TEACHER, GROUP_TRIPLE_P, TRIPLE_P_ONLINE], ANY),
    ("depression", [IPP]),
    ("anxiety", [FRIENDS_YOUTH]),
    ("emotional wellbeing", [TRIPLE_P_ONLINE, BBBS]),
    ("behaviour problems", [GROUP_TRIPLE_P]),
    ("conduct problems", [GROUP_TRIPLE_P]),
    ("ADHD", [TRIPLE_P_ONLINE]),
    ("school readiness", [HIPPY]),
    ("literacy", [HIPPY]),
    ("maths", [HIPPY]),
    ("social skills", [IY_DINOSAUR, IY_TEACHER], ANY),
    ("attachment", [IPP]),
    ("infant mental health", [IPP]),
    ("substance misuse", [BBBS]),
    ("alcohol and drugs", [BBBS]),
    ("crime", [BBBS]),
    ("prosocial behaviour", [BBBS]),
    ("emotional problems", [GROUP_TRIPLE_P]),
    ("challenging behaviour", [GROUP_STEPPING]),
    ("self-regulation", [IY_TEACHER]),
    ("school attendance", [BBBS]),
    # Who it is for
    ("parenting", [*TRIPLE_P, IY_TODDLER, MELLOW, PARENTS_PLUS, PAFT, HIPPY, IPP], ANY),
    ("babies", [IPP, EFF]),
    ("pregnancy", [FNP, EFF]),
    ("expectant parents", [FNP, EFF]),
    ("teenagers", [TEEN_TRIPLE_P, PARENTS_PLUS, FRIENDS_YOUTH], ANY),
    ("group for parents of toddlers", [IY_TODDLER, MELLOW], ANY),
    ("developmental disability", [GROUP_STEPPING, SEMINARS_STEPPING], ANY),
    ("couples", [EFF]),
    ("divorce", [TRANSITIONS]),
    ("disadvantaged communities", [PAFT, IY_TODDLER], ANY),
    ("learning disabilities", [GROUP_STEPPING, SEMINARS_STEPPING], ANY),
    ("families at risk", [HIPPY, TRANSITIONS], ANY),
    ("first-time mothers", [FNP]),
    ("young mothers", [FNP]),
    # How and where it is delivered, and by whom
    ("home visiting", [FNP, PAFT, HIPPY], ANY),
    ("online parenting", [TRIPLE_P_ONLINE]),
    ("digital", [TRIPLE_P_ONLINE, EFF]),
    ("phone", [GROUP_TRIPLE_P, TEEN_TRIPLE_P], ANY),
    ("classroom management", [IY_TEACHER]),
    ("whole class curriculum", [PATHS]),
    ("secondary school", [FRIENDS_YOUTH]),
    ("mentoring", [BBBS]),
    ("one to one mentoring", [BBBS]),
    ("primary school teachers", [IY_TEACHER]),
    ("psychoanalytic", [IPP]),
    ("volunteer mentors", [BBBS]),
    ("nurses", [FNP]),
    ("midwives", [FNP]),
    ("psychotherapy", [IPP]),
    # Misspelt
    ("depresion", [IPP]),
    ("incredable years", [IY_TODDLER, IY_DINOSAUR, IY_TEACHER], ANY),
    ("psychoterapy", [IPP]),
    ("mentorng", [BBBS]),
    ("home visting", [FNP, PAFT, HIPPY], ANY),
]

RECALL_TARGET = 0.95
TOP_THREE_TARGET = 0.90


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker):
    """The demo catalogue, published once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_catalogue, db):
    return demo_catalogue


def search(text):
    query = QueryDict(mutable=True)
    query.update({"list": "all", "page_size": "100", "q": text})
    results = find_programmes(query, allow_scope=True)
    return [found.snapshot.slug for found in results.items]


def rows():
    for text, expected, *first in QUERY_SET:
        yield text, expected, set(expected) if first == [ANY] else {expected[0]}


def test_the_query_set_is_large_enough():
    assert len(QUERY_SET) >= 40
    assert len({row[0] for row in QUERY_SET}) == len(QUERY_SET)


def test_the_query_set_meets_its_recall_and_ranking_targets(demo):
    pairs = found_pairs = top_three = 0
    misses = []
    for text, expected, first in rows():
        found = search(text)
        missing = [slug for slug in expected if slug not in found]
        pairs += len(expected)
        found_pairs += len(expected) - len(missing)
        first_in_top_three = not first.isdisjoint(found[:3])
        top_three += first_in_top_three
        if missing or not first_in_top_three:
            misses.append(f"  {text!r}: missing {missing}, first three {found[:3]}")
    recall = found_pairs / pairs
    top_three_rate = top_three / len(QUERY_SET)
    print(
        f"\nsearch on {connection.vendor}: {len(QUERY_SET)} queries, recall "
        f"{recall:.1%} of {pairs} expected programmes, first expected in the top 3 for "
        f"{top_three_rate:.1%}"
    )
    print("\n".join(misses) or "  no misses")
    assert recall >= RECALL_TARGET
    assert top_three_rate >= TOP_THREE_TARGET


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IPP", [IPP]),  # whole words: not HIPPY
        ("HIPPY", [HIPPY]),  # not IPP
        ("IY", [IY_DINOSAUR, IY_TEACHER, IY_TODDLER]),
        ("FNP", [FNP]),
        ("PATHS", [PATHS]),
    ],
)
def test_acronyms_find_exactly_their_programmes(demo, text, expected):
    assert sorted(search(text)) == expected


def test_stop_words_alone_find_nothing(demo):
    # Nothing searchable was typed, and a search for nothing finds nothing.
    assert search("the of and") == []
