"""Staff screens read as prose: no Python data, no sentence said twice, no heading that
repeats itself, and a published round that says it is published."""

import re
from collections import Counter
from html import unescape

import pytest
from django.urls import reverse

from guidebook.editorial.models import State

PYTHON_DATA = re.compile(r"\{'|\['|'\]|'\}|\bNone\b(?= *[,\]}])")
_BLOCK = re.compile(r"</?(?:p|li|td|th|dt|dd|div|h[1-6]|caption|legend|summary|label)\b[^>]*>")


def blocks_of(html):
    """The page's text, block by block (paragraphs, cells, headings, labels)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    parts = _BLOCK.split(html)
    texts = [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", part))).strip() for part in parts]
    return [text for text in texts if text]


def sentences_of(blocks):
    """Sentences of six words or more (a timestamp and a name are not a sentence)."""
    return [
        s
        for block in blocks
        for s in re.split(r"(?<=[.!?])\s+", block)
        if len(re.findall(r"[A-Za-z]{2,}", s)) >= 6
    ]


def problems(html):
    blocks = blocks_of(html)
    # A form may label the same value alike in each of its groups (group sizes).
    prose = blocks_of(re.sub(r"<label\b.*?</label>", " ", html, flags=re.S))
    found = [f"Python data: {hit}" for hit in PYTHON_DATA.findall(" ".join(blocks))]
    repeated = [s for s, n in Counter(sentences_of(prose)).items() if n > 1]
    found += [f"said twice: {s}" for s in repeated]
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, flags=re.S)
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", html, flags=re.S)
    clean = {re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in headings}
    found += [f"caption repeats a heading: {c}" for c in captions if c.strip() in clean]
    return found


@pytest.fixture
def pages(client, personas, appraised):
    """Every screen of a round at consensus, as the assessor sees it."""
    study = appraised.programme.studies.get()
    client.force_login(personas["assessor"])
    return {
        "dashboard": reverse("editorial:home"),
        "round": appraised.get_absolute_url(),
        "study": reverse("editorial:study_detail", args=[appraised.pk, study.pk]),
        "consensus": reverse("editorial:settle_consensus", args=[appraised.pk, study.pk]),
        "history": reverse("editorial:history", args=[appraised.programme.slug]),
    }


@pytest.mark.parametrize("name", ["dashboard", "round", "study", "consensus", "history"])
def test_a_staff_screen_reads_cleanly(client, pages, name):
    response = client.get(pages[name])
    assert response.status_code == 200
    assert problems(response.content.decode()) == []


def test_a_published_round_says_it_is_published(client, personas, make_round):
    assessment = make_round(State.PUBLISHED)
    client.force_login(personas["editor"])
    text = " ".join(blocks_of(client.get(assessment.get_absolute_url()).content.decode()))
    assert "The public sees nothing of this until the round is published" not in text
    assert "(draft)" not in text
    assert "published" in text.lower()


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (True, "yes"),
        (False, "no"),
        (None, "not answered"),
        (180.0, "180"),
        (0.9, "0.9"),
        (1200.0, "1,200"),
    ],
)
def test_an_answer_reads_as_staff_would_write_it(answer, shown):
    from guidebook.editorial.forms.appraisal import answer_text

    assert answer_text(answer) == shown


def test_the_consensus_shows_each_question_once_with_both_answers(client, pages):
    html = client.get(pages["consensus"]).content.decode()
    text = " ".join(blocks_of(html))
    assert text.count("How many participants did the study enrol?") == 1
    assert "Both reviewers answered 240." in text
    assert "240.0" not in html
    assert "The reviewers disagree: reviewer yes and reviewer2 no." in text
