import pytest

from newsportal.roles import EDITORS, MODERATORS, REPORTERS
from tests import services
from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.forms import FormReader


def pytest_terminal_summary(terminalreporter, config):
    """Say once, loudly, which tests did not run for want of a browser, a validator, PostgreSQL, Redis or nginx."""
    for line in services.summary_lines(terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(line, yellow=True, bold=True)


@pytest.fixture
def postgresql(request):
    """Run the test only on PostgreSQL (CI's second pass fails it instead of skipping)."""
    services.require_postgresql(request)


@pytest.fixture
def live_site(live_server, settings):
    """The live server as the site's one address (SITE_URL): its pages link to it, whatever Host a client sends."""
    settings.SITE_URL = live_server.url
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    return live_server


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Keep uploaded and generated files out of the project tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache (rate limits, cached pages).

    The embedded default cache is a table of the test database, which every test rolls back or flushes; a cache
    outside it (Redis, in CI's PostgreSQL pass) is cleared here.
    """
    from django.core.cache import caches

    from newsportal.cache import DatabaseCache

    if isinstance(caches["default"], DatabaseCache):
        yield
        return
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database (`transaction=True`, a live server) has been torn down, put back the
    rows the migrations made (staff groups, content types), so the next test its worker runs finds the database as
    migrated.

    Run alone, pytest-django orders such tests last; a worker of a parallel run takes whole files, so a test
    needing the groups may come after one that flushed them.
    """
    result = yield
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    flushed = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "site", "live_site"} & fixtures
    )
    # After a worker's last test the session's teardown has destroyed the test databases: nothing to put back.
    if flushed and nextitem is not None:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def database_breaker_closed():
    """Each test starts with the circuit breaker closed and no outage remembered from an earlier test."""
    from newsportal import outages
    from newsportal.db.breaker import breaker

    outages.reset()  # what an earlier test on this worker saw go down is not this test's outage
    yield
    breaker.reset()


@pytest.fixture
def site_settings(db):
    """Change the newsroom's site settings as a Site manager would: `site_settings(rate_limit=2)`.

    Saved like an admin save (the cached copy is dropped); the test's rollback or flush puts the row back. Called
    without arguments it returns the settings in force.
    """
    from newsportal.models import SiteSettings
    from newsportal.sitesettings import site_settings as in_force

    def change(**values):
        if not values:
            return in_force()
        row, _ = SiteSettings.objects.get_or_create(pk=SiteSettings.SINGLETON)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        return in_force()  # and in the cache, as after the first reader following an admin save

    return change


@pytest.fixture
def category(db):
    return CategoryFactory(name="World News", slug="world-news")


@pytest.fixture
def article(category):
    return ArticleFactory(category=category, title="Harbour cranes return", slug="harbour-cranes-return")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=[EDITORS])


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter", first_name="Rosa", last_name="Imre", groups=[REPORTERS])


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", groups=[MODERATORS])


@pytest.fixture
def admin_form(client):
    """Return a function that loads an admin form page and gives back its fields as a browser would post them."""

    def read(url, form_id="article_form"):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        reader = FormReader(form_id)
        reader.feed(response.content.decode())
        return reader.data

    return read
