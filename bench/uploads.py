"""Readers' comments while editors upload big pictures, on the embedded default (issue 23).

Runs the site as `make run` would in production shape, on SQLite (IMMEDIATE transactions: one writer at a time)
with the database cache: gunicorn with GUNICORN_WORKERS sync workers and `manage.py worker`, on loopback. Then:

1. quiet: readers post comments (each opens the form, then sends it) for SECONDS;
2. uploads: the same readers, while four logged-in editors each upload 4000 × 3000 JPEGs to the media library,
   one after the other, and then save a story with the new picture as its lead image.

Prints the comment POSTs' p50/p99 in both phases and their ratio, each upload's time until the response, each
story save's, and how long the worker took to have the renditions ready.

Usage: bench/uploads.py   (SECONDS=30 RATE=8 by default; needs nothing but the project's .venv)
"""

import http.client
import io
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.forms reads the article form as a browser would
PY = str(ROOT / ".venv" / "bin" / "python")
SECONDS = float(os.environ.get("SECONDS_PER_PHASE", os.environ.get("SECONDS", 30)))
RATE = float(os.environ.get("RATE", 8))  # comment posts a second
UPLOAD_EVERY = float(os.environ.get("UPLOAD_EVERY", 5))  # seconds between one editor's uploads
EDITORS = 4


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Site:
    def __init__(self, folder):
        self.port = free_port()
        self.environment = {
            **os.environ,
            "NEWSPORTAL_ENV_FILE": "",
            "DEBUG": "false",
            "SECRET_KEY": "bench-uploads-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "ERROR",
        }
        self.environment.pop("DATABASE_URL_OVERRIDE", None)
        self.environment.pop("REDIS_URL", None)
        self.processes = []

    def manage(self, *arguments, script=None):
        if arguments[0] == "shell":  # quiet: only what the script prints
            arguments = ("shell", "-v", "0", *arguments[1:])
        command = [PY, "manage.py", *arguments] + (["-c", script] if script else [])
        return subprocess.run(command, cwd=ROOT, env=self.environment, check=True, capture_output=True, text=True)

    def start(self):
        self.processes.append(
            subprocess.Popen(
                [
                    PY,
                    "-m",
                    "gunicorn",
                    "newsportal.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    os.environ.get("GUNICORN_WORKERS", "3"),
                    "--timeout",
                    "120",
                    "--log-level",
                    "error",
                ],
                cwd=ROOT,
                env=self.environment,
            )
        )
        self.processes.append(
            subprocess.Popen(
                ["nice", "-n", "10", PY, "manage.py", "worker", "--interval", "0.5", "--no-reload"],
                cwd=ROOT,
                env=self.environment,
                stdout=subprocess.DEVNULL,
            )
        )
        for _ in range(100):
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the site did not start")

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


form_times = []


def comment_poster(site, paths, stop, latencies, errors):
    """Post comments at RATE a second in all (spread over the threads), each as a new reader from a new address."""
    number = 0
    while not stop.is_set():
        number += 1
        path = random.choice(paths)
        address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        opened = time.monotonic()
        status, headers, form = site.request("GET", f"{path}comment/", headers={"X-Forwarded-For": address})
        form_times.append(time.monotonic() - opened)
        page = form.decode()
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        if status != 200 or cookie is None or "csrfmiddlewaretoken" not in page:
            errors.append(status)
            continue
        cookie = cookie.group(1)
        values = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
            "started": re.search(r'name="started" value="([^"]+)"', page).group(1),
            "author_name": "Bench reader",
            "author_email": f"reader{uuid.uuid4().hex[:10]}@example.com",
            "body": f"A considered opinion, number {uuid.uuid4().hex}.",
        }
        started = time.monotonic()
        status, _, _ = site.request(
            "POST",
            f"{path}comment/",
            urlencode(values),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "X-Forwarded-For": address,
            },
        )
        latencies.append(time.monotonic() - started)
        if status >= 400:
            errors.append(status)
        stop.wait(random.expovariate(RATE / 4))  # four posting threads


def photo_bytes(seed):
    """Return a 4000 × 3000 JPEG as a camera writes one (detailed, so it is megabytes and slow to decode)."""
    from PIL import Image

    base = Image.effect_noise((1000, 750), 60 + seed % 30).convert("RGB").resize((4000, 3000))
    output = io.BytesIO()
    base.save(output, "JPEG", quality=92)
    return output.getvalue()


def multipart(fields, file_field, filename, data):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


PHOTOS = {}


def photo(seed, number):
    """The editors' photos, made before the phases start (making one costs a core for a second)."""
    key = (seed, number % 6)
    if key not in PHOTOS:
        PHOTOS[key] = photo_bytes(seed * 100 + number % 6)
    return PHOTOS[key]


def editor_uploads(site, session, csrf, story_id, stop, uploads, saves, seed, pause=UPLOAD_EVERY):
    """One editor: upload a camera-sized JPEG to the library (as the chooser's dialog does), then save their story
    with it as the lead image (the article form, as the browser posts it); again until the phase ends."""
    from tests.forms import FormReader

    cookie = f"sessionid={session}; csrftoken={csrf}"
    headers = {"Cookie": cookie, "X-CSRFToken": csrf}
    number = 0
    while not stop.is_set():
        number += 1
        data = photo(seed, number)
        data += uuid.uuid4().bytes  # after the image data: a new file each time (the library refuses one twice)
        fields = {
            "csrfmiddlewaretoken": csrf,
            "alt_text": f"Bench photo {seed}-{number}",
            "caption": "",
            "credit": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "_popup": "1",
            "_to_field": "id",
        }
        body, content_type = multipart(fields, "file", f"photo-{seed}-{number}.jpg", data)
        started = time.monotonic()
        status, _, answer = site.request(
            "POST", "/admin/articles/image/add/?_popup=1&_to_field=id", body, {**headers, "Content-Type": content_type}
        )
        uploads.append((time.monotonic() - started, status))
        chosen = re.search(rb"&quot;value&quot;: &quot;(\d+)&quot;", answer)
        if chosen is None:
            continue
        url = f"/admin/articles/article/{story_id}/change/"
        reader = FormReader("article_form")
        reader.feed(site.request("GET", url, headers=headers)[2].decode())
        form = reader.data | {"lead_image": chosen.group(1).decode(), "_save": "Save"}
        started = time.monotonic()
        status, _, _ = site.request(
            "POST", url, urlencode(form), {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        )
        saves.append((time.monotonic() - started, status))
        stop.wait(pause)


def main():
    folder = Path(tempfile.mkdtemp(prefix="newsportal-uploads-"))
    site = Site(folder)
    try:
        site.manage("migrate", "--noinput")
        # The bench archive's stories are old: comments stay open; one client posts as fast as it can.
        site.manage("site_settings", "rate_limit=1000000", "min_form_seconds=0", "close_after_days=0")
        site.manage("collectstatic", "--noinput")
        site.manage("bench_data", "--articles", "200", "--comments", "2000")
        sessions = site.manage(
            "shell",
            "-c",
            "import sys; sys.path.insert(0, 'bench'); import churn;"
            f" print('\\n'.join(f'SESSION {{k}} {{c}}' for k, c in churn.editor_sessions({EDITORS})))",
        ).stdout.split("\n")
        sessions = [line.split()[1:] for line in sessions if line.startswith("SESSION ")]
        stories = site.manage(
            "shell",
            "-c",
            "from articles.models import Article;"
            f" print(' '.join(str(a.pk) for a in Article.objects.live()[50:{50 + EDITORS}]))",
        ).stdout.split()
        paths = site.manage(
            "shell",
            "-c",
            "from articles.models import Article;"
            " print(' '.join(a.get_absolute_url() for a in Article.objects.live().filter(comments_open=True)[:40]))",
        ).stdout.split()
        site.start()
        # One editor alone first: what a single save of a story with a new 4000 × 3000 lead image costs.
        stop, alone_uploads, alone_saves = threading.Event(), [], []
        for seed in [*range(EDITORS), 99]:
            for number in range(6):
                photo(seed, number)
        alone = threading.Thread(
            target=editor_uploads, args=(site, *sessions[0], stories[0], stop, alone_uploads, alone_saves, 99, 1.0)
        )
        alone.start()
        while len(alone_saves) < 5:
            time.sleep(0.1)
        stop.set()
        alone.join()
        solo = [upload + save for (upload, _), (save, _) in zip(alone_uploads, alone_saves, strict=False)]
        print(
            f"one editor alone, upload + story save with the new lead image: {len(solo)} times, "
            f"p50 {statistics.median(solo):.2f} s, max {max(solo):.2f} s "
            f"(goal ≤ 0.5 s: {'met' if max(solo) <= 0.5 else 'NOT met'})"
        )
        time.sleep(10)  # the worker catches up before the readers start
        results = {}
        for phase in ("quiet", "uploads"):
            stop = threading.Event()
            latencies, errors, uploads, saves = [], [], [], []
            threads = [
                threading.Thread(target=comment_poster, args=(site, paths, stop, latencies, errors)) for _ in range(4)
            ]
            if phase == "uploads":
                threads += [
                    threading.Thread(target=editor_uploads, args=(site, key, csrf, stories[n], stop, uploads, saves, n))
                    for n, (key, csrf) in enumerate(sessions)
                ]
            for thread in threads:
                thread.start()
            time.sleep(SECONDS)
            stop.set()
            for thread in threads:
                thread.join()
            results[phase] = (latencies, errors, uploads, saves)
        quiet, busy = results["quiet"][0], results["uploads"][0]
        from collections import Counter

        print(
            f"refused or failed comment posts: quiet {dict(Counter(results['quiet'][1]))}, "
            f"uploads {dict(Counter(results['uploads'][1]))}"
        )
        print(
            f"comment POSTs, quiet: {len(quiet)}, p50 {percentile(quiet, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(quiet, 0.99) * 1000:.0f} ms, errors {len(results['quiet'][1])}"
        )
        print(
            f"comment POSTs, during uploads: {len(busy)}, p50 {percentile(busy, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(busy, 0.99) * 1000:.0f} ms, errors {len(results['uploads'][1])}"
        )
        print(f"(comment forms opened: {len(form_times)}, p50 {percentile(form_times, 0.5) * 1000:.0f} ms)")
        ratio = percentile(busy, 0.99) / percentile(quiet, 0.99)
        print(f"p99 during uploads / quiet: {ratio:.2f} (goal ≤ 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
        uploads, saves = results["uploads"][2], results["uploads"][3]
        times = [seconds for seconds, status in uploads if status in (200, 302)]
        print(
            f"uploads of 4000 × 3000 JPEGs to the library: {len(uploads)}"
            f" (statuses {sorted(set(s for _, s in uploads))}), "
            f"until the response p50 {statistics.median(times):.2f} s, max {max(times):.2f} s"
        )
        both = [upload + save for (upload, _), (save, _) in zip(uploads, saves, strict=False)]
        print(
            f"story saves with the new lead image: {len(saves)} (statuses {sorted(set(s for _, s in saves))}), "
            f"p50 {statistics.median(s for s, _ in saves):.2f} s; upload + save p50 {statistics.median(both):.2f} s, "
            f"max {max(both):.2f} s (goal ≤ 0.5 s: {'met' if max(both) <= 0.5 else 'NOT met'})"
        )
        time.sleep(3)
        ready = site.manage(
            "shell",
            "-c",
            "from articles.models import Image; from django.db.models import Count;"
            " print(dict(Image.objects.values_list('rendition_state').annotate(n=Count('pk')).order_by()))",
        ).stdout.strip()
        print(f"pictures after the run: {ready}")
    finally:
        site.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
