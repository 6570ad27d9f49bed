"""Readers sort the comment section with plain links (`?sort=`): each order is a page of its own in the cache."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import ArticleFactory, CommentFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(article):
    now = timezone.now()
    CommentFactory(article=article, body="Oldest words", created_at=now - timedelta(hours=3))
    CommentFactory(article=article, body="Picked words", created_at=now - timedelta(hours=2), is_pick=True)
    CommentFactory(article=article, body="Newest words", created_at=now - timedelta(hours=1))
    return article


def shown(client, article, **query):
    html = client.get(article.get_absolute_url(), query).content
    return [text_of(body) for body in select(html, ".comment-thread > .comment .comment__body")]


def test_each_order_is_a_link_away(client, discussion):
    assert shown(client, discussion) == ["Picked words", "Oldest words", "Newest words"]
    assert shown(client, discussion, sort="oldest") == ["Oldest words", "Picked words", "Newest words"]
    assert shown(client, discussion, sort="newest") == ["Newest words", "Picked words", "Oldest words"]
    assert shown(client, discussion, sort="<script>") == ["Picked words", "Oldest words", "Newest words"]
    links = select(client.get(discussion.get_absolute_url(), {"sort": "newest"}).content, ".comments__sort a")
    assert [(text_of(link), link.get("href")) for link in links] == [
        ("Editor’s picks first", "?#comments"),
        ("Best", "?sort=best#comments"),
        ("Oldest first", "?sort=oldest#comments"),
        ("Newest first", "?sort=newest#comments"),
    ]
    assert [link.get("aria-current") for link in links] == [None, None, None, "true"]


def test_orders_are_cached_apart(settings, discussion):
    settings.PAGE_CACHE_SECONDS = 60
    reader = Client()
    url = discussion.get_absolute_url()
    assert [reader.get(url, {"sort": "newest"})["X-Cache"], reader.get(url)["X-Cache"]] == ["MISS", "MISS"]
    assert [reader.get(url, {"sort": "newest"})["X-Cache"], reader.get(url)["X-Cache"]] == ["HIT", "HIT"]
    assert shown(reader, discussion, sort="newest")[0] == "Newest words"


def test_each_story_shows_its_own_comments_from_the_once_compiled_section(article):
    """The section's queries are compiled once per process (`newsportal.db.prepared`): the next story's page is
    read with that story's values, not the first one's."""
    from comments.models import Comment, section_page

    other = ArticleFactory(category=article.category)
    CommentFactory(article=article, status=Comment.Status.APPROVED, is_pick=True, body="On the first story")
    reply_to = CommentFactory(article=other, status=Comment.Status.APPROVED, body="On the second story")
    CommentFactory(article=other, parent=reply_to, status=Comment.Status.APPROVED, body="A reply there")
    CommentFactory(article=article, status=Comment.Status.PENDING, body="Waiting")
    first, second = section_page(article, page=1, size=10), section_page(other, page=1, size=10)
    assert [thread.body for thread in first.threads] == ["On the first story"] and first.total == 1
    assert [thread.body for thread in second.threads] == ["On the second story"] and second.total == 2
    assert [reply.body for reply in second.threads[0].reply_list] == ["A reply there"]
    assert first.threads[0].reply_list == []
