"""The edge cache for real: Debian's Varnish with xkey between nginx and two app nodes, as `deploy/serve` runs it.

Without Varnish the tests are skipped with a loud line; CI (VARNISH_REQUIRED=1) fails them instead. The module shares
one deployment; the tests that take processes out run last.
"""

import json
import re
import time
from html import escape

import pytest

from tests.deploy.conftest import served

FIND = """
import json
from articles.models import Article, Author
from comments.models import Comment
# The oldest stories: not among the newest that Read next shows on every page (a change to those refreshes all).
stories = list(Article.objects.live().filter(live_from__isnull=True, is_breaking=False).order_by("published_at")[:3])
live = Article.objects.live().filter(live_from__isnull=False).first()
author = Author.objects.filter(articles__in=Article.objects.live()).first()
print(json.dumps({
    "stories": [story.get_absolute_url() for story in stories],
    "slugs": [story.slug for story in stories],
    "category": stories[0].category.get_absolute_url(),
    "category_slug": stories[0].category.slug,
    "live": live.get_absolute_url(),
    "live_slug": live.slug,
    "author": author.get_absolute_url(),
    "author_slug": author.slug,
}))
"""


@pytest.fixture(scope="module")
def edge(request):
    with served(request, EDGE="varnish", APP_NODES="2") as site:
        policy = ["default_moderation=post", "hold_first_time=false", "min_form_seconds=0", "rate_limit=1000"]
        policy.append("close_after_days=0")  # the oldest demo stories take comments too
        site.manage("site_settings", *policy)
        site.pages = json.loads(site.manage("shell", "-v0", script=FIND))
        yield site


def retitle(site, slug, title):
    """Give a story a new headline through the editors' service, from a command beside the running site."""
    site.manage(
        "shell",
        "-v0",
        script=f"""
from articles.models import Article
from articles.services import article_save
story = Article.objects.get(slug={slug!r})
story.title = {title!r}
article_save(article=story)
""",
    )


def edge_state(site, path, **headers):
    status, response_headers, body = site.get(path, headers=headers)
    return status, response_headers.get("x-edge-cache"), body


def cached(site, path, seconds=20):
    """Fetch a page until the edge holds it fresh (a MISS or a STALE copy while it refreshes, then a HIT)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if edge_state(site, path)[1] == "HIT":
            return
        time.sleep(0.1)
    pytest.fail(f"{path} never became an edge HIT")


def fresh_within(site, path, seconds, check):
    """Poll the page through the edge until `check(body)` holds; return how long it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        _, _, body = edge_state(site, path)
        if check(body.decode()):
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"{path} did not change at the edge within {seconds} s")


def test_every_public_page_carries_its_keys_and_readers_never_see_them(edge):
    pages = edge.pages
    story, slug, category = pages["stories"][0], pages["slugs"][0], pages["category_slug"]
    expected = {
        "/": {"site", "lists"},
        pages["category"]: {"site", "lists", f"category:{category}"},
        story: {"site", f"article:{slug}", f"discussion:{slug}", f"category:{category}"},
        f"{story}?page=2": {"site", f"article:{slug}", f"discussion:{slug}", f"category:{category}"},
        pages["author"]: {"site", "lists", f"author:{pages['author_slug']}"},
        f"{pages['live']}updates/": {"site", f"article:{pages['live_slug']}"},
        "/feeds/rss/": {"site", "lists"},
        "/search/?q=storm": {"site", "lists"},
        "/sitemap.xml": {"site", "lists"},
    }
    for path, keys in expected.items():
        status, headers, _ = edge.get(path, node=1)  # the app node's own answer, as the edge receives it
        assert status in (200, 404), path
        if status == 200:
            assert set(headers["xkey"].split()) >= keys, path
            assert headers["surrogate-control"].startswith("max-age="), path
        status, headers, _ = edge.get(path)
        assert "xkey" not in headers and "surrogate-control" not in headers, path
    assert edge.get(f"{pages['live']}updates/", node=1)[1]["surrogate-control"] == "max-age=5"  # its poll


def test_public_pages_are_answered_by_the_edge_whatever_the_readers_cookies(edge):
    edge_state(edge, "/")
    assert edge_state(edge, "/")[1] == "HIT"
    assert edge_state(edge, "/", Cookie="commenter=abc; theme=dark")[1] == "HIT"  # one copy for every reader


def landing_of(edge, comment_address, **where):
    """Where a comment's own address (/comments/<id>/, never stored by the edge) leads: its story's page."""
    status, headers, _ = edge.get(comment_address, **where)
    assert status == 302, (comment_address, status, headers)
    assert where or headers["x-edge-cache"] == "PASS"  # straight to a node (`where`), no edge to ask
    return headers["location"]


def test_nothing_per_reader_is_stored(edge):
    story = edge.pages["stories"][0]
    forms = [edge.get(f"{story}comment/") for _ in range(2)]
    for status, headers, _ in forms:
        assert status == 200 and headers["x-edge-cache"] == "PASS"
        assert {"private", "no-store"} <= {part.strip() for part in headers["cache-control"].split(",")}
    tokens = [re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1) for _, _, body in forms]
    assert tokens[0] != tokens[1]  # each reader got their own form
    # A reader posts; the confirmation is theirs alone, and another client never gets it from the edge.
    status, headers = edge.post_comment(
        story, "Posted through the edge", form=forms[0], author_name="Ines", author_email="ines@example.org"
    )
    assert status == 302 and headers["x-edge-cache"] == "PASS"
    # Published at once (post-moderation): the reader lands on the story by their comment's own address, the same
    # page every reader gets, refreshed by their comment and holding nothing of theirs.
    assert landing_of(edge, headers["location"]).startswith(story)
    status, state, page = edge_state(edge, story, Referer=edge.comment_form_url(story))  # as the browser follows it
    assert b"Posted through the edge" in page and b"csrfmiddlewaretoken" not in page
    assert edge_state(edge, story)[1] == "HIT"
    # Staff (a session cookie) always reach an app node.
    assert edge_state(edge, story, Cookie="sessionid=anything")[1] == "PASS"
    # The purge listener is not reachable through nginx.
    assert edge.request("PURGE", "/", headers={"xkey-softpurge": "site"})[0] == 405


PENDING = """
from articles.models import Article
from comments.models import Comment
pending = Comment.objects.filter(status=Comment.Status.PENDING, parent__isnull=True,
    article__in=Article.objects.live().filter(live_from__isnull=True)).select_related("article").first()
words = " ".join(pending.body.split()[:4])
print(pending.pk, pending.decision_version, pending.article.get_absolute_url(), words, sep="\\n")
"""


def test_a_moderation_decision_refreshes_that_story_only(edge):
    comment_id, seen, story, words = edge.manage("shell", "-v0", script=PENDING).splitlines()
    other = next(path for path in edge.pages["stories"] if path != story)
    for path in ("/", story, other):
        cached(edge, path)
    edge.manage(
        "shell",
        "-v0",
        script=f"""
from django.contrib.auth import get_user_model
from comments.services import comment_decide
moderator = get_user_model().objects.get(username="moderator")
assert comment_decide(comment_id={comment_id}, moderator=moderator, status="approved", seen={seen!r}).applied
""",
    )
    took = fresh_within(edge, story, 2, lambda html: escape(words) in html)
    assert took < 2
    assert edge_state(edge, other)[1] == "HIT" and edge_state(edge, "/")[1] == "HIT"


def test_an_editorial_save_refreshes_the_story_and_the_lists_but_not_other_stories(edge):
    story, other = edge.pages["stories"][1], edge.pages["stories"][2]
    for path in ("/", story, other):
        cached(edge, path)
    retitle(edge, edge.pages["slugs"][1], "Retitled at the edge")
    fresh_within(edge, story, 2, lambda html: "Retitled at the edge" in html)
    fresh_within(edge, "/", 2, lambda html: "Retitled at the edge" in html)
    assert edge_state(edge, other)[1] == "HIT"


def test_a_live_update_refreshes_the_live_page_and_its_updates(edge):
    live = edge.pages["live"]
    for path in (live, f"{live}updates/"):
        cached(edge, path)
    edge.manage(
        "shell",
        "-v0",
        script=f"""
from articles.models import Article, LiveUpdate
from articles.live import update_save
update_save(update=LiveUpdate(article=Article.objects.get(slug={edge.pages["live_slug"]!r}),
    headline="Posted live at the edge", body="<p>Water is receding.</p>", author_name="Desk"))
""",
    )
    fresh_within(edge, f"{live}updates/", 2, lambda text: "Posted live at the edge" in text)
    fresh_within(edge, live, 2, lambda html: "Posted live at the edge" in html)


def test_a_change_rolled_back_purges_nothing(edge):
    story = edge.pages["stories"][2]
    cached(edge, story)
    edge.manage(
        "shell",
        "-v0",
        script=f"""
from django.db import transaction
from articles.models import Article
from articles.services import article_save
try:
    with transaction.atomic():
        story = Article.objects.get(slug={edge.pages["slugs"][2]!r})
        story.title = "Never published"
        article_save(article=story)
        raise RuntimeError("the editor's save failed after the change")
except RuntimeError:
    pass
""",
    )
    assert edge_state(edge, story)[1] == "HIT"  # a purge would have made it STALE or a MISS
    assert b"Never published" not in edge_state(edge, story)[2]


def test_two_app_nodes_agree(edge):
    """A comment posted through node 1 is on the page node 2 renders (one database, one shared cache)."""
    story = edge.pages["stories"][0]
    edge.get(story, node=2)
    status, headers = edge.post_comment(
        story, "Sent through the first node", node=1, author_name="Noor", author_email="noor@example.org"
    )
    assert status == 302 and landing_of(edge, headers["location"], node=2).startswith(story), headers.get("location")
    assert b"Sent through the first node" in edge.get(story, node=2)[2]


def test_with_every_app_node_down_readers_still_read_and_purges_wait_for_the_nodes(edge):
    story, other = edge.pages["stories"][0], edge.pages["stories"][1]
    for path in ("/", story, other):
        cached(edge, path)
    edge.stop("app-1")
    edge.stop("app-2")
    try:
        deadline = time.monotonic() + 15
        while set(edge.edge_health().values()) != {"sick"}:  # until the edge's health checks see both gone
            assert time.monotonic() < deadline, edge.edge_health()
            time.sleep(0.2)
        rotation = ["/", story, other] * 10
        answers = [edge_state(edge, path) for path in rotation]
        assert all(status == 200 for status, _, _ in answers)
        # A change made meanwhile (by a command beside the site) is purged now and shown when the nodes return.
        retitle(edge, edge.pages["slugs"][0], "Changed while the nodes were away")
        status, state, body = edge_state(edge, story)
        assert status == 200 and state == "STALE" and b"Changed while the nodes were away" not in body
        status, _, body = edge.request("POST", f"{story}comment/", body=b"", headers={})
        assert status == 503 and b"comments are paused" in body
    finally:
        edge.start("app-1")
        edge.start("app-2")
    fresh_within(edge, story, 30, lambda html: "Changed while the nodes were away" in html)


def waiting_purges(site):
    return int(
        site.manage("shell", "-v0", script="from newsportal.models import EdgePurge as E; print(E.objects.count())")
    )


def test_a_purge_the_edge_missed_is_retried_until_it_goes_through(edge):
    edge.stop("varnish")
    try:
        time.sleep(0.5)
        retitle(edge, edge.pages["slugs"][1], "Saved while the edge was away")
        waiting = edge.manage(
            "shell", "-v0", script="from newsportal.models import EdgePurge; print(EdgePurge.objects.count())"
        )
        assert int(waiting) >= 1
    finally:
        edge.start("varnish")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the worker retries with backoff (2 s, 4 s, 8 s, …)
        left = edge.manage(
            "shell", "-v0", script="from newsportal.models import EdgePurge; print(EdgePurge.objects.count())"
        )
        if int(left) == 0:
            break
        time.sleep(1)
    else:
        pytest.fail("the missed purge was never delivered")
