"""The reader's path from "Leave the first comment" to a published comment, and the form's promises."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.services import comments_moderate
from tests.comments.conftest import comment_data, prove_address
from tests.factories import ArticleFactory, CommentFactory
from tests.html import fragment, select, text_of

pytestmark = pytest.mark.django_db


def comment_section(html):
    return fragment(html, "#comments")


def test_from_first_comment_call_to_published_comment(client, article, moderator, post_comment):
    section = comment_section(client.get(article.get_absolute_url()).content.decode())
    assert "What is your opinion on this topic?" in section
    assert ">Leave the first comment</a>" in section
    form_url = re.search(r'href="([^"]+/comment/)"', section).group(1)
    assert "Your comment" in client.get(form_url).content.decode()

    response = post_comment(article)
    assert response.status_code == 302
    confirmation = client.get(response["Location"]).content.decode()
    assert "awaits moderation" in confirmation
    assert "I think the council got this one right." in confirmation
    assert f'href="{article.get_absolute_url()}#comments"' in confirmation
    assert "I think the council" not in client.get(article.get_absolute_url()).content.decode()

    comments_moderate(
        comments=Comment.objects.all(), moderator=moderator, status=Comment.Status.APPROVED, action="approve"
    )
    section = comment_section(client.get(article.get_absolute_url()).content.decode())
    assert "I think the council got this one right." in section
    assert "Ada Reader" in section
    assert ">Leave a comment</a>" in section and "Leave the first comment" not in section
    assert "1 comment<" in section


def test_counts_comments_in_plural(client, article):
    CommentFactory.create_batch(12, article=article)
    assert "12 comments<" in client.get(article.get_absolute_url()).content.decode()


def test_comments_oldest_first_with_replies_under_their_parent(client, article):
    now = timezone.now()
    first = CommentFactory(article=article, body="First thread", created_at=now - timedelta(hours=3))
    second = CommentFactory(article=article, body="Second thread", created_at=now - timedelta(hours=2))
    CommentFactory(article=article, parent=first, body="Reply to first", created_at=now - timedelta(hours=1))
    html = comment_section(client.get(article.get_absolute_url()).content.decode())
    assert html.index("First thread") < html.index("Reply to first") < html.index("Second thread")
    assert f"?reply_to={first.pk}" in html and f"?reply_to={second.pk}" in html
    assert html.count(">Reply<") == 2  # replies themselves cannot be answered


def test_editors_pick_comes_first_with_a_label(client, article):
    CommentFactory(article=article, body="Ordinary comment", created_at=timezone.now() - timedelta(hours=1))
    CommentFactory(article=article, body="Chosen comment", is_pick=True)
    html = comment_section(client.get(article.get_absolute_url()).content.decode())
    assert html.index("Chosen comment") < html.index("Ordinary comment")
    assert "Editor’s pick" in html


@pytest.mark.parametrize("status", ["pending", "rejected", "spam", "removed"])
def test_only_approved_comments_are_shown(client, article, status):
    CommentFactory(article=article, body="Not for readers", status=status)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Not for readers" not in html
    assert "Leave the first comment" in html


def test_reply_under_hidden_parent_is_not_shown(client, article):
    parent = CommentFactory(article=article, status=Comment.Status.REJECTED)
    CommentFactory(article=article, parent=parent, body="Orphaned reply")
    assert "Orphaned reply" not in client.get(article.get_absolute_url()).content.decode()


def test_body_keeps_line_breaks_and_links_urls_safely(client, article):
    CommentFactory(article=article, body="Line one\nLine two https://example.org/report")
    html = comment_section(client.get(article.get_absolute_url()).content.decode())
    assert "Line one<br>Line two" in html
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">https://example.org/report</a>' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('x')</script>",
        '<a href="javascript:alert(1)">click</a>',
        "javascript:alert(1)",
        '<img src=x onerror="alert(1)">',
    ],
)
def test_comment_bodies_are_never_raw_html(client, article, payload):
    CommentFactory(article=article, body=payload, author_name="<b>Mallory</b>")
    (section,) = select(client.get(article.get_absolute_url()).content, "#comments")
    assert not section.cssselect("script, img, b, [onerror], a[href^='javascript']")
    assert payload in text_of(section) and "<b>Mallory</b>" in text_of(section)  # shown as the reader typed it


def test_reply_form_quotes_the_comment_answered(client, article):
    parent = CommentFactory(article=article, body="The original point", author_name="Rita")
    html = client.get(f"/{article.category.slug}/{article.slug}/comment/", {"reply_to": parent.pk}).content.decode()
    assert "Reply to Rita" in html
    assert "The original point" in html
    assert f'name="parent" value="{parent.pk}"' in html


def test_reply_is_stored_under_its_parent(article, post_comment):
    parent = CommentFactory(article=article)
    assert post_comment(article, parent=parent.pk).status_code == 302
    assert Comment.objects.get(body=comment_data(article)["body"]).parent == parent


@pytest.mark.parametrize("reply_to", ["nonsense", "999999", "-1"])
def test_unanswerable_reply_to_in_url_gives_404(client, article, reply_to):
    response = client.get(f"/{article.category.slug}/{article.slug}/comment/", {"reply_to": reply_to})
    assert response.status_code == 404


def test_comment_form_of_unpublished_article_is_404(client, category):
    draft = ArticleFactory(category=category, draft=True)
    assert client.get(f"/{category.slug}/{draft.slug}/comment/").status_code == 404


def test_post_moderated_article_publishes_a_returning_readers_comment_at_once(client, article, post_comment):
    article.comment_moderation = "post"
    article.save()
    CommentFactory(
        article=ArticleFactory(), author_email="ada@example.com", status=Comment.Status.APPROVED, verified=True
    )
    prove_address(client, "ada@example.com")
    response = post_comment(article)
    comment = Comment.objects.get(body=comment_data(article)["body"])
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"/comments/{comment.pk}/"  # its own address, which leads to its page
    landing = client.get(response["Location"])["Location"]
    assert landing == f"{article.get_absolute_url()}#comment-{comment.pk}"
    html = client.get(landing).content.decode()
    assert f'id="comment-{comment.pk}"' in html


def test_article_page_is_the_same_for_every_reader(article):
    """No token, no cookie, nothing personal: the page can be cached whole."""
    CommentFactory(article=article)
    first, second = Client(), Client()
    one = first.get(article.get_absolute_url())
    two = second.get(article.get_absolute_url(), REMOTE_ADDR="192.0.2.44")
    assert one.content == two.content
    assert "csrfmiddlewaretoken" not in one.content.decode()
    assert not one.cookies


def test_comment_form_requires_csrf(article):
    strict = Client(enforce_csrf_checks=True)
    url = f"/{article.category.slug}/{article.slug}/comment/"
    assert strict.post(url, comment_data(article)).status_code == 403
    assert not Comment.objects.exists()
    page = strict.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert strict.post(url, comment_data(article, csrfmiddlewaretoken=token)).status_code == 302
    assert Comment.objects.count() == 1


def test_confirmation_link_cannot_be_forged(client, db):
    assert client.get("/comments/posted/123/").status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_comment_form_refuses_other_methods(client, article, method):
    response = getattr(client, method)(f"/{article.category.slug}/{article.slug}/comment/")
    assert response.status_code == 405
