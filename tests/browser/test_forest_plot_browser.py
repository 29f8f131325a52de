"""The forest plot in Debian's Chromium: it renders, has its table, and passes axe.

The programme is test data (see ``tests.public.test_effects_page``): IPP's record
renamed, with invented statistics on three studies.
"""

import pytest

from tests.browser.conftest import assert_accessible
from tests.public.test_effects_page import SLUG, forest_programme_data

pytestmark = pytest.mark.browser


@pytest.fixture
def forest_live(transactional_db, live_server, ipp_data):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish
    from guidebook.evidence.record_json import programme_from_dict

    publish(save_record(programme_from_dict(forest_programme_data(ipp_data))))
    return live_server.url + f"/programmes/{SLUG}/"


def test_the_forest_plot_renders_with_its_table_and_passes_axe(page, axe, forest_live):
    page.goto(forest_live)
    plot = page.get_by_role("img", name="Forest plot: Improved attachment security")
    assert plot.is_visible()
    box = plot.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    # Three study squares and the pooled diamond are drawn inside the image.
    assert page.locator("svg.forest-plot g.study rect").count() == 3
    diamond = page.locator("svg.forest-plot polygon.pooled").bounding_box()
    assert diamond is not None and diamond["width"] > 10
    # The prediction interval: a line on its own row below the diamond, cut at both
    # edges of the plot (three studies: t on one degree of freedom), with an arrow each.
    interval = page.locator("svg.forest-plot line.prediction-interval").bounding_box()
    assert interval is not None and interval["width"] > diamond["width"]
    assert interval["y"] > diamond["y"] + diamond["height"] / 2
    arrows = page.locator("svg.forest-plot polygon.prediction-arrow")
    assert arrows.count() == 2 and arrows.first.is_visible()
    assert page.get_by_test_id("prediction-caption").is_visible()
    table = page.get_by_test_id("forest-table")
    assert table.is_visible()
    assert table.get_by_role("rowheader", name="Pooled (random effects)").is_visible()
    row = table.get_by_test_id("prediction-row")
    assert row.get_by_role("rowheader", name="95% prediction interval").is_visible()
    assert "cuts the line off at its left and right edges" in row.inner_text()
    assert page.get_by_test_id("study-effects").first.is_visible()
    assert_accessible(axe, page)


def test_the_forest_plot_needs_no_javascript(browser, forest_live):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(forest_live)
    assert page.get_by_role("img", name="Forest plot: Improved attachment security").is_visible()
    assert page.get_by_test_id("pooled-summary").inner_text().startswith("Pooling the 3 studies")
    context.close()


def test_the_methodology_page_passes_axe(page, axe, live_server):
    page.goto(live_server.url + "/methodology/effect-sizes/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "How effect sizes and pooled estimates are worked out"
    )
    assert_accessible(axe, page)
