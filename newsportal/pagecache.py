"""Whole-page cache for the pages that are the same for every anonymous reader.

Views opt in with `@public_page`. The middleware sits early in the stack, so a hit skips sessions, CSRF,
authentication and the view. Never cached: requests with a session cookie (logged-in staff), anything but
GET/HEAD, responses that are not a 200 or that set cookies, and views that did not opt in (forms, confirmations,
previews, admin); requests for those make no cache lookup at all. A cache failure only makes pages slower.

What changed is what goes stale
-------------------------------
Every stored page records the *generations* of what it shows, and stays fresh while they are current. A
generation is a small key in the shared cache, replaced when what it stands for changes:

- `site`: what every page shows: the section navigation, the breaking-news banner and the newest stories, which
  Read next lists under every article;
- `lists`: what the list pages show (home, categories, authors, corrections, search, feeds, sitemaps);
- `article:<slug>`: one article's own pages: the story (and its live updates and their feeds);
- `discussion:<slug>`: what readers see of that article's comments: the comment section of its story pages.

A page depends on `site` and on `lists` or its article's keys, so its entry and its generations come back in the
one round trip (`get_many`) a hit makes. The vocabulary for the services that change things:

- `content_changed(*articles)`: an editorial change to these articles: their pages and every list go stale;
  with `everywhere=True` every page does, because the change shows on all of them;
- `story_changed(*articles)`: a change that shows only on these articles' own pages (a live update);
- `discussion_changed(*articles)`: a change to what readers see of these articles' comments: only their story
  pages go stale, and in them only the comment section is rebuilt; the home page never does.

Both take effect when the transaction commits, so no reader can cache the old page under the new generation.
Parts of pages are kept the same way, under the generations they depend on (`fragment`): the parts many pages
share (the section navigation, Read next, Most read), and a story page's two halves (the story, its comment
section), so a page rendered after a change builds only what that change touched.

One render per change
---------------------
When an entry goes stale (a generation moved, or it outlived `PAGE_CACHE_SECONDS`), the first request for it
takes a short lock in the shared cache and renders; readers arriving meanwhile get the previous copy, but never
for longer than `PAGE_CACHE_GRACE_SECONDS` after it went stale. Responses say `X-Cache: HIT`, `MISS` or `STALE`.

Keys and bodies
---------------
A page's key is its address with only the query parameters the view reads (`public_page(reads=…)`), each in its
normal form (`newsportal.params`: `?page=1`, `?page=abc` and no page are one key, an unknown `?sort=` is no sort);
tracking parameters such as `utm_source` or `fbclid` map to the same entry, and the view sees the same trimmed
query, so what it renders matches its key. A value past the end of a list is the view's 404, never stored.
A rendered page is stored in each encoding (brotli, gzip, none) as entries of their own, each with every header
the rendered response carried, so a hit fetches just the body it sends.
"""

import gzip
import hashlib
import secrets
import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, wraps
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, get_resolver
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from . import edge, outages

SITE = "pages:gen:site"
LISTS = "pages:gen:lists"
# Headers the middleware sets itself on every answer, so a stored page does not keep them.
OWN_HEADERS = frozenset(
    {"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary", "x-cache"}
)
ENCODINGS = ("br", "gzip")  # preferred first
# While the middleware renders a public page for the cache, the parts it used (`fragment`); None otherwise (then no
# part is kept).
_rendering = ContextVar("rendering", default=None)


class _Parts:
    """The parts one render of a public page used: when each was built, and the ones built for it, which are kept
    only with the page (a 404 past the last page of comments adds nothing to the cache). `generations`: the page's
    own, read just before the render; its parts are keyed on the same, without reading them again."""

    def __init__(self, generations):
        self.generations = generations
        self.built_at = []
        self.built = {}


@dataclass(frozen=True)
class Policy:
    """What the cache needs to know of a public view: the query parameters it reads and the article it shows."""

    reads: tuple  # (name, normaliser) pairs, in the order declared: see `newsportal.params`
    article_kwarg: str | None
    max_age: int | None = None  # what browsers may keep, when shorter than PAGE_CACHE_MAX_AGE (a polled fragment)
    keys_from: tuple = (("category", "category"),)  # (URL keyword, edge key) pairs: finer keys (newsportal.edge)
    shows_discussion: bool = False  # the page shows its article's comments


def public_page(view=None, *, reads=(), article_kwarg=None, shows_discussion=False, max_age=None, keys_from=None):
    """Mark a view's responses as identical for every anonymous reader, so they may be cached whole.

    `reads`: the query parameters the view uses, {name: normaliser} (`newsportal.params`: what a value becomes, or
    None to drop it); every other parameter is dropped before the view runs;
    `article_kwarg`: the URL keyword holding the slug of the one article the page shows (its story page);
    `shows_discussion`: the page shows that article's comments, so it goes stale when they change too;
    `keys_from`: {URL keyword: edge key} for finer surrogate keys than the generations (`category` by default).
    """

    def decorate(view):
        finer = Policy.keys_from if keys_from is None else tuple(keys_from.items())
        policy = Policy(tuple(dict(reads).items()), article_kwarg, max_age, finer, shows_discussion)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            # The view sees the query in the form the cache keys it on, with the cache on or off alike.
            request.GET = normal_query(request.GET, policy.reads)
            request.META["QUERY_STRING"] = request.GET.urlencode()
            return view(request, *args, **kwargs)

        wrapped.page_cache_policy = policy
        return wrapped

    return decorate(view) if view is not None else decorate


def normal_query(query, reads):
    """Return the parameters a public view declared (`reads`), each in its normal form; drop every other one."""
    normal = QueryDict(mutable=True)
    for name, normalise in reads:
        if name in query:
            value = normalise(query[name])  # the last value, as the view's `GET.get()` would read it
            if value is not None:
                normal[name] = value
    normal._mutable = False
    return normal


# --- The invalidation vocabulary ------------------------------------------------------------------------------


def content_changed(*articles, everywhere=False):
    """Make stale what an editorial change shows on: every list page and these articles' own pages.

    `articles` are Article instances or slugs (none: a change that shows only in lists, such as an author's bio);
    `everywhere`: the change shows on every page (navigation, banner, the newest stories), so all pages go stale.
    """
    keys = [SITE] if everywhere else [LISTS, *(article_key(item) for item in articles)]
    _replace_on_commit(keys)


def story_changed(*articles):
    """Make stale these articles' own pages and nothing else: a change no list shows (a live update)."""
    if articles:
        _replace_on_commit([article_key(item) for item in articles])


def discussion_changed(*articles):
    """Make stale the pages that show these articles' comments (the story and its comment pages), nothing else."""
    if articles:
        _replace_on_commit([discussion_key(item) for item in articles])


def fragment(name, build, *, depends_on, vary=()):
    """Return what `build()` makes, kept in the shared cache under the current generations it depends on (`SITE`,
    `LISTS`, an article's keys): parts every page shows (the sections, Most read) are built once per change, not
    once per render, and a story page after a change rebuilds only the half that changed.

    When one of those generations moves, the next render builds it afresh (the same rule, and the same reasoning
    about commits, as for whole pages). `vary`: whatever else the part is made from (the page's query, Most read's
    ranking). With the page cache off (development, most tests), and outside the render of a public page (forms,
    previews, staff), every render builds its parts. What `build()` raises (a 404) goes to the page as it is; a part
    built for a page is kept with it (`PageCacheMiddleware.render`), not when the page is not.
    """
    parts = _rendering.get()
    if parts is None:
        return build()
    try:
        key = _fragment_key(name, depends_on, vary, parts.generations)
        kept = cache.get(key) if key else None
    except Exception as error:  # noqa: BLE001 - the cache is an optimisation: build it for this page
        outages.down("cache", error)
        return build()
    if key is None:  # its generation was evicted as soon as started: nothing to keep it under
        return build()
    if kept is None or time.time() - kept["built_at"] >= settings.PAGE_CACHE_SECONDS:
        kept = parts.built[key] = {"built_at": time.time(), "value": build()}
    # The page counts as old as its oldest part: what time alone changes (a scheduled story going live) shows
    # within the page cache's lifetime, as before.
    parts.built_at.append(kept["built_at"])
    return kept["value"]


def _fragment_key(name, depends_on, vary, known):
    """The cache key of a part: its name, the current generations it depends on (those the page read already, the
    others from the cache) and what else it varies on; None when a generation could not be started."""
    unknown = [key for key in depends_on if key not in known]
    found = cache.get_many(unknown) if unknown else {}
    generations = open_generations(depends_on, tuple(known.get(key, found.get(key)) for key in depends_on))
    if None in generations:
        return None
    parts = [name, *generations, *map(str, vary)]
    return "fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def article_key(article):
    """The generation of one article's own pages (`article` is an Article or its slug)."""
    return f"pages:gen:article:{_slug(article)}"


def discussion_key(article):
    """The generation of what readers see of one article's comments."""
    return f"pages:gen:discussion:{_slug(article)}"


def _slug(article):
    return article if isinstance(article, str) else article.slug


def _replace_on_commit(keys):
    """After commit: new generations here, then the edge's copies purged (so its refetch finds the new page)."""

    def replace_and_purge():
        _replace(set(keys))
        edge.purge(set(keys))

    transaction.on_commit(replace_and_purge)


def new_generation():
    """Return a fresh generation value: the time it started (to bound stale copies) and a random part."""
    return f"{time.time():.6f} {secrets.token_hex(4)}"


def open_generations(keys, generations):
    """Start the generations of `keys` the cache does not hold yet (`generations`: what it held, None where nothing;
    first use, or lost); return the current ones, for a page's render and a shared part alike."""
    missing = [key for key, value in zip(keys, generations, strict=True) if value is None]
    if not missing:
        return generations
    for key in missing:
        cache.add(key, new_generation(), timeout=None)
    current = cache.get_many(missing)
    return tuple(current.get(key) if value is None else value for key, value in zip(keys, generations, strict=True))


def generation_time(value):
    return float(value.split(" ", 1)[0])


def _replace(keys):
    try:
        cache.set_many(dict.fromkeys(keys, new_generation()), timeout=None)
    except Exception as error:  # noqa: BLE001 - without a cache there are no cached pages to invalidate
        outages.down("cache", error)


# --- The middleware ----------------------------------------------------------------------------------------------


class Page:
    """A request for a public page: its cache keys, from the parameters the view reads. The request is left alone."""

    def __init__(self, request, policy, match):
        request.get_host()  # a host outside ALLOWED_HOSTS gets its 400, never a cached page
        # Keyed on the parameters the view declared, in their normal form (the view gets the same, see
        # `public_page`); every host the site answers to shows the same page (its links come from SITE_URL).
        query = urlencode(sorted(normal_query(request.GET, policy.reads).items()))  # one key for any order
        address = f"{settings.SITE_URL}{escape_uri_path(request.path)}" + (f"?{query}" if query else "")
        digest = hashlib.sha256(address.encode()).hexdigest()
        # Each encoding of the page is an entry of its own, so a hit fetches only the body it sends.
        self.encoding = accepted_encoding(request)
        self.keys = {encoding: f"page:{digest}:{encoding or 'identity'}" for encoding in ("", *ENCODINGS)}
        self.key = self.keys[self.encoding]
        self.lock_key = f"page-render:{digest}"
        if policy.article_kwarg:
            slug = match.kwargs[policy.article_kwarg]
            own = (article_key(slug), discussion_key(slug)) if policy.shows_discussion else (article_key(slug),)
        else:
            own = (LISTS,)
        self.generation_keys = (SITE, *own)
        self.edge_keys = edge.page_keys(self.generation_keys, match.kwargs, policy.keys_from)
        self.max_age = policy.max_age


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        policy, match = self.policy_for(request)
        if policy is None:
            return self.get_response(request)
        page = Page(request, policy, match)
        try:
            found = cache.get_many([*page.generation_keys, page.key])
        except Exception as error:  # noqa: BLE001 - the cache is an optimisation; the database still answers
            outages.down("cache", error)
            return self.get_response(request)
        outages.up("cache")
        entry = found.get(page.key)
        generations = tuple(found.get(key) for key in page.generation_keys)
        locked = False
        if entry is not None:
            stale_since = self.stale_since(entry, generations)
            if stale_since is None:
                return self.answer(request, page, entry, "HIT")
            if time.time() - stale_since < settings.PAGE_CACHE_GRACE_SECONDS:
                locked = self.claim(page)
                if not locked:  # another request is rendering this page: hand out the previous copy meanwhile
                    return self.answer(request, page, entry, "STALE")
                # That request may have stored the new page between our read and our lock: read once more.
                entry, generations = self.reread(page, entry, generations)
                if self.stale_since(entry, generations) is None:
                    self.release(page)
                    return self.answer(request, page, entry, "HIT")
        try:
            return self.render(request, page, entry, generations)
        finally:
            if locked:
                self.release(page)

    @staticmethod
    def policy_for(request):
        """Return the page policy of the view this request goes to, or (None, None) when it is never cached."""
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None, None
        return _policy(get_resolver(getattr(request, "urlconf", None)), request.path_info)

    @staticmethod
    def stale_since(entry, generations):
        """Return since when a stored page is stale, or None while it is fresh."""
        if len(entry["generations"]) != len(generations):  # stored by a release that keyed the page otherwise
            return float("-inf")
        moments = []
        for stored, current in zip(entry["generations"], generations, strict=True):
            if current is None:  # the generation was lost: nothing tells how old the page is
                return float("-inf")
            if stored != current:
                moments.append(generation_time(current))
        expires = entry["stored_at"] + settings.PAGE_CACHE_SECONDS
        if time.time() >= expires:
            moments.append(expires)
        return min(moments) if moments else None

    @staticmethod
    def reread(page, entry, generations):
        try:
            found = cache.get_many([*page.generation_keys, page.key])
        except Exception:  # noqa: BLE001 - go on with what the first read found
            return entry, generations
        return found.get(page.key, entry), tuple(found.get(key) for key in page.generation_keys)

    @staticmethod
    def claim(page):
        try:
            return cache.add(page.lock_key, 1, timeout=settings.PAGE_CACHE_GRACE_SECONDS)
        except Exception:  # noqa: BLE001 - render without the lock
            return True

    @staticmethod
    def release(page):
        try:
            cache.delete(page.lock_key)
        except Exception as error:  # noqa: BLE001 - the lock expires by itself
            outages.down("cache", error)

    def render(self, request, page, previous, generations):
        """Render the page (with the generations read before rendering, so a change made meanwhile still counts)."""
        try:
            generations = open_generations(page.generation_keys, generations)
        except Exception as error:  # noqa: BLE001 - serve the page uncached
            outages.down("cache", error)
            return self.get_response(request)
        parts = _Parts(dict(zip(page.generation_keys, generations, strict=True)))
        rendering = _rendering.set(parts)
        try:
            response = self.get_response(request)
        finally:
            _rendering.reset(rendering)
        if self.storable(response):
            entries = self.entries(page, response, generations, as_of=min(parts.built_at, default=time.time()))
            try:
                timeout = settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_GRACE_SECONDS
                stored = {page.keys[encoding]: entry for encoding, entry in entries.items()}
                cache.set_many({**parts.built, **stored}, timeout=timeout)  # a part older than a lifetime is rebuilt
            except Exception as error:  # noqa: BLE001 - serve the page uncached
                outages.down("cache", error)
            return self.answer(request, page, entries[page.encoding], "MISS")
        if previous is not None:
            if response.status_code >= 500:  # the database is away: the previous copy beats an error page
                return self.answer(request, page, previous, "STALE")
            try:
                cache.delete_many(list(page.keys.values()))  # gone or moved: never hand out the old copy again
            except Exception as error:  # noqa: BLE001 - it expires by itself
                outages.down("cache", error)
        return response

    @staticmethod
    def storable(response):
        return (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not response.has_header("Content-Encoding")
        )

    @staticmethod
    def entries(page, response, generations, *, as_of):
        """Return the page's entries, one per encoding, each with the headers a hit sends ready-made.

        `as_of`: when the oldest thing on the page was built (now, or a shared part's build): its lifetime runs from
        there."""
        body = response.content
        stored_at = as_of
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        headers = {name: value for name, value in response.items() if name.lower() not in OWN_HEADERS}
        vary = response.get("Vary", "")
        bodies = {
            "": body,
            "gzip": gzip.compress(body, compresslevel=6, mtime=0),
            "br": brotli.compress(body, quality=5),
        }
        entries = {}
        for encoding, encoded in bodies.items():
            carried = HttpResponse(headers=headers)
            if vary:
                carried["Vary"] = vary
            patch_vary_headers(carried, ["Accept-Encoding"])
            if encoding:
                carried["Content-Encoding"] = encoding
            carried["Content-Length"] = str(len(encoded))
            carried["ETag"] = f'"{digest}-{encoding}"' if encoding else f'"{digest}"'
            carried["Last-Modified"] = http_date(stored_at)
            entries[encoding] = {
                "generations": generations,
                "stored_at": stored_at,
                "headers": dict(carried.items()),
                "body": encoded,
                "max_age": page.max_age,
            }
        return entries

    def answer(self, request, page, entry, state):
        """Answer from a stored page: 304 when the reader's copy is current, else the stored body and headers."""
        headers = entry["headers"]
        if self.not_modified(request, headers["ETag"], entry["stored_at"]):
            response = HttpResponseNotModified()
            for name in ("Vary", "ETag", "Last-Modified"):
                response[name] = headers[name]
        else:
            response = HttpResponse(entry["body"], headers=headers)
        response["Cache-Control"] = cache_control(fresh=state != "STALE", max_age=entry.get("max_age"))
        response["X-Cache"] = state
        # The edge may keep a fresh page as long as this cache would; a stale copy only until its next reader.
        kept = 0 if state == "STALE" else entry.get("max_age") or settings.PAGE_CACHE_SECONDS
        edge.tag(response, page.edge_keys, max_age=kept)
        return response

    @staticmethod
    def not_modified(request, etag, stored_at):
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = parse_etags(if_none_match)
            return "*" in tags or etag in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and int(stored_at) <= since


@dataclass(frozen=True)
class Match:
    func: object
    kwargs: dict


def resolved(request):
    """Return the view a request's path goes to, with its URL keywords (a `Match`), or None for no view.

    The page cache and the read counter both ask on every request: each path is resolved once per URL
    configuration, for both.
    """
    return _resolve(get_resolver(getattr(request, "urlconf", None)), request.path_info)


@lru_cache(maxsize=4096)
def _resolve(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return Match(func=match.func, kwargs=dict(match.kwargs))


def _policy(resolver, path):
    """Return (page policy, match) of a path, or (None, None) when its view is not a public page."""
    match = _resolve(resolver, path)
    policy = getattr(match.func, "page_cache_policy", None) if match else None
    return (policy, match) if policy else (None, None)


def accepted_encoding(request):
    """Return the best encoding of ours the reader accepts (`br`, `gzip`), or "" for an uncompressed body."""
    offered = {}
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            offered[name.strip().lower()] = float(quality) if quality else 1.0
        except ValueError:
            continue
    return next((encoding for encoding in ENCODINGS if offered.get(encoding, 0) > 0), "")


def cache_control(*, fresh=True, max_age=None):
    """Return the Cache-Control of a public page; a stale copy may not be kept by browsers or CDNs.

    `max_age`: a shorter lifetime a view asked for (a fragment that readers poll), which also bounds
    stale-while-revalidate, so a poll never gets a copy older than that.
    """
    kept = settings.PAGE_CACHE_MAX_AGE if max_age is None else min(max_age, settings.PAGE_CACHE_MAX_AGE)
    stale = settings.PAGE_CACHE_STALE_SECONDS if max_age is None else 0
    return f"public, max-age={kept if fresh else 0}, stale-while-revalidate={stale}"
