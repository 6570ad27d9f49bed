"""The site's one public address (`SITE_URL`).

Every absolute URL the site writes — pages' canonical links and cards, feeds, sitemaps, JSON-LD, robots.txt,
e-mails, previews — is `site_url(path)`. The request's Host header only picks among ALLOWED_HOSTS; it never
decides what a cached page, shared by every reader, links to.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def site_url(path: str = "/") -> str:
    """Return `path` (a path of this site, or an address that is absolute already) as an absolute URL."""
    if urlsplit(path).scheme:
        return path  # a file on the media store's own host, for one
    return f"{settings.SITE_URL}/{path.lstrip('/')}"


def site_domain() -> str:
    """The host (and port) of the site's address, as sitemaps and feeds name it."""
    return urlsplit(settings.SITE_URL).netloc


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


def page_path(name: str, **kwargs) -> str:
    """`reverse(name, kwargs=…)`, worked out once per process for each page: a story page links some forty others
    (Read next, Most read, teasers), and the same few hundred stories are linked again and again."""
    return _page_path(get_script_prefix(), get_urlconf(), name, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=50_000)
def _page_path(prefix, urlconf, name, arguments):
    return reverse(name, kwargs=dict(arguments), urlconf=urlconf)


# An integer no route of this site holds otherwise, standing for the one a path is reversed with (`id_path`).
_ID_PLACEHOLDER = 987654321


def id_path(name: str, value: int, kwarg: str = "pk") -> str:
    """`reverse(name, kwargs={kwarg: value})` for a route with one integer in it, reversed once per process and
    filled in: a page of comments links each comment's report form, and there are too many comments to remember
    each path as `page_path` does."""
    return _id_route(get_script_prefix(), get_urlconf(), name, kwarg).replace(str(_ID_PLACEHOLDER), str(int(value)))


@lru_cache(maxsize=64)
def _id_route(prefix, urlconf, name, kwarg):
    return reverse(name, kwargs={kwarg: _ID_PLACEHOLDER}, urlconf=urlconf)
