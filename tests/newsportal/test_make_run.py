"""`make run PORT=…` serves on that port, and the site's links point at it (a newcomer whose port 8000 is taken).

Runs the Makefile target itself, on a throwaway SQLite file and media folder, and stops it once it answered.
"""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.html import select
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_serves_on_the_port_it_is_given_and_links_to_it(tmp_path):
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "NEWSPORTAL_ENV_FILE": "",  # the developer's .env must not change what is tested
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    make = subprocess.Popen(  # noqa: S603 - our own Makefile
        ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped whole below
    )
    try:
        page = None
        deadline = time.monotonic() + 180  # migrations and the demo's pictures come first
        while page is None and time.monotonic() < deadline and make.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:  # noqa: S310
                    page = answer.read()
            except OSError:
                time.sleep(0.5)
        assert page is not None, "make run did not answer on its port:\n" + (
            make.stdout.read1().decode() if make.poll() is not None else "(still starting)"
        )
        canonical = select(page, 'link[rel="canonical"]')[0].get("href")
        assert canonical == f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=30)
