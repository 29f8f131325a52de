"""The programme page renders each study's full reference, and says which findings lack
a direction or a significance (issue 9, issue 10 defect 4)."""

import re
from html import unescape

from tests.public.published import programme_data, store

PAGE = "/programmes/full-reference/"
REFERENCE = {
    "citation": "Lieberman, Weston and Pawl (1991)",
    "url": "https://www.jstor.org/stable/1130715",
    "authors": ["Lieberman AF", "Weston DR", "Pawl JH"],
    "year": 1991,
    "title": "Preventive intervention and outcome with anxiously attached dyads",
    "journal": "Child Development",
    "volume": "62",
    "issue": "1",
    "pages": "199-209",
    "doi": "10.1111/j.1467-8624.1991.tb01525.x",
    "pmid": "2022135",
}


def text_of(html):
    html = re.sub(r"</?cite>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def publish(ipp_data, change):
    data = programme_data(ipp_data, "full-reference", "Full Reference")
    change(data)
    store(data)


def test_the_page_renders_the_full_reference_with_its_title_and_doi_link(client, db, ipp_data):
    publish(ipp_data, lambda data: data["studies"][0].update(publications=[REFERENCE]))
    html = client.get(PAGE).content.decode()
    (first, *_) = re.findall(r'<p class="citation" data-testid="reference">(.*?)</p>', html, re.S)
    assert text_of(first) == (
        "Lieberman AF, Weston DR and Pawl JH (1991). Preventive intervention and outcome "
        "with anxiously attached dyads. Child Development, 62(1), 199-209. "
        "doi:10.1111/j.1467-8624.1991.tb01525.x PubMed 2022135 "
        "https://www.jstor.org/stable/1130715"
    )
    assert "<cite>Preventive intervention and outcome with anxiously attached dyads</cite>" in first
    assert 'href="https://doi.org/10.1111/j.1467-8624.1991.tb01525.x"' in first
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/2022135/"' in first


def test_a_reference_recorded_only_as_a_citation_is_shown_as_recorded(client, db, ipp_data):
    publish(ipp_data, lambda data: None)
    html = client.get(PAGE).content.decode()
    references = re.findall(r'data-testid="reference">(.*?)</p>', html, re.S)
    assert text_of(references[0]).startswith("Lieberman AF, Weston DR, Pawl JH. Child Development")
    assert "doi.org" not in references[0]


def test_findings_without_a_recorded_result_are_named_with_what_they_lack(client, db, ipp_data):
    def strip_verdicts(data):
        for finding in data["studies"][0]["findings"]:
            finding["direction"] = None
        del data["studies"][1]["findings"][0]["significant"]

    publish(ipp_data, strip_verdicts)
    html = client.get(PAGE).content.decode()
    lists = re.findall(r'data-testid="unrecorded-findings">(.*?)</ul>', html, re.S)
    assert [text_of(item) for item in lists] == [
        "Improved attachment security: direction not recorded "
        "Increased empathic behaviour: direction not recorded",
        "Improved attachment security: significance not recorded",
    ]
    explanation = re.search(r'data-testid="not-recorded">(.*?)</ul>', html, re.S)
    assert explanation is not None
    assert (
        "Study 1, finding 'attachment' (Improved attachment security): direction not recorded."
        in (text_of(explanation.group(1)))
    )
