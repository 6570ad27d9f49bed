"""Readers sort the comment section with plain links (`?sort=`): each order is a page of its own in the cache."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import CommentFactory
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


def test_a_filtered_section_keeps_its_filter(article):
    """`section_page` reads from the queryset it is called on: a filter before it is not dropped."""
    from comments.models import Comment

    CommentFactory(article=article, status=Comment.Status.APPROVED, is_pick=True, body="Picked")
    CommentFactory(article=article, status=Comment.Status.APPROVED, body="Not picked")
    page = Comment.objects.filter(is_pick=True).section_page(article, page=1, size=10)
    assert [thread.body for thread in page.threads] == ["Picked"] and page.total == 1
    assert Comment.objects.section_page(article, page=1, size=10).total == 2
