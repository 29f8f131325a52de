"""A published cost rating stands in, labelled imported, only while the computed one is NA."""

import pytest

from guidebook.catalogue.publishing import shown_cost


@pytest.mark.parametrize(
    ("computed", "imported", "shown"),
    [
        ("NA", "2", {"rating": "2", "source": "imported"}),
        ("NA", "NA", {"rating": "NA", "source": "computed"}),
        ("NA", None, {"rating": "NA", "source": "computed"}),
        ("3", "2", {"rating": "3", "source": "computed"}),
        ("1", None, {"rating": "1", "source": "computed"}),
    ],
)
def test_the_shown_cost_rating(computed, imported, shown):
    published = None if imported is None else {"cost_rating": imported}
    assert shown_cost({"rating": computed}, published) == shown
