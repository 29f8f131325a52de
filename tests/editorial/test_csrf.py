"""Every write needs the CSRF token: without it, the request is refused and nothing changes."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.editorial.test_authorisation import MATRIX, VISITOR

WRITES = [row for row in MATRIX if row[1] == "post"]


def _row_counts():
    models = [
        *apps.get_app_config("editorial").get_models(),
        *apps.get_app_config("catalogue").get_models(),
        *apps.get_app_config("auth").get_models(),
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(
    ("name", "method", "setup", "allowed", "hidden"),
    WRITES,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(WRITES)],
)
def test_a_write_without_the_csrf_token_is_refused(world, name, method, setup, allowed, hidden):
    target = setup(world)
    url, data = target if isinstance(target, tuple) else (target, {})
    client = Client(enforce_csrf_checks=True)
    # Someone allowed to make this write, so only the missing token can refuse it.
    if VISITOR not in allowed:
        persona = "provider" if "provider" in allowed else "admin"
        client.force_login(world["personas"][persona])
    before = _row_counts()
    response = client.post(url, data)
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert _row_counts() == before


@pytest.mark.parametrize("name", ["login", "logout"])
def test_signing_in_and_out_need_the_token_too(db, name):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(f"editorial:{name}"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_with_the_token_the_same_write_goes_through(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["personas"]["provider"])
    page = client.get(reverse("editorial:submission_new"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("editorial:submission_new"),
        {"name": "Tokened", "action": "save", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
