"""Surrogate keys on public pages and purges by key (newsportal/edge.py), without a real edge: a loopback server
stands in for Varnish's purge listener. The real Varnish is in tests/deploy/test_edge.py."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from articles import services
from newsportal import edge
from newsportal.checks import edge_settings
from newsportal.models import EdgePurge
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_loopback_port():
    """A port nothing listens on (an edge node that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PurgeListener:
    """Records the purge requests it receives, as Varnish's purge listener would take them."""

    def __init__(self, port=0):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                received.append(self.headers["xkey-softpurge"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self):
        return [set(header.split()) for header in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener(settings):
    listening = PurgeListener()
    settings.EDGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URLS = [listening.url]
    settings.PAGE_CACHE_SECONDS = 60
    yield listening
    listening.close()


def keys_of(response):
    return set(response["xkey"].split())


def test_public_pages_carry_their_keys_and_the_edge_lifetime(client, listener, category):
    writer = AuthorFactory()
    story = ArticleFactory(category=category, authors=[writer])
    home = client.get("/")
    assert keys_of(home) == {"site", "lists"} and home["Surrogate-Control"] == "max-age=60"
    assert keys_of(client.get(category.get_absolute_url())) == {"site", "lists", f"category:{category.slug}"}
    page = client.get(story.get_absolute_url())
    assert keys_of(page) == {"site", f"article:{story.slug}", f"discussion:{story.slug}", f"category:{category.slug}"}
    assert keys_of(client.get(writer.get_absolute_url())) == {"site", "lists", f"author:{writer.slug}"}


def test_without_an_edge_no_keys_are_sent(client, settings, category):
    settings.PAGE_CACHE_SECONDS = 60
    ArticleFactory(category=category)
    response = client.get("/")
    assert not response.has_header("xkey") and not response.has_header("Surrogate-Control")


def test_answers_for_one_reader_are_never_shareable(client, listener, article):
    form = client.get(f"{article.get_absolute_url()}comment/")
    assert "no-store" in form["Cache-Control"] and "private" in form["Cache-Control"]
    assert not form.has_header("xkey")
    assert {"private", "no-store"} <= set(client.get("/healthz")["Cache-Control"].replace(" ", "").split(","))


def test_an_editorial_change_purges_its_story_and_the_lists_after_commit(listener, category):
    old = ArticleFactory(category=category, published_at=timezone.now() - timedelta(days=400))  # not among the newest
    ArticleFactory.create_batch(7, category=category)
    listener.received.clear()
    with transaction.atomic():
        old.title = "A new headline"
        services.article_save(article=old)
        assert listener.received == []  # nothing before the commit
    assert listener.keys() == [{"lists", f"article:{old.slug}"}]


def test_a_discussion_change_purges_only_its_story(listener, article):
    listener.received.clear()
    comment = CommentFactory(article=article, status="pending")
    from comments.services import comments_moderate

    comments_moderate(
        comments=type(comment).objects.filter(pk=comment.pk), moderator=None, status="approved", action="approve"
    )
    assert listener.keys() == [{f"discussion:{article.slug}"}]


def test_a_change_rolled_back_purges_nothing(listener, article):
    listener.received.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never seen"
        services.article_save(article=article)
        raise RuntimeError("the save failed later")
    assert listener.received == []


def test_a_purge_the_edge_did_not_take_waits_and_goes_out_when_the_edge_is_back(settings, article, listener):
    port = free_loopback_port()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]  # the edge node is down
    settings.EDGE_PURGE_TIMEOUT = 0.5
    article.title = "Saved while the edge was away"
    services.article_save(article=article)
    waiting = EdgePurge.objects.get()
    assert waiting.attempts == 1 and waiting.keys == "site"  # the only story: among the newest, on every page
    assert "Connection refused" in waiting.last_error
    edge.retry(waiting.pk)  # still away: tried again later
    waiting.refresh_from_db()
    assert waiting.attempts == 2 and not waiting.given_up
    back = PurgeListener(port)  # the node is back, at its address
    try:
        edge.retry(waiting.pk)
    finally:
        back.close()
    assert not EdgePurge.objects.exists()
    assert back.received == ["site"]


def test_a_purge_that_keeps_failing_is_given_up_and_stays_for_staff(settings, article):
    settings.EDGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{free_loopback_port()}/"]
    settings.EDGE_PURGE_TIMEOUT = 0.5
    edge.purge(["pages:gen:lists"])
    waiting = EdgePurge.objects.get()
    for _ in edge.RETRY_DELAYS:
        edge.retry(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.given_up and waiting.attempts == len(edge.RETRY_DELAYS) + 1


def test_fastly_purges_several_keys_softly_in_one_request():
    (request,) = edge.Fastly("SERVICE", "TOKEN").requests(["lists", "article:storm"])
    assert request.method == "POST" and request.url == "https://api.fastly.com/service/SERVICE/purge"
    assert request.headers["Surrogate-Key"] == "lists article:storm"
    assert request.headers["Fastly-Soft-Purge"] == "1" and request.headers["Fastly-Key"] == "TOKEN"
    assert edge.Fastly.header == "Surrogate-Key"


def test_cloudflare_purges_by_cache_tag():
    (request,) = edge.Cloudflare("ZONE", "TOKEN").requests(["lists", "article:storm"])
    assert request.method == "POST"
    assert request.url == "https://api.cloudflare.com/client/v4/zones/ZONE/purge_cache"
    assert request.headers["Authorization"] == "Bearer TOKEN"
    assert json.loads(request.body) == {"tags": ["lists", "article:storm"]}
    assert (edge.Cloudflare.header, edge.Cloudflare.separator) == ("Cache-Tag", ",")


def test_varnish_sends_one_soft_purge_to_every_node():
    requests = edge.Varnish(["http://10.0.0.1:6091/", "http://10.0.0.2:6091/"]).requests(["site"])
    assert [(request.url, request.method, request.headers) for request in requests] == [
        ("http://10.0.0.1:6091/", "PURGE", {"xkey-softpurge": "site"}),
        ("http://10.0.0.2:6091/", "PURGE", {"xkey-softpurge": "site"}),
    ]


@pytest.mark.parametrize(
    ("backend", "extra", "problem"),
    [
        ("varnish", {}, "EDGE_PURGE_URLS"),
        ("fastly", {"FASTLY_SERVICE_ID": "S"}, "FASTLY_API_TOKEN"),
        ("akamai", {}, "choose varnish, fastly, cloudflare"),
    ],
)
def test_an_edge_named_without_what_it_needs_stops_the_start(backend, extra, problem):
    with override_settings(EDGE_BACKEND=backend, **extra):
        (error,) = edge_settings(None)
    assert problem in error.msg
