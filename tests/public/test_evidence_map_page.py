"""The evidence map's pages and downloads: /map/, /map/gaps/ and their twins."""

import csv
import io
import re
import xml.etree.ElementTree as ElementTree

import pytest

from guidebook.lib.content_security import HEADER as CSP
from tests.catalogue.map_catalogue import NULL_SLUG, publish_map_catalogue

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def catalogue():
    return publish_map_catalogue()


def test_it_draws_the_map_with_a_picture_and_a_table_of_the_same_cells(client, catalogue):
    response = client.get("/map/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert CSP in response
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="evidence-map"') == 1
    assert 'data-testid="map-table"' in html
    svg_links = re.findall(r'<a href="([^"]+)" aria-label="[^"]*" class="map-cell">', html)
    table_links = re.findall(r'<td class="[^"]*" data-column="[^"]+"><a href="([^"]+)">', html)
    assert svg_links == table_links and len(svg_links) % 7 == 0
    assert all(link.startswith(("/programmes/?", "/programmes/not-listed/?")) for link in svg_links)
    # No inline style anywhere: the Content-Security-Policy forbids it.
    assert "style=" not in html and "<style" not in html


def test_the_page_names_the_kinds_of_programme_apart(client, catalogue):
    html = client.get("/map/").content.decode()
    assert "; 1 under assessment." in html and "; 1 NL2" in html
    assert (
        "Improved attachment security, Adolescents: no programme rated 2 or above; 1 NE. A gap"
        in html
    )
    assert (
        "Improved attachment security, Infants: 1 programme rated 2 or above (strongest 3+; 1 at level 3 or above)."
        in html
    )


def test_the_nav_links_to_the_map_from_every_public_page(client, catalogue):
    html = client.get("/programmes/").content.decode()
    assert '<a href="/map/">Evidence map</a>' in html


@pytest.mark.parametrize(
    ("address", "switch"),
    [
        ("/map/", "Age group"),
        ("/map/?columns=setting", "Setting"),
        ("/map/?columns=targeting", "Level of need"),
    ],
)
def test_the_columns_can_be_switched_by_a_plain_link(client, catalogue, address, switch):
    html = client.get(address).content.decode()
    assert re.search(rf'aria-current="page">{switch}</a>', html)


def test_filters_are_plain_get_parameters_and_links_keep_them(client, catalogue):
    html = client.get("/map/?uk_provision=no&rating=evidence-based").content.decode()
    assert 'value="no" checked' in html and 'value="evidence-based" checked' in html
    assert 'href="/map.json?uk_provision=no&amp;rating=evidence-based"' in html
    # IPP (3+) and the programme shown with an imported 3+: both "evidence-based" to the
    # catalogue's filter, though only one is rated here.
    assert "The map counts 2 programmes that match" in html
    # Cells link to the catalogue with its parameters, in its own order.
    assert "&amp;rating=evidence-based&amp;uk_provision=no" in html


def test_the_level_3_shortcut_is_one_link_and_undoes_itself(client, catalogue):
    html = client.get("/map/").content.decode()
    assert (
        'href="/map/?rating=evidence-based" data-testid="map-level-3">Only level 3 and above'
        in html
    )
    html = client.get("/map/?rating=evidence-based").content.decode()
    assert 'href="/map/" data-testid="map-level-3">Count every rating again' in html


def test_a_bad_request_is_refused_with_every_problem_named(client, catalogue):
    response = client.get("/map/?columns=country&rating=5")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<code>columns</code> expected one of age_group" in html
    assert "<code>rating</code> expected one of" in html
    response = client.get("/map.json?columns=country")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "columns"


def test_the_json_twin_gives_every_cell_with_an_absolute_catalogue_address(client, catalogue):
    data = client.get("/map.json?columns=targeting").json()
    assert data["columns"]["dimension"] == "targeting"
    assert data["programmes"] == 6
    cell = data["rows"][0]["cells"][0]
    assert cell["catalogue_url"].startswith("http://testserver/programmes/")
    kinds = {
        p["status"] for row in data["rows"] for cell in row["cells"] for p in cell["programme_list"]
    }
    assert kinds == {"rated", "NE", "NL2", "under-assessment"}


def test_the_csv_download_has_a_row_per_cell(client, catalogue):
    response = client.get("/map.csv?columns=delivery_model")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="guidebook-evidence-map-delivery-model.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(client.get("/map.json?columns=delivery_model").json()["rows"]) * 6
    assert {row["column_kind"] for row in rows} == {"delivery_model"}


def test_the_svg_download_is_a_file_of_its_own_that_can_run_nothing(client, catalogue):
    response = client.get("/map.svg")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response[CSP] == "default-src 'none'"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links and all(link.startswith("http://testserver/programmes/") for link in links)


def test_record_text_in_the_picture_is_escaped(client, db):
    from tests.catalogue.map_catalogue import demo_data, store_and_publish

    data = demo_data("fun-friends")
    data["studies"][0]["findings"][0]["outcome"] = '<script>alert("x")</script>'
    store_and_publish(data)
    html = client.get("/map/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    ElementTree.fromstring(client.get("/map.svg").content)  # still well-formed


def test_the_gaps_page_lists_cells_with_nothing_rated_then_those_rated_only_at_2(client, catalogue):
    response = client.get("/map/gaps/?column=infants")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Gaps in the evidence: Infants</h1>" in html
    unrated = html[html.index('data-testid="unrated-infants"') : html.index('id="weak-infants"')]
    # FUN FRIENDS (2) is for older children: its outcome has nothing rated for infants.
    assert "Better social and emotional competence, by parents&#x27; report" in unrated
    assert "Improved attachment security" not in unrated  # IPP is rated 3+ for infants
    # Mellow Toddlers (NL2) is for toddlers and preschool: not an infant programme.
    assert "Children taken off the child protection register" in unrated
    assert (
        'Preventing obesity and promoting healthy physical development</a> <span class="muted">(the whole outcome area)</span>: no programme'
        in unrated
    )
    assert 'data-testid="gaps-toddlers"' not in html


def test_the_gaps_page_offers_each_column_as_a_link(client, catalogue):
    html = client.get("/map/gaps/").content.decode()
    assert 'href="/map/gaps/?column=infants"' in html
    assert 'data-testid="gaps-infants"' in html and 'data-testid="gaps-adolescents"' in html


def test_the_gaps_json_names_each_gap_and_what_it_holds(client, catalogue):
    data = client.get("/map/gaps.json?column=adolescents").json()
    assert data["column"] == "adolescents"
    null = [gap for gap in data["gaps"] if gap["outcome"] == "Improved attachment security"]
    assert null == [
        {
            "category": "mental-health",
            "outcome": "Improved attachment security",
            "column": "adolescents",
            "column_label": "Adolescents",
            "no_rated_programme": True,
            "rated": 0,
            "strongest_rating": None,
            "NL2": 0,
            "NE": 1,
            "under_assessment": 0,
            "catalogue_url": "http://testserver/programmes/not-listed/?age_group=adolescents&outcome_category=mental-health&outcome=Improved+attachment+security",
        }
    ]


def test_the_catalogue_page_a_cell_links_to_lists_the_cells_programme(client, catalogue):
    data = client.get("/map/gaps.json?column=adolescents").json()
    gap = next(gap for gap in data["gaps"] if gap["outcome"] == "Improved attachment security")
    html = client.get(gap["catalogue_url"].removeprefix("http://testserver")).content.decode()
    assert "Null Trial Programme" in html and NULL_SLUG in html


def test_another_view_of_the_map_reads_no_snapshot_again(
    client, catalogue, django_assert_num_queries
):
    # The page cache is not used inside a transaction (every test runs in one), so this
    # checks the map's own cache, kept per catalogue version: one query for the state
    # of the catalogue, none for the snapshots.
    client.get("/map/")
    with django_assert_num_queries(1):
        client.get("/map/?columns=setting")
