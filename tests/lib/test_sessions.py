"""The session store reads with a plain query and answers as Django's own store does."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from guidebook.lib.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(data):
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_loads_what_was_saved():
    key = _saved({"shortlist": ["family-nurse-partnership"]})
    for store in (SessionStore(key), DjangoStore(key)):
        assert store["shortlist"] == ["family-nurse-partnership"]


def test_an_expired_session_loads_empty_and_forgets_its_key():
    key = _saved({"shortlist": ["coping-power"]})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    for store in (SessionStore(key), DjangoStore(key)):
        assert dict(store.items()) == {}
        assert store.session_key is None


def test_an_unknown_key_loads_empty():
    store = SessionStore("x" * 32)
    assert store.get("shortlist") is None
    assert store.session_key is None


def test_no_key_loads_empty_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert SessionStore().load() == {}
