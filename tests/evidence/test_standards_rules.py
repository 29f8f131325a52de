"""Rule tables for the evidence standards: one row per boundary, expected result beside it."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from guidebook.evidence.errors import InvalidRecord, UnknownStandard
from guidebook.evidence.records import Appraisal, Finding, Programme, Study, StudyLevel
from guidebook.evidence.standards import (
    CRITERIA,
    DEFAULT_LIMITS,
    EIF_2017,
    EIF_2018,
    GROUPS,
    PARAMETERS,
    RATING_VALUES,
    JudgedFinding,
    Limits,
    RatingResult,
    all_standards,
    get_standard,
    highest_differential_attrition,
    judge_finding,
    judging,
    level_study,
    newest_standard_key,
    rating,
    rating_rank,
    register,
)
from tests.evidence.ipp import (
    Answers,
    attachment_security,
    consensus,
    empathic_behaviour,
    verdict,
    with_answers,
)

L2, L2Q, L3, BELOW = (
    StudyLevel.LEVEL_2,
    StudyLevel.LEVEL_2_QUALITY,
    StudyLevel.LEVEL_3,
    StudyLevel.BELOW_2,
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "evidence-standards.md"


def answered_study(answers: Answers) -> Study:
    return Study(key="s", label="Study 1", citation="c", design="rct", appraisal=consensus(answers))


def child(key: str = "child", **changes: object) -> Finding:
    return attachment_security(key, **changes)


def study(key: str, level: StudyLevel, *findings: Finding, independent: bool = False) -> Study:
    return Study(
        key=key,
        label=f"Study {key}",
        citation="c",
        design="rct",
        independent=independent,
        findings=findings,
        appraisal=verdict(level),
    )


def rate(standard_key: str, *studies: Study) -> RatingResult:
    programme = Programme(slug="p", name="P", studies=studies)
    return get_standard(standard_key).rate(programme)


# --- Study levels from criterion answers -----------------------------------------------

NO_ATTRITION: Answers = {"sample.overall-attrition": None, "sample.differential-attrition": None}
QED: Answers = {"design.random-assignment": False, **NO_ATTRITION}

LEVEL_ROWS = [
    ("all level-3 answers", {}, L3),
    ("sample of 19", {"sample.size": 19}, BELOW),
    ("sample of 20", {"sample.size": 20}, L3),
    ("sample size unanswered", {"sample.size": None}, BELOW),
    ("analysed 0.59", {"sample.analysed-fraction": 0.59}, BELOW),
    ("analysed 0.60", {"sample.analysed-fraction": 0.60}, L3),
    ("measures not validated", {"measurement.validated": False}, BELOW),
    ("no comparison group", {"design.comparison-group": False}, L2),
    ("comparison not credible", {"design.credible-comparison": False}, L2),
    ("not measured before and after", {"design.pre-and-post": False}, L2),
    ("smallest group 19", {"sample.smallest-group": 19}, L2Q),
    ("smallest group 20", {"sample.smallest-group": 20}, L3),
    ("child measure unsuited", {"measurement.child-outcome-suited": False}, L2Q),
    ("groups measured differently", {"measurement.same-for-both-groups": False}, L2Q),
    ("completers only", {"analysis.intention-to-treat": False}, L2Q),
    ("clustering ignored", {"analysis.clustering": False}, L2Q),
    ("no suitable test", {"analysis.appropriate-test": False}, L2Q),
    # Attrition, cautious boundary, randomised, no baseline evidence to fall back on.
    ("attrition 10%/6.3 pts", {"sample.differential-attrition": 0.063}, L3),
    ("attrition 10%/6.4 pts", {"sample.differential-attrition": 0.064}, L2Q),
    (
        "attrition 12.5%/6.1 pts (interpolated)",
        {"sample.overall-attrition": 0.125, "sample.differential-attrition": 0.061},
        L3,
    ),
    (
        "attrition 12.5%/6.2 pts (interpolated)",
        {"sample.overall-attrition": 0.125, "sample.differential-attrition": 0.062},
        L2Q,
    ),
    (
        "attrition 57%/0 pts",
        {"sample.overall-attrition": 0.57, "sample.differential-attrition": 0.0},
        L3,
    ),
    (
        "attrition 58%/0 pts",
        {"sample.overall-attrition": 0.58, "sample.differential-attrition": 0.0},
        L2Q,
    ),
    ("attrition unanswered", NO_ATTRITION, L2Q),
    ("differential without overall", {"sample.overall-attrition": None}, L2Q),
    (
        "high attrition, equivalent at baseline",
        {"sample.differential-attrition": 0.2, "sample.baseline-difference": 0.03},
        L3,
    ),
    # Baseline equivalence for a QED (WWC: 0.05 SD, 0.25 SD with adjustment).
    ("QED 0.05 SD", {**QED, "sample.baseline-difference": 0.05}, L3),
    ("QED 0.051 SD unadjusted", {**QED, "sample.baseline-difference": 0.051}, L2Q),
    (
        "QED 0.051 SD adjusted",
        {**QED, "sample.baseline-difference": 0.051, "analysis.baseline-adjusted": True},
        L3,
    ),
    (
        "QED 0.25 SD adjusted",
        {**QED, "sample.baseline-difference": 0.25, "analysis.baseline-adjusted": True},
        L3,
    ),
    (
        "QED 0.251 SD adjusted",
        {**QED, "sample.baseline-difference": 0.251, "analysis.baseline-adjusted": True},
        L2Q,
    ),
    ("QED without baseline", QED, L2Q),
    ("QED with low attrition only", {"design.random-assignment": False}, L2Q),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [row[1:] for row in LEVEL_ROWS],
    ids=[row[0] for row in LEVEL_ROWS],
)
def test_study_level_from_answers(changes: Answers, expected: StudyLevel) -> None:
    assert level_study(answered_study(with_answers(changes))).level is expected


def test_liberal_boundary_allows_more_differential_attrition() -> None:
    answers = with_answers({"sample.differential-attrition": 0.109})
    liberal = replace(DEFAULT_LIMITS, attrition_boundary="liberal")
    assert level_study(answered_study(answers)).level is L2Q
    assert level_study(answered_study(answers), liberal).level is L3


@pytest.mark.parametrize(
    ("boundary", "overall", "expected"),
    [
        ("cautious", 0.0, 0.057),
        ("cautious", 0.10, 0.063),
        ("cautious", 0.57, 0.0),
        ("cautious", 0.571, None),
        ("liberal", 0.65, 0.003),
        ("liberal", 0.66, None),
    ],
)
def test_highest_differential_attrition(
    boundary: str, overall: float, expected: float | None
) -> None:
    found = highest_differential_attrition(overall, boundary)
    assert found == (None if expected is None else pytest.approx(expected))


def test_every_criterion_yields_a_reason_with_the_deciding_values() -> None:
    result = level_study(answered_study(with_answers({"sample.size": 19})))
    rules = [reason.rule for reason in result.reasons]
    assert rules[0] == "study.consensus-appraisal"
    assert [c.id for c in CRITERIA] == rules[1 : 1 + len(CRITERIA)]
    size = result.reason("sample.size")
    assert not size.met
    assert size.values["answer"] == 19
    assert size.values["minimum"] == 20
    assert result.reason("level-2.criteria").values["failed"] == ["sample.size"]
    equivalence = result.reason("level-3.group-equivalence")
    assert equivalence.values["route"] == "randomised with low attrition"


def test_group_equivalence_records_the_baseline_route() -> None:
    answers = with_answers({**QED, "sample.baseline-difference": 0.02})
    reason = level_study(answered_study(answers)).reason("level-3.group-equivalence")
    assert reason.met
    assert reason.values["route"] == "equivalent at baseline"
    failed = level_study(answered_study(with_answers(QED))).reason("level-3.criteria")
    assert failed.values["failed"] == ["level-3.group-equivalence"]


@pytest.mark.parametrize(
    ("appraisal", "expected", "found"),
    [
        (None, BELOW, "none"),
        (Appraisal(reviewer="alice", answers=with_answers({})), BELOW, "not a consensus"),
    ],
    ids=["no appraisal", "reviewer's appraisal only"],
)
def test_a_study_without_consensus_is_below_level_2(
    appraisal: Appraisal | None, expected: StudyLevel, found: str
) -> None:
    result = level_study(replace(answered_study({}), appraisal=appraisal))
    assert result.level is expected
    assert result.reasons[0].rule == "study.consensus-appraisal"
    assert not result.reasons[0].met
    assert result.reasons[0].values["appraisal"] == found


def test_a_recorded_verdict_sets_the_level_with_its_justification() -> None:
    appraisal = replace(
        verdict(L2Q, "Sound QED; attrition not reported."), answers={"sample.size": 5}
    )
    result = level_study(replace(answered_study({}), appraisal=appraisal))
    assert result.level is L2Q
    reason = result.reason("study.consensus-verdict")
    assert reason.values == {
        "verdict": "2-quality",
        "justification": "Sound QED; attrition not reported.",
    }
    with pytest.raises(KeyError):
        result.reason("sample.size")


# --- Programme ratings -----------------------------------------------------------------

POSITIVE_3 = study("r1", L3, child("c1"))
LONG_OBSERVED = child("long", months_after=12, reporter="observer")

RATING_ROWS = [
    ("no studies", (), "NL2", "NL2"),
    ("below-2 study with an improvement", (study("b", BELOW, child()),), "NL2", "NL2"),
    ("level 2, not significant", (study("a", L2, child(significant=False)),), "NL2", "NL2"),
    ("level 2, parents only", (study("a", L2, empathic_behaviour()),), "NL2", "NL2"),
    ("level 3 with no findings", (study("a", L3),), "NL2", "NL2"),
    ("level 3, parents benefit", (study("a", L3, empathic_behaviour()),), "NL2", "NL2"),
    ("level 3, null child outcome", (study("a", L3, child(direction="null")),), "NE", "NE"),
    (
        "level 3, significant harm",
        (study("a", L3, child(direction="negative")),),
        "NE",
        "NE",
    ),
    (
        "level-2 study outweighs NE",
        (study("a", L3, child(direction="null")), study("b", L2, child())),
        "2",
        "2*",
    ),
    ("level 2", (study("a", L2, child()),), "2", "2"),
    ("level 2 with better design", (study("a", L2Q, child()),), "2+", "2+"),
    ("one rigorous positive study", (POSITIVE_3,), "3", "3"),
    ("rigorous plus level 2", (POSITIVE_3, study("a", L2, child())), "3+", "3+"),
    (
        "rigorous plus level-2 parents only",
        (POSITIVE_3, study("a", L2, empathic_behaviour())),
        "3",
        "3",
    ),
    ("two rigorous, short-term", (POSITIVE_3, study("r2", L3, child())), "3+", "3+"),
    (
        "two rigorous, 11 months",
        (POSITIVE_3, study("r2", L3, child(months_after=11))),
        "3+",
        "3+",
    ),
    ("two rigorous, 12 months observed", (POSITIVE_3, study("r2", L3, LONG_OBSERVED)), "4", "4"),
    (
        "two rigorous, 12 months, participant report",
        (
            study("r1", L3, child(reporter="participant")),
            study("r2", L3, child(months_after=12, reporter="participant")),
        ),
        "3+",
        "3+",
    ),
    *[
        (
            f"two rigorous, 12 months, {reporter}",
            (POSITIVE_3, study("r2", L3, child(months_after=12, reporter=reporter))),
            "4",
            "4",
        )
        for reporter in ("assessor", "records", "teacher")
    ],
    (
        "long-term and independent in different studies",
        (
            study("r1", L3, child(reporter="participant", months_after=24)),
            study("r2", L3, child(reporter="records")),
        ),
        "4",
        "4",
    ),
    (
        "long-term only in a level-2 study",
        (POSITIVE_3, study("r2", L3, child()), study("a", L2, LONG_OBSERVED)),
        "3+",
        "3+",
    ),
    (
        "one rigorous study meeting everything",
        (study("r1", L3, LONG_OBSERVED),),
        "3",
        "3",
    ),
    (
        "two level-4 studies, neither independent",
        (study("r1", L3, LONG_OBSERVED), study("r2", L3, LONG_OBSERVED)),
        "4",
        "4",
    ),
    (
        "two level-4 studies, one independent",
        (study("r1", L3, LONG_OBSERVED), study("r2", L3, LONG_OBSERVED, independent=True)),
        "4+",
        "4+",
    ),
    (
        "one independent level-4 study only",
        (study("r1", L3, child()), study("r2", L3, LONG_OBSERVED, independent=True)),
        "4",
        "4",
    ),
    (
        "mixed rigorous study beside a 3+",
        (
            POSITIVE_3,
            study(
                "m", L3, child("m1"), child("m2", direction="null"), child("m3", significant=False)
            ),
        ),
        "3+",
        "3+*",
    ),
    (
        "a tie is not mixed",
        (POSITIVE_3, study("m", L3, child("m1"), child("m2", direction="negative"))),
        "3+",
        "3+",
    ),
    (
        "mixed beside a 4",
        (
            study("r1", L3, LONG_OBSERVED),
            study("r2", L3, LONG_OBSERVED, independent=True),
            study("m", L3, child("m1", direction="null")),
        ),
        "4+",
        "4+*",
    ),
    (
        "mixed level-2 study is not rigorous",
        (POSITIVE_3, study("a", L2, child("x", direction="null"))),
        "3",
        "3",
    ),
]


@pytest.mark.parametrize(
    ("studies", "expected_2017", "expected_2018"),
    [row[1:] for row in RATING_ROWS],
    ids=[row[0] for row in RATING_ROWS],
)
def test_rating(studies: tuple[Study, ...], expected_2017: str, expected_2018: str) -> None:
    assert rate("eif-2017", *studies).value == expected_2017
    assert rate("eif-2018", *studies).value == expected_2018


def test_each_rating_value_is_reachable() -> None:
    reached = {row[2] for row in RATING_ROWS} | {row[3] for row in RATING_ROWS}
    assert set(RATING_VALUES) <= reached
    assert {"2*", "3+*", "4+*"} <= reached


def test_result_fields_follow_the_value() -> None:
    result = rate("eif-2018", POSITIVE_3, study("m", L3, child("m1", direction="null")))
    assert (result.value, result.level, result.plus, result.asterisk) == ("3*", 3, False, True)
    assert result.mixed_studies == ("m",)
    assert (result.standard, result.version) == ("eif-2018", "1.0")
    assert result.reason("asterisk.mixed-findings").values["rigorous_studies"] == [
        {
            "study": "r1",
            "improved": 1,
            "not_improved": 0,
            "not_recorded": 0,
            "sources": ["recorded"],
            "mixed": False,
        },
        {
            "study": "m",
            "improved": 0,
            "not_improved": 1,
            "not_recorded": 0,
            "sources": ["recorded"],
            "mixed": True,
        },
    ]
    ne = rate("eif-2018", study("m", L3, child(direction="null")))
    assert (ne.value, ne.level, ne.plus, ne.asterisk, ne.mixed_studies) == (
        "NE",
        None,
        False,
        False,
        (),
    )
    assert ne.reason("asterisk.mixed-findings").met


PROGRAMME_RULES = [
    "rating-2.supporting-study",
    "rating-2.plus.higher-quality-design",
    "rating-3.rigorous-positive-study",
    "rating-3.plus.other-supporting-study",
    "rating-4.replicated",
    "rating-4.long-term",
    "rating-4.independent-measure",
    "rating-4.plus.studies-meeting-level-4",
    "rating-4.plus.independent-evaluation",
    "rating-ne.no-benefit",
]


@pytest.mark.parametrize("row", RATING_ROWS, ids=[row[0] for row in RATING_ROWS])
def test_every_programme_rule_is_evaluated(row: tuple[str, tuple[Study, ...], str, str]) -> None:
    assert [r.rule for r in rate("eif-2017", *row[1]).reasons] == PROGRAMME_RULES
    assert [r.rule for r in rate("eif-2018", *row[1]).reasons] == [
        *PROGRAMME_RULES,
        "asterisk.mixed-findings",
    ]


def test_rule_values_name_the_deciding_studies_and_findings() -> None:
    result = rate("eif-2017", study("r1", L3, child(months_after=11)), study("a", L2, child()))
    assert result.reason("rating-3.plus.other-supporting-study").values == {
        "studies": ["r1", "a"],
        "rigorous_positive": ["r1"],
    }
    long_term = result.reason("rating-4.long-term")
    assert (long_term.met, long_term.values) == (False, {"studies": [], "required_months": 12})
    supports = result.studies["r1"].reason("level-2.improved-child-outcome")
    assert supports.values["findings"] == [
        {
            "key": "child",
            "outcome": "Improved attachment security",
            "category": "mental-health",
            "beneficiary": "child",
            "reporter": "observer",
            "months_after": 11,
            "direction": "positive",
            "significant": True,
            "improved": True,
            "source": "recorded",
            "missing": [],
        }
    ]
    assert result.studies["r1"].reason("level-4.independent-measure").values["reporters"] == [
        "observer"
    ]


def test_all_reads_of_direction_and_significance_go_through_judge_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, float]] = []

    def spy(finding: Finding, alpha: float) -> JudgedFinding:
        seen.append((finding.key, alpha))
        return JudgedFinding("null", False, "computed")

    monkeypatch.setattr(rating, "judge_finding", spy)
    monkeypatch.setattr("guidebook.evidence.standards.eif_2018.judge_finding", spy)
    strict = replace(EIF_2018, limits=replace(DEFAULT_LIMITS, alpha=0.01))
    result = strict.rate(Programme(slug="p", name="P", studies=(POSITIVE_3,)))
    assert result.value == "NE"
    assert seen == [("c1", 0.01), ("c1", 0.01)]
    supports = result.studies["r1"].reason("level-2.improved-child-outcome").to_dict()
    assert json.loads(json.dumps(supports))["values"]["findings"][0]["source"] == "computed"


@pytest.mark.parametrize(
    ("direction", "significant", "improved"),
    [
        ("positive", True, True),
        ("positive", False, False),
        ("null", True, False),
        ("negative", True, False),
    ],
)
def test_judge_finding_reads_the_recorded_values(
    direction: str, significant: bool, improved: bool
) -> None:
    judged = judging.judge_finding(child(direction=direction, significant=significant), 0.05)
    assert judged == JudgedFinding(direction, significant, "recorded")
    assert judged.improved is improved


def test_judge_finding_refuses_an_unknown_direction() -> None:
    with pytest.raises(
        InvalidRecord, match="finding x: field 'direction' expected one of positive"
    ):
        judge_finding(child("x", direction="better"), 0.05)


# --- Bad input is told ------------------------------------------------------------------

BAD_STUDIES = [
    (
        "unknown criterion",
        answered_study({"design.blinding": True}),
        "study s: field 'appraisal.answers[design.blinding]' expected a criterion id",
    ),
    (
        "number for yes/no",
        answered_study({"design.comparison-group": 1.0}),
        "expected yes or no (true or false), found 1.0",
    ),
    (
        "yes/no for number",
        answered_study({"sample.size": True}),
        "field 'appraisal.answers[sample.size]' expected a number of at least 0, found True",
    ),
    ("share above 1", answered_study({"sample.analysed-fraction": 1.2}), "a number from 0 to 1"),
    ("negative size", answered_study({"sample.size": -1}), "found -1"),
    ("not a number", answered_study({"sample.baseline-difference": math.nan}), "found nan"),
    (
        "verdict without justification",
        replace(answered_study({}), appraisal=verdict(L3, "  ")),
        "field 'appraisal.justification' expected a justification",
    ),
    (
        "unknown direction",
        study("s", L2, child("f", direction="up")),
        "finding s/f: field 'direction' expected one of positive, null, negative, found 'up'",
    ),
    ("unknown beneficiary", study("s", L2, child("f", beneficiary="pupil")), "'beneficiary'"),
    ("unknown reporter", study("s", L2, child("f", reporter="self")), "'reporter' expected"),
    ("negative months", study("s", L2, child("f", months_after=-3)), "'months_after'"),
    ("NaN months", study("s", L2, child("f", months_after=math.nan)), "'months_after'"),
]


@pytest.mark.parametrize(
    ("bad", "message"), [row[1:] for row in BAD_STUDIES], ids=[row[0] for row in BAD_STUDIES]
)
def test_bad_records_are_refused_naming_record_field_expected_and_found(
    bad: Study, message: str
) -> None:
    with pytest.raises(InvalidRecord, match=re.escape(message)):
        EIF_2017.rate(Programme(slug="p", name="P", studies=(bad,)))
    with pytest.raises(InvalidRecord):
        level_study(bad)


def test_every_problem_is_reported_at_once() -> None:
    programme = Programme(
        slug="p",
        name="P",
        studies=(
            answered_study({"sample.size": True, "design.blinding": True}),
            answered_study({}),
        ),
    )
    with pytest.raises(InvalidRecord) as raised:
        EIF_2017.rate(programme)
    fields = [problem.field for problem in raised.value.problems]
    assert fields == [
        "studies",
        "appraisal.answers[sample.size]",
        "appraisal.answers[design.blinding]",
    ]
    assert raised.value.problems[0].found == "'s' 2 times"


def test_only_the_repeated_study_keys_are_named() -> None:
    once, twice = answered_study({}), answered_study({})
    programme = Programme(slug="p", name="P", studies=(replace(once, key="once"), twice, twice))
    with pytest.raises(InvalidRecord) as raised:
        EIF_2017.rate(programme)
    assert [problem.found for problem in raised.value.problems] == ["'s' 2 times"]


def test_an_unanswered_criterion_is_allowed() -> None:
    assert level_study(answered_study({"sample.size": None})).level is BELOW


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": 1.0}, "alpha"),
        ({"minimum_sample_size": 0}, "minimum_sample_size"),
        ({"minimum_group_size": 0}, "minimum_group_size"),
        ({"minimum_analysed_fraction": 0.0}, "minimum_analysed_fraction"),
        ({"minimum_analysed_fraction": 1.01}, "minimum_analysed_fraction"),
        ({"baseline_no_adjustment_sd": 0.3}, "baseline_no_adjustment_sd"),
        ({"baseline_no_adjustment_sd": -0.1}, "baseline_no_adjustment_sd"),
        ({"attrition_boundary": "optimistic"}, "attrition_boundary"),
        ({"long_term_months": 0}, "long_term_months"),
        ({"replication_studies": 1}, "replication_studies"),
    ],
)
def test_limits_refuse_unusable_values(changes: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidRecord, match=f"parameters: field '{name}'"):
        Limits(**changes)  # type: ignore[arg-type]


def test_limits_accept_their_boundaries() -> None:
    limits = Limits(alpha=0.001, minimum_analysed_fraction=1.0, baseline_no_adjustment_sd=0.25)
    assert limits.alpha == 0.001


# --- Registry, ranks, parameters, documentation -------------------------------------------


def test_registry_holds_both_standards_oldest_first() -> None:
    assert [s.key for s in all_standards()] == ["eif-2017", "eif-2018"]
    assert newest_standard_key() == "eif-2018"
    assert get_standard("eif-2017") is EIF_2017
    assert register(EIF_2017) is EIF_2017
    with pytest.raises(ValueError, match="already registered"):
        register(replace(EIF_2017))
    with pytest.raises(
        UnknownStandard,
        match="standard: field 'key' expected one of eif-2017, eif-2018, found 'eif-2030'",
    ):
        get_standard("eif-2030")


def test_ratings_have_a_total_order() -> None:
    assert [rating_rank(value) for value in RATING_VALUES] == list(range(8))
    assert rating_rank("3+*") == rating_rank("3+")


@pytest.mark.parametrize("value", ["", "5", "3++", "NE*", "NL2*", "3**", "+"])
def test_rating_rank_refuses_unknown_values(value: str) -> None:
    with pytest.raises(InvalidRecord, match="rating: field 'value'"):
        rating_rank(value)


def test_result_to_dict_is_json() -> None:
    result = rate("eif-2018", POSITIVE_3, study("a", L2, child()))
    data = json.loads(json.dumps(result.to_dict()))
    assert data == result.to_dict()
    assert data["standard"] == {"key": "eif-2018", "version": "1.0"}
    assert data["studies"]["a"]["level"] == "2"
    assert data["reasons"][0] == {
        "rule": "rating-2.supporting-study",
        "met": True,
        "subject": None,
        "values": {"studies": ["r1", "a"], "studies_assessed": 2},
    }


def test_parameter_table() -> None:
    table = {p.name: p for p in PARAMETERS}
    assert table["minimum_sample_size"].default == 20
    assert table["minimum_analysed_fraction"].default == 0.60
    assert table["alpha"].default == 0.05
    assert (table["baseline_no_adjustment_sd"].default, table["baseline_maximum_sd"].default) == (
        0.05,
        0.25,
    )
    assert table["long_term_months"].default == 12
    assert table["attrition_boundary"].default == "cautious"
    assert {p.name for p in PARAMETERS if p.decision} == {
        "minimum_group_size",
        "alpha",
        "baseline_no_adjustment_sd",
        "baseline_maximum_sd",
        "attrition_boundary",
    }
    assert all(p.help and p.source for p in PARAMETERS)


def test_criteria_cover_four_groups_and_three_levels() -> None:
    assert {c.group for c in CRITERIA} == set(GROUPS)
    assert {c.gates for c in CRITERIA} == {L2, L2Q, L3}
    assert len({c.id for c in CRITERIA}) == len(CRITERIA)


def test_methodology_page_documents_every_parameter_criterion_and_rule() -> None:
    page = DOCS.read_text(encoding="utf-8")
    names = [p.name for p in PARAMETERS] + [c.id for c in CRITERIA] + PROGRAMME_RULES
    names += ["asterisk.mixed-findings", "level-3.group-equivalence", "study.consensus-verdict"]
    missing = [name for name in names if f"`{name}`" not in page]
    assert missing == []
