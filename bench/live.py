"""Live coverage under load (issue 17): many readers poll a live page's updates endpoint while an editor posts.

Each simulated reader polls every `--every` seconds (its own phase, as open tabs would), sending back the ETag
of its last answer as a browser's `cache: "no-cache"` fetch does. An editor posts an update through the project's
own service every `--post-every` seconds. The script reports, as key=value lines for bench/run's report:

- polls, answered 304, answered from the page cache (HIT, or 304 from it), and errors;
- for each (reader, update) pair, the time from the post to the reader's first answer that holds the update,
  at the 50th, 99th percentile and the worst.

Usage (from bench/live.sh, with the benchmark's environment): python bench/live.py --base URL --path PATH
"""

import argparse
import gzip
import http.client
import os
import queue
import random
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

UPDATE_ID = re.compile(rb'id="update-(\d+)"')


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Readers:
    """The polling readers: a schedule of (due time, reader) served by a pool of connections."""

    def __init__(self, base, path, count, every, threads):
        self.address = urlsplit(base)
        self.path = path
        self.every = every
        self.etags = [None] * count
        self.seen = [set() for _ in range(count)]
        self.first_seen = {}  # (reader, update id) -> time the reader first got it
        self.counts = {"polls": 0, "not_modified": 0, "from_cache": 0, "errors": 0}
        self.lock = threading.Lock()
        self.due = queue.PriorityQueue()
        start = time.time() + 1
        for reader in range(count):
            self.due.put((start + random.uniform(0, every), reader))
        self.stop_at = None
        self.workers = [threading.Thread(target=self.work, daemon=True) for _ in range(threads)]

    def run(self, seconds):
        self.stop_at = time.time() + seconds
        for worker in self.workers:
            worker.start()
        for worker in self.workers:
            worker.join()

    def work(self):
        connection = http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=10)
        while True:
            at, reader = self.due.get()
            if at > self.stop_at:
                return
            time.sleep(max(0.0, at - time.time()))
            headers = {"Accept-Encoding": "gzip"}
            if self.etags[reader]:
                headers["If-None-Match"] = self.etags[reader]
            try:
                connection.request("GET", self.path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=10)
                with self.lock:
                    self.counts["errors"] += 1
                self.due.put((at + self.every, reader))
                continue
            answered = time.time()
            with self.lock:
                self.counts["polls"] += 1
                if response.status == 304:
                    self.counts["not_modified"] += 1
                if response.getheader("X-Cache") == "HIT":
                    self.counts["from_cache"] += 1
                if response.status == 200:
                    self.etags[reader] = response.getheader("ETag")
                    text = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
                    for update in {int(found) for found in UPDATE_ID.findall(text)} - self.seen[reader]:
                        self.seen[reader].add(update)
                        self.first_seen[(reader, update)] = answered
                elif response.status >= 400:
                    self.counts["errors"] += 1
            self.due.put((at + self.every, reader))


def editor(slug, every, seconds, posted):
    """Post an update every `every` seconds through articles.live, as the admin's fast form does."""
    import django

    django.setup()
    from articles import live
    from articles.models import Article, LiveUpdate

    article = Article.objects.get(slug=slug)
    end = time.time() + seconds - every / 2
    time.sleep(every / 2)
    number = 0
    while time.time() < end:
        number += 1
        update = live.update_save(update=LiveUpdate(article=article, body=f"Benchmark update number {number}."))
        posted[update.pk] = time.time()
        time.sleep(max(0.0, every - (time.time() - posted[update.pk])))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--path", required=True, help="the updates endpoint")
    parser.add_argument("--slug", required=True, help="the live story")
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--post-every", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--no-editor", action="store_true", help="only readers (a reference: the story page itself)")
    options = parser.parse_args()

    readers = Readers(options.base, options.path, options.readers, options.every, options.threads)
    posted = {}
    poster = threading.Thread(target=editor, args=(options.slug, options.post_every, options.seconds, posted))
    if not options.no_editor:
        poster.start()
    readers.run(options.seconds)
    if not options.no_editor:
        poster.join()

    delays = [
        readers.first_seen[(reader, update)] - at
        for update, at in posted.items()
        for reader in range(options.readers)
        if (reader, update) in readers.first_seen and at + options.every < readers.stop_at
    ]
    missed = sum(
        1
        for update, at in posted.items()
        for reader in range(options.readers)
        if at + options.every < readers.stop_at and (reader, update) not in readers.first_seen
    )
    counts = readers.counts
    print(f"polls={counts['polls']}")
    print(f"not_modified={counts['not_modified']}")
    print(f"from_cache={counts['from_cache']}")
    print(f"errors={counts['errors']}")
    print(f"updates_posted={len(posted)}")
    print(f"visible_p50_s={percentile(delays, 0.50):.2f}")
    print(f"visible_p99_s={percentile(delays, 0.99):.2f}")
    print(f"visible_max_s={max(delays, default=float('nan')):.2f}")
    print(f"never_seen={missed}")


if __name__ == "__main__":
    main()
