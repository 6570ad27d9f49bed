"""Commenters' personal data: addresses are forgotten in time, e-mail addresses are never shown."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "private.person@example.com"


def test_purge_clears_old_addresses_and_changes_nothing_else(site_settings):
    site_settings(ip_retention_days=90)
    old = CommentFactory(created_at=timezone.now() - timedelta(days=91), user_agent="Firefox", ip_address="192.0.2.5")
    recent = CommentFactory(created_at=timezone.now() - timedelta(days=89), user_agent="Safari")
    before = model_to_dict(Comment.objects.get(pk=old.pk))

    call_command("purge_commenter_data")

    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.9", "Safari")
    after = model_to_dict(old)
    assert {key for key in before if before[key] != after[key]} == {"ip_address", "user_agent"}


def test_commenter_email_never_appears_on_public_pages(client, article):
    comment = CommentFactory(article=article, author_email=SECRET_EMAIL, body="Visible opinion")
    CommentFactory(article=article, parent=comment, author_email=SECRET_EMAIL)
    CommentFactory(article=article, author_email=SECRET_EMAIL, status=Comment.Status.PENDING)
    pages = [
        "/",
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        f"/{article.category.slug}/{article.slug}/comment/",
        f"/{article.category.slug}/{article.slug}/comment/?reply_to={comment.pk}",
        f"/comments/{comment.pk}/report/",
        "/no/such/page/",
        "/search/?q=opinion",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/{article.category.slug}/rss/",
        "/sitemap.xml",
        "/sitemaps/articles.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/authors/",
        "/corrections/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == (404 if url == "/no/such/page/" else 200), url
        assert SECRET_EMAIL not in response.content.decode(), url
        assert "private.person" not in response.content.decode(), url
    assert "Visible opinion" in client.get(article.get_absolute_url()).content.decode()


def test_confirmation_page_does_not_echo_the_email(client, article, post_comment):
    response = post_comment(article, author_email=SECRET_EMAIL)
    page = client.get(response["Location"]).content.decode()
    assert "awaits moderation" in page and SECRET_EMAIL not in page
