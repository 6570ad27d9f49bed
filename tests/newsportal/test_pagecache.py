"""The whole-page cache: anonymous pages come from the cache, and every change makes them fresh at once."""

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.services import comments_moderate
from tests.factories import ArticleFactory, CommentFactory

# Invalidation happens when transactions commit; serialized rollback keeps the migrated groups for later tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_MAX_AGE = 30
    settings.PAGE_CACHE_STALE_SECONDS = 120


def is_cached(response):
    return response.has_header("ETag") and "public" in response.get("Cache-Control", "")


def test_second_visit_is_served_from_the_cache(client, article, django_assert_num_queries):
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200 and is_cached(first)
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    assert second["Cache-Control"] == "public, max-age=30, stale-while-revalidate=120"
    assert second["Content-Security-Policy"]  # security headers are added to cached pages too


def test_repeat_visit_with_validators_gets_304(client, article):
    first = client.get(article.get_absolute_url())
    by_etag = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304 and not by_etag.content
    by_date = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize("page", ["home", "category", "article"])
def test_home_category_and_article_pages_are_cached(client, article, page, django_assert_num_queries):
    url = {"home": "/", "category": article.category.get_absolute_url(), "article": article.get_absolute_url()}[page]
    client.get(url)
    with django_assert_num_queries(0):
        assert is_cached(client.get(url))


def test_logged_in_staff_never_get_or_fill_cached_pages(client, editor, article, django_assert_max_num_queries):
    Client().get(article.get_absolute_url())  # a reader fills the cache
    client.force_login(editor)
    staff_view = client.get(article.get_absolute_url())
    assert not is_cached(staff_view)
    assert "public" not in staff_view.get("Cache-Control", "")
    cache.clear()
    client.get(article.get_absolute_url())  # staff visit: must not store a page for readers
    with django_assert_max_num_queries(10) as queries:
        Client().get(article.get_absolute_url())
    assert len(queries) > 0  # the reader's page was built afresh, not taken from a staff visit


def test_forms_admin_and_confirmations_are_never_cached(client, article, editor):
    form_url = f"/{article.category.slug}/{article.slug}/comment/"
    for url in (form_url, "/admin/login/", "/healthz"):
        response = client.get(url)
        assert "public" not in response.get("Cache-Control", ""), url
        assert not response.has_header("ETag") or url == "/healthz", url
    assert "csrfmiddlewaretoken" in client.get(form_url).content.decode()  # rebuilt each time, with a token


def test_404_pages_are_not_cached(client, db):
    assert not is_cached(client.get("/no-such-section/"))


def assert_fresh(client, url, text, present=True):
    assert (text in client.get(url).content.decode()) is present


def test_publishing_editing_and_unpublishing_are_visible_at_once(client, category):
    story = ArticleFactory(category=category, title="Original headline", draft=True)
    client.get("/")
    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()
    assert_fresh(client, "/", "Original headline")
    story.title = "Edited headline"
    story.save()
    assert_fresh(client, "/", "Edited headline")
    assert_fresh(client, story.get_absolute_url(), "Edited headline")
    story.status = Article.Status.DRAFT
    story.save()
    assert_fresh(client, "/", "Edited headline", present=False)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_category_change_is_visible_at_once(client, article):
    client.get("/")
    article.category.name = "Renamed Section"
    article.category.save()
    assert_fresh(client, "/", "Renamed Section")


def test_admin_bulk_publish_is_visible_at_once(client, editor, category):
    story = ArticleFactory(category=category, title="Bulk published", draft=True)
    reader = Client()
    reader.get("/")
    client.force_login(editor)
    client.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [story.pk]})
    assert_fresh(reader, "/", "Bulk published")


def test_moderation_decisions_are_visible_at_once(client, article, moderator):
    comment = CommentFactory(article=article, status="pending", body="Freshly approved words")
    client.get(article.get_absolute_url())
    comments_moderate(comments=Comment.objects.all(), moderator=moderator, status="approved", action="approve")
    assert_fresh(client, article.get_absolute_url(), "Freshly approved words")
    rejected = Comment.objects.filter(pk=comment.pk)
    comments_moderate(comments=rejected, moderator=moderator, status="rejected", action="reject")
    assert_fresh(client, article.get_absolute_url(), "Freshly approved words", present=False)


def test_scheduled_article_appears_when_the_cache_entry_expires(client, category, settings, monkeypatch):
    ArticleFactory(category=category, title="Scheduled story", published_at=timezone.now() + timedelta(seconds=30))
    assert_fresh(client, "/", "Scheduled story", present=False)
    later = timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)
    cache.clear()  # what the expiry of the entry does after PAGE_CACHE_SECONDS
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert_fresh(client, "/", "Scheduled story")


def test_pages_still_render_when_the_cache_is_down(client, article, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and article.title in response.content.decode()


REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture
def shared_redis(settings):
    """Use the real Redis that both processes share; CI always runs one."""
    import redis

    try:
        redis.Redis.from_url(REDIS).flushdb()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": "np"}
    }
    yield
    redis.Redis.from_url(REDIS).flushdb()


def test_an_edit_in_another_process_refreshes_this_processes_pages(client, article, shared_redis):
    """A second app process (a real subprocess sharing the database and Redis) edits; this one serves fresh."""
    from django.conf import settings
    from django.db import connection

    settings_caches = settings.CACHES
    if connection.vendor != "postgresql":
        pytest.skip("two processes share a database on PostgreSQL (CI's second run); SQLite's test database is private")
    assert "Harbour cranes return" in client.get(article.get_absolute_url()).content.decode()
    assert is_cached(client.get(article.get_absolute_url()))
    other_process = textwrap.dedent(
        f"""
        import os, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
        django.setup()
        from django.conf import settings
        from django.db import connection
        settings.CACHES = {settings_caches!r}
        connection.settings_dict["NAME"] = {connection.settings_dict["NAME"]!r}
        from articles.models import Article
        article = Article.objects.get(pk={article.pk})
        article.title = "Cranes back in the harbour"
        article.save()
        """
    )
    subprocess.run([sys.executable, "-c", other_process], cwd=ROOT, check=True)
    assert "Cranes back in the harbour" in client.get(article.get_absolute_url()).content.decode()
