"""The demo catalogue's computed ratings against the published ones, pinned.

For every demo programme: the published evidence rating; the rating computed under
eif-2018 and under eif-2017 with, for each difference, the rule that decides it and the
studies it turns on; the published and computed cost rating with the part of the cost
model that decides a difference and the inputs it turns on. A change in rules or
records that moves any of these fails here. When the change is deliberate, regenerate
the table and the docs section (tests/catalogue/agreement_rows.py says how):

    PYTHONPATH=. .venv/bin/python -m tests.catalogue.agreement_rows --write

Rules are never changed to make a row agree; a row that disagrees keeps its reason.
"""

import pytest

from tests.catalogue.agreement_rows import agreement_rows, demo_report, docs_section

# Each row: slug, published evidence rating,
#   eif-2018 computed, ((rule, (study, ...)), ...), eif-2017 computed, ((rule, (study, ...)), ...),
#   published cost rating, computed cost rating, ((cost rule, (input, ...)), ...)
# --- agreement table: start
# fmt: off
TABLE = [
    ("advanced-lifeskills-training", "3+", "3+", (), "3+", (), "1", "1", ()),
    ("big-brothers-big-sisters", "3+", "3+", (), "3+", (), "NA", "4", (("cost.band", ("delivery", "supervision")),)),
    ("coping-power", "3+", "3+*", (("asterisk.mixed-findings", ("lochman-wells-2004",)),), "3+", (), "2", "2", ()),
    ("e-family-foundations", "3", "3", (), "3", (), "NA", "2", (("cost.band", ("delivery", "supervision")),)),
    ("enhanced-triple-p", "3+", "3+", (), "3+", (), "2", "NA", (("cost.required-inputs", ("sessions",)),)),
    ("family-nurse-partnership", "4+", "4+*", (("asterisk.mixed-findings", ("building-blocks",)),), "4+", (), "5", "NA", (("cost.plausible-range", ("supervision_hours_per_family",)),)),
    ("friends-for-youth", "3", "2+", (("rating-3.rigorous-positive-study", ("barker-2008",)),), "2+", (("rating-3.rigorous-positive-study", ("barker-2008",)),), "1", "NA", (("cost.plausible-range", ("practitioner_level", "practitioner_training_fee", "licence_fee")),)),
    ("fun-friends", "2", "2", (), "2", (), "1", "1", ()),
    ("group-stepping-stones-triple-p", "3+", "3", (("rating-3.plus.other-supporting-study", ("whittingham-2009",)),), "3", (("rating-3.plus.other-supporting-study", ("whittingham-2009",)),), "1", "NA", (("cost.plausible-range", ()),)),
    ("home-instruction-for-parents-of-preschool-youngsters-hippy", "2+", "2+", (), "2+", (), "NA", "2", (("cost.band", ("delivery", "supervision")),)),
    ("incredible-years-child-training-dinosaur-school", "3+", "3+", (), "3+", (), "2", "NA", (("cost.plausible-range", ()),)),
    ("incredible-years-teacher-classroom-management", "3+", "3+*", (("asterisk.mixed-findings", ("stars-2019",)),), "3+", (), "1", "NA", (("cost.plausible-range", ("practitioner_level", "practitioners_per_session", "practitioner_training_fee", "practitioner_training_hours", "session_hours", "families_per_group", "materials_per_family", "supervision_hours_per_family", "setup_materials")),)),
    ("incredible-years-toddler", "2+", "2+", (), "2+", (), "2", "2", ()),
    ("infant-parent-psychotherapy", "3+", "3+", (), "3+", (), "NA", "4", (("cost.band", ("delivery", "supervision")),)),
    ("level-4-group-teen-triple-p", "3", "3", (), "3", (), "1", "1", ()),
    ("level-4-group-triple-p", "3+", "2+", (("rating-3.rigorous-positive-study", ("matsumoto-2007", "turner-2007")),), "2+", (("rating-3.rigorous-positive-study", ("matsumoto-2007", "turner-2007")),), "1", "1", ()),
    ("mellow-toddlers", "2", "NL2", (("rating-2.supporting-study", ("mellow-pre-post",)),), "NL2", (("rating-2.supporting-study", ("mellow-pre-post",)),), "2", "NA", (("cost.plausible-range", ()),)),
    ("parents-as-first-teachers", "2+", "2*", (("rating-2.plus.higher-quality-design", ("zigler-2008", "drotar-2009")), ("asterisk.mixed-findings", ("drotar-2009",))), "2", (("rating-2.plus.higher-quality-design", ("zigler-2008", "drotar-2009")),), "4", "NA", (("cost.required-inputs", ("sessions",)),)),
    ("parents-plus-adolescent-programme", "2+", "2+", (), "2+", (), "2", "NA", (("cost.plausible-range", ()),)),
    ("paths-elementary-curriculum", "3+", "4", (("rating-4.replicated", ("crean-2013", "kam-2004")), ("rating-4.long-term", ("kam-2004",)), ("rating-4.independent-measure", ("crean-2013", "kam-2004"))), "4", (("rating-4.replicated", ("crean-2013", "kam-2004")), ("rating-4.long-term", ("kam-2004",)), ("rating-4.independent-measure", ("crean-2013", "kam-2004"))), "1", "1", ()),
    ("selected-seminars-stepping-stones-triple-p", "3", "NL2", (("rating-2.supporting-study", ()),), "NL2", (("rating-2.supporting-study", ()),), "NA", "NA", ()),
    ("triple-p-family-transitions", "3", "3", (), "3", (), "NA", "NA", ()),
    ("triple-p-online", "3+", "3+", (), "3+", (), "1", "NA", (("cost.plausible-range", ()),)),
]
# fmt: on

AGREEMENT_LINES = [
    "13 of 23 agree exactly (level, plus, asterisk) under eif-2018",
    "16 of 23 agree exactly (level, plus, asterisk) under eif-2017",
]
# --- agreement table: end


@pytest.fixture(scope="module")
def report():
    return demo_report()


@pytest.fixture(scope="module")
def computed(report):
    return {row[0]: row for row in agreement_rows(report)}


def test_the_table_covers_every_demo_programme(computed):
    assert sorted(computed) == sorted(row[0] for row in TABLE)


@pytest.mark.parametrize("expected", TABLE, ids=[row[0] for row in TABLE])
def test_the_computed_rating_and_its_deciding_rules_are_as_pinned(computed, expected):
    assert computed[expected[0]] == expected


def test_the_agreement_count_is_as_pinned(report):
    assert list(report.agreement_lines) == AGREEMENT_LINES


def test_every_disagreement_names_a_rule_and_the_facts_behind_it(report):
    for row in report.rows:
        for comparison in (*row.by_standard.values(), row.cost):
            assert comparison.agrees == (not comparison.rules), row.slug
            assert len(comparison.details) == len(comparison.rules), row.slug
            assert all(": " in detail for detail in comparison.details), row.slug


def test_the_docs_show_the_table_the_report_gives_today(report):
    from guidebook.catalogue.agreement_markdown import agreement_markdown

    assert docs_section() == agreement_markdown(report), (
        "docs/demo-catalogue.md is out of date: regenerate it with "
        "PYTHONPATH=. .venv/bin/python -m tests.catalogue.agreement_rows --write"
    )
