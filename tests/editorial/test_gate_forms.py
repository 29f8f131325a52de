"""Staff and provider forms pass the same gate as record files: form errors, never a 500."""

import pytest

from guidebook.catalogue.models import Programme
from guidebook.editorial.forms.questionnaire import field_of
from guidebook.editorial.forms.statistics import field_name
from tests.editorial.test_submission import NEW, answers


@pytest.fixture
def provider_client(client, personas):
    client.force_login(personas["provider"])
    return client


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # Once answered 500: the decimal column cannot hold 1000 hours.
        ("session_hours_min", "1000", "Expected a number <= 24, found 1000.0."),
        ("session_hours_max", "1.234", "Expected a number with at most 2 decimal places"),
        ("sessions", "99999999999", "Expected a number <= 1000"),
        (
            "frequency",
            "w" * 201,
            "Expected a text of at most 200 characters, found 201 characters.",
        ),
        ("contact_website", "https://localhost", "Expected empty, or an http:// or https://"),
        ("countries", "x" * 101, "Expected a text of at most 100 characters"),
    ],
)
def test_the_questionnaire_refuses_what_storage_cannot_keep_on_the_field(
    provider_client, field, value, message
):
    response = provider_client.post(NEW, answers(**{"session_hours_max": "24", field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("delivery.summary[2]", "delivery_summary"),
        ("characteristics.countries[0]", "countries"),
        ("contact.email", "contact_email"),
        ("name", "name"),
        ("cost.session_hours", "session_hours_min"),
        ("cost.sessions", "sessions"),
    ],
)
def test_record_paths_name_the_questionnaire_field(path, field):
    assert field_of(path) == field


def test_a_finding_with_an_infinite_follow_up_is_a_form_error(client, personas, make_round):
    from guidebook.editorial.models import State

    assessment = make_round(State.EVIDENCE_SEARCH)
    study = assessment.programme.studies.first()
    client.force_login(personas["assessor"])
    url = f"/staff/assessments/{assessment.pk}/studies/{study.pk}/findings/"
    data = {
        "outcome": "Fewer tantrums",
        "category": "behaviour",
        "beneficiary": "child",
        "reporter": "observer",
        "direction": "positive",
        "months_after": "1e308",
        "statistics_kind": "t",
        field_name("t", "t"): "2.1x",
        field_name("t", "n_treatment"): "3",
        field_name("t", "n_comparison"): "3",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors[field_name("t", "t")]
