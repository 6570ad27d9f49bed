"""The comment section adds at most two queries to the article page, whatever the number of comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, CommentFactory
from tests.queries import at_most_page_queries, page_queries

pytestmark = pytest.mark.django_db

ARTICLE_PAGE_WITHOUT_COMMENTS = 7  # article with its authors and notes (3), Read next, Most read, chrome (2)


@pytest.mark.parametrize("comments", [0, 1, 200])
def test_comment_section_adds_at_most_two_queries(client, article, comments, site_settings):
    site_settings(comments_per_page=200)  # all on one page: every comment is rendered
    ArticleFactory.create_batch(3)
    threads = CommentFactory.create_batch(comments // 2 or comments, article=article)
    for parent in threads[: comments - len(threads)]:
        CommentFactory(article=article, parent=parent)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(page_queries(queries)) <= ARTICLE_PAGE_WITHOUT_COMMENTS + 2
    shown = response.content.decode().count('class="comment__body"')
    assert shown == comments


def test_long_threads_are_paginated(client, article, site_settings, django_assert_max_num_queries):
    site_settings(comments_per_page=10)
    threads = CommentFactory.create_batch(25, article=article)
    CommentFactory(article=article, parent=threads[12], body="Reply on the second page")
    first = client.get(article.get_absolute_url()).content.decode()
    assert "26 comments" in first and "Comments page 1 of 3" in first
    assert first.count('class="comment-thread"') == 10
    assert 'href="?page=2#comments"' in first
    with at_most_page_queries(ARTICLE_PAGE_WITHOUT_COMMENTS + 2):
        second = client.get(article.get_absolute_url(), {"page": 2}).content.decode()
    assert "Reply on the second page" in second and "Reply on the second page" not in first
    assert client.get(article.get_absolute_url(), {"page": "abc"}).status_code == 200
