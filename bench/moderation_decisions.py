"""Server time of the moderation workspace with a big queue (issue 12): run by bench/moderation, not by hand.

Fills the queue to `--pending` waiting comments (bulk inserts), then, as a logged-in moderator through Django's
test client in this process (the server's own work: middleware, view, queries, rendering; no network), loads the
workspace and sends `--decisions` decisions the way its script does, and prints p50 / p95 / max per request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article  # noqa: E402
from comments.models import Comment  # noqa: E402
from newsportal.roles import MODERATORS  # noqa: E402

WORKSPACE = "/admin/comments/comment/workspace/"


def fill(pending):
    missing = pending - Comment.objects.queue().count()
    articles = list(Article.objects.live().values_list("pk", flat=True)[:500])
    now = timezone.now()
    for start in range(0, max(0, missing), 5000):
        Comment.objects.bulk_create(
            Comment(
                article_id=articles[number % len(articles)],
                author_name=f"Waiting reader {number}",
                author_email=f"waiting{number % 20000}@example.com",
                body=f"A comment waiting for a moderator, number {number}.",
                body_html=f"<p>A comment waiting for a moderator, number {number}.</p>",
                status=Comment.Status.PENDING,
                held_reasons="pre-moderation",
                created_at=now,
            )
            for number in range(start, min(missing, start + 5000))
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE comments_comment")  # as autovacuum does after a burst of inserts


def timed(call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, response


def summary(name, times):
    times = sorted(times)
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    print(f"| {name} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")
    return p95


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=300)
    options = parser.parse_args()
    fill(options.pending)
    user, _ = Group.objects.get(name=MODERATORS).user_set.model.objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=MODERATORS))
    client = Client()
    client.force_login(user)
    print(f"{Comment.objects.queue().count()} comments waiting")
    print("| request | n | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    pages = [timed(client.get, WORKSPACE)[0] for _ in range(20)]
    summary("workspace page (20 cards, counts per article and reason)", pages)
    waiting = list(Comment.objects.queue()[: options.decisions])
    decisions = []
    for number, comment in enumerate(waiting):
        data = {"decision": ("approve", "reject", "spam")[number % 3], "seen": comment.decision_version}
        url = f"{WORKSPACE}{comment.pk}/decide/"
        spent, response = timed(client.post, url, data, headers={"accept": "application/json"})
        assert response.status_code == 200, response.status_code
        decisions.append(spent)
    p95 = summary("decision (JSON, as the workspace's script sends it)", decisions)
    exclude = ",".join(str(comment.pk) for comment in Comment.objects.queue()[:20])
    more = [timed(client.get, f"{WORKSPACE}more/", {"exclude": exclude})[0] for _ in range(20)]
    summary("next cards (fragment)", more)
    print(f"\ndecision p95 {p95:.1f} ms (goal ≤ 100 ms: {'met' if p95 <= 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
