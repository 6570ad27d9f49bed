"""Tests that need a real PostgreSQL or Redis: loudly skipped on a laptop without them, failures in CI.

A silent skip in CI would hide a regression, so `.ci/run` sets `REDIS_REQUIRED=1` and `NGINX_REQUIRED=1` in
both passes and `POSTGRES_REQUIRED=1` in the PostgreSQL pass; there a missing service fails the test instead.
Elsewhere the skipped tests are counted and named in one line at the end of the run (see `tests/conftest.py`).
"""

import os

import pytest
from django.db import connection

SKIPPED = pytest.StashKey[dict]()
LABELS = {
    "POSTGRES": "POSTGRESQL-ONLY TESTS SKIPPED",
    "REDIS": "REDIS TESTS SKIPPED",
    "NGINX": "PRODUCTION TOPOLOGY TESTS SKIPPED",
}


def required(service):
    return os.environ.get(f"{service}_REQUIRED", "").lower() in {"1", "true", "yes"}


def skip_without(request, service, reason):
    """Skip this test for want of `service` (and remember it for the summary), or fail when CI requires it."""
    if required(service):
        pytest.fail(f"{service}_REQUIRED is set but {reason}", pytrace=False)
    request.config.stash.setdefault(SKIPPED, {}).setdefault(service, []).append(reason)
    pytest.skip(reason)


def require_postgresql(request):
    if connection.vendor != "postgresql":
        skip_without(request, "POSTGRES", f"the test database is {connection.vendor}; CI's second pass runs these")


def require_redis(request, url="redis://127.0.0.1:6379/15"):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        skip_without(request, "REDIS", f"Redis does not answer at {url}")


def summary_lines(config):
    """Return one loud line per service whose tests were skipped."""
    lines = []
    for service, reasons in config.stash.get(SKIPPED, {}).items():
        lines.append(f"{LABELS[service]} ({len(reasons)} tests: {sorted(set(reasons))[0]})")
    return lines
