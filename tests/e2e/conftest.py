"""The browser quality gate: Debian's Chromium, driven by Playwright, against a live server with demo content.

Every test gets a fresh database with the demo content (loaded once per run, restored for each test) and its own
browser contexts. Whatever a page logs as a
console error, any uncaught script error and any request that fails or answers 4xx/5xx is recorded; the test
fails at teardown unless it declared that exact response as expected (the 404 page).

Without the tools (Chromium, the npm packages, Java) the tests are skipped with one loud line at the end of the
run, so `make test` still works on a laptop without a browser. CI sets E2E_REQUIRED=1, which turns a missing tool
into a failure instead.
"""

import os
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.test import override_settings

from articles import search
from articles.models import Article
from newsportal.models import CacheEntry
from newsportal.roles import EDITORS, MODERATORS
from tests.e2e.tools import CHROMIUM, DESKTOP, LAUNCH_ARGS, missing_tools
from tests.factories import UserFactory

STAFF_PASSWORD = "e2e-staff-password-42"

# The live server must listen on loopback only; port 0 lets the system pick a free one.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1:0")


def e2e_required():
    return os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests when a tool is missing, unless CI requires them (then the browser fixture fails)."""
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    missing = missing_tools()
    if not browser_tests or not missing or e2e_required():
        return
    reason = "; ".join(missing)
    for item in browser_tests:  # named at the end of the run (tests/conftest.py)
        item.add_marker(pytest.mark.skip(reason=f"E2E BROWSER TESTS SKIPPED: {reason}"))


@pytest.fixture
def browser(monkeypatch):
    """Launch Debian's Chromium for one test (never a browser that Playwright downloads).

    Playwright's synchronous API keeps an asyncio loop running on this thread while it is started. Django then
    takes the thread for async code: it refuses ORM calls (DJANGO_ALLOW_ASYNC_UNSAFE lifts that; nothing here is
    async, the live server has its own threads) and hands out a separate set of database connections. So the
    browser lives only as long as one test: the database setup and flush around each test run without the loop,
    on the connections the test database was created with, and the connections the test opened are closed here.
    Starting Chromium costs under a second.
    """
    missing = missing_tools()
    if missing:
        pytest.fail("E2E_REQUIRED is set but the browser tests cannot run: " + "; ".join(missing), pytrace=False)
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@dataclass
class BrowserLog:
    """What went wrong in the browser while a test ran: console errors, script errors, failed requests."""

    problems: list = field(default_factory=list)
    expected: set = field(default_factory=set)  # (status, url) pairs a test asked for, e.g. its 404 page

    def expect_status(self, status, url):
        self.expected.add((status, url))

    def watch(self, page):
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        page.on("requestfailed", lambda request: self._failed(request))
        page.on("response", lambda response: self._response(response))

    def _console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium also reports an expected error status as a console error; that one was asked for.
        if "the server responded with a status of" in message.text and url in {u for _, u in self.expected}:
            return
        self.problems.append(f"console error at {url}: {message.text}")

    def _failed(self, request):
        # A download the browser itself cancels because the reader moved on (an icon or image still loading
        # when a link is followed) is not the site failing. Requests made by the site's own script must finish.
        if request.failure == "net::ERR_ABORTED" and request.resource_type not in {"fetch", "xhr"}:
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400 and (response.status, response.url) not in self.expected:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")


@dataclass
class Site:
    """The live server as a test sees it: its address and the browser contexts opened on it."""

    url: str
    browser: object
    log: BrowserLog
    contexts: list = field(default_factory=list)

    def new_page(self, *, javascript=True, viewport=DESKTOP, headers=None, color_scheme="light"):
        """Open a page in a new browser context: a separate reader, with their own cookies."""
        context = self.browser.new_context(
            base_url=self.url,
            color_scheme=color_scheme,
            java_script_enabled=javascript,
            viewport=viewport,
            extra_http_headers=headers or {},
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        self.log.watch(page)
        return page

    def log_in(self, page, username):
        """Log a staff member in through the admin's login form."""
        page.goto("/admin/login/?next=/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")


@dataclass(frozen=True)
class DemoSnapshot:
    """The demo content as loaded once: the database rows serialized, and the pictures it drew."""

    rows: str
    media: Path


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once per run (drawing its pictures takes seconds), keep its rows and roll it back.

    Rolled back, the demo never reaches the tests that do not ask for it.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        # An earlier transactional test may have flushed what the data migrations made (the staff groups).
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        call_command("demo", force=True, stdout=StringIO())
        rows = connection.creation.serialize_db_to_string()
        transaction.set_rollback(True)
    return DemoSnapshot(rows=rows, media=media)


def restore(snapshot):
    """Put the demo's rows back into the flushed test database, with sequences past the restored keys."""
    connection.creation.deserialize_db_from_string(snapshot.rows)
    CacheEntry.objects.all().delete()  # a page cached while the demo loaded belongs to no test
    # SQLite's search index is kept by the services, which restoring rows passes by
    search.rebuild_index(Article.objects.all())
    reset = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in reset:
            cursor.execute(statement)


@pytest.fixture
def site(demo_snapshot, browser, live_server, settings, django_db_serialized_rollback, site_settings):
    """Serve the demo content on a fresh database, with e2e settings, and check the browser log afterwards.

    A live-server test needs real commits, so the database is flushed after it; serialized rollback (as in the
    other transactional tests) brings back what the data migrations created, the staff groups among it.
    """
    settings.SITE_URL = live_server.url  # the pages' canonical links and cards point at the server under test
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.MEDIA_ROOT = demo_snapshot.media
    restore(demo_snapshot)
    # A browser fills the form in well under the anti-bot minimum and posts more than a reader's allowance.
    site_settings(min_form_seconds=0, rate_limit=1000)
    log = BrowserLog()
    live = Site(url=live_server.url, browser=browser, log=log)
    yield live
    for context in live.contexts:
        context.close()
    assert not log.problems, "the browser saw problems:\n" + "\n".join(log.problems)


@pytest.fixture
def editor_account(site):
    return UserFactory(username="e2e-editor", groups=[EDITORS], password=STAFF_PASSWORD)


@pytest.fixture
def moderator_account(site):
    return UserFactory(username="e2e-moderator", groups=[MODERATORS], password=STAFF_PASSWORD)
