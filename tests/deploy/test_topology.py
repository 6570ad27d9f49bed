"""The production topology, started as `deploy/serve` starts it: nginx (TLS) → Varnish → two app nodes, and the
worker (tests/deploy/conftest.py).

Needs Debian's nginx (and openssl); without it the tests are skipped with a loud line, and CI (NGINX_REQUIRED=1)
fails them instead. Without Varnish these run with nginx in front of the app nodes.
"""

import http.client
import os
import re
import signal
import socket
import time

import pytest

from tests.deploy.conftest import served, varnish_installed


@pytest.fixture(scope="module")
def topology(request):
    """The whole topology, with the edge cache when Varnish is installed (tests/deploy/test_edge.py requires it)."""
    with served(request, EDGE="varnish" if varnish_installed() else "none") as site:
        site.manage("site_settings", "rate_limit=2", "min_form_seconds=0", "hold_first_time=false")
        yield site


def test_static_files_come_from_nginx_compressed_and_cached_for_good(topology):
    _, _, home = topology.get("/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]+\.css)"', home).group(1).decode()
    status, headers, body = topology.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["server"] == "nginx"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip" and "x-cache" not in headers  # Django never saw it


def test_media_are_served_by_nginx_with_safe_headers(topology):
    (topology.run_dir / "media" / "probe.jpg").write_bytes(b"\xff\xd8\xff not really a photo")
    (topology.run_dir / "media" / "probe.jpg").chmod(0o644)
    status, headers, body = topology.get("/media/probe.jpg")
    assert status == 200 and body.startswith(b"\xff\xd8\xff")
    assert headers["x-content-type-options"] == "nosniff" and headers["content-type"] == "image/jpeg"


def test_plain_http_is_redirected_even_when_the_client_claims_https(topology):
    for headers in ({}, {"X-Forwarded-Proto": "https"}):
        status, response_headers, _ = topology.get("/", secure=False, headers=headers)
        assert status == 301
        assert response_headers["location"] == f"https://127.0.0.1:{topology.https_port}/"


def test_a_spoofed_forwarded_proto_over_https_changes_nothing(topology):
    status, headers, _ = topology.get("/", headers={"X-Forwarded-Proto": "http"})
    assert status == 200 and "strict-transport-security" in headers


def test_public_pages_come_compressed_and_forms_do_not(topology):
    status, headers, _ = topology.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["content-encoding"] in {"br", "gzip"}  # the edge keeps gzip
    _, _, home = topology.get("/")
    article = re.search(rb'<a href="(/[a-z-]+/[a-z0-9-]+/)"', home).group(1).decode()
    status, headers, body = topology.get(f"{article}comment/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in headers and b"csrfmiddlewaretoken" in body


def test_the_real_client_address_reaches_the_rate_limit(topology):
    """A client cannot pick its own address: nginx appends the real one, and only that one counts."""
    _, _, home = topology.get("/")
    article = re.search(rb'<a href="(/[a-z-]+/[a-z0-9-]+/)"', home).group(1).decode()
    statuses = [
        topology.post_comment(article, f"Comment {n}", headers={"X-Forwarded-For": f"198.51.100.{n}"})[0]
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_request_bodies_are_limited_before_they_reach_a_worker(topology):
    _, _, home = topology.get("/")
    article = re.search(rb'<a href="(/[a-z-]+/[a-z0-9-]+/)"', home).group(1).decode()
    status, _, _ = topology.request(
        "POST", f"{article}comment/", body=b"x" * 100_000, headers={"Content-Type": "text/plain"}
    )
    assert status == 413


def test_slow_clients_do_not_hold_up_other_readers(topology):
    """Clients trickling their headers or bodies used to take every worker; behind nginx they wait there."""
    slow = []
    for number in range(6):
        connection = topology.tls.wrap_socket(
            socket.create_connection(("127.0.0.1", topology.https_port)), server_hostname="127.0.0.1"
        )
        if number % 2:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        else:
            connection.sendall(
                b"POST /search/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000\r\n\r\nq=slow"
            )  # a body that never comes
        slow.append(connection)
    try:
        started = time.monotonic()
        assert topology.get("/healthz")[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for connection in slow:
            connection.close()


def test_every_answer_nginx_serves_carries_hsts_once(topology):
    _, _, home = topology.get("/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]+\.css)"', home).group(1).decode()
    (topology.run_dir / "media" / "hsts.jpg").write_bytes(b"\xff\xd8\xff")
    (topology.run_dir / "media" / "hsts.jpg").chmod(0o644)
    for path in ("/", stylesheet, "/static/missing.css", "/media/hsts.jpg", "/media/missing.jpg", "/no-such-page/"):
        connection = http.client.HTTPSConnection("127.0.0.1", topology.https_port, context=topology.tls, timeout=20)
        connection.request("GET", path)
        response = connection.getresponse()
        values = response.headers.get_all("Strict-Transport-Security") or []
        connection.close()
        assert values == ["max-age=31536000; includeSubDomains; preload"], (path, response.status, values)


@pytest.mark.parametrize("name", ["worker", "app-1", "varnish"])
def test_a_process_that_dies_is_started_again(topology, name):
    """As systemd's Restart=always does in production: one crash never takes the topology down."""
    pid_file = topology.run_dir / f"{name}.pid"
    if not pid_file.exists():
        pytest.skip(f"this topology runs no {name}")  # Varnish, when it is not installed (test_edge.py says so)
    crashed = int(pid_file.read_text())
    os.kill(crashed, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        current = pid_file.read_text().strip() if pid_file.exists() else ""
        if current and int(current) != crashed:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"{name} was not started again")
    os.kill(int(pid_file.read_text()), 0)  # alive
    while time.monotonic() < deadline:
        try:
            if topology.get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("the site did not answer again after the restart")
