"""Views that belong to the site as a whole rather than to one app."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from newsportal.site import site_url

from .middleware import RETRY_AFTER_SECONDS

# What crawlers should not fetch: the newsroom, staff previews, per-reader forms and confirmations. Search results
# stay fetchable on purpose: they carry `noindex`, which a crawler can only obey if it may read the page.
# `*` is the wildcard of Google and Bing.
ROBOTS_DISALLOW = ["/admin/", "/preview/", "/*/comment/", "/comments/"]


@never_cache
def healthz(request):
    """Answer 200 when the database and the cache answer, 503 otherwise (for load balancers)."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        problems.append("database")
    try:
        cache.set("healthz", "ok", 5)
        if cache.get("healthz") != "ok":
            problems.append("cache")
    except Exception:  # noqa: BLE001 - any cache client error means the cache is unhealthy
        problems.append("cache")
    if problems:
        response = HttpResponse("unavailable: " + ", ".join(problems), status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok", content_type="text/plain")


def robots_txt(request):
    """Tell crawlers where the sitemaps are and which paths to leave alone."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines += [f"Sitemap: {site_url(reverse(name))}" for name in ("sitemap", "articles:news-sitemap")]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
