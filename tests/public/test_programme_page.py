"""The programme page and its JSON twin, checked against the reference page's sections."""

import re
from html import unescape

import pytest

from guidebook.catalogue.models import Appraisal, Finding

PAGE = "/programmes/infant-parent-psychotherapy/"
JSON_TWIN = "/programmes/infant-parent-psychotherapy.json"

# Every section of the reference page, in its order, with a fact that must be in it.
SECTIONS_IN_ORDER = [
    "Infant-Parent Psychotherapy",
    "Evidence rating",
    "Cost rating",
    "Review: Foundations for Life, July 2016",
    "Strange Situation",
    "Programme assessment",
    "Evidence rating: 3+",
    "What does the evidence rating mean?",
    "evidence-based",
    "Why is it not rated higher?",
    "No second rigorously conducted study has yet repeated its results",
    "What does the plus mean?",
    "Cost rating: 4",
    "practitioner training fee",
    "Child outcomes",
    "Supporting children's mental health and wellbeing",
    "Improved attachment security (based on",
    "Study 1",
    "Study 2",
    "benefits for parents",
    "Key programme characteristics",
    "Who is it for?",
    "Infants",
    "How is it delivered?",
    "Individual",
    "Where is it delivered?",
    "Not available",
    "How is it targeted?",
    "Targeted indicated",
    "Where has it been implemented?",
    "United States",
    "UK provision",
    "has not been delivered in the UK",
    "UK evaluation",
    "None of its best evidence comes from an evaluation carried out in the UK",
    "About the programme",
    "What happens during delivery?",
    "32 sessions",
    "What are the implementation requirements?",
    "Who can deliver it?",
    "QCF level 7/8",
    "What are the training requirements?",
    "92 hours",
    "How are the practitioners supervised?",
    "What are the systems for maintaining fidelity?",
    "Not available",
    "Is there a licensing requirement?",
    "No licence",
    "How does it work? (Theory of change)",
    "Contact details",
    "Chandra Ghosh",
    "University of California San Francisco",
    "chandra.ghosh@ucsf.edu",
    "About the evidence",
    "two randomised controlled trials",
    "Study 1",
    "Lieberman, Weston and Pawl (1991)",
    "Randomised controlled trial (RCT)",
    "all Spanish-speaking",
    "Improved attachment security",
    "Increased empathic behaviour",
    "Lieberman AF, Weston DR, Pawl JH. Child Development, vol. 62 (1991), pp. 199–209.",
    "https://www.jstor.org/stable/1130715",
    "Study 2",
    "Cicchetti, Rogosch and Toth (2006), followed up in 2011 and 2013",
    "Mothers and infants (189 mothers in all; for 137 of them maltreatment was a risk)",
    "Cicchetti D, Rogosch FA, Toth SL. Development and Psychopathology, vol. 18 (2006), pp. 623–649.",
    "https://www.ncbi.nlm.nih.gov/pubmed/17152394",
    "https://www.ncbi.nlm.nih.gov/pubmed/21756432",
    "https://www.ncbi.nlm.nih.gov/pubmed/24229539",
    "Rating history and dates",
    "Programme profile first published 1 March 2017",
    "Programme profile last updated 1 April 2017",
    "Every publication of this programme's rating on Guidebook",
]


def page_text(response):
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text))


def by_testid(response, testid):
    html = response.content.decode()
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(dd|p|ul|address)>', html, re.S)
    assert match, f"no element with data-testid={testid}"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(1)))).strip()


def test_it_shows_every_section_of_the_reference_page_in_order(client, ipp):
    response = client.get(PAGE)
    assert response.status_code == 200
    text = page_text(response)
    position = 0
    for expected in SECTIONS_IN_ORDER:
        found = text.find(expected, position)
        assert found >= 0, (
            f"{expected!r} missing after position {position}: {text[position : position + 200]!r}"
        )
        position = found + len(expected)


def test_it_shows_the_computed_ratings_with_their_explanations(client, ipp):
    response = client.get(PAGE)
    assert by_testid(response, "evidence-rating") == "3+"
    # The training fee is not published, but no plausible fee moves the band.
    assert by_testid(response, "cost-rating") == "4"
    assert "besides the rigorous study" in by_testid(response, "plus")
    explanation = by_testid(response, "cost-explanation")
    assert "holds whatever the inputs the record does not give" in explanation
    assert "practitioner training fee" in explanation
    assert 'data-testid="cost-assumptions"' in response.content.decode()
    assert "repeated its results" in by_testid(response, "not-higher")
    assert "asterisk" not in by_testid(response, "not-higher")
    assert 'data-testid="asterisk"' not in response.content.decode()


def republish(programme):
    from guidebook.catalogue.publishing import publish

    publish(programme, note="re-rated in a test")


def test_the_rating_follows_the_stored_evidence_once_published(client, ipp):
    Appraisal.objects.filter(study__key="study-2").update(verdict="2-quality")
    assert by_testid(client.get(PAGE), "evidence-rating") == "3+", "an unpublished edit leaked"
    republish(ipp)
    assert by_testid(client.get(PAGE), "evidence-rating") == "2+"
    Appraisal.objects.filter(study__key="study-2").delete()
    republish(ipp)
    assert by_testid(client.get(PAGE), "evidence-rating") == "2"
    Finding.objects.filter(study__key="study-1", key="attachment").update(significant=False)
    republish(ipp)
    assert by_testid(client.get(PAGE), "evidence-rating") == "NL2"


def test_the_page_shows_the_rating_history(client, ipp):
    Appraisal.objects.filter(study__key="study-2").update(verdict="2-quality")
    republish(ipp)
    history = client.get(JSON_TWIN).json()["rating_history"]
    assert [entry["rating"] for entry in history] == ["3+", "2+"]
    assert history[0]["standard"] == "eif-2018 1.0"
    assert history[0]["review"] == "Foundations for Life"
    html = client.get(PAGE).content.decode()
    table = html[html.index('data-testid="rating-history"') :]
    assert table.index("<td>3+</td>") < table.index("<td>2+</td>")


def test_the_json_twin_carries_reasons_and_the_cost_breakdown(client, ipp):
    response = client.get(JSON_TWIN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["programme"]["slug"] == "infant-parent-psychotherapy"
    assert data["rating"]["rating"]["value"] == "3+"
    rules = {reason["rule"]: reason["met"] for reason in data["rating"]["reasons"]}
    assert rules["rating-3.rigorous-positive-study"] is True
    assert rules["rating-4.replicated"] is False
    levels = {item["study"]: item["level"] for item in data["rating"]["study_levels"]}
    assert levels == {"study-1": "2", "study-2": "3"}
    assert (data["cost"]["rating"], data["cost"]["ratings"]) == ("4", ["4"])
    assert data["cost"]["missing"] == []
    assert (
        data["cost"]["range"]["low"] <= data["cost"]["unit_cost"] <= data["cost"]["range"]["high"]
    )
    fee = next(a for a in data["cost"]["assumed"] if a["field"] == "practitioner_training_fee")
    assert (fee["low"], fee["high"]) == (0.0, 1000.0)
    assert data["cost"]["breakdown"]
    assert len(data["rating"]["inputs_hash"]) == 64


def test_the_page_links_its_json_twin(client, ipp):
    html = client.get(PAGE).content.decode()
    assert f'<link rel="alternate" type="application/json" href="{JSON_TWIN}">' in html


@pytest.mark.parametrize(
    "url", ["/programmes/no-such-programme/", "/programmes/no-such-programme.json"]
)
def test_it_answers_404_for_an_unknown_programme(client, db, url):
    assert client.get(url).status_code == 404


def test_the_page_costs_a_fixed_number_of_queries(client, ipp, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        client.get(PAGE)


def test_the_list_links_every_programme_with_its_rating(client, ipp):
    response = client.get("/programmes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{PAGE}"' in html
    assert "3+" in html


def test_the_home_page_says_what_guidebook_is_and_leads_the_main_ways_in(client, ipp):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Evidence on programmes for children and families</h1>" in html
    assert 'action="/programmes/" role="search"' in html
    assert "1 programme rated 2 or above" in html
    for address in ("/programmes/", "/standards/", "/downloads/", "/staff/register/"):
        assert f'<h2><a href="{address}">' in html


def test_every_public_page_names_both_lists_in_its_navigation(client, ipp):
    html = client.get(PAGE).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert 'href="/programmes/not-listed/">Not listed</a>' in nav
    assert 'href="/programmes/">Programmes</a>' in nav
    assert 'aria-current="page"' not in nav
    nav = client.get("/programmes/not-listed/").content.decode()
    assert 'href="/programmes/not-listed/" aria-current="page">Not listed' in nav


def test_a_level_4_programme_says_why_it_is_not_4_plus(client, db):
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish
    from guidebook.interchange.demo import demo_records

    [paths] = [r for r in demo_records() if r.slug == "paths-elementary-curriculum"]
    publish(save_record(paths), note="Test")
    response = client.get("/programmes/paths-elementary-curriculum/")
    assert by_testid(response, "evidence-rating") == "4"
    text = page_text(response)
    assert "Why is it not rated 4+?" in text
    assert "4+ needs" in by_testid(response, "not-higher")


def test_the_contents_list_links_every_section_of_the_page(client, ipp):
    html = client.get(PAGE).content.decode()
    contents = html[
        html.index('data-testid="contents"') : html.index(
            "</nav>", html.index('data-testid="contents"')
        )
    ]
    for anchor in re.findall(r'href="#([\w-]+)"', contents):
        assert f'id="{anchor}"' in html, anchor
    assert len(re.findall(r'href="#', contents)) == 8


def test_an_outcome_links_to_the_studies_it_rests_on(client, ipp):
    html = client.get(PAGE).content.decode()
    assert '(based on <a href="#study-1">Study 1</a>, <a href="#study-2">Study 2</a>)' in html
    assert 'id="study-1"' in html and 'id="study-2"' in html


def test_the_calculator_is_folded_under_the_cost_rating(client, ipp):
    html = client.get(PAGE).content.decode()
    fold = html.index('<details class="cost-calculator folded" id="cost-calculator"')
    assert html.index('id="cost-rating"') < fold < html.index('id="child-outcomes"')
    assert 'href="/programmes/infant-parent-psychotherapy/cost/">Work out the cost locally' in html


def test_every_date_is_labelled_and_written_the_same_way(client, ipp):
    response = client.get(PAGE)
    text = page_text(response)
    assert "Programme profile first published 1 March 2017" in text
    assert "Programme profile last updated 1 April 2017" in text
    assert re.search(r"This version published on Guidebook \d{1,2} [A-Z][a-z]+ \d{4}", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "no ISO dates beside written ones"


def test_a_cost_the_unknowns_could_put_in_two_bands_is_na_naming_what_decides(client, db, ipp_data):
    from tests.public.published import programme_data, store

    cost = dict(ipp_data["cost"], practitioner_level=None, supervisor_level=None)
    store(programme_data(ipp_data, "no-level", "No Level", cost=cost))
    response = client.get("/programmes/no-level/")
    assert by_testid(response, "cost-rating") == "NA"
    assert "could be rated 3 or 4" in by_testid(response, "cost-na")
    assert by_testid(response, "cost-deciding") == (
        "Practitioners' qualification level: qcf-3 to qcf-7-8 (rated 3 or 4)"
    )
    twin = client.get("/programmes/no-level.json").json()["cost"]
    assert [item["field"] for item in twin["deciding"]] == ["practitioner_level"]
    assert twin["unit_cost"] is None and twin["range"]["low"] < twin["range"]["high"]
