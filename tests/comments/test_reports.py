"""Readers report published comments; enough reports from different networks send one back to the queue."""

import pytest

from comments.models import Comment, ModerationLog, Report
from comments.services import comments_moderate
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def report(client, comment, ip, reason="abuse"):
    return client.post(f"/comments/{comment.pk}/report/", {"reason": reason}, REMOTE_ADDR=ip)


# Addresses in three different /24 networks.
NETWORKS = ["192.0.2.10", "198.51.100.10", "203.0.113.10"]


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


def test_reports_from_different_readers_hide_the_comment(client, article, site_settings):
    site_settings(reports_to_hide=3)
    comment = CommentFactory(article=article, body="Contested words")
    for address in NETWORKS[:2]:
        report(client, comment, address)
        report(client, comment, address)  # the same reader again changes nothing
    assert "Contested words" in client.get(article.get_absolute_url()).content.decode()
    report(client, comment, NETWORKS[2])
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reasons == "reported"
    assert "Contested words" not in client.get(article.get_absolute_url()).content.decode()
    assert ModerationLog.objects.get(comment=comment).action == "hidden by reports"


def test_approved_again_after_reports_needs_new_reports_to_hide(client, article, moderator, site_settings):
    site_settings(reports_to_hide=2)
    comment = CommentFactory(article=article)
    report(client, comment, NETWORKS[0])
    report(client, comment, NETWORKS[1])
    comments_moderate(
        comments=Comment.objects.all(), moderator=moderator, status=Comment.Status.APPROVED, action="approve"
    )
    report(client, comment, NETWORKS[2])
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


@pytest.mark.parametrize(
    "addresses",
    [
        ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.200"],  # one IPv4 /24
        ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9", "2001:db8:1:2:abcd::"],  # one IPv6 /64
        ["::ffff:192.0.2.7", "192.0.2.8", "::ffff:192.0.2.9"],  # the same /24, some written as IPv6
    ],
    ids=["ipv4-24", "ipv6-64", "mapped"],
)
def test_many_addresses_in_one_network_never_hide_a_good_comment(article, site_settings, addresses):
    """The red team's attack: three addresses (an IPv6 /64 makes them free) used to hide any comment."""
    from django.test import Client

    site_settings(reports_to_hide=3)
    comment = CommentFactory(article=article)
    for address in addresses:
        assert "Thank you" in report(Client(), comment, address).content.decode()  # each a new browser
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert Report.objects.filter(comment=comment).values("network_key").distinct().count() == 1


def test_one_browser_reports_once_whatever_its_address(client, article):
    comment = CommentFactory(article=article)
    client.get(f"/comments/{comment.pk}/report/")  # the form gives this browser its token
    assert "Thank you" in report(client, comment, NETWORKS[0]).content.decode()
    assert "already reported" in report(client, comment, NETWORKS[1]).content.decode()


def test_a_verified_readers_report_weighs_more_but_one_network_is_never_enough(article, site_settings):
    from django.test import Client

    from tests.comments.conftest import prove_address

    site_settings(reports_to_hide=3)
    comment = CommentFactory(article=article)
    CommentFactory(article=article, author_email="priya@example.com", verified=True)
    verified = Client()
    prove_address(verified, "priya@example.com")
    report(verified, comment, NETWORKS[0])  # weight 2, alone: not enough
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    report(Client(), comment, NETWORKS[1])  # a guest from a second network: 2 + 1
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
