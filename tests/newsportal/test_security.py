"""Security headers, deploy checks, admin lock-out: what an attacker or a scanner would see."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def public_pages(article):
    """Return one URL of every public page type."""
    comment = CommentFactory(article=article)
    return {
        "home": "/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "comment form": f"/{article.category.slug}/{article.slug}/comment/",
        "report form": f"/comments/{comment.pk}/report/",
        "404": "/no/such/page/",
        "healthz": "/healthz",
        "search": "/search/?q=harbour",
        "authors": "/authors/",
        "corrections": "/corrections/",
        "feed": "/feeds/rss/",
        "sitemap": "/sitemap.xml",
    }


def test_every_public_page_sends_a_strict_policy_and_security_headers(client, public_pages):
    for name, url in public_pages.items():
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["default-src"] == "'self'", name
        assert directives["script-src"] == "'self'", name
        assert directives["style-src"] == "'self'", name
        assert directives["frame-ancestors"] == "'none'", name
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert "http" not in policy, name  # no third-party origins
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """The strict policy would block them; catch them before a browser does.

    E-mails are the exception: mail programs ignore stylesheets, and the site never serves those templates.
    """
    emails = ROOT / "templates" / "comments" / "email"
    for template in (ROOT / "templates").rglob("*.html"):
        if template.is_relative_to(emails):
            continue
        html = template.read_text()
        assert "<script>" not in html and "<style" not in html, template
        assert " style=" not in html and " onclick=" not in html and " onload=" not in html, template


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "a-real-production-secret-" + "x7Qp2LmZ9vRt4WyKb8NcFd3Hs6Jg1" * 2,
        "ALLOWED_HOSTS": "news.example.com",
        "SITE_URL": "https://news.example.com",
        "DATABASE_URL": "sqlite:////tmp/newsportal-deploy-check.sqlite3",
    }
    return env | overrides


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "silenced" in result.stdout and "(0 silenced)" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


# --- Admin lock-out ---


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def login(client, username, password, ip="192.0.2.10"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_out_the_guesser_with_a_clear_message(client, lockout):
    UserFactory(username="maya", password="the-right-password-123")
    for attempt in range(3):
        login(client, "maya", f"wrong-{attempt}", ip="198.51.100.66")
    response = login(client, "maya", "the-right-password-123", ip="198.51.100.66")
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_stranger_guessing_cannot_lock_the_owner_out(client, lockout):
    """Five wrong passwords from one address, or from many: the owner still logs in from hers, and is told."""
    UserFactory(username="maya", password="the-right-password-123")
    for _ in range(3):
        login(client, "maya", "wrong", ip="198.51.100.66")  # the guesser's address: locked for maya
    for attempt in range(6):
        login(client, "maya", "wrong", ip=f"203.0.113.{attempt}")  # spread over many addresses
    response = login(client, "maya", "the-right-password-123", ip="192.0.2.10")
    assert response.status_code == 302 and client.session["_auth_user_id"]
    page = client.get("/admin/").content.decode()
    assert "Someone tried to log in as you 9 time(s) from other addresses" in page
    client.logout()
    assert login(client, "maya", "the-right-password-123", ip="198.51.100.66").status_code == 429


def test_repeated_failures_lock_out_the_address_for_every_user(client, lockout):
    UserFactory(username="tomas", password="the-right-password-123")
    for name in ("a", "b", "c"):
        login(client, name, "guess", ip="192.0.2.77")
    assert login(client, "tomas", "the-right-password-123", ip="192.0.2.77").status_code == 429
    assert login(client, "tomas", "the-right-password-123", ip="192.0.2.78").status_code == 302


def test_admin_login_is_not_cacheable(client):
    cache_control = client.get("/admin/login/")["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control and "private" in cache_control


def test_nothing_sent_to_a_logged_in_user_may_be_stored(client, editor, article, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.force_login(editor)
    for url in (article.get_absolute_url(), "/", "/search/?q=harbour", "/admin/", "/admin/articles/article/"):
        directives = {part.strip() for part in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives and "public" not in directives, url
