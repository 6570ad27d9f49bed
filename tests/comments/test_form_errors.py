"""Every invalid submission re-shows the form with a message by the field and everything typed kept."""

import html as html_lib

import pytest

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

TYPED = {
    "author_name": "Bea <Writer>",
    "author_email": "bea@example.com",
    "body": "My long & careful thoughts,\nwith a second line.",
}

CASES = [
    pytest.param({"body": ""}, "Please write your comment.", id="empty-body"),
    pytest.param({"body": "   \n  "}, "Please write your comment.", id="blank-body"),
    pytest.param({"body": "x" * 3001}, "Please keep your comment to 3000 characters", id="too-long"),
    pytest.param({"author_email": "not-an-address"}, "does not look like an e-mail address", id="bad-email"),
    pytest.param({"author_name": ""}, "Please tell us your name.", id="missing-name"),
]


def assert_kept(page, data):
    text = html_lib.unescape(page)
    for field in ("author_name", "author_email", "body"):
        if data[field].strip():
            assert data[field] in text, field


@pytest.mark.parametrize(("change", "message"), CASES)
def test_invalid_field_shows_message_and_keeps_input(article, post_comment, change, message):
    data = TYPED | change
    response = post_comment(article, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in html_lib.unescape(page)
    assert 'class="field__error"' in page
    assert_kept(page, data)
    assert not Comment.objects.exists()


def test_reply_to_comment_of_another_article_is_refused_with_text_kept(article, post_comment):
    foreign = CommentFactory(article=ArticleFactory())
    response = post_comment(article, parent=foreign.pk, **TYPED)
    page = response.content.decode()
    assert "You can reply only to a published comment of this article" in html_lib.unescape(page)
    assert_kept(page, TYPED)
    assert not Comment.objects.filter(article=article).exists()


def test_reply_to_a_reply_is_refused_with_text_kept(article, post_comment):
    reply = CommentFactory(article=article, parent=CommentFactory(article=article))
    response = post_comment(article, parent=reply.pk, **TYPED)
    assert "not to a reply" in html_lib.unescape(response.content.decode())
    assert_kept(response.content.decode(), TYPED)
    assert Comment.objects.filter(article=article).count() == 2


def test_a_nul_byte_gets_a_message_not_an_error(article, post_comment):
    response = post_comment(article, body="Hello\x00world")
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_refusal_keeps_the_text_too(article, post_comment, site_settings):
    site_settings(rate_limit=1)
    post_comment(article, body="First")
    response = post_comment(article, **TYPED)
    assert response.status_code == 429
    assert "wait a little" in response.content.decode()
    assert_kept(response.content.decode(), TYPED)
