"""Queries compiled once and run with other values (`newsportal.db.prepared`): the same rows as the ORM gives."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, live_story
from newsportal.db.prepared import PreparedQuery
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

LIVE_IN_CATEGORY = PreparedQuery(
    lambda size, category, now: (
        Article.objects.live(now)
        .filter(category__slug=category)
        .select_related("category")
        .order_by("-published_at", "pk")[:size]
    ),
    category=str,
    now=datetime,
)


def test_each_run_reads_with_its_own_values_and_compiles_once():
    now = timezone.now()
    older = ArticleFactory(published_at=now - timedelta(hours=2))
    newer = ArticleFactory(category=older.category, published_at=now - timedelta(hours=1))
    elsewhere = ArticleFactory(published_at=now - timedelta(hours=1))
    scheduled = ArticleFactory(category=older.category, published_at=now + timedelta(hours=1))

    assert LIVE_IN_CATEGORY.rows(5, category=older.category.slug, now=now) == [newer, older]
    assert LIVE_IN_CATEGORY.rows(5, category=elsewhere.category.slug, now=now) == [elsewhere]
    later = now + timedelta(hours=2)  # the scheduled story's time has come
    with CaptureQueriesContext(connection) as queries:
        found = LIVE_IN_CATEGORY.rows(5, category=older.category.slug, now=later)
    assert found == [scheduled, newer, older]
    assert found[0].category.name == older.category.name and len(queries) == 1  # select_related rode along
    assert len(LIVE_IN_CATEGORY._local.default) == 1  # three runs, one compiled statement
    assert LIVE_IN_CATEGORY.rows(1, category=older.category.slug, now=later) == [scheduled]  # another shape
    assert len(LIVE_IN_CATEGORY._local.default) == 2


def test_a_list_of_values_is_compiled_once_for_each_length():
    stories = ArticleFactory.create_batch(3)
    by_ids = PreparedQuery(lambda ids: Article.objects.filter(pk__in=ids).order_by("pk"), ids=[int])
    assert by_ids.rows(ids=[stories[2].pk, stories[0].pk]) == [stories[0], stories[2]]
    assert by_ids.rows(ids=[stories[1].pk, 0]) == [stories[1]]
    assert by_ids.rows(ids=[story.pk for story in stories]) == stories


def test_only_the_latest_shapes_stay_compiled(monkeypatch):
    """A crawler walking page after page of a long comment section must not fill a worker's memory."""
    monkeypatch.setattr("newsportal.db.prepared.KEPT_SHAPES", 2)
    stories = ArticleFactory.create_batch(3)
    first = PreparedQuery(lambda size, ids: Article.objects.filter(pk__in=ids).order_by("pk")[:size], ids=[int])
    ids = [story.pk for story in stories]
    assert [first.rows(size, ids=ids) for size in (1, 2, 3)] == [stories[:1], stories[:2], stories]
    assert len(first._local.default) == 2 and first.rows(1, ids=ids) == stories[:1]


def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused():
    wrapped = PreparedQuery(lambda text: Article.objects.filter(title__contains=text), text=str)
    with pytest.raises(ValueError, match="did not reach the SQL"):
        wrapped.rows(text="budget")
    with pytest.raises(TypeError, match="needs the values"):
        LIVE_IN_CATEGORY.rows(5, category="news")


def test_the_story_page_read_gives_what_the_orm_gives():
    first, second = AuthorFactory(name="Ada Byrne"), AuthorFactory(name="Tomás Oyelaran")
    story = ArticleFactory(authors=[second, first])
    story.corrections.create(kind="correction", text="An earlier version misspelt a name.")
    other = ArticleFactory()

    read = live_story(story.slug)
    expected = Article.objects.live().with_credits().get(pk=story.pk)
    assert read == expected and read.credited_authors == expected.credited_authors == [second, first]
    assert [note.text for note in read.notes] == ["An earlier version misspelt a name."]
    assert live_story(other.slug).notes == [] and live_story(other.slug).credited_authors == []
    assert live_story("no-such-story") is None
