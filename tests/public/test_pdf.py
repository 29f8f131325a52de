"""PDFs: a programme's page and the shortlist report, rendered without the network."""

import io
import os
import socket
import subprocess
import sys

import pytest
from pypdf import PdfReader

from guidebook.public import pdf, pdf_layout
from tests.conftest import REPO
from tests.public.published import publish_variants

pytestmark = pytest.mark.django_db


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a network connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use during PDF rendering")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_the_programme_pdf_is_a_pdf_of_its_page(client, ipp, no_network):
    response = client.get("/programmes/infant-parent-psychotherapy.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "infant-parent-psychotherapy.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for expected in [
        "Infant-Parent Psychotherapy",
        "Evidence rating: 3+",
        "Why is it not rated higher?",
        "Key programme characteristics",
        "Rating history",
    ]:
        assert expected in text, expected
    assert no_network == []


def test_the_programme_pdf_leaves_out_the_page_forms(client, ipp):
    text = pdf_text(client.get("/programmes/infant-parent-psychotherapy.pdf").content)
    assert "Add to shortlist" not in text
    assert "Work out the cost with your local figures" not in text


def test_there_is_no_pdf_of_an_unpublished_programme(client, db):
    assert client.get("/programmes/no-such-thing.pdf").status_code == 404


def test_the_shortlist_pdf_reports_each_programme(client, ipp_data, no_network):
    publish_variants(ipp_data, 2, costed={2})
    client.post("/shortlist/add/programme-1/")
    client.post("/shortlist/add/programme-2/")
    response = client.get("/shortlist.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="shortlist.pdf"'
    text = pdf_text(response.content)
    for expected in [
        "Shortlist of programmes",
        "Programme 1",
        "Programme 2",
        "Improved attachment security",
        "Unit cost per child",
        "number of sessions",
    ]:
        assert expected in text, expected
    assert no_network == []


def test_the_fetcher_serves_static_files_from_disk():
    local = pdf_layout.static_file_for("http://testserver/static/public/site.css")
    assert local is not None and local.name == "site.css"
    response = pdf_layout.StaticFilesOnly().fetch("http://testserver/static/public/features.css")
    assert b".cost-calculator" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/style.css",
        "http://testserver/programmes/infant-parent-psychotherapy/",
        "http://testserver/static/public/no-such-file.css",
        "http://testserver/static/../settings.py",
        "file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="only this site's static files"):
        pdf_layout.StaticFilesOnly().fetch(url)


def test_rendering_ignores_outside_resources_without_fetching_them(no_network):
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><h1>Offline</h1><img src="https://example.org/x.png" alt=""></body></html>'
    )
    content = pdf_layout.pdf_from_html(html, "http://testserver/")
    assert "Offline" in pdf_text(content)
    assert no_network == []


def test_a_new_publication_is_never_served_from_an_old_pdf(client, ipp):
    from guidebook.catalogue.models import Appraisal
    from guidebook.catalogue.publishing import publish

    assert "Evidence rating: 3+" in pdf_text(
        client.get("/programmes/infant-parent-psychotherapy.pdf").content
    )
    Appraisal.objects.filter(study__key="study-2").update(verdict="2-quality")
    publish(ipp)  # in a test the catalogue version is not bumped: the snapshot decides
    text = pdf_text(client.get("/programmes/infant-parent-psychotherapy.pdf").content)
    assert "Evidence rating: 2+" in text


def test_a_pdf_is_laid_out_in_a_child_process():
    assert pdf.print_in_child("<h1>Hello</h1>", "http://testserver/").startswith(b"%PDF")


def test_the_site_loads_without_weasyprint():
    """Workers print through a child process, so WeasyPrint never enters their memory."""
    script = (
        "import sys, django; django.setup(); import guidebook.urls; "
        "from guidebook.public import pdf; print('weasyprint' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guidebook.settings", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "False"
