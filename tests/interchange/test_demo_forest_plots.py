"""Which demo programmes draw a forest plot, pinned so that a record change losing one fails.

A programme page draws a forest plot for every child outcome that two or more of its studies
measured with statistics (``evidence.findings_effects``; ``docs/methodology/
findings-and-forest-plots.md``). The statistics behind each plot, and where each number was
read, are listed in ``docs/demo-catalogue.md`` ("Statistics"). Issue 9 asks for eight such
programmes; the stored sources gave enough for the ones pinned here, and the rest are listed
there as gaps. Adding a plot means adding it to ``POOLED``; losing one fails this file.
"""

import pytest

from guidebook.evidence.findings_effects import programme_effects
from guidebook.interchange.demo import demo_records

# slug -> {(outcome category, outcome wording): the studies pooled on it}
POOLED = {
    "family-nurse-partnership": {
        ("school-achievement", "Maths attainment"): {"memphis", "building-blocks"},
    },
}

RECORDS = {record.slug: record for record in demo_records()}


def pooled_outcomes(slug):
    effects = programme_effects(RECORDS[slug])
    return {
        (outcome.category, outcome.outcome): {row.effect.study for row in outcome.rows}
        for outcome in effects.outcomes
    }


def test_the_demo_programmes_with_a_forest_plot_are_exactly_the_pinned_ones():
    with_plots = {slug for slug in RECORDS if pooled_outcomes(slug)}
    assert with_plots == set(POOLED)


@pytest.mark.parametrize("slug", sorted(POOLED))
def test_each_pinned_plot_pools_the_pinned_studies_on_its_outcome(slug):
    assert pooled_outcomes(slug) == POOLED[slug]


def findings_with_statistics():
    return [
        (record.slug, study.key, finding)
        for record in RECORDS.values()
        for study in record.studies
        for finding in study.findings
        if finding.statistics is not None
    ]


@pytest.mark.parametrize(
    ("slug", "study", "finding"),
    findings_with_statistics(),
    ids=lambda value: getattr(value, "key", value),
)
def test_every_demo_statistic_says_where_its_numbers_were_read(slug, study, finding):
    provenance = finding.provenance
    assert provenance is not None, f"{slug} {study} {finding.key}: statistics without provenance"
    assert provenance.sources, f"{slug} {study} {finding.key}: no source address"
    assert provenance.note, f"{slug} {study} {finding.key}: no note saying which table or text"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(POOLED))
def test_each_pinned_programme_page_draws_its_forest_plot(demo_catalogue, client, slug):
    html = client.get(f"/programmes/{slug}/").content.decode()
    assert html.count('class="forest-plot"') == len(POOLED[slug])
    for _category, outcome in POOLED[slug]:
        assert outcome in html
