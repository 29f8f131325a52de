"""GET /api/standards and /api/standards/{key}: the registry, as JSON."""

import pytest

from guidebook.evidence.explain import describe_level
from guidebook.evidence.standards import CRITERIA, PARAMETERS, all_standards


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_list_holds_every_registered_standard_oldest_first(client, db):
    data = get(client, "/api/standards")
    assert [item["key"] for item in data] == [standard.key for standard in all_standards()]
    assert [item["key"] for item in data if item["newest"]] == [all_standards()[-1].key]
    first = data[0]
    assert first["url"] == f"http://testserver/api/standards/{first['key']}"
    assert {"version", "year", "title", "summary"} <= set(first)


@pytest.mark.parametrize(("key", "asterisk"), [("eif-2017", False), ("eif-2018", True)])
def test_a_standard_lists_its_rating_values_with_their_meanings(client, db, key, asterisk):
    data = get(client, f"/api/standards/{key}")
    values = [item["value"] for item in data["ratings"]]
    assert values[:8] == ["NL2", "NE", "2", "2+", "3", "3+", "4", "4+"]
    assert ("3+*" in values) is asterisk
    by_value = {item["value"]: item for item in data["ratings"]}
    assert by_value["3+"]["meaning"] == describe_level("3+")
    assert (by_value["3"]["evidence_based"], by_value["2+"]["evidence_based"]) == (True, False)
    assert (by_value["2"]["listed"], by_value["NE"]["listed"]) == (True, False)
    assert [by_value[v]["rank"] for v in ("NL2", "NE", "4+")] == [0, 1, 7]


def test_a_standard_lists_its_criteria_and_parameters(client, db):
    data = get(client, "/api/standards/eif-2018")
    assert [item["id"] for item in data["criteria"]] == [criterion.id for criterion in CRITERIA]
    size = next(item for item in data["criteria"] if item["id"] == "sample.size")
    assert (size["kind"], size["gates"], size["minimum"]) == ("number", "2", "minimum_sample_size")
    assert [item["name"] for item in data["parameters"]] == [p.name for p in PARAMETERS]
    alpha = next(item for item in data["parameters"] if item["name"] == "alpha")
    assert (alpha["value"], alpha["default"], alpha["decision"]) == (0.05, 0.05, True)
    assert alpha["source"]


def test_an_unknown_standard_is_not_found_and_names_the_known_keys(client, db):
    response = client.get("/api/standards/eif-1999")
    assert response.status_code == 404
    [problem] = response.json()["error"]["problems"]
    assert problem["field"] == "key"
    assert "eif-2017" in problem["expected"]
    assert problem["found"] == "'eif-1999'"
