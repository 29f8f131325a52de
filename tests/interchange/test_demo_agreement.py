"""The published demo catalogue gives the same agreement table as its record files."""

import io

from django.core.management import call_command

from tests.catalogue.agreement_rows import docs_section
from tests.catalogue.test_agreement_table import AGREEMENT_LINES


def test_the_published_demo_reports_the_table_the_docs_show(demo_catalogue):
    out = io.StringIO()
    call_command("imported_report", "--markdown", stdout=out)
    assert out.getvalue() == docs_section()


def test_the_published_demo_counts_its_agreement_under_each_standard(demo_catalogue):
    out = io.StringIO()
    call_command("imported_report", stdout=out)
    lines = out.getvalue().rstrip().splitlines()
    assert lines[-3:-1] == AGREEMENT_LINES
    assert lines[-1].startswith("23 programmes with an imported rating: ")
