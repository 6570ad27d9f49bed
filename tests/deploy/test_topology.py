"""The production topology, started as `deploy/serve` starts it: nginx (TLS) → gunicorn → Django, and the worker.

Needs Debian's nginx (and openssl); without it the tests are skipped with a loud line, and CI (NGINX_REQUIRED=1)
fails them instead.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.forms import comment_submission
from tests.services import skip_without

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Topology:
    def __init__(self, http_port, https_port, run_dir):
        self.http_port, self.https_port, self.run_dir = http_port, https_port, run_dir

    @property
    def tls(self):
        """Trust exactly the self-signed certificate deploy/serve made (it exists once the server started)."""
        return ssl.create_default_context(cafile=str(self.run_dir / "tls.crt"))

    def request(self, method, path, *, secure=True, body=None, headers=None):
        if secure:
            connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=self.tls, timeout=20)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


@pytest.fixture(scope="module")
def topology(request):
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        skip_without(request, "NGINX", "nginx is not installed (apt-get install nginx)")
    # Not under pytest's private temporary folder: nginx's workers (nobody, when root starts it) must reach the
    # socket, the static files and the media.
    run_dir = Path(tempfile.mkdtemp(prefix="newsportal-serve-"))
    run_dir.chmod(0o755)
    http_port, https_port = free_port(), free_port()
    environment = {
        "NEWSPORTAL_ENV_FILE": "",  # the developer's .env must not change the deployment under test
        "PATH": os.environ["PATH"] + ":/usr/sbin",
        "HOME": str(run_dir),
        "RUN_DIR": str(run_dir),
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "PYTHON": sys.executable,
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [str(ROOT / "deploy" / "serve")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    site = Topology(http_port, https_port, run_dir)
    try:
        for _ in range(300):
            try:
                if (run_dir / "tls.crt").exists() and site.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("deploy/serve did not start: " + (run_dir / "logs" / "nginx-error.log").read_text()[-2000:])
        for command in (
            ["demo", "--force"],
            ["site_settings", "rate_limit=2", "min_form_seconds=0", "hold_first_time=false"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=environment | topology_settings(site),
                check=True,
                capture_output=True,
            )
        yield site
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(run_dir, ignore_errors=True)


def topology_settings(site):
    """The settings deploy/serve gave the site, for a management command run beside it."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": (site.run_dir / "secret-key").read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{site.https_port}",
        "DATABASE_URL": f"sqlite:///{site.run_dir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(site.run_dir / "media"),
        "STATIC_ROOT": str(site.run_dir / "static"),
    }


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
    assert status == 200 and headers["content-encoding"] == "br"
    _, _, home = topology.get("/")
    article = re.search(rb'<a href="(/[a-z-]+/[a-z0-9-]+/)"', home).group(1).decode()
    status, headers, body = topology.get(f"{article}comment/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in headers and b"csrfmiddlewaretoken" in body


def post_comment(topology, article, body, forwarded_for):
    status, headers, form = topology.get(f"{article}comment/")
    data, request_headers = comment_submission(form, headers["set-cookie"], body)
    return topology.request(
        "POST",
        f"{article}comment/",
        body=data,
        headers={
            **request_headers,
            "Referer": f"https://127.0.0.1:{topology.https_port}{article}comment/",
            "X-Forwarded-For": forwarded_for,
        },
    )[0]


def test_the_real_client_address_reaches_the_rate_limit(topology):
    """A client cannot pick its own address: nginx appends the real one, and only that one counts."""
    _, _, home = topology.get("/")
    article = re.search(rb'<a href="(/[a-z-]+/[a-z0-9-]+/)"', home).group(1).decode()
    statuses = [post_comment(topology, article, f"Comment {n}", f"198.51.100.{n}") for n in range(3)]
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


@pytest.mark.parametrize("name", ["worker", "gunicorn"])
def test_a_process_that_dies_is_started_again(topology, name):
    """As systemd's Restart=always does in production: one crash never takes the topology down."""
    pid_file = topology.run_dir / f"{name}.pid"
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
