"""Cold story renders in one process: the CPU of the rendering and of its PostgreSQL backend, per story.

A quick check beside `bench/cold.py` (which serves through gunicorn and wrk): fifty stories of the database, each
rendered with the page cache off, in turn. Run from the site's root with the settings `bench/lib.sh` exports and
the page cache off, against a filled database, e.g.:

    DEBUG=false SECRET_KEY=x ALLOWED_HOSTS=testserver SITE_URL=http://127.0.0.1 PAGE_CACHE_SECONDS=0 \\
    CONN_MAX_AGE=600 DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_np20k .venv/bin/python \\
    bench/cold_inprocess.py [renders=400]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402

STORIES = 50


def backend_cpu_ms(pid):
    """User and system CPU of a PostgreSQL backend so far, from /proc (the server runs on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main(renders):
    stories = Article.objects.live().select_related("category").order_by("pk")
    urls = [story.get_absolute_url() for story in stories[: 30 * STORIES : 30]]
    client = Client()
    for url in urls:  # imports, templates, the connection
        assert client.get(url).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    app, database = time.process_time(), backend_cpu_ms(pid)
    for number in range(renders):
        client.get(urls[number % len(urls)])
    app_ms = (time.process_time() - app) * 1000 / renders
    print(f"app {app_ms:.2f} ms  db {(backend_cpu_ms(pid) - database) / renders:.2f} ms per cold story (n={renders})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
