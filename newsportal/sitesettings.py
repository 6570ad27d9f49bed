"""The newsroom's policy as the site reads it: `site_settings()`, cached, and made stale by every save.

One row (`SiteSettings`) edited in the admin. A render or a comment submission reads it once: the row is kept in the
shared cache (one get) and remembered for the rest of the request. Outside a request (the worker, commands) each
read asks the cache, so a change reaches every process as soon as it is saved.
"""

import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

from . import outages
from .models import SiteSettings

CACHE_KEY = "site-settings"

# What each setting was called in the environment before it moved into the admin: the migration that created the
# row read these once, and a leftover variable gets a warning (newsportal.checks) instead of silently doing nothing.
FORMER_ENVIRONMENT = {
    "articles_per_page": "ARTICLES_PER_PAGE",
    "read_next_size": "READ_NEXT_SIZE",
    "live_poll_seconds": "LIVE_POLL_SECONDS",
    "default_moderation": "COMMENTS_DEFAULT_MODERATION",
    "close_after_days": "COMMENTS_CLOSE_AFTER_DAYS",
    "reports_to_hide": "COMMENTS_REPORTS_TO_HIDE",
    "max_links": "COMMENTS_MAX_LINKS",
    "hold_first_time": "COMMENTS_HOLD_FIRST_TIME",
    "rate_limit": "COMMENTS_RATE_LIMIT",
    "rate_limit_window": "COMMENTS_RATE_LIMIT_WINDOW",
    "min_form_seconds": "COMMENTS_MIN_FORM_SECONDS",
    "form_max_age": "COMMENTS_FORM_MAX_AGE",
    "block_ip_days": "COMMENTS_BLOCK_IP_DAYS",
    "trust_after": "COMMENTS_TRUST_AFTER",
    "trust_clean_days": "COMMENTS_TRUST_CLEAN_DAYS",
    "trusted_skip_queue": "COMMENTS_TRUSTED_SKIP_QUEUE",
    "confirm_max_age": "COMMENTS_CONFIRM_MAX_AGE",
    "confirm_every": "COMMENTS_CONFIRM_EVERY",
    "confirm_per_mailbox": "COMMENTS_CONFIRM_PER_MAILBOX",
    "confirm_per_network": "COMMENTS_CONFIRM_PER_NETWORK",
    "comments_per_page": "COMMENTS_PER_PAGE",
    "ip_retention_days": "COMMENTS_IP_RETENTION_DAYS",
}

_request = threading.local()


def site_settings() -> SiteSettings:
    """The settings in force (the defaults while the row does not exist, as on a database being flushed)."""
    remembered = getattr(_request, "settings", None)
    if remembered is not None:
        return remembered
    try:
        row = cache.get(CACHE_KEY)
    except Exception as error:  # noqa: BLE001 - without the cache the database still answers
        outages.down("cache", error)
        return _from_database()
    if row is None:
        row = _from_database()
        cache.set(CACHE_KEY, row, timeout=None)
    if getattr(_request, "open", False):
        _request.settings = row
    return row


def _from_database():
    return SiteSettings.objects.filter(pk=SiteSettings.SINGLETON).first() or SiteSettings()


def _request_starts(**kwargs):
    _request.open, _request.settings = True, None


def _request_ends(**kwargs):
    _request.open, _request.settings = False, None


def _forget(**kwargs):
    """A save: every process reads the row afresh, and the pages it shapes go stale (Read next, lists, comments)."""
    from .pagecache import content_changed

    _request.settings = None
    _drop_cached()
    # Again after commit: a reader between the delete and the commit may have cached the row as it was.
    transaction.on_commit(_drop_cached)
    content_changed(everywhere=True)


def _drop_cached():
    try:
        cache.delete(CACHE_KEY)
    except Exception as error:  # noqa: BLE001 - the cache is down: it holds nothing to drop
        outages.down("cache", error)


def connect():
    request_started.connect(_request_starts, dispatch_uid="site-settings-request-starts")
    request_finished.connect(_request_ends, dispatch_uid="site-settings-request-ends")
    from django.db.models.signals import post_save

    post_save.connect(_forget, sender=SiteSettings, dispatch_uid="site-settings-saved")
