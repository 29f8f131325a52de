"""Attempt limits counted in the database: one count for every worker process."""

import os
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from guidebook.editorial import attempts
from guidebook.editorial.models import AttemptCount
from tests.conftest import REPO
from tests.editorial.conftest import PASSWORD

pytestmark = pytest.mark.django_db

KEY = attempts.key_for("sign-in", "assessor", "10.0.0.1")


def test_attempts_are_taken_up_to_the_limit_and_then_refused():
    taken = [attempts.take(KEY, 3, 60) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert attempts.attempts(KEY) == 3


def test_a_window_that_has_ended_starts_the_count_again():
    for _ in range(3):
        attempts.take(KEY, 3, 60)
    AttemptCount.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    assert attempts.attempts(KEY) == 0
    assert attempts.take(KEY, 3, 60) is True
    assert attempts.attempts(KEY) == 1


def test_later_attempts_do_not_extend_the_window():
    attempts.take(KEY, 3, 60)
    first_end = AttemptCount.objects.get().window_ends
    attempts.take(KEY, 3, 600)
    assert AttemptCount.objects.get().window_ends == first_end


def test_forgetting_clears_the_count_and_ended_windows_are_swept():
    other = attempts.key_for("account-request", "10.0.0.9")
    attempts.take(KEY, 3, 60)
    attempts.take(other, 3, 60)
    AttemptCount.objects.filter(key=other).update(window_ends=timezone.now())
    attempts.forget(KEY)
    assert attempts.attempts(KEY) == 0
    attempts.take(KEY, 3, 60)
    assert list(AttemptCount.objects.values_list("key", flat=True)) == [KEY]


def test_keys_hold_no_name_or_address():
    assert KEY.startswith("sign-in:")
    assert "assessor" not in KEY and "10.0.0.1" not in KEY
    assert attempts.key_for("sign-in", "a", "b") != attempts.key_for("sign-in", "ab", "")


@pytest.mark.django_db(transaction=True)
def test_attempts_sent_at_the_same_moment_cannot_pass_the_limit():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite lets one writer in at a time (BEGIN IMMEDIATE), and the in-memory "
            "test database cannot be shared by threads; PostgreSQL shows the row lock"
        )
    start = threading.Barrier(8)
    taken = []

    def attempt():
        start.wait()
        try:
            taken.append(attempts.take(KEY, 3, 60))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == [False] * 5 + [True] * 3
    assert attempts.attempts(KEY) == 3


def test_the_count_does_not_live_in_the_processs_own_cache(client, personas):
    from django.core.cache import cache

    for _ in range(5):
        client.post("/staff/login/", {"username": "assessor", "password": "wrong"})
        cache.clear()  # as if each attempt reached another worker, with memory of its own
    right = client.post("/staff/login/", {"username": "assessor", "password": PASSWORD})
    assert right.status_code == 429


# --- Separate processes, as gunicorn's workers are ------------------------------------

# The production password hasher takes a good fraction of a second on purpose.
FAST_PASSWORDS = (
    "import django; django.setup(); from django.conf import settings;"
    "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
)
WORKER = FAST_PASSWORDS + textwrap.dedent(
    """
    import sys
    from django.test import Client
    client = Client(REMOTE_ADDR="192.0.2.7")
    for password in sys.argv[1:]:
        response = client.post("/staff/login/", {"username": "assessor", "password": password})
        print(response.status_code)
    """
)
MAKE_SITE = FAST_PASSWORDS + (
    "from django.core.management import call_command; call_command('migrate', verbosity=0);"
    "from django.contrib.auth.models import User;"
    "User.objects.create_user('assessor', password='right-password')"
)


@pytest.fixture(scope="module")
def site_environment(tmp_path_factory):
    """A migrated SQLite site in a folder of its own, with no Redis: each process
    has only its own memory cache, as gunicorn workers without REDIS_URL do."""
    data_dir = tmp_path_factory.mktemp("workers")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="guidebook.settings",
        PYTHONPATH=str(REPO),
        GUIDEBOOK_DATA_DIR=str(data_dir),
    )
    done = subprocess.run(
        [sys.executable, "-c", MAKE_SITE], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return env


def _worker(env, *passwords):
    done = subprocess.run(
        [sys.executable, "-c", WORKER, *passwords], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return [int(status) for status in done.stdout.split()]


def test_failures_counted_by_one_worker_lock_the_pair_out_in_another(site_environment):
    assert _worker(site_environment, *["wrong"] * 3) == [200, 200, 200]
    # A second process: two more failures reach the limit of five between them.
    assert _worker(site_environment, "wrong", "wrong", "right-password") == [200, 200, 429]
