"""New comments offered without a reload: on a running live page, and on a story whose editor switched it on, the
comment section names the newest comments' address, which answers the newest threads for the page's script."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from comments.models import Comment
from comments.services import comments_moderate
from tests.factories import CommentFactory
from tests.html import select

pytestmark = pytest.mark.django_db


def stream_of(client, article, query=""):
    return select(client.get(article.get_absolute_url() + query).content, "#comments")[0].get("data-comment-stream")


def newest_url(article):
    return f"{article.get_absolute_url()}comments/newest/"


def test_a_story_offers_new_comments_only_when_live_or_switched_on(client, article):
    assert stream_of(client, article) is None
    assert client.get(newest_url(article)).status_code == 404

    article.live_comments = True
    services.article_save(article=article)
    assert stream_of(client, article) == newest_url(article)
    assert stream_of(client, article, "?show=answered") is None  # a narrowed section is not the whole stream

    article.live_comments = False
    article.live_from = timezone.now() - timedelta(hours=1)  # a running live page offers them always
    services.article_save(article=article)
    assert stream_of(client, article) == newest_url(article)

    article.comments_open = False
    services.article_save(article=article)
    assert stream_of(client, article) is None


def test_the_newest_threads_come_newest_first_with_their_replies(client, article):
    article.live_comments = True
    services.article_save(article=article)
    start = timezone.now() - timedelta(hours=1)
    older = CommentFactory(article=article, created_at=start)
    newer = CommentFactory(article=article, created_at=start + timedelta(minutes=5))
    reply = CommentFactory(article=article, parent=older, created_at=start + timedelta(minutes=10))
    CommentFactory(article=article, status="pending", created_at=start + timedelta(minutes=15))
    answer = client.get(newest_url(article))
    threads = select(answer.content, "[data-newest-comments] > li")
    assert [thread.get("data-thread") for thread in threads] == [str(newer.pk), str(older.pk)]
    assert [comment.get("id") for comment in threads[1].cssselect(".comment-replies .comment")] == [
        f"comment-{reply.pk}"
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the page cache hears of changes on commit
def test_polls_are_cached_answer_304_and_see_a_published_comment_at_once(client, settings, article):
    settings.PAGE_CACHE_SECONDS = 60
    article.live_comments = True
    services.article_save(article=article)
    waiting = CommentFactory(article=article, status=Comment.Status.PENDING)
    client.get(newest_url(article))
    first = client.get(newest_url(article))
    assert first["X-Cache"] == "HIT" and first["Cache-Control"] == "public, max-age=5, stale-while-revalidate=0"
    assert client.get(newest_url(article), headers={"if-none-match": first["ETag"]}).status_code == 304

    comments_moderate(
        comments=Comment.objects.filter(pk=waiting.pk), moderator=None, status="approved", action="approve"
    )
    fresh = client.get(newest_url(article), headers={"if-none-match": first["ETag"]})
    assert fresh.status_code == 200
    assert [thread.get("data-thread") for thread in select(fresh.content, "[data-newest-comments] > li")] == [
        str(waiting.pk)
    ]
