"""The Content-Security-Policy in Debian's Chromium: the main pages, the admin and the
API docs run under it with no violation, and markup that got into a page cannot run."""

import pytest

from tests.public.published import COMPLETE_COST, programme_data, store
from tests.public.test_effects_page import SLUG as FOREST
from tests.public.test_effects_page import forest_programme_data

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "csp-admin-password"
PUBLIC_PAGES = [
    "/programmes/",
    f"/programmes/{FOREST}/",
    "/programmes/programme-2/cost/",
    f"/compare/?p={FOREST}&p=programme-2",
    "/shortlist/",
    "/standards/",
    "/standards/eif-2018/",
    "/standards/how-to-read/",
    "/downloads/",
    "/staff/login/",
    "/staff/register/",
    "/api/docs",
]
ADMIN_PAGES = ["/admin/", "/admin/catalogue/programme/", "/admin/auth/user/add/"]


@pytest.fixture
def site(transactional_db, live_server, ipp_data, settings):
    from django.contrib.auth.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    store(forest_programme_data(ipp_data))
    store(programme_data(ipp_data, "programme-2", "Programme 2", cost=COMPLETE_COST))
    User.objects.create_superuser("csp-admin", password=ADMIN_PASSWORD)
    return live_server.url


def _watch(page):
    """Collects what the browser refused under the policy, and any script error."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def test_the_public_pages_run_under_the_policy_without_a_violation(page, site):
    problems = _watch(page)
    for path in PUBLIC_PAGES:
        response = page.goto(site + path)
        assert response is not None and response.ok, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    assert problems == []


def test_the_api_docs_load_their_scripts_under_the_policy(page, site):
    problems = _watch(page)
    page.goto(site + "/api/docs")
    # Swagger UI is drawn by its scripts, from the API's own description.
    page.locator(".swagger-ui .opblock").first.wait_for(state="visible", timeout=15000)
    assert problems == []


def test_the_admin_runs_its_scripts_under_the_policy(page, site):
    problems = _watch(page)
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("csp-admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")
    for path in ADMIN_PAGES:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    # The theme toggle is the admin's own script at work.
    assert page.locator("button.theme-toggle").first.is_visible()
    assert problems == []


def test_markup_that_got_into_a_page_cannot_run_script(page, site):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{site}/programmes/{FOREST}/")
    page.evaluate(
        """() => {
            window.ran = false;
            document.body.insertAdjacentHTML(
                "beforeend", '<img src="x" onerror="window.ran = true"><p style="color:red">x</p>'
            );
            const script = document.createElement("script");
            script.textContent = "window.ran = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is False
    assert any("Content Security Policy" in text for text in refused)
