"""When the database or the cache goes away, readers get a calm page, and the site recovers by itself."""

import time

import pytest
from django.db import connection
from django.template.loader import render_to_string

from comments.models import Comment
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture
def database_outage(db, postgresql):
    """Return a switch that cuts the real connection to PostgreSQL (a closed port) and restores it.

    SQLite's in-memory test database cannot be taken away without destroying it, so these tests run in CI's
    PostgreSQL pass, against a real refused connection rather than a mock.
    """
    original_port = connection.settings_dict["PORT"]

    def outage(active):
        connection.close()
        connection.settings_dict["PORT"] = "1" if active else original_port

    yield outage
    outage(False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_answer_503_while_the_database_is_away_and_recover(client, category, database_outage):
    story = ArticleFactory(category=category)
    database_outage(True)
    for url in ("/", category.get_absolute_url(), story.get_absolute_url(), "/healthz"):
        response = client.get(url)
        assert response.status_code == 503, url
        html = response.content.decode()
        assert "Traceback" not in html and "OperationalError" not in html
        if url != "/healthz":
            assert "We’ll be right back" in html
            assert response["Retry-After"]

    database_outage(False)  # the database returns; the same process serves again without a restart, as soon as
    deadline = time.monotonic() + 10  # its circuit breaker's probe (every second) has seen the database answer
    while client.get(story.get_absolute_url()).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_pages_render_from_the_database_without_the_cache(client, article, settings):
    settings.CACHES = UNREACHABLE_REDIS
    assert client.get("/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_comment_posting_fails_closed_without_the_cache(client, article, settings):
    settings.CACHES = UNREACHABLE_REDIS
    url = f"/{article.category.slug}/{article.slug}/comment/"
    response = client.post(url, comment_data(article, body="Kept while the cache is away"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "try again in a minute" in html
    assert "Kept while the cache is away" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize("template", ["400.html", "403.html", "403_csrf.html", "404.html", "500.html", "503.html"])
def test_error_pages_need_neither_database_nor_cache(rf, settings, template):
    """No database mark here: pytest-django fails any query, and the cache points at a closed port."""
    settings.CACHES = UNREACHABLE_REDIS
    html = render_to_string(template, request=rf.get("/"))
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html  # the site's design
    assert html.count("<h1") == 1
