"""A sick PostgreSQL fails fast: a black hole or a frozen server gives the 503 page in seconds, never a hung worker.

Both are built in the test: a listener that accepts connections and never answers (the black hole), and a proxy
in front of the real test database that can stop passing bytes on, as a server stopped by SIGSTOP does.
"""

import contextlib
import socket
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("postgresql")]
BOUND = 8  # seconds: far more than the 503 needs (about 2.5), far less than a hung request


class FreezingProxy:
    """A TCP proxy to PostgreSQL that stops forwarding (without closing anything) while frozen."""

    def __init__(self, target):
        self.target = target
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while chunk := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:  # one side hung up: hang up the other, so no session is left on the server
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self):
        self.listener.close()


@pytest.fixture
def through(settings):
    """Point the site's database connection at another port (and back afterwards)."""
    original = connection.settings_dict["HOST"], connection.settings_dict["PORT"]

    def point(host, port):
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = host, str(port)

    yield point
    point(*original)


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_a_black_holed_database_gives_503_in_seconds(client, category, through):
    story = ArticleFactory(category=category)
    hole = socket.create_server(("127.0.0.1", 0))  # accepts (the kernel does) and never answers
    try:
        through("127.0.0.1", hole.getsockname()[1])
        response, seconds = timed_get(client, story.get_absolute_url())
        assert response.status_code == 503 and response["Retry-After"]
        assert seconds < BOUND
    finally:
        hole.close()


def test_a_frozen_database_gives_503_in_seconds_and_the_site_recovers(client, category, through, settings):
    story = ArticleFactory(category=category)
    target = connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432)
    proxy = FreezingProxy(target)
    try:
        through("127.0.0.1", proxy.port)
        assert client.get(story.get_absolute_url()).status_code == 200  # an open, healthy connection
        proxy.frozen.set()
        response, seconds = timed_get(client, story.get_absolute_url())
        assert response.status_code == 503 and "right back" in response.content.decode()
        assert seconds < BOUND
        proxy.frozen.clear()
        assert recovered(client, story.get_absolute_url())  # no restart needed
    finally:
        proxy.frozen.clear()
        proxy.close()


def recovered(client, url):
    """Whether the page answers 200 again within a few seconds (the breaker's probe sees the database first)."""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        if client.get(url).status_code == 200:
            return True
        time.sleep(0.2)
    return False


def test_cached_pages_are_served_while_the_database_is_frozen(category, through, settings):
    settings.PAGE_CACHE_SECONDS = 60
    story = ArticleFactory(category=category)
    target = connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432)
    proxy = FreezingProxy(target)
    reader = Client()
    try:
        through("127.0.0.1", proxy.port)
        assert reader.get(story.get_absolute_url())["X-Cache"] == "MISS"
        proxy.frozen.set()
        response = reader.get(story.get_absolute_url())
        assert response.status_code == 200 and response["X-Cache"] == "HIT"  # no query: nothing waited
    finally:
        proxy.frozen.clear()
        proxy.close()


def test_once_the_database_is_known_down_requests_fail_fast_and_the_site_recovers(category, through, settings):
    """The circuit breaker: a hundred readers of uncached pages must not each wait out the deadline."""
    import concurrent.futures

    from newsportal.db.breaker import PROBE_SECONDS, breaker

    stories = [ArticleFactory(category=category, slug=f"story-{number}") for number in range(12)]
    target = connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432)
    proxy = FreezingProxy(target)
    try:
        through("127.0.0.1", proxy.port)
        assert Client().get(stories[0].get_absolute_url()).status_code == 200
        proxy.frozen.set()
        first, seconds = timed_get(Client(), stories[0].get_absolute_url())
        assert first.status_code == 503 and seconds < BOUND  # the one that finds out waits out the deadline
        assert breaker.is_open

        def read(story):
            response, seconds = timed_get(Client(), story.get_absolute_url())
            return response.status_code, seconds

        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(read, stories))
        assert {status for status, _ in answers} == {503}
        assert max(seconds for _, seconds in answers) < 0.5, answers  # known down: nobody waits

        proxy.frozen.clear()
        deadline = time.monotonic() + PROBE_SECONDS * 5 + BOUND
        while breaker.is_open and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not breaker.is_open, "the probe did not see the database return"
        assert Client().get(stories[1].get_absolute_url()).status_code == 200
    finally:
        proxy.frozen.clear()
        proxy.close()
        breaker.reset()


def test_a_black_hole_trips_the_breaker_on_connect(category, through):
    """A server that never completes the handshake: the first connect waits it out, the next ones fail at once."""
    from newsportal.db.breaker import breaker

    story = ArticleFactory(category=category)
    hole = socket.create_server(("127.0.0.1", 0))
    try:
        through("127.0.0.1", hole.getsockname()[1])
        assert timed_get(Client(), story.get_absolute_url())[0].status_code == 503
        assert breaker.is_open
        response, seconds = timed_get(Client(), "/healthz")
        assert response.status_code == 503 and seconds < 0.5
    finally:
        hole.close()
