"""The curated part of search: synonyms of what people type, and programme aliases.

Stemming finds "parents" for "parenting" and "visits" for "visiting", but not
"mental health" for "depression", nor "Incredible Years" for "IY". These two small
tables add what stemming cannot; docs/search.md explains each choice. Every phrase
here is compared after ``text.fold``: lower case, no accents, punctuation as spaces.

- ``SYNONYMS``: a word or phrase a person may type, and the phrases a programme may
  use for the same thing. A query word with synonyms matches a programme that has the
  word *or* any of them. The expansion runs one way: "depression" also finds "mental
  health", but "mental health" does not find every mention of "mood".
- ``ALIASES``: other names a programme is known by (acronyms that are not simply the
  initials of its name, older or overseas names). Initials are worked out from the
  name itself (``acronyms``), so most programmes need no entry.
- ``CATALOGUE_WORDS``: words that tell programmes apart no better than "the" does,
  since every entry is a programme; a query drops them unless nothing else is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from guidebook.catalogue.search.text import STOPWORDS, fold

__all__ = [
    "ALIASES",
    "CATALOGUE_WORDS",
    "SYNONYMS",
    "Alias",
    "Synonym",
    "acronyms",
    "aliases_of",
    "synonyms_by_phrase",
]


@dataclass(frozen=True)
class Synonym:
    """Phrases people type (``typed``) and what a programme's text may say instead."""

    typed: tuple[str, ...]
    also: tuple[str, ...]


@dataclass(frozen=True)
class Alias:
    """Other names of every programme whose name holds ``name`` as whole words."""

    name: str
    aliases: tuple[str, ...]


def _synonym(typed: str, also: str) -> Synonym:
    return Synonym(tuple(typed.split(", ")), tuple(also.split(", ")))


# Typed forms are listed where stemming would not join them (depressed/depression do
# not share a Porter stem; behaviour/behavior differ in spelling).
SYNONYMS: tuple[Synonym, ...] = (
    # Mental health: the outcome area's label says "mental health and wellbeing";
    # people search for the conditions.
    _synonym(
        "depression, depressed, depressive, low mood",
        "depression, depressed, low mood, mental health, internalising, emotional",
    ),
    _synonym(
        "anxiety, anxious, anxieties, worry, worries",
        "anxiety, anxious, worry, fear, mental health, internalising, emotional",
    ),
    _synonym("mental health", "mental health, wellbeing, emotional, psychological"),
    _synonym("wellbeing, well being", "wellbeing, well being, mental health, emotional"),
    _synonym("internalising, internalizing", "internalising, internalizing, anxiety, depression"),
    _synonym("adhd, hyperactivity, hyperactive", "adhd, hyperactivity, hyperactive, attention"),
    # Behaviour: UK and US spellings, and the clinical words for the same problems.
    _synonym(
        "behaviour, behavior, behavioural, behavioral, behaviours, behaviors",
        "behaviour, behavior, conduct, externalising, disruptive, antisocial",
    ),
    _synonym(
        "conduct, conduct problems, conduct disorder",
        "conduct, behaviour, behavior, externalising, disruptive",
    ),
    _synonym("externalising, externalizing", "externalising, externalizing, behaviour, conduct"),
    _synonym(
        "crime, criminal, offending, offender, delinquency, delinquent",
        "crime, criminal, offending, delinquency, antisocial, arrest",
    ),
    _synonym(
        "violence, violent, aggression, aggressive",
        "violence, violent, aggression, aggressive, antisocial",
    ),
    _synonym(
        "drugs, drug, alcohol, smoking, tobacco, cannabis, substance use",
        "substance, drug, alcohol, smoking, tobacco, cannabis",
    ),
    _synonym(
        "abuse, neglect, maltreatment, child protection, safeguarding",
        "maltreatment, abuse, neglect, child protection, safeguarding",
    ),
    _synonym(
        "obesity, overweight, weight",
        "obesity, overweight, weight, healthy physical development",
    ),
    _synonym(
        "sexual health, sex education, teen pregnancy",
        "risky sexual behaviour, teen pregnancy, sexual health",
    ),
    # Learning.
    _synonym(
        "school readiness, ready for school",
        "school readiness, early learning, literacy, numeracy, maths",
    ),
    _synonym("literacy, reading", "literacy, reading"),
    _synonym("maths, math, mathematics, numeracy", "maths, math, mathematics, numeracy"),
    _synonym(
        "attainment, achievement, educational",
        "attainment, achievement, school achievement, educational",
    ),
    _synonym(
        "social skills, social competence",
        "social skills, social competence, prosocial, social problem solving, peer",
    ),
    # Relationships.
    _synonym("attachment, bonding", "attachment, bonding"),
    _synonym("mentoring, mentor, mentors", "mentoring, mentor, befriending"),
    # Who it is for.
    # Couples expecting a child are parents-to-be.
    _synonym("parenting, parent, parents", "parent, parenting, mother, father, carer, couple"),
    _synonym("mother, mothers, mum, mums, mom, moms, maternal", "mother, mum, maternal"),
    _synonym("father, fathers, dad, dads, paternal", "father, dad, paternal"),
    _synonym("baby, babies, newborn, newborns, infant, infants", "baby, infant, newborn"),
    _synonym(
        "teenager, teenagers, teen, teens, teenage, adolescent, adolescents, adolescence",
        "teenager, teen, teenage, adolescent, adolescence, young people, youth",
    ),
    _synonym("young people", "young people, youth, adolescent, teenager"),
    _synonym(
        "pregnancy, pregnant, antenatal, prenatal, expectant, expecting, perinatal",
        "pregnancy, pregnant, antenatal, prenatal, expectant, expecting, perinatal",
    ),
    _synonym(
        "disability, disabilities, disabled, special needs",
        "disability, disabled, special needs",
    ),
    _synonym("autism, autistic, asd", "autism, autistic, developmental disability"),
    _synonym(
        "learning disability, learning disabilities, intellectual disability",
        "learning disability, intellectual disability, developmental disability",
    ),
    # Not "separation": it shares its stem with "separate groups".
    _synonym("divorce, divorced", "divorce, parental separation, family transitions"),
    # How and where it is delivered: the delivery-model and setting labels' words.
    _synonym(
        "home visiting, home visit, home visits, home visitor, home visitors",
        "home visiting, home visit, home visitor, visited at home, visits at home",
    ),
    _synonym(
        "online, digital, internet, web, app",
        "online, digital, internet, web, app",
    ),
    _synonym("phone, telephone", "phone, telephone"),
    _synonym(
        "therapy, psychotherapy, counselling, counseling",
        "therapy, psychotherapy, therapist, counselling, counseling",
    ),
    _synonym(
        "nursery, early years, kindergarten",
        "nursery, early years, kindergarten, preschool",
    ),
    _synonym("center, centre", "centre, center"),
)

ALIASES: tuple[Alias, ...] = (
    Alias("incredible years", ("iy",)),
    Alias("triple p", ("ppp", "positive parenting program", "positive parenting programme")),
    Alias("family nurse partnership", ("nurse family partnership", "nfp")),
    Alias("paths", ("promoting alternative thinking strategies",)),
    Alias("lifeskills training", ("lst", "botvin lifeskills")),
    Alias("parents as first teachers", ("parents as teachers", "pat")),
    Alias("stepping stones triple p", ("sstp",)),
    Alias("dinosaur school", ("dina dinosaur",)),
    Alias("e family foundations", ("efamily foundations",)),
)

CATALOGUE_WORDS = frozenset(
    {"programme", "programmes", "program", "programs", "intervention", "interventions"}
)

_PARENTHESES = re.compile(r"\(([^)]*)\)")
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_SHORTEST_ACRONYM = 3


def synonyms_by_phrase() -> Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each typed phrase (as words) with every phrase it stands for, itself first."""
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for synonym in SYNONYMS:
        for typed in synonym.typed:
            key = tuple(fold(typed).split())
            phrases = [key, *(tuple(fold(also).split()) for also in synonym.also)]
            table[key] = tuple(dict.fromkeys(phrases))
    return MappingProxyType(table)


def _initials(name_words: Iterable[str]) -> str:
    return "".join(word[0] for word in name_words if word[0].isalpha())


def acronyms(name: str) -> set[str]:
    """Initialisms of a programme's name, folded, of three letters or more.

    "Infant-Parent Psychotherapy" gives "ipp"; "Home Instruction for Parents of
    Preschool Youngsters" gives "hifpopy" and, without its small words, "hippy". Words
    inside brackets make a name of their own; numbers are skipped; a word written
    "LifeSkills" counts as two.
    """
    names = [_PARENTHESES.sub(" ", name), *_PARENTHESES.findall(name)]
    found = set()
    for part in names:
        name_words = fold(_CAMEL_HUMP.sub(" ", part)).split()
        content = [word for word in name_words if word not in STOPWORDS]
        found |= {_initials(name_words), _initials(content)}
    return {acronym for acronym in found if len(acronym) >= _SHORTEST_ACRONYM}


def aliases_of(name: str) -> list[str]:
    """Every other name search knows ``name`` by: initials, curated aliases, split words."""
    folded = f" {fold(name)} "
    found = sorted(acronyms(name))
    for alias in ALIASES:
        if f" {alias.name} " in folded:
            found.extend(alias.aliases)
    split = fold(_CAMEL_HUMP.sub(" ", name))
    if split != folded.strip():
        found.append(split)
    return found
