"""A database busy with another writer gets "busy, try again" (503), logged, not a 500."""

import logging
import sqlite3

import psycopg.errors
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from guidebook.editorial import attempts
from guidebook.lib.server_errors import RETRY_AFTER_SECONDS, is_database_busy

pytestmark = pytest.mark.django_db


def _real_sqlite_lock_error(tmp_path):
    """The error Django raises when SQLite's write lock is held by someone else."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0)
    try:
        waiter.execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as error:
        wrapped = OperationalError(*error.args)
        wrapped.__cause__ = error
        return wrapped
    finally:
        waiter.close()
        holder.close()
    raise AssertionError("the second writer was not refused")


def _postgres_error(cause):
    wrapped = OperationalError(str(cause))
    wrapped.__cause__ = cause
    return wrapped


def test_sqlites_own_lock_error_counts_as_busy(tmp_path):
    assert is_database_busy(_real_sqlite_lock_error(tmp_path))


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database table is locked"), True),
        (_postgres_error(psycopg.errors.LockNotAvailable("lock timeout")), True),
        (_postgres_error(psycopg.errors.DeadlockDetected("deadlock detected")), True),
        (OperationalError("no such table: catalogue_programme"), False),
        (OperationalError("unable to open database file"), False),
        (_postgres_error(psycopg.errors.QueryCanceled("statement timeout")), False),
        (ValueError("database is locked"), False),
        (None, False),
    ],
)
def test_only_a_lock_held_by_another_writer_counts_as_busy(error, busy):
    assert is_database_busy(error) is busy


@pytest.fixture
def visitor():
    """A browser whose failed requests come back as responses, as a real one sees them."""
    return Client(raise_request_exception=False)


@pytest.fixture
def locked(monkeypatch):
    """Every sign-in attempt and every session save finds the database locked."""

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(attempts, "take", busy)
    monkeypatch.setattr(SessionStore, "save", busy)


def _assert_busy_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    html = response.content.decode()
    assert "Guidebook is busy: please try again" in html
    assert f"Wait {RETRY_AFTER_SECONDS} seconds" in html


def test_a_staff_sign_in_on_a_busy_database_gets_the_busy_page(visitor, locked, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = visitor.post("/staff/login/", {"username": "editor", "password": "x"})
    _assert_busy_page(response)
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and "database is locked" in str(record.exc_info[1])


def test_a_session_saved_after_the_view_on_a_busy_database_gets_it_too(visitor, ipp, locked):
    # The shortlist is kept in the session, which is written after the view returns.
    response = visitor.post(f"/shortlist/add/{ipp.slug}/")
    _assert_busy_page(response)


def test_any_other_database_error_is_still_a_500(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: editorial_attemptcount")

    monkeypatch.setattr(attempts, "take", broken)
    response = visitor.post("/staff/login/", {"username": "editor", "password": "x"})
    assert response.status_code == 500
    assert "Retry-After" not in response
