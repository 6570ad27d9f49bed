"""Several processes of one site agree: three gunicorn workers and a separate command share pages and limits.

Each test runs the real thing on loopback: `manage.py migrate` on a throwaway SQLite file, gunicorn with three sync
workers and production settings, and changes made by another `manage.py` process, as an editor's or a moderator's
would be. With no `REDIS_URL` the site uses its embedded default (the database cache); the Redis variant shows the
production choice agrees too.
"""

import http.client
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from tests.forms import comment_submission
from tests.ports import free_port
from tests.services import require_redis
from tests.static_tree import collected_static

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/14"

SETUP = """
from datetime import timedelta
from django.utils import timezone
from articles import services
from articles.models import Article, Category
world = services.category_save(category=Category(name="World News", slug="world-news"))
for number in range(3):
    services.article_save(article=Article(
        title=f"Story number {number}", slug=f"story-{number}", category=world, body="Text.", credit_line="Desk",
        standfirst="A teaser.", status="published", published_at=timezone.now() - timedelta(hours=number + 1)))
"""


class Site:
    """A running deployment: its environment, and helpers to talk to it like readers and staff would."""

    def __init__(self, environment, port):
        self.environment, self.port = environment, port

    def manage(self, *arguments, script=None):
        command = [sys.executable, "manage.py", *arguments]
        if script is not None:
            command += ["-c", textwrap.dedent(script)]
        subprocess.run(command, cwd=ROOT, env=self.environment, check=True, capture_output=True, timeout=120)

    def request(self, method, path, body=None, headers=None):
        """Send one request on a new connection (so gunicorn may hand it to any worker)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post_comment(self, path, body):
        """Open the comment form and send it, as a reader's browser does (cookie, CSRF token, form token)."""
        status, headers, form = self.get(f"{path}comment/")
        assert status == 200, form[:500]
        data, request_headers = comment_submission(form, headers["Set-Cookie"], body)
        status, _, _ = self.request("POST", f"{path}comment/", data, request_headers)
        return status


@pytest.fixture(scope="module")
def static_root():
    """The static files collected as a release does (production settings serve hashed names only)."""
    return collected_static()


@pytest.fixture(scope="module", params=["database cache", "redis"])
def deployment(request, tmp_path_factory, static_root):
    """One deployment per cache backend for the module's tests (starting one costs seconds of CPU)."""
    tmp_path = tmp_path_factory.mktemp("deployment")
    environment = {
        "STATIC_ROOT": str(static_root),
        "NEWSPORTAL_ENV_FILE": "",  # the developer's .env must not change the deployment under test
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "processes-test-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SESSION_COOKIE_SECURE": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "PAGE_CACHE_SECONDS": "300",
        "LOG_LEVEL": "ERROR",
    }
    if request.param == "redis":
        require_redis(request, REDIS)
        environment["REDIS_URL"] = REDIS
        # Keys of this deployment only: another run of the suite on the same Redis never meets them.
        environment["CACHE_KEY_PREFIX"] = f"processes-{uuid.uuid4().hex}"
    port = free_port()
    site = Site(environment, port)
    site.manage("migrate", "--noinput", "-v0")
    site.manage("shell", "-v0", script=SETUP)
    site.manage("site_settings", "rate_limit=3", "min_form_seconds=0", "default_moderation=pre")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsportal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if site.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield site
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_an_edit_made_in_another_process_is_on_every_following_request(deployment):
    for _ in range(30):  # every worker has the home page cached now
        deployment.get("/")
    deployment.manage(
        "shell",
        "-v0",
        script="""
        from articles import services
        from articles.models import Article
        story = Article.objects.get(slug="story-0")
        story.title = "Edited in another process"
        services.article_save(article=story)
        """,
    )
    pages = [deployment.get("/")[2] for _ in range(30)]
    assert sum("Edited in another process" in page for page in pages) == 30


def test_a_comment_approved_elsewhere_shows_on_every_following_request(deployment):
    for _ in range(12):
        deployment.get("/world-news/story-1/")
    assert deployment.post_comment("/world-news/story-1/", "Approved by a moderator elsewhere") == 302
    deployment.manage(
        "shell",
        "-v0",
        script="""
        from comments.models import Comment
        from comments.services import comments_moderate
        comments_moderate(comments=Comment.objects.all(), moderator=None, status="approved", action="approve")
        """,
    )
    pages = [deployment.get("/world-news/story-1/")[2] for _ in range(12)]
    assert sum("Approved by a moderator elsewhere" in page for page in pages) == 12


def test_every_worker_counts_the_same_rate_limit(deployment):
    # The same reader's earlier comments in this deployment would count against the allowance: start afresh.
    deployment.manage(
        "shell",
        "-v0",
        script="""
        from django.core.cache import cache
        from comments.models import Comment
        Comment.objects.all().delete()
        cache.clear()
        """,
    )
    statuses = [deployment.post_comment("/world-news/story-2/", f"Comment number {n}") for n in range(6)]
    assert statuses == [302, 302, 302, 429, 429, 429]
