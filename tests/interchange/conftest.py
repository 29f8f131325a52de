import io
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "guidebook" / "interchange" / "demo"
# The programmes as another guidebook published them (see data/README.md).
PUBLISHED_PROGRAMMES = Path(__file__).resolve().parent / "data" / "published_programmes.json"


def published_facts():
    """The 22 programmes as published elsewhere: name, url, ratings, studies listed."""
    return json.loads(PUBLISHED_PROGRAMMES.read_text(encoding="utf-8"))["programmes"]


def demo_files():
    return sorted(DEMO.glob("*.json"))


@pytest.fixture
def demo_catalogue(db):
    """Every shipped demo programme stored and published, as ``guidebook demo`` does."""
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
