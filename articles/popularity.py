"""Most read: the stories readers opened most in the last 24 hours, counted without cookies or scripts.

Every view of a story page (a page-cache hit or 304 as much as a render) adds one to a counter in the shared
cache: the counter of that story for the current ten-minute window. That is one cache operation per view (an
`incr`); only a window's first view of a story costs an `add` more. Now and then the finished windows are written
to the database (`ReadCount`, one row per story and window) by a background task the first view of each window
asks for, or by `manage.py flush_reads`.

The ranking is worked out when counts are written (`record`): the rows of the last 24 hours summed once, the
order of story ids kept in the shared cache. A render only reads that order and fetches those few stories by id,
so its cost does not grow with the traffic history in the table (issue 27); if the order is missing (a new cache)
the first render works it out under a lock and the others show the list without waiting for it.

Counting never makes a page stale: the list is part of the pages that show it and is refreshed when they are,
within the page cache's lifetime.
"""

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django_tasks import task

from newsportal import outages, pagecache
from newsportal.db.prepared import PreparedQuery
from newsportal.site import page_path

from .models import Article, ReadCount

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 600
PERIOD = timedelta(hours=24)
# Stories older than this are not looked for when a window is written down (they are rarely read).
CANDIDATE_AGE = timedelta(days=30)
# Counters outlive their window long enough for a late `flush_reads` to write them down.
COUNTER_SECONDS = 2 * 24 * 3600
MOST_READ_SIZE = 5
RANKING_KEY = "most-read:ranking"
LISTED = ("pk", "title", "comment_count", "slug", "category__slug")  # what a ranked list shows of each story
# Ranked a few more than shown: a story unpublished since the ranking drops out and the list stays full.
RANKED = 3 * MOST_READ_SIZE


def current_window(now=None) -> int:
    return int((now or time.time()) // WINDOW_SECONDS)


def window_start(window: int) -> datetime:
    return datetime.fromtimestamp(window * WINDOW_SECONDS, tz=UTC)


def counter_key(window: int, slug: str) -> str:
    return f"reads:{window}:{slug}"


def count_view(slug: str) -> None:
    """Count one view of a story: one `incr` on the shared cache (an `add` too on the window's first view)."""
    window = current_window()
    key = counter_key(window, slug)
    try:
        try:
            cache.incr(key)
        except ValueError:  # the window's first view of this story
            if not cache.add(key, 1, timeout=COUNTER_SECONDS):
                cache.incr(key)  # another process started the counter meanwhile
            _ask_for_flush(window - 1)
    except Exception as error:  # noqa: BLE001 - a lost view must never cost the reader the page
        outages.down("cache", error)


def _ask_for_flush(window: int) -> None:
    """Ask the worker, once per window, to write down the window before this one."""
    if not cache.add(f"reads-flushed:{window}", 1, timeout=COUNTER_SECONDS):
        return
    try:
        flush_read_window.enqueue(window)
    except Exception:  # noqa: BLE001 - `manage.py flush_reads` writes it down later
        logger.warning("Could not queue the read counts of window %s", window, exc_info=True)


@task()
def flush_read_window(window: int) -> None:
    """Write one finished window of read counts to the database (the worker runs this)."""
    flush(window)


def flush(*windows: int) -> int:
    """Write windows' counters to the database (again, if need be: a row holds its window's total).

    Returns how many story-windows had readers.
    """
    oldest = window_start(min(windows))
    candidates = list(Article.objects.live().filter(published_at__gte=oldest - CANDIDATE_AGE).values_list("slug", "pk"))
    rows = []
    for window in windows:
        stories = {counter_key(window, slug): pk for slug, pk in candidates}
        counts = cache.get_many(list(stories))
        start = window_start(window)
        rows += [
            ReadCount(article_id=stories[key], window_start=start, views=views)
            for key, views in counts.items()
            if views
        ]
    record(rows)
    ReadCount.objects.filter(window_start__lt=timezone.now() - 2 * PERIOD).delete()
    return len(rows)


def record(rows) -> None:
    """Store read counts, each row the total of its story and window (so writing one twice changes nothing), and
    rank the stories again."""
    ReadCount.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["article", "window_start"], update_fields=["views"]
    )
    rank()


def rank() -> list[int]:
    """Work out the order of the stories read most in the last 24 hours and keep it in the cache; return it."""
    since = timezone.now() - PERIOD
    order = list(
        Article.objects.live()
        .filter(read_counts__window_start__gte=since)
        .annotate(views=Sum("read_counts__views"))
        .order_by("-views", "-published_at", "-pk")
        .values_list("pk", flat=True)[:RANKED]
    )
    try:
        cache.set(RANKING_KEY, order, timeout=COUNTER_SECONDS)
    except Exception as error:  # noqa: BLE001 - the next render works it out again
        outages.down("cache", error)
    return order


def ranking() -> list[int]:
    """The order kept by `rank`, or worked out now by one render (the others meanwhile show no list)."""
    try:
        order = cache.get(RANKING_KEY)
        if order is not None:
            return order
        if not cache.add(f"{RANKING_KEY}:lock", 1, timeout=30):
            return []
    except Exception as error:  # noqa: BLE001 - without the cache, work it out for this page
        outages.down("cache", error)
    return rank()


def flush_finished(now=None) -> int:
    """Write down every finished window of the last 24 hours (for cron, or after the worker was away)."""
    last = current_window(now) - 1
    first = current_window((now or time.time()) - PERIOD.total_seconds())
    return flush(*range(first, last + 1))


# What Most read shows besides the ranking: the stories' headlines and comment counts, which lists show.
MOST_READ_DEPENDS_ON = (pagecache.SITE, pagecache.LISTS)


def most_read(limit: int = MOST_READ_SIZE):
    """Return the live stories read most in the last 24 hours, most read first: the kept order and one query by id,
    once per ranking and change to what lists show (`pagecache.fragment`)."""
    order = ranking()
    if not order:
        return []
    return pagecache.fragment(
        "most-read",
        lambda: _stories_in_order(order, limit),
        depends_on=MOST_READ_DEPENDS_ON,
        vary=[limit, *order],
    )


def _stories_in_order(order, limit):
    by_id = {story.pk: story for story in ranked_stories(_LIVE_STORIES_LISTED.rows(ids=order, now=timezone.now()))}
    return [by_id[pk] for pk in order if pk in by_id][:limit]


# The ranked stories still live, compiled once per process and number of them (`newsportal.db.prepared`).
_LIVE_STORIES_LISTED = PreparedQuery(
    lambda ids, now: Article.objects.live(now).filter(pk__in=ids).values_list(*LISTED),
    ids=[int],
    now=datetime,
)


@dataclass(frozen=True)
class RankedStory:
    """A story as a ranked list shows it (Most read, Most discussed): plain values, cheaper to read, to keep in the
    cache and to take back from it than a model instance: what `includes/ranked_stories.html` shows, and its id."""

    pk: int
    title: str
    comment_count: int
    url: str

    def get_absolute_url(self):
        return self.url


def ranked_stories(rows):
    """The `LISTED` rows of stories as `RankedStory`s, in their order."""
    return [
        RankedStory(pk, title, comment_count, page_path("articles:article", category=category, slug=slug))
        for pk, title, comment_count, slug, category in rows
    ]


def counts_as_read(view):
    """Mark a URL's view as a story page whose every view counts for Most read (its `slug` names the story)."""
    view.counts_as_read = True
    return view


class ReadCounterMiddleware:
    """Count each view of a story page, whether the page cache answered it or the view rendered it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and response.status_code in (200, 304):
            match = pagecache.resolved(request)
            if match and getattr(match.func, "counts_as_read", False):
                count_view(match.kwargs["slug"])
        return response


# Most discussed: the stories of the last two days with the most published comments (Article.comment_count).
MOST_DISCUSSED_HOURS = 48


def most_discussed(category=None, limit: int = MOST_READ_SIZE):
    """Return the live stories published in the last 48 hours with the most published comments, most first (in one
    section, or all): one query over the last two days' stories, once per change to what lists show and at most
    once per page lifetime (`pagecache.fragment`), so the counts it shows lag by no more than that."""
    slug = category.slug if category else ""
    return pagecache.fragment(
        "most-discussed",
        lambda: _most_discussed(slug, limit),
        depends_on=[pagecache.SITE, pagecache.LISTS],
        vary=[slug, limit],
    )


def _most_discussed(category_slug, limit):
    since = timezone.now() - timedelta(hours=MOST_DISCUSSED_HOURS)
    stories = Article.objects.live().filter(published_at__gte=since, comment_count__gt=0)
    if category_slug:
        stories = stories.filter(category__slug=category_slug)
    return ranked_stories(stories.order_by("-comment_count", "-published_at").values_list(*LISTED)[:limit])
