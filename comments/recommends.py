"""Recommends: a reader's "this is a good comment", one per reader per comment, undo allowed; and the Best order.

The story page is one cached copy for everyone, so a recommend must not make it stale at once. It is counted in the
shared cache when it is sent and written to the database behind it:

- the request appends an entry to a log in the shared cache (`recommends:next` numbers the entries; each is
  `recommends:entry:<n>`): one `incr` and one `set`, no database write on the reader's path;
- the worker (`sweep`, between its rounds) writes the log down at most once per `recommend_lag_seconds` (a site
  setting): the rows (one per reader and comment, so a repeated recommend counts once), the comments' counts, and
  one refresh of each story touched, so shown counts lag the truth by at most that setting;
- the reader's own recommends show at once in their browser (static/js/site.js keeps them).

Who counts as one reader: a reader who proved their address (the cookie its confirmation link left), else the
browser's signed token (`identity.browser_token`), as for reports; a browser without a token gets one from the
recommend page first. A network may recommend `NETWORK_LIMIT` times a minute, so a script on one machine cannot
push a comment up.
"""

import math

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from articles.models import Article
from newsportal import outages, pagecache
from newsportal.sitesettings import site_settings

from .models import PICKS_FIRST, Comment, Recommendation

NEXT_KEY = "recommends:next"
WRITTEN_KEY = "recommends:written"  # the last entry written down
ENTRY_SECONDS = 24 * 3600  # an entry waits at most this long for the worker (it normally waits a minute)
NETWORK_LIMIT = 60  # recommends and undos a minute from one network
AWAITED_KEY = "recommends:awaited"  # an entry missing at the last write-down
IN_FLIGHT = 100  # only among the newest this many may a missing entry still be on its way
MAX_BEHIND = 100_000  # entries a write-down reads at most


class Refused(Exception):
    """The recommend was not counted; the message says why, in the reader's words."""


def mark(comment_id: int, *, reader_key: str, network_key: str, undo: bool = False) -> None:
    """Count (or, `undo`, take back) one reader's recommend of a comment; raise `Refused`. Two cache calls, no
    database: whether readers still see the comment is checked when it is written down."""
    if not _within_limit(network_key):
        raise Refused("Too many recommends from your network just now. Please try again in a minute.")
    try:
        number = _next_number()
        cache.set(f"recommends:entry:{number}", (int(comment_id), reader_key, undo), ENTRY_SECONDS)
    except Exception as error:  # noqa: BLE001 - the cache is where recommends wait: without it, say so
        outages.down("cache", error)
        raise Refused("Recommends are paused for a moment. Please try again shortly.") from error


def _within_limit(network_key):
    key = f"recommends:network:{network_key}"
    try:
        return _count(key, timeout=60) <= NETWORK_LIMIT
    except Exception as error:  # noqa: BLE001 - no cache: `mark` refuses with its own message
        outages.down("cache", error)
        return True


def _next_number():
    return _count(NEXT_KEY, timeout=None)


def _count(key, *, timeout):
    """Add one to a counter in the shared cache and return it: one round trip, but for the counter's first."""
    try:
        return cache.incr(key)
    except ValueError:  # not there yet (or expired)
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another request started it meanwhile


def sweep() -> int:
    """The worker's call between rounds: write the log down if the last time was `recommend_lag_seconds` ago or
    more (the maintenance runs every 20 s, so this waits at most 20 s less than the setting)."""
    if not cache.add("recommends:swept", 1, timeout=max(1, site_settings().recommend_lag_seconds - 20)):
        return 0
    return flush()


def flush() -> int:
    """Write down the log's new entries, in order; return how many were read.

    The last action of a reader on a comment wins (a recommend and its undo in one minute leave nothing); rows are
    inserted or deleted, the touched comments recounted from their rows, their stories' comment sections refreshed
    once. Entries the cache lost (evicted) are skipped: a recommend is a light signal, not a record.
    """
    last = cache.get(NEXT_KEY) or 0
    # At most the newest MAX_BEHIND (the mark of what was written may have been evicted: never walk them all).
    written = max(cache.get(WRITTEN_KEY) or 0, last - MAX_BEHIND)
    if last <= written:
        return 0
    entries = cache.get_many([f"recommends:entry:{number}" for number in range(written + 1, last + 1)])
    latest = {}
    for number in range(written + 1, last + 1):
        entry = entries.get(f"recommends:entry:{number}")
        if entry is None and last - number < IN_FLIGHT and cache.get(AWAITED_KEY) != number:
            # One of the newest, numbered but maybe not stored yet (its request is between its two calls): next
            # time. Still missing then, it never will be (evicted, or the cache failed that request): skipped.
            cache.set(AWAITED_KEY, number, timeout=ENTRY_SECONDS)
            last = number - 1
            break
        if entry:
            comment_id, reader_key, undo = entry
            latest[comment_id, reader_key] = undo
    numbers = range(written + 1, last + 1)
    shown = dict(  # the comments readers see, on stories they see: the others' recommends are dropped
        Comment.objects.public()
        .filter(pk__in={pk for pk, _reader in latest}, article__in=Article.objects.live())
        .values_list("pk", "article_id")
    )
    with transaction.atomic():
        Recommendation.objects.bulk_create(
            [
                Recommendation(comment_id=pk, article_id=shown[pk], reader_key=reader)
                for (pk, reader), undo in latest.items()
                if not undo and pk in shown
            ],
            ignore_conflicts=True,  # recommended before: still one
        )
        for (pk, reader), undo in latest.items():
            if undo:
                Recommendation.objects.filter(comment_id=pk, reader_key=reader).delete()
        touched = {pk for pk, _reader in latest}
        counts = dict(
            Recommendation.objects.filter(comment_id__in=touched)
            .values_list("comment_id")
            .annotate(n=Count("pk"))
            .values_list("comment_id", "n")
        )
        for pk in touched:
            Comment.objects.filter(pk=pk).update(recommend_count=counts.get(pk, 0))
        slugs = Comment.objects.filter(pk__in=touched).values_list("article__slug", flat=True).distinct()
        pagecache.discussion_changed(*slugs)
    cache.set(WRITTEN_KEY, last, timeout=None)
    cache.delete_many([f"recommends:entry:{number}" for number in numbers])
    return len(numbers)


# --- Best ------------------------------------------------------------------------------------------------------

Z = 1.96  # 95 % confidence
PICK_HEAD_START = 3  # an editor's pick counts as this many recommends, from as many more readers


def best_score(recommends: int, readers: int, *, is_pick: bool = False) -> float:
    """The Best order's score: the lower bound of the Wilson score interval (95 %) for the share of the thread's
    recommending readers who would recommend this comment.

    `readers` is how many readers recommended anything in the thread: each of them read the comments and either
    recommended this one or not. The lower bound ranks 8 of 10 above 1 of 1 (one vote proves little) and, unlike the
    raw count, does not let the oldest comment win for having been read longest. An editor's pick starts with a head
    start of `PICK_HEAD_START` recommends from as many extra readers: enough to lift it above comments nobody has
    recommended yet, not enough to hold it above what readers clearly prefer. Trusted commenters get no head start:
    trust decides whether a comment waits for a moderator, not whether readers find it good, so theirs rank by the
    same recommends as everyone's.
    """
    head_start = PICK_HEAD_START if is_pick else 0
    positives = recommends + head_start
    total = max(readers, recommends) + head_start
    if total == 0:
        return 0.0
    share = positives / total
    spread = Z * math.sqrt((share * (1 - share) + Z * Z / (4 * total)) / total)
    return (share + Z * Z / (2 * total) - spread) / (1 + Z * Z / total)


def best_order(threads) -> list[int]:
    """The ids of an article's published threads (a queryset of them) in the Best order: by `best_score`, ties
    broken as the picks order (picks, then oldest first)."""
    rows = list(threads.order_by(*PICKS_FIRST).values_list("pk", "recommend_count", "is_pick", "article_id"))
    if not rows:
        return []
    readers = Recommendation.objects.filter(article_id=rows[0][3]).values("reader_key").distinct().count()
    # sorted() keeps the ties' order from the query
    ranked = sorted(rows, key=lambda row: -best_score(row[1], readers, is_pick=row[2]))
    return [row[0] for row in ranked]
