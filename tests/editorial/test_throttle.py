"""Failed-login throttling: five failures for a username from one address lock it out."""

import pytest
from django.urls import reverse

from tests.editorial.conftest import PASSWORD

LOGIN = reverse("editorial:login")


def _fail(client, username="assessor", times=5, address="10.0.0.1"):
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
        assert response.status_code == 200


def test_it_signs_in_with_the_right_password(client, personas):
    response = client.post(LOGIN, {"username": "assessor", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:home")


def test_after_five_failures_even_the_right_password_is_refused_with_429(client, personas):
    _fail(client)
    response = client.post(
        LOGIN, {"username": "assessor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "cannot be signed in from your address for the next 15 minutes" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_a_success_clears_the_count(client, personas):
    _fail(client, times=4)
    ok = client.post(LOGIN, {"username": "assessor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert ok.status_code == 302
    client.logout()
    _fail(client, times=4)
    again = client.post(
        LOGIN, {"username": "assessor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("username", "address"),
    [("reviewer", "10.0.0.1"), ("assessor", "10.0.0.2")],
)
def test_the_lockout_holds_only_for_that_username_from_that_address(
    client, personas, username, address
):
    _fail(client)
    response = client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, personas):
    _fail(client)
    response = client.post(
        reverse("admin:login"),
        {"username": "assessor", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 200  # the admin shows its usual refusal
    assert "_auth_user_id" not in client.session


def test_the_username_is_compared_without_regard_to_case(client, personas):
    _fail(client, username="ASSESSOR")
    response = client.post(
        LOGIN, {"username": "assessor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429


# REMOTE_ADDR, X-Forwarded-For, the trusted proxies, and the address counted.
ADDRESS_CASES = [
    ("10.0.0.1", "", [], "10.0.0.1"),
    ("10.0.0.1", "192.0.2.7", [], "10.0.0.1"),
    ("127.0.0.1", "192.0.2.7", [], "127.0.0.1"),
    ("127.0.0.1", "192.0.2.7", ["127.0.0.1"], "192.0.2.7"),
    ("127.0.0.1", "203.0.113.9, 192.0.2.7", ["127.0.0.1"], "192.0.2.7"),
    ("127.0.0.1", "192.0.2.7, 10.1.1.1", ["127.0.0.1", "10.1.1.1"], "192.0.2.7"),
    ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
    ("127.0.0.1", "10.1.1.1", ["127.0.0.1", "10.1.1.1"], "127.0.0.1"),
    ("10.0.0.1", "192.0.2.7", ["127.0.0.1"], "10.0.0.1"),
]


@pytest.mark.parametrize(("remote", "forwarded", "trusted", "expected"), ADDRESS_CASES)
def test_the_counted_address_is_seen_through_trusted_proxies_only(
    rf, settings, remote, forwarded, trusted, expected
):
    from guidebook.editorial.throttle import client_address

    settings.TRUSTED_PROXIES = trusted
    request = rf.post(LOGIN, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_another(client, personas, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "assessor", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        LOGIN,
        {"username": "assessor", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.7",
    )
    assert other.status_code == 302
