"""The local cost calculator: validation, and arithmetic that is the core cost model's."""

import dataclasses
from html import unescape

import pytest

from guidebook.evidence.cost import estimate_cost, total_cost
from guidebook.evidence.record_json import programme_from_dict
from tests.public.published import COMPLETE_COST, programme_data, store, unrated_cost

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
    # Its published facts can still be changed, on the calculator's own page.
    assert 'name="families_per_group"' in text
    assert 'name="horizon_years"' in text


def test_the_estimate_is_the_core_models_with_the_local_figures(client, costed):
    query = {"hourly_cost_qcf_7_8": "41.50", "hourly_cost_qcf_3": "12", "children": "45"}
    response = client.get(COSTED, query)
    assert response.status_code == 200
    calculation = response.context["calculation"]
    overrides = {"hourly_cost_qcf_7_8": 41.5, "hourly_cost_qcf_3": 12.0}
    expected = estimate_cost(
        costed.cost, "programme 'costed'", overrides, costed.characteristics.delivery_models
    )
    assert calculation.estimate == expected
    assert calculation.total == total_cost(expected, 45)
    assert [line["amount"] for line in calculation.lines] == [i.amount for i in expected.breakdown]
    assert [line["total"] for line in calculation.lines] == [
        round(i.amount * 45, 2) for i in expected.breakdown
    ]
    text = response.content.decode()
    assert f"£{expected.unit_cost:,.2f}" in text
    assert f"£{total_cost(expected, 45):,.2f}" in text


def test_filling_in_an_unknown_input_narrows_the_estimate_to_one_figure(client, ipp, ipp_record):
    response = client.get(IPP, {"practitioner_training_fee": "£1,200", "children": "10"})
    assert response.status_code == 200
    calculation = response.context["calculation"]
    profile = dataclasses.replace(ipp_record.cost, practitioner_training_fee=1200.0)
    expected = estimate_cost(
        profile,
        "programme 'infant-parent-psychotherapy'",
        {},
        ipp_record.characteristics.delivery_models,
    )
    assert calculation.estimate == expected
    assert expected.rating != "NA"
    assert "practitioner_training_fee" not in [a.field for a in expected.assumed]
    assert calculation.total == total_cost(expected, 10)


def test_without_the_number_of_sessions_it_says_why_there_is_no_estimate(client, ipp_data):
    store(programme_data(ipp_data, "no-sessions", "No Sessions", cost=unrated_cost(ipp_data)))
    response = client.get("/programmes/no-sessions/cost/", {"children": "10"})
    assert response.status_code == 200
    calculation = response.context["calculation"]
    assert calculation.estimate.rating == "NA"
    assert calculation.total is None
    text = unescape(response.content.decode())
    assert "number of sessions" in text
    assert 'data-testid="calc-missing"' in text


def test_an_unknown_input_that_decides_is_named_and_asked_first(client, ipp_data):
    cost = dict(ipp_data["cost"], practitioner_level=None, supervisor_level=None)
    store(programme_data(ipp_data, "no-level", "No Level", cost=cost))
    response = client.get("/programmes/no-level/cost/", {"children": "10"})
    estimate = response.context["calculation"].estimate
    assert estimate.rating == "NA"
    assert [item.field for item in estimate.deciding] == ["practitioner_level"]
    text = unescape(response.content.decode())
    assert "Practitioners' qualification level: qcf-3 to qcf-7-8 (rated 3 or 4)" in text
    form = response.context["calculator_form"]
    assert form.missing_fields[0].name == "practitioner_level"


def test_any_published_fact_and_parameter_can_be_changed(client, costed):
    query = {"families_per_group": "12", "horizon_years": "5", "booster_training": "yes"}
    response = client.get(COSTED, query)
    assert response.status_code == 200
    profile = dataclasses.replace(costed.cost, families_per_group=12, booster_training=True)
    expected = estimate_cost(
        profile,
        "programme 'costed'",
        {"horizon_years": 5.0},
        costed.characteristics.delivery_models,
    )
    assert response.context["calculation"].estimate == expected


def test_a_refused_published_fact_opens_its_section(client, costed):
    response = client.get(COSTED, {"families_per_group": "0"})
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "<details open>" in text
    assert "Families in a group: expected a whole number from 1 to 1,000, found '0'." in text


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
    assert response.context["calculator_form"].errors["licence_fee"] == [
        "cost.licence_fee: expected a number, found 'x'."
    ]


@pytest.mark.parametrize(
    "name",
    [
        "session_hours",
        "practitioner_training_hours",
        "supervisor_training_hours",
        "supervision_hours_per_family",
        "practitioner_training_fee",
        "licence_fee",
    ],
)
def test_an_input_names_its_unit_once(name):
    from guidebook.public.calculator import fact_field

    label = str(fact_field(name, "").label)
    assert label.lower().count("hours") <= 1, label
    assert label.count("(£)") <= 1, label
