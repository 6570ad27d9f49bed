"""Every published comment has an address of its own (/comments/<id>/) that lands on the page and in the order
that show it, at the comment; a link to a comment readers no longer see says so politely."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.html import select

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def thread_of_twelve(article, site_settings):
    """Twelve published threads, five to a page, oldest first in time; the eleventh has a reply."""
    site_settings(comments_per_page=5)
    start = timezone.now() - timedelta(hours=12)
    threads = [CommentFactory(article=article, created_at=start + timedelta(minutes=n)) for n in range(12)]
    reply = CommentFactory(article=article, parent=threads[10], created_at=start + timedelta(hours=1))
    return threads, reply


def follow(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    return answer["Location"]


def test_a_link_lands_on_the_page_that_shows_the_comment_in_its_order(client, article, thread_of_twelve):
    threads, reply = thread_of_twelve
    story = article.get_absolute_url()
    assert follow(client, f"/comments/{threads[0].pk}/") == f"{story}#comment-{threads[0].pk}"
    assert follow(client, f"/comments/{threads[7].pk}/") == f"{story}?page=2#comment-{threads[7].pk}"
    assert follow(client, f"/comments/{reply.pk}/") == f"{story}?page=3#comment-{reply.pk}"  # with its thread
    assert follow(client, f"/comments/{threads[0].pk}/?sort=newest") == (
        f"{story}?page=3&sort=newest#comment-{threads[0].pk}"
    )
    assert follow(client, f"/comments/{threads[0].pk}/?sort=nonsense") == f"{story}#comment-{threads[0].pk}"

    landed = client.get(f"{story}?page=3&sort=newest")  # the comment is on the page the link lands on
    assert select(landed.content, f"#comment-{threads[0].pk}")


def test_each_comment_links_its_own_address(client, article, thread_of_twelve):
    threads, _reply = thread_of_twelve
    html = client.get(article.get_absolute_url()).content
    links = [link.get("href") for link in select(html, ".comment__actions a") if link.text.startswith("Link")]
    assert links == [f"/comments/{thread.pk}/" for thread in threads[:5]]


@pytest.mark.parametrize("status", [Status.REJECTED, Status.SPAM, Status.PENDING])
def test_a_link_to_a_comment_not_shown_says_so_politely(client, article, status):
    hidden = CommentFactory(article=article, status=status)
    answer = client.get(f"/comments/{hidden.pk}/")
    assert answer.status_code == 404
    page = answer.content.decode()
    assert "This comment is not shown" in page and f'href="{article.get_absolute_url()}#comments"' in page
    assert hidden.body not in page


def test_a_reply_under_a_removed_comment_is_not_shown_either(client, article):
    removed = CommentFactory(article=article, status=Status.REJECTED)
    reply = CommentFactory(article=article, parent=removed)
    assert client.get(f"/comments/{reply.pk}/").status_code == 404


def test_no_link_leads_to_a_story_readers_cannot_see(client, category):
    draft = ArticleFactory(category=category, draft=True)
    comment = CommentFactory(article=draft)
    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404
