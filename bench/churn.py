"""Make changes at a fixed rate through the project's own services while bench/run reads pages (issue 11).

    python bench/churn.py moderation --rate 5 --seconds 20 --paths FILE --log FILE [--visible-at URL]
    python bench/churn.py editorial --every 10 --seconds 30 --paths FILE --log FILE [--newest]
    python bench/churn.py presence --editors 50 --every 15 --base URL --seconds 30 --paths FILE --log FILE
    python bench/churn.py sessions --editors 50 --paths FILE --log OUTPUT --seconds 0
    python bench/churn.py recommends --rate 50 --base URL --seconds 30 --paths FILE --log FILE [--flush-every 60]

`moderation`: each decision adds a waiting comment to the next article of the rotation (which changes no page)
and approves it with `comments_moderate`, as a moderator's click does. `editorial`: each save changes the body
of the next article with `article_save`, as an editor's does (`--newest`: always the newest story, which shows on
every page). `presence` (issue 21): `--editors` logged-in editors each send the change form's heartbeat over HTTP
every `--every` seconds, each with a story of the rotation open; these change no page and are logged as nothing.
`sessions` writes such editors' sessions for bench/heartbeat.lua.
`recommends` (issue 28): guests recommend published comments of the rotation's stories over HTTP at `--rate`, each
from a new browser (its signed token) on a different network (`X-Forwarded-For`: gunicorn runs with
TRUSTED_PROXY_COUNT=1), and every `--flush-every` seconds (the site setting's 60 s by default) they are written
down as the worker does (`comments.recommends.flush`); each story a write-down refreshes is logged as a change.
`--visible-at` (issue 26): after each decision, a thread reads the story at that address (the edge) until the
comment shows, and `<log>.visible` gets the seconds it took, one line per decision.
Changes fall in the middle of each interval from `--start-at` on, for `--seconds`; each is logged as
`<unix time> <path>` for bench/report.py.
"""

import argparse
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

import django  # noqa: E402

django.setup()

from articles import services as article_services  # noqa: E402
from articles.models import Article  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.services import comments_moderate  # noqa: E402


def articles_of(paths):
    slugs = [path.strip("/").split("/")[-1] for path in paths]
    by_slug = {article.slug: article for article in Article.objects.select_related("category").filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs]


RUN_TOKEN = f"{time.time():.0f}"  # tells this run's comments from an earlier run's on the same stories


def moderate(article, number):
    comment = Comment.objects.create(
        article=article,
        author_name="Bench reader",
        author_email=f"churn{number}@example.com",
        body=f"Churn decision {number} at {time.time():.3f}",
        body_html=f"<p>Churn decision {number} of run {RUN_TOKEN}</p>",
        status=Comment.Status.PENDING,
    )
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk), moderator=None, status=Comment.Status.APPROVED, action="approve"
    )


def visible_after(url, text, since, delays, timeout=30.0):
    """Read `url` until it shows `text`; record how long after `since` that was (None: never, within `timeout`)."""
    while time.time() - since < timeout:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - the benchmark's own loopback server
            if text in answer.read().decode():
                delays.append(time.time() - since)
                return
        time.sleep(0.05)
    delays.append(None)


def edit(article, number):
    article = Article.objects.get(pk=article.pk)
    article.body = f"{article.body.split(' (edit ')[0]} (edit {number})"
    article_services.article_save(article=article, reason="bench/churn.py")


def editor_sessions(count):
    """Return (session key, CSRF secret) for `count` logged-in bench editors, creating them as needed."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from newsportal.roles import EDITORS

    editors = Group.objects.get(name=EDITORS)
    sessions = []
    for number in range(count):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-editor-{number}", defaults={"is_staff": True, "first_name": f"Editor {number}"}
        )
        user.groups.add(editors)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((session.session_key, _get_new_csrf_string()))
    return sessions


def heartbeats(options, articles):
    """Send each editor's heartbeat every `--every` seconds, spread evenly; return the answers' status counts."""
    import http.client
    from collections import Counter
    from urllib.parse import urlsplit

    sessions = editor_sessions(options.editors)
    address = urlsplit(options.base)
    interval = options.every / options.editors
    started = options.start_at or time.time()
    statuses = Counter()
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    number, opened = 0, set()
    while (due := number * interval) < options.seconds:
        time.sleep(max(0.0, started + due - time.time()))
        key, csrf = sessions[number % len(sessions)]
        article = articles[number % len(articles)]
        # Each editor's first beat on a story is the page load's ("opened"); the rest keep it open.
        body = b"" if (key, article.pk) in opened else b"opened=1"
        opened.add((key, article.pk))
        headers = {
            "Cookie": f"sessionid={key}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
        }
        connection.request("POST", f"/admin/articles/article/{article.pk}/presence/", body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        statuses[answer.status] += 1
        number += 1
    return statuses


def recommend_traffic(options, articles):
    """Send guests' recommends at `--rate` and write them down every `--flush-every` s; return the statuses."""
    import http.client
    import secrets
    from collections import Counter
    from urllib.parse import urlsplit

    from django.core import signing
    from django.middleware.csrf import _get_new_csrf_string

    from comments import identity, recommends

    comments = list(Comment.objects.public().filter(article__in=articles).values_list("pk", "article__pk"))
    paths = {article.pk: article.get_absolute_url() for article in articles}
    address = urlsplit(options.base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    statuses, started, number = Counter(), options.start_at or time.time(), 0
    next_flush, touched = started + options.flush_every, set()
    with open(options.log, "w") as log:
        while (due := number / options.rate) < options.seconds:
            time.sleep(max(0.0, started + due - time.time()))
            if time.time() >= next_flush:  # as the worker does: the stories recommended since refresh once
                recommends.flush()
                flushed = time.time()
                log.writelines(f"{flushed:.3f} {paths[pk]}\n" for pk in sorted(touched))
                next_flush, touched = next_flush + options.flush_every, set()
            comment, article = comments[number % len(comments)]
            touched.add(article)
            token, csrf = signing.dumps(secrets.token_urlsafe(16), salt=identity.BROWSER_SALT), _get_new_csrf_string()
            headers = {
                "Cookie": f"{identity.BROWSER_COOKIE}={token}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Accept": "application/json",
                "X-Forwarded-For": f"10.{number // 256 % 256}.{number % 256}.7",
                "Content-Length": "0",
            }
            connection.request("POST", f"/comments/{comment}/recommend/", body=b"", headers=headers)
            answer = connection.getresponse()
            answer.read()
            statuses[answer.status] += 1
            number += 1
    return statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["moderation", "editorial", "presence", "sessions", "recommends"])
    parser.add_argument("--flush-every", type=float, default=60, help="recommends: seconds between write-downs")
    parser.add_argument("--editors", type=int, default=50, help="presence: how many editors send heartbeats")
    parser.add_argument("--base", help="presence: the server's address")
    parser.add_argument("--rate", type=float, help="changes per second")
    parser.add_argument("--every", type=float, help="seconds between changes")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--paths", required=True, help="file with the article paths of the rotation")
    parser.add_argument("--newest", action="store_true", help="editorial: always change the newest story")
    parser.add_argument("--log", required=True)
    parser.add_argument("--start-at", type=float, help="unix time of the first change's interval (default: now)")
    parser.add_argument("--visible-at", help="moderation: the edge's address, read until each decision shows")
    options = parser.parse_args()
    if options.mode == "sessions":  # for bench/heartbeat.lua: one "<story id>,<session>,<csrf>" per editor
        articles = articles_of(Path(options.paths).read_text().split())
        lines = [
            f"{articles[n % len(articles)].pk},{key},{csrf}"
            for n, (key, csrf) in enumerate(editor_sessions(options.editors))
        ]
        Path(options.log).write_text("\n".join(lines) + "\n")
        return
    if options.mode == "recommends":
        statuses = recommend_traffic(options, articles_of(Path(options.paths).read_text().split()))
        print(f"recommends: {dict(statuses)}", file=sys.stderr)
        return
    if options.mode == "presence":
        statuses = heartbeats(options, articles_of(Path(options.paths).read_text().split()))
        Path(options.log).write_text("")  # heartbeats change no page
        print(f"heartbeats: {dict(statuses)}", file=sys.stderr)
        return
    interval = options.every or 1 / options.rate
    if options.newest:
        targets = [Article.objects.live().select_related("category").first()]
    else:
        targets = articles_of(Path(options.paths).read_text().split())
    change = moderate if options.mode == "moderation" else edit
    started = options.start_at or time.time()
    delays, watchers = [], []
    with open(options.log, "w") as log:
        number = 0
        while (due := number * interval + interval / 2) < options.seconds:
            time.sleep(max(0.0, started + due - time.time()))
            article = targets[number % len(targets)]
            change(article, number)
            decided = time.time()
            log.write(f"{decided:.3f} {article.get_absolute_url()}\n")
            if options.visible_at:
                url = f"{options.visible_at}{article.get_absolute_url()}"
                text = f"Churn decision {number} of run {RUN_TOKEN}<"
                watchers.append(threading.Thread(target=visible_after, args=(url, text, decided, delays)))
                watchers[-1].start()
            number += 1
    for watcher in watchers:
        watcher.join()
    if options.visible_at:
        Path(f"{options.log}.visible").write_text("".join(f"{delay}\n" for delay in delays))


if __name__ == "__main__":
    main()
