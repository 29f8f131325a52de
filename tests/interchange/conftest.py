import io
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "guidebook" / "interchange" / "demo"
PROGRAMMES_JSON = REPO.parent / "shared" / "data" / "programmes.json"
SEED = REPO.parent / "shared" / "seed" / "infant-parent-psychotherapy.txt"


def published_facts():
    """The 22 programmes as published elsewhere (name, url, ratings, review rounds...)."""
    return json.loads(PROGRAMMES_JSON.read_text(encoding="utf-8"))["programmes"]


def demo_files():
    return sorted(DEMO.glob("*.json"))


@pytest.fixture
def demo_catalogue(db):
    """Every shipped demo programme stored and published, as ``guidebook demo`` does."""
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
