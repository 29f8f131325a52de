"""Small programmes for the crosswalk rule tables: every fact recorded unless a case
removes it, so each case changes only what its rule reads."""

from dataclasses import replace

from guidebook.evidence.records import Finding, Programme, Readiness, Study, StudyConduct

GOOD_CONDUCT = StudyConduct(
    usual_care=True,
    sample="trial-a",
    comparison="usual-care",
    randomisation_compromised=False,
    overall_attrition=0.10,
    differential_attrition=0.02,
    baseline_difference=0.03,
    baseline_adjusted=True,
    confounded=False,
    developer_independent=False,
)


def finding(key="f1", **changes):
    base = Finding(
        key=key,
        outcome="Fewer behaviour problems",
        category="behaviour",
        direction="positive",
        significant=True,
        months_after=12,
        months_after_treatment_end=12,
        domains={"psc": "child-well-being", "blueprints": "Conduct problems"},
        harmful=False,
    )
    return replace(base, **changes)


def study(key="s1", design="rct", findings=None, **conduct):
    return Study(
        key=key,
        label=key,
        citation=key,
        design=design,
        findings=tuple(findings) if findings is not None else (finding(),),
        conduct=replace(GOOD_CONDUCT, **{"sample": f"trial-{key}", **conduct}),
    )


def programme(*studies, theory=("Parents learn; children behave better",), **readiness):
    ready = {"manual": True, "dissemination_ready": True, "psc_area": "mental-health"}
    return Programme(
        slug="demo",
        name="Demo",
        studies=tuple(studies),
        theory_of_change=theory,
        readiness=Readiness(**{**ready, **readiness}),
    )
