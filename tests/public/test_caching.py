"""Whole-page caching: served without queries, retired by publishing, never for the few.

The module is its own URLconf for the tests that need small views of their own
(``pytest.mark.urls(__name__)``); the rest use the real programme page.
"""

import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpResponse
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import path

from guidebook.catalogue.models import Programme
from guidebook.catalogue.publishing import publish
from guidebook.public.caching import CACHE_HEADER, cache_public_page

# Committed transactions, as in production: the cache stands aside inside an open
# transaction (see the last test), which is where the ``db`` fixture runs a test.
pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/programmes/infant-parent-psychotherapy/"
TWIN = "/programmes/infant-parent-psychotherapy.json"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')

renders = Counter()


def _counted(name, body=b"", status=200):
    @cache_public_page
    def view(request):
        renders[name] += 1
        return HttpResponse(body or name.encode(), status=status)

    return view


def _form(request):
    renders["form"] += 1
    template = Template('<form method="post">{% csrf_token %}<button>Send</button></form>')
    return HttpResponse(template.render(RequestContext(request)))


def _token_in_a_script(request):
    renders["script"] += 1
    return HttpResponse(
        Template("<script>var t = '{{ csrf_token }}';</script>").render(RequestContext(request))
    )


def _missing(request):
    renders["missing"] += 1
    raise Http404("not here")


def _sets_cookie(request):
    renders["cookie"] += 1
    response = HttpResponse("with a cookie")
    response.set_cookie("flavour", "oat")
    return response


def _private(request):
    renders["private"] += 1
    response = HttpResponse("only for you")
    response["Cache-Control"] = "private"
    return response


def _reads_session(request):
    renders["session"] += 1
    return HttpResponse(" ".join(request.session.get("shortlist", [])) or "nothing")


def _reads_messages(request):
    from django.contrib.messages import get_messages

    renders["messages"] += 1
    return HttpResponse(" ".join(str(m) for m in get_messages(request)) or "nothing")


def _accept(request):
    return HttpResponse("accepted")


urlpatterns = [
    path("plain/", _counted("plain")),
    path("error/", _counted("error", b"broken", status=500)),
    path("form/", cache_public_page(_form)),
    path("script/", cache_public_page(_token_in_a_script)),
    path("missing/", cache_public_page(_missing)),
    path("cookie/", cache_public_page(_sets_cookie)),
    path("private/", cache_public_page(_private)),
    path("session/", cache_public_page(_reads_session)),
    path("messages/", cache_public_page(_reads_messages)),
    path("accept/", _accept),
]


@pytest.fixture(autouse=True)
def _fresh_counts():
    renders.clear()


# --- The real programme page ----------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, TWIN])
def test_a_cached_page_is_served_without_queries(client, ipp, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second[CACHE_HEADER] == "hit"
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_publishing_retires_every_cached_page(client, ipp):
    assert client.get(PAGE)[CACHE_HEADER] == "miss"
    assert client.get(PAGE)[CACHE_HEADER] == "hit"
    Programme.objects.filter(pk=ipp.pk).update(name="Infant-Parent Psychotherapy, renamed")
    publish(Programme.objects.get(pk=ipp.pk), note="Renamed")
    response = client.get(PAGE)
    assert response[CACHE_HEADER] == "miss"
    assert "Infant-Parent Psychotherapy, renamed" in response.content.decode()


def test_a_visitor_with_a_shortlist_shares_the_catalogue_but_not_the_programme_page(ipp):
    Client().get("/programmes/")
    Client().get(PAGE)
    visitor = Client()
    visitor.post("/shortlist/add/infant-parent-psychotherapy/", {"next": "/"})
    catalogue = visitor.get("/programmes/")
    assert catalogue[CACHE_HEADER] == "hit"
    programme = visitor.get(PAGE)
    assert CACHE_HEADER not in programme
    assert "Remove from shortlist" in programme.content.decode()
    assert "Add to shortlist" in Client().get(PAGE).content.decode()


def test_a_signed_in_visitor_always_gets_a_fresh_programme_page(client, ipp):
    user = get_user_model().objects.create_user("reviewer", password="not-used-here")
    client.force_login(user)
    for _ in range(2):
        response = client.get(PAGE)
        assert response.status_code == 200
        assert CACHE_HEADER not in response


def test_an_unknown_programme_is_not_cached(client):
    for _ in range(2):
        response = client.get("/programmes/no-such-programme/")
        assert response.status_code == 404
        assert CACHE_HEADER not in response


# --- What is stored and what is not --------------------------------------------------------


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "name", "status", "stored"),
    [
        ("/plain/", "plain", 200, True),
        ("/error/", "error", 500, False),
        ("/missing/", "missing", 404, False),
        ("/cookie/", "cookie", 200, False),
        ("/private/", "private", 200, False),
        ("/script/", "script", 200, False),
        ("/form/", "form", 200, True),
    ],
)
def test_only_plain_successful_pages_are_stored(client, url, name, status, stored):
    first = client.get(url)
    second = client.get(url)
    assert (first.status_code, second.status_code) == (status, status)
    assert renders[name] == (1 if stored else 2)
    assert second.get(CACHE_HEADER) == ("hit" if stored else None)


@pytest.mark.urls(__name__)
def test_a_post_is_neither_served_from_nor_stored_in_the_cache(client):
    assert client.post("/plain/").get(CACHE_HEADER) is None
    assert client.get("/plain/")[CACHE_HEADER] == "miss"
    assert client.post("/plain/").get(CACHE_HEADER) is None
    assert renders["plain"] == 3


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_state_of_their_own_shares_pages_that_do_not_read_it(client, cookie):
    client.get("/plain/")
    client.cookies[cookie] = "something"
    assert client.get("/plain/")[CACHE_HEADER] == "hit"
    assert renders["plain"] == 1


def _visitor_with(cookie):
    """A visitor whose session holds a shortlist, or who has a message waiting."""
    visitor = Client()
    if cookie == "sessionid":
        session = visitor.session
        session["shortlist"] = ["their-own"]
        session.save()
        visitor.cookies["sessionid"] = session.session_key
    else:
        from django.contrib.messages.storage.base import Message
        from django.contrib.messages.storage.cookie import CookieStorage

        storage = CookieStorage(RequestFactory().get("/"))
        visitor.cookies["messages"] = storage._encode([Message(20, "their-own")])
    return visitor


# Each view reads what its name says; the visitor's own state must never reach anyone
# else, and what others were served must not stand in for the visitor's own page.
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("cookie", "url"), [("sessionid", "/session/"), ("messages", "/messages/")]
)
def test_a_page_that_reads_a_visitors_state_is_theirs_alone(cookie, url):
    stranger = Client()
    assert stranger.get(url)[CACHE_HEADER] == "miss"
    visitor = _visitor_with(cookie)
    own = visitor.get(url)
    assert own.get(CACHE_HEADER) is None
    assert b"their-own" in own.content
    again = stranger.get(url)
    assert again[CACHE_HEADER] == "hit"
    assert b"their-own" not in again.content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("cookie", "url"), [("sessionid", "/session/"), ("messages", "/messages/")]
)
def test_a_page_rendered_from_a_visitors_state_is_never_stored(cookie, url):
    assert _visitor_with(cookie).get(url).get(CACHE_HEADER) is None
    stranger = Client().get(url)
    assert stranger[CACHE_HEADER] == "miss"
    assert b"their-own" not in stranger.content


@pytest.mark.urls(__name__)
def test_a_visitor_with_a_language_cookie_is_never_served_from_the_cache(client):
    client.get("/plain/")
    client.cookies["django_language"] = "cy"
    assert client.get("/plain/").get(CACHE_HEADER) is None
    assert renders["plain"] == 2


@pytest.mark.urls(__name__)
def test_a_hard_reload_renders_afresh_and_stores_the_new_copy(client):
    client.get("/plain/")
    assert client.get("/plain/", HTTP_CACHE_CONTROL="no-cache")[CACHE_HEADER] == "miss"
    assert client.get("/plain/", HTTP_CACHE_CONTROL="max-age=0")[CACHE_HEADER] == "hit"
    assert renders["plain"] == 2


@pytest.mark.urls(__name__)
def test_each_visitor_gets_a_csrf_token_of_their_own_from_a_cached_form():
    first = Client(enforce_csrf_checks=True)
    assert first.get("/form/")[CACHE_HEADER] == "miss"
    second = Client(enforce_csrf_checks=True)
    page = second.get("/form/")
    assert page[CACHE_HEADER] == "hit"
    assert page["Vary"] == "Cookie"
    token = TOKEN.search(page.content.decode()).group(1)
    assert second.post("/accept/", {"csrfmiddlewaretoken": token}).status_code == 200
    # The token belongs to the second visitor: the first visitor's cookie rejects it.
    assert first.post("/accept/", {"csrfmiddlewaretoken": token}).status_code == 403
    assert renders["form"] == 1


@pytest.mark.urls(__name__)
def test_a_page_with_a_visitors_token_is_never_offered_to_shared_caches(settings):
    settings.FRONT_CACHES = ["http://127.0.0.1:9"]
    for expected in ("miss", "hit"):
        page = Client(enforce_csrf_checks=True).get("/form/")
        assert page[CACHE_HEADER] == expected
        assert "s-maxage" not in page.get("Cache-Control", "")


@pytest.mark.urls(__name__)
def test_the_query_string_is_part_of_the_key(client):
    client.get("/plain/?age_group=infants")
    assert client.get("/plain/?age_group=toddlers")[CACHE_HEADER] == "miss"
    assert client.get("/plain/?age_group=infants")[CACHE_HEADER] == "hit"


@pytest.mark.urls(__name__)
def test_the_cache_stands_aside_inside_an_open_transaction(client):
    with transaction.atomic():
        client.get("/plain/")
        assert client.get("/plain/").get(CACHE_HEADER) is None
    assert renders["plain"] == 2
    assert client.get("/plain/")[CACHE_HEADER] == "miss"
