"""Tests that need a real PostgreSQL or Redis: loudly skipped on a laptop without them, failures in CI.

A silent skip in CI would hide a regression, so `.ci/run` sets `REDIS_REQUIRED=1`, `NGINX_REQUIRED=1` and
`VARNISH_REQUIRED=1` in both passes and `POSTGRES_REQUIRED=1` in the PostgreSQL pass; there a missing service fails
the test instead.
Elsewhere the skipped tests are counted and named in one line at the end of the run (see `tests/conftest.py`).
"""

import os

import pytest
from django.db import connection

LABELS = {
    "POSTGRES": "POSTGRESQL-ONLY TESTS SKIPPED",
    "REDIS": "REDIS TESTS SKIPPED",
    "NGINX": "PRODUCTION TOPOLOGY TESTS SKIPPED",
    "VARNISH": "EDGE CACHE TESTS SKIPPED",
}
# Every loud skip's reason starts with one of these labels and a colon. The summary reads them from the skip
# reports, which reach the main process from every worker (pytest-xdist), unlike anything kept in a worker.
LOUD_LABELS = (*LABELS.values(), "E2E BROWSER TESTS SKIPPED", "SITEMAP VALIDATORS SKIPPED")


def required(service):
    return os.environ.get(f"{service}_REQUIRED", "").lower() in {"1", "true", "yes"}


def skip_without(request, service, reason):
    """Skip this test for want of `service` (named in the summary), or fail when CI requires it."""
    if required(service):
        pytest.fail(f"{service}_REQUIRED is set but {reason}", pytrace=False)
    pytest.skip(f"{LABELS[service]}: {reason}")


def require_postgresql(request):
    if connection.vendor != "postgresql":
        skip_without(request, "POSTGRES", f"the test database is {connection.vendor}; CI's second pass runs these")


def require_redis(request, url="redis://127.0.0.1:6379/15"):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        skip_without(request, "REDIS", f"Redis does not answer at {url}")


def summary_lines(skipped_reports):
    """Return one loud line per kind of loud skip among the run's skip reports: a quiet skip looks like a pass."""
    reasons = {}
    for report in skipped_reports:
        message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        message = message.removeprefix("Skipped: ")
        for label in LOUD_LABELS:
            if message.startswith(f"{label}: "):
                reasons.setdefault(label, []).append(message.removeprefix(f"{label}: "))
    return [f"{label} ({len(found)} tests: {sorted(set(found))[0]})" for label, found in reasons.items()]
