"""``guidebook rerate --standard psc-1.0 --dry-run`` reports like the EIF re-rating and
publishes nothing."""

import io

import pytest
from django.core.management import call_command

from guidebook.catalogue.models import Snapshot


@pytest.mark.parametrize("dry_run", [True, False])
def test_rerate_under_a_crosswalk_standard_reports_and_publishes_nothing(db, tmp_path, dry_run):
    call_command("demo", stdout=io.StringIO())
    before = Snapshot.objects.count()
    out = io.StringIO()
    report = tmp_path / "psc.csv"
    call_command("rerate", standard="psc-1.0", dry_run=dry_run, report=report, stdout=out)
    text = out.getvalue()
    assert "Rated under psc-1.0" in text
    assert "23 programmes, 1 rated under psc-1.0." in text
    assert Snapshot.objects.count() == before
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "programme,name,eif,to,published,rule"
    assert len(lines) == 24
