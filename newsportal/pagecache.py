"""Whole-page cache for the pages that are the same for every anonymous reader (DESIGN.md principle 2).

Views opt in with `@public_page`. The middleware sits early in the stack, so a hit skips sessions, CSRF,
authentication and the view. Every stored page carries the content *generation* it was built in; any editorial
or moderation change replaces the generation in the shared cache (`invalidate_pages()`), so every app process
serves fresh pages from the very next request. Both keys are read in one round trip.

Never cached: requests with a session cookie (logged-in staff), anything but GET/HEAD, responses that set
cookies, and views that did not opt in (forms, confirmation pages, admin). A cache failure only makes pages slower.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag
from django.utils.timezone import now

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
PAGE_MARK = "_public_page"
STORED_HEADERS = ("Content-Type", "Content-Language")


def public_page(view):
    """Mark a view's responses as identical for every anonymous reader, so they may be cached whole."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, PAGE_MARK, True)
        return response

    return wrapped


def invalidate_pages():
    """Make every cached page stale, in every app process, once the current transaction commits."""
    transaction.on_commit(_new_generation)


def _new_generation():
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - without a cache there are no cached pages to invalidate
        logger.warning("Page cache unavailable: could not invalidate pages", exc_info=True)


def page_key(request):
    """Return the cache key of a page: scheme, host, path and query string, hashed to a fixed length.

    The scheme counts because pages carry absolute URLs (canonical links, social cards).
    """
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def cache_control(response):
    response["Cache-Control"] = (
        f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}"
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            return self.get_response(request)
        key = page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # noqa: BLE001 - the cache is an optimisation; the database still answers
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if entry and generation and entry["generation"] == generation:
            return self.from_entry(request, entry)

        response = self.get_response(request)
        if self.storable(response):
            self.store(request, key, generation, response)
        return response

    @staticmethod
    def applies_to(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def storable(response):
        return getattr(response, PAGE_MARK, False) and response.status_code == 200 and not response.cookies

    def store(self, request, key, generation, response):
        """Store the page with validators, and give the reader the same headers a hit would."""
        body = response.content
        entry = {
            "generation": generation,
            "body": body,
            "headers": {name: response[name] for name in STORED_HEADERS if response.has_header(name)},
            "etag": quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest()),
            "last_modified": http_date(now().timestamp()),
        }
        try:
            if not generation:  # the first page since the cache started: open a generation
                cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
                entry["generation"] = cache.get(GENERATION_KEY)
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - serve the page uncached
            logger.warning("Page cache unavailable: page not stored", exc_info=True)
        self.add_validators(response, entry)

    @staticmethod
    def add_validators(response, entry):
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = entry["last_modified"]
        cache_control(response)

    def from_entry(self, request, entry):
        """Answer from the cache: 304 when the reader's copy is current, the stored page otherwise."""
        if (
            request.META.get("HTTP_IF_NONE_MATCH") == entry["etag"]
            or request.META.get("HTTP_IF_MODIFIED_SINCE") == entry["last_modified"]
        ):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["body"], headers=entry["headers"])
        self.add_validators(response, entry)
        return response
