"""The provider questionnaire: drafts, validation that names the field, submission."""

import pytest
from django.urls import reverse

from guidebook.catalogue.models import Programme
from guidebook.editorial.models import Assessment, State, StateChange, Submission

NEW = reverse("editorial:submission_new")


def answers(**changes):
    data = {
        "name": "Bright Beginnings",
        "summary": "Home visits for parents of toddlers.",
        "age_groups": ["toddlers"],
        "targeting": ["targeted-selected"],
        "countries": "England, Wales",
        "uk_provision": "on",
        "delivery_models": ["home-visiting"],
        "settings": ["home"],
        "sessions": "12",
        "session_hours_min": "1",
        "session_hours_max": "1.5",
        "frequency": "weekly",
        "practitioners": "Two family support workers",
        "practitioners_per_session": "2",
        "practitioner_level": "qcf-4-5",
        "families_per_group": "1",
        "booster_training": "no",
        "theory_of_change": "Parents learn to read cues\nChildren feel secure",
        "contact_name": "Ada Lovelace",
        "contact_email": "ada@example.org",
        "contact_website": "https://example.org",
        "evaluations": "Patel et al (2021) | https://doi.org/10.1000/bb1\nUnpublished pilot, 2023",
        "action": "submit",
    }
    data.update(changes)
    return data


@pytest.fixture
def provider_client(client, personas):
    client.force_login(personas["provider"])
    return client


def test_it_saves_a_draft_as_typed_and_resumes_it(provider_client, personas):
    response = provider_client.post(NEW, answers(action="save", sessions="twelve"))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:submission_edit", args=[submission.pk])
    assert submission.is_draft and submission.provider == personas["provider"]
    assert submission.answers["sessions"] == "twelve"
    assert submission.answers["age_groups"] == ["toddlers"]
    page = provider_client.get(response["Location"]).content.decode()
    assert 'value="Bright Beginnings"' in page
    assert 'value="twelve"' in page
    assert not Programme.objects.exists()


def test_submitting_stores_the_programme_and_starts_an_assessment(provider_client, personas):
    response = provider_client.post(NEW, answers())
    assert response.status_code == 302
    submission = Submission.objects.get()
    programme = submission.programme
    assert submission.status == Submission.Status.SUBMITTED
    assert programme.slug == "bright-beginnings"
    assert programme.keys_of("age_group") == ["toddlers"]
    assert programme.countries == ["England", "Wales"]
    assert programme.cost_profile.sessions == 12
    assert programme.cost_profile.session_hours == 1.25
    assert programme.cost_profile.booster_training is False
    assert programme.theory_of_change == ["Parents learn to read cues", "Children feel secure"]
    assessment = Assessment.objects.get(programme=programme)
    assert (assessment.state, assessment.provider, assessment.submission) == (
        State.SUBMITTED,
        personas["provider"],
        submission,
    )
    opened = StateChange.objects.get(assessment=assessment)
    assert (opened.action, opened.by) == ("open", personas["provider"])
    # Nothing is public until the panel signs it off.
    assert not programme.snapshots.exists()
    created = programme.history.get()
    assert (created.history_type, created.history_change_reason, created.history_user) == (
        "+",
        "Submitted by the provider",
        personas["provider"],
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Expected an answer, found none."),
        ("summary", "", "Expected an answer, found none."),
        ("sessions", "twelve", "Enter a whole number."),
        ("session_hours_max", "0.5", "Expected at least session_hours_min (1.0), found 0.5."),
        ("contact_email", "ada-at-example", "Enter a valid email address."),
        ("practitioner_level", "qcf-9", "Select a valid choice."),
        (
            "evaluations",
            "Patel (2021) | doi-10.1000",
            "Line 1: expected a web address starting http:// or https://, found 'doi-10.1000'.",
        ),
        ("evaluations", " | https://example.org", "Line 1: expected a citation before the '|'"),
    ],
)
def test_a_submission_with_a_wrong_answer_names_the_field_and_writes_nothing(
    provider_client, field, value, message
):
    response = provider_client.post(NEW, answers(**{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert f'href="#id_{field}"' in page  # the summary links to the question
    assert not Programme.objects.exists()
    assert not Submission.objects.exists()
    assert not Assessment.objects.exists()


def test_a_name_already_in_the_guidebook_is_refused(provider_client, ipp):
    response = provider_client.post(NEW, answers(name="Infant-Parent Psychotherapy"))
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["name"][0]


def test_a_submitted_questionnaire_can_no_longer_be_changed(provider_client):
    provider_client.post(NEW, answers())
    submission = Submission.objects.get()
    url = reverse("editorial:submission_edit", args=[submission.pk])
    page = provider_client.get(url)
    assert "Its assessment is at the step" in page.content.decode()
    assert provider_client.post(url, answers(name="Renamed")).status_code == 409


def test_a_provider_sees_only_their_own_submissions(client, personas):
    mine = Submission.objects.create(provider=personas["provider"], name="Mine")
    theirs = Submission.objects.create(provider=personas["other_provider"], name="Not yours")
    client.force_login(personas["provider"])
    assert client.get(reverse("editorial:submission_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("editorial:submission_edit", args=[mine.pk])).status_code == 200
    home = client.get(reverse("editorial:provider_home")).content.decode()
    assert "Mine" in home and "Not yours" not in home


def test_the_provider_approves_the_facts_or_sends_corrections(client, personas, make_round):
    assessment = make_round(State.PROVIDER_CHECK)
    client.force_login(personas["provider"])
    page = client.get(reverse("editorial:fact_check", args=[assessment.pk]))
    assert "Sure Start Steps" in page.content.decode()
    answer = reverse("editorial:answer_fact_check", args=[assessment.pk])
    assert client.post(answer, {"decision": "correct", "comment": ""}).status_code == 409
    response = client.post(answer, {"decision": "correct", "comment": "We run 14 sessions."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == State.EXPERT_REVIEW
    change = assessment.changes.last()
    assert (change.action, change.comment, change.by) == (
        "send-back",
        "We run 14 sessions.",
        personas["provider"],
    )
    assessment.state = State.PROVIDER_CHECK
    assessment.save()
    client.post(answer, {"decision": "approve", "comment": "All correct"})
    assessment.refresh_from_db()
    assert assessment.state == State.PANEL_SIGN_OFF


def test_another_providers_round_is_not_found(client, personas, make_round):
    assessment = make_round(State.PROVIDER_CHECK)
    client.force_login(personas["other_provider"])
    assert client.get(reverse("editorial:fact_check", args=[assessment.pk])).status_code == 404
    answer = reverse("editorial:answer_fact_check", args=[assessment.pk])
    assert client.post(answer, {"decision": "approve"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.state == State.PROVIDER_CHECK
