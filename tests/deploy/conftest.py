"""Start the production topology as `deploy/serve` does, and talk to it as readers, staff and operators would."""

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.forms import comment_submission
from tests.ports import free_port
from tests.services import skip_without
from tests.static_tree import collected_static

ROOT = Path(__file__).resolve().parents[2]


def varnish_installed():
    return shutil.which("varnishd") is not None or Path("/usr/sbin/varnishd").exists()


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over an app node's socket, as the edge reaches it."""

    def __init__(self, path, timeout=20):
        super().__init__("127.0.0.1", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Topology:
    def __init__(self, run_dir, ports, environment):
        self.run_dir, self.ports, self.environment = run_dir, ports, environment
        self.http_port, self.https_port = ports["HTTP_PORT"], ports["HTTPS_PORT"]

    @property
    def tls(self):
        """Trust exactly the self-signed certificate deploy/serve made (it exists once the server started)."""
        return ssl.create_default_context(cafile=str(self.run_dir / "tls.crt"))

    def request(self, method, path, *, secure=True, body=None, headers=None, node=None):
        """Send a request to nginx (HTTPS, or HTTP with `secure=False`), or straight to app node `node`."""
        if node is not None:
            connection = UnixHTTPConnection(str(self.run_dir / f"app-{node}.sock"))
            headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        elif secure:
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

    def comment_form_url(self, article):
        """The comment form's address as the reader's browser knows it (its Referer when the form is sent)."""
        return f"https://127.0.0.1:{self.https_port}{article}comment/"

    def post_comment(self, article, body, *, form=None, node=None, headers=None, **fields):
        """Send `article`'s comment form as a browser would (the form page's cookie and tokens, its Referer); return
        the answer's (status, headers). `form`: a form page already fetched, as `get` returns it; `node`: send it
        straight to that app node; `fields`: the author's name or address instead of the defaults."""
        _, form_headers, page = form or self.get(f"{article}comment/", node=node)
        data, request_headers = comment_submission(page, form_headers["set-cookie"], body, **fields)
        request_headers |= {"Referer": self.comment_form_url(article), **(headers or {})}
        status, answer_headers, _ = self.request(
            "POST", f"{article}comment/", node=node, body=data, headers=request_headers
        )
        return status, answer_headers

    def settings(self):
        """The settings deploy/serve gave the site, for a management command run beside it."""
        edge = self.environment.get("EDGE", "varnish") == "varnish"
        return {
            "DEBUG": "false",
            "SECRET_KEY": (self.run_dir / "secret-key").read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"https://127.0.0.1:{self.https_port}",
            "DATABASE_URL": f"sqlite:///{self.run_dir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.run_dir / "media"),
            "STATIC_ROOT": str(self.run_dir / "static"),
            "EDGE_BACKEND": "varnish" if edge else "",
            "EDGE_PURGE_URLS": f"http://127.0.0.1:{self.ports['EDGE_PURGE_PORT']}/" if edge else "",
        }

    def manage(self, *arguments, script=None):
        """Run a management command (or a shell script) beside the running site, on its database and edge."""
        command = [sys.executable, "manage.py", *arguments] + (["-c", script] if script else [])
        result = subprocess.run(
            command, cwd=ROOT, env=self.environment | self.settings(), capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def stop(self, name):
        """Take a process out and keep it out (`deploy/serve`'s `<name>.down`), as an operator would."""
        (self.run_dir / f"{name}.down").touch()
        os.kill(int((self.run_dir / f"{name}.pid").read_text()), signal.SIGTERM)

    def start(self, name):
        (self.run_dir / f"{name}.down").unlink()

    def edge_health(self):
        """The edge's view of the app nodes: {backend name: "healthy" or "sick"} (varnishadm backend.list)."""
        listing = subprocess.run(
            ["varnishadm", "-n", str(self.run_dir / "varnish"), "backend.list"],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": os.environ["PATH"] + ":/usr/sbin:/usr/bin"},
        ).stdout
        return {
            line.split()[0].rsplit(".", 1)[-1]: ("sick" if " sick " in f" {line} " else "healthy")
            for line in listing.splitlines()[1:]
            if line.strip()
        }

    def logs(self):
        return "\n".join(
            f"== {path.name}\n" + path.read_text()[-1500:] for path in sorted(self.run_dir.glob("logs/*.log"))
        )


@contextmanager
def served(request, **environment):
    """Run deploy/serve on free loopback ports for the block; skip (or fail in CI) without nginx or Varnish."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        skip_without(request, "NGINX", "nginx is not installed (apt-get install nginx)")
    if environment.get("EDGE", "varnish") == "varnish" and not varnish_installed():
        skip_without(request, "VARNISH", "Varnish is not installed (apt-get install varnish varnish-modules)")
    # Not under pytest's private temporary folder: nginx's and Varnish's workers (unprivileged users, when root
    # starts them) must reach the sockets, the static files and the media.
    run_dir = Path(tempfile.mkdtemp(prefix="newsportal-serve-"))
    run_dir.chmod(0o755)
    ports = {name: free_port() for name in ("HTTP_PORT", "HTTPS_PORT", "EDGE_PORT", "EDGE_PURGE_PORT")}
    environment = {
        "NEWSPORTAL_ENV_FILE": "",  # the developer's .env must not change the deployment under test
        "PATH": os.environ["PATH"] + ":/usr/sbin",
        "HOME": str(run_dir),
        "RUN_DIR": str(run_dir),
        "PYTHON": sys.executable,
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        "STATIC_FROM": str(collected_static()),  # collected once for every deployment of the run
        **{name: str(port) for name, port in ports.items()},
        **environment,
    }
    server = subprocess.Popen(
        [str(ROOT / "deploy" / "serve")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    site = Topology(run_dir, ports, environment)
    try:
        for _ in range(600):
            try:
                if (run_dir / "tls.crt").exists() and site.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                pytest.fail("deploy/serve stopped:\n" + site.logs())
            time.sleep(0.1)
        else:
            pytest.fail("deploy/serve did not start:\n" + site.logs())
        site.manage("demo", "--force")
        yield site
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(run_dir, ignore_errors=True)
