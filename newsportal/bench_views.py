"""Reference views for `bench/run`, mounted only when BENCH_REFERENCE_VIEWS is set.

They measure what this machine's Django and gunicorn can serve at all, so the real pages can be reported as a
ratio of it: `static` returns prebuilt bytes of the article page's size; `static-lookup` does the same after one
round trip to the cache (what `static` cost before issue 11, when every request made a page-cache lookup);
`template` renders a template of that size without touching the database.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

PARAGRAPH = (
    "Reference text of a typical paragraph, long enough to weigh what a news story weighs, rendered by the same "
    "template engine and served by the same process as the real pages. "
)


def static_reference(request):
    return HttpResponse(_payload(), content_type="text/html; charset=utf-8")


def static_lookup_reference(request):
    cache.get("bench:reference")
    return HttpResponse(_payload(), content_type="text/html; charset=utf-8")


def template_reference(request):
    count = max(1, settings.BENCH_REFERENCE_BYTES // (len(PARAGRAPH) + 8))
    return render(request, "bench/reference.html", {"paragraphs": [PARAGRAPH] * count})


def _payload():
    if not hasattr(_payload, "cached"):
        _payload.cached = (b"<!doctype html><title>static</title>" + b"x" * settings.BENCH_REFERENCE_BYTES)[
            : settings.BENCH_REFERENCE_BYTES
        ]
    return _payload.cached
