"""Readers report published comments; enough reports from different readers send one back to the queue."""

import pytest

from comments.models import Comment, ModerationLog, Report
from comments.services import comments_moderate
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def report(client, comment, ip, reason="abuse"):
    return client.post(f"/comments/{comment.pk}/report/", {"reason": reason}, REMOTE_ADDR=ip)


def test_report_page_offers_the_reasons(client, article):
    comment = CommentFactory(article=article)
    html = client.get(f"/comments/{comment.pk}/report/").content.decode()
    for label in ("Spam or advertising", "Abusive or hateful", "Off-topic", "Something else"):
        assert label in html
    assert "csrfmiddlewaretoken" in html


def test_every_published_comment_has_a_report_link(client, article):
    comment = CommentFactory(article=article)
    assert f'href="/comments/{comment.pk}/report/"' in client.get(article.get_absolute_url()).content.decode()


def test_one_report_per_reader(client, article):
    comment = CommentFactory(article=article)
    assert "Thank you" in report(client, comment, "192.0.2.1").content.decode()
    assert "already reported" in report(client, comment, "192.0.2.1", reason="spam").content.decode()
    assert Report.objects.count() == 1


def test_reports_from_different_readers_hide_the_comment(client, article, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    comment = CommentFactory(article=article, body="Contested words")
    for n in range(2):
        report(client, comment, f"192.0.2.{n}")
        report(client, comment, f"192.0.2.{n}")  # the same reader again changes nothing
    assert "Contested words" in client.get(article.get_absolute_url()).content.decode()
    report(client, comment, "192.0.2.99")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reasons == "reported"
    assert "Contested words" not in client.get(article.get_absolute_url()).content.decode()
    assert ModerationLog.objects.get(comment=comment).action == "hidden by reports"


def test_approved_again_after_reports_needs_new_reports_to_hide(client, article, moderator, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    comment = CommentFactory(article=article)
    report(client, comment, "192.0.2.1")
    report(client, comment, "192.0.2.2")
    comments_moderate(
        comments=Comment.objects.all(), moderator=moderator, status=Comment.Status.APPROVED, action="approve"
    )
    report(client, comment, "192.0.2.3")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_unpublished_comment_cannot_be_reported(client, article):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert report(client, comment, "192.0.2.1").status_code == 404


def test_report_without_reason_asks_for_one(client, article):
    comment = CommentFactory(article=article)
    response = client.post(f"/comments/{comment.pk}/report/", {}, REMOTE_ADDR="192.0.2.1")
    assert "Please choose a reason." in response.content.decode()
    assert not Report.objects.exists()
