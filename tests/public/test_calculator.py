"""The local cost calculator: validation, and arithmetic that is the core cost model's."""

import dataclasses
from html import unescape

import pytest

from guidebook.evidence.cost import estimate_cost, total_cost
from guidebook.evidence.record_json import programme_from_dict
from tests.public.published import COMPLETE_COST, programme_data, store

pytestmark = pytest.mark.django_db

IPP = "/programmes/infant-parent-psychotherapy/cost/"
COSTED = "/programmes/costed/cost/"


@pytest.fixture
def costed(ipp_data):
    """A published programme with a complete cost profile (rated, with a breakdown)."""
    data = programme_data(ipp_data, "costed", "Costed Programme", cost=COMPLETE_COST)
    store(data)
    return programme_from_dict(data)


def test_the_blank_calculator_shows_the_form_and_no_estimate(client, ipp):
    response = client.get(IPP)
    assert response.status_code == 200
    assert response.context["calculation"] is None
    text = response.content.decode()
    assert 'method="get" action="/programmes/infant-parent-psychotherapy/cost/"' in text
    assert "Leave blank to use the national figure, £28.92." in text


def test_the_programme_page_carries_the_calculator(client, ipp):
    text = client.get("/programmes/infant-parent-psychotherapy/").content.decode()
    assert 'id="cost-calculator"' in text
    assert 'action="/programmes/infant-parent-psychotherapy/cost/"' in text
    assert 'name="hourly_cost_qcf_7_8"' in text
    # The IPP profile does not publish its training fee, so the calculator asks for it.
    assert 'name="practitioner_training_fee"' in text


def test_a_programme_with_a_complete_profile_asks_for_no_missing_inputs(client, costed):
    text = client.get(COSTED).content.decode()
    assert "Inputs the published profile does not give" not in text


def test_the_estimate_is_the_core_models_with_the_local_figures(client, costed):
    query = {"hourly_cost_qcf_7_8": "41.50", "hourly_cost_qcf_3": "12", "children": "45"}
    response = client.get(COSTED, query)
    assert response.status_code == 200
    calculation = response.context["calculation"]
    overrides = {"hourly_cost_qcf_7_8": 41.5, "hourly_cost_qcf_3": 12.0}
    expected = estimate_cost(costed.cost, "programme 'costed'", overrides)
    assert calculation.estimate == expected
    assert calculation.total == total_cost(expected, 45)
    assert [line["amount"] for line in calculation.lines] == [i.amount for i in expected.breakdown]
    assert [line["total"] for line in calculation.lines] == [
        round(i.amount * 45, 2) for i in expected.breakdown
    ]
    text = response.content.decode()
    assert f"£{expected.unit_cost:,.2f}" in text
    assert f"£{total_cost(expected, 45):,.2f}" in text


def test_filling_in_a_missing_input_gives_a_rating_where_the_published_one_is_na(
    client, ipp, ipp_record
):
    response = client.get(IPP, {"practitioner_training_fee": "£1,200", "children": "10"})
    assert response.status_code == 200
    calculation = response.context["calculation"]
    profile = dataclasses.replace(ipp_record.cost, practitioner_training_fee=1200.0)
    expected = estimate_cost(profile, "programme 'infant-parent-psychotherapy'", {})
    assert calculation.estimate == expected
    assert expected.rating != "NA"
    assert calculation.total == total_cost(expected, 10)


def test_without_the_missing_input_it_says_why_there_is_no_estimate(client, ipp):
    response = client.get(IPP, {"hourly_cost_qcf_7_8": "35", "children": "10"})
    assert response.status_code == 200
    calculation = response.context["calculation"]
    assert calculation.estimate.rating == "NA"
    assert calculation.total is None
    assert "practitioner training fee" in unescape(response.content.decode())


def test_the_chart_has_a_bar_per_item_scaled_to_the_largest(client, costed):
    response = client.get(COSTED, {"children": "20"})
    calculation = response.context["calculation"]
    amounts = [line["amount"] for line in calculation.lines]
    widths = [bar.width for bar in calculation.bars]
    assert len(widths) == len(amounts)
    assert widths[amounts.index(max(amounts))] == max(widths) == 330
    text = response.content.decode()
    assert 'role="img" aria-labelledby="cost-chart-title cost-chart-desc"' in text
    assert 'data-testid="calc-breakdown"' in text


# One row per bad value: the field, what was typed, and the whole message expected.
INVALID = [
    (
        "hourly_cost_qcf_7_8",
        "-4",
        "Hourly cost at QCF 7/8: expected an amount in pounds above 0 and at most £1,000, found '-4'.",
    ),
    (
        "hourly_cost_qcf_3",
        "0",
        "Hourly cost at QCF 3: expected an amount in pounds above 0 and at most £1,000, found '0'.",
    ),
    (
        "hourly_cost_qcf_6",
        "twenty",
        "Hourly cost at QCF 6: expected an amount in pounds above 0 and at most £1,000, found 'twenty'.",
    ),
    (
        "hourly_cost_qcf_4_5",
        "nan",
        "Hourly cost at QCF 4/5: expected an amount in pounds above 0 and at most £1,000, found 'nan'.",
    ),
    (
        "hourly_cost_qcf_4_5",
        "1000.01",
        "Hourly cost at QCF 4/5: expected an amount in pounds above 0 and at most £1,000, found '1000.01'.",
    ),
    (
        "children",
        "0",
        "Children or families to serve: expected a whole number from 1 to 100,000,000, found '0'.",
    ),
    (
        "children",
        "2.5",
        "Children or families to serve: expected a whole number from 1 to 100,000,000, found '2.5'.",
    ),
    (
        "children",
        "100000001",
        "Children or families to serve: expected a whole number from 1 to 100,000,000, found '100000001'.",
    ),
    (
        "practitioner_training_fee",
        "-1",
        "Practitioner training fee (£): expected an amount in pounds from 0 up to £10,000,000, found '-1'.",
    ),
    (
        "practitioner_training_fee",
        "inf",
        "Practitioner training fee (£): expected an amount in pounds from 0 up to £10,000,000, found 'inf'.",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID)
def test_a_bad_value_is_refused_naming_the_field_what_was_expected_and_found(
    client, ipp, field, value, message
):
    response = client.get(IPP, {field: value})
    assert response.status_code == 400
    assert response.context["calculation"] is None
    assert response.context["calculator_form"].errors[field] == [message]
    text = unescape(response.content.decode())
    assert message in text
    assert 'aria-invalid="true"' in text


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [("30", 30.0), ("£30", 30.0), (" 1,250.50 ", 1250.5), ("", None)],
)
def test_amounts_are_read_as_people_type_them(client, ipp, typed, read_as):
    response = client.get(IPP, {"practitioner_training_fee": typed})
    assert response.status_code == 200
    form = response.context["calculator_form"]
    assert form.cleaned_data["practitioner_training_fee"] == read_as


def test_every_bad_value_is_reported_at_once(client, ipp):
    response = client.get(IPP, {"hourly_cost_qcf_3": "x", "children": "-1"})
    assert response.status_code == 400
    assert set(response.context["calculator_form"].errors) == {"hourly_cost_qcf_3", "children"}


def test_there_is_no_calculator_for_an_unpublished_programme(client, db):
    assert client.get("/programmes/no-such-thing/cost/").status_code == 404


def test_a_missing_qualification_level_is_asked_as_a_choice(client, ipp_data):
    cost = dict(COMPLETE_COST, practitioner_level=None)
    store(programme_data(ipp_data, "no-level", "No Level", cost=cost))
    response = client.get("/programmes/no-level/cost/", {"practitioner_level": "qcf-6"})
    assert response.status_code == 200
    assert response.context["calculation"].estimate.rating != "NA"
    response = client.get("/programmes/no-level/cost/", {"practitioner_level": "qcf-9"})
    assert response.status_code == 400
    assert response.context["calculator_form"].errors["practitioner_level"] == [
        "Practitioners' qualification level: expected one of qcf-3, qcf-4-5, qcf-6, qcf-7-8, "
        "found 'qcf-9'."
    ]


def test_a_value_the_core_model_rejects_is_shown_on_the_form(client, ipp, monkeypatch):
    from guidebook.evidence.errors import InvalidRecord
    from guidebook.public import calculator

    def reject(*args, **kwargs):
        raise InvalidRecord.single(
            "programme 'infant-parent-psychotherapy'", "cost.licence_fee", "a number", "x"
        )

    monkeypatch.setattr(calculator, "calculate", reject)
    response = client.get(IPP, {"children": "3"})
    assert response.status_code == 400
    assert response.context["calculator_form"].non_field_errors() == [
        "cost.licence_fee: expected a number, found 'x'."
    ]


@pytest.mark.parametrize(
    ("name", "label", "expected"),
    [
        ("session_hours", "length of a session in hours", "Length of a session in hours"),
        (
            "practitioner_training_hours",
            "hours of practitioner training",
            "Hours of practitioner training",
        ),
        ("practitioner_training_hours", "practitioner training", "Practitioner training (hours)"),
        ("practitioner_training_fee", "practitioner training fee", "Practitioner training fee (£)"),
    ],
)
def test_a_missing_input_names_its_unit_once(name, label, expected):
    from guidebook.public.calculator import _missing_input_field

    assert _missing_input_field(name, label).label == expected
