import http.client
import logging
from functools import lru_cache

from csp.constants import HEADER
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created
from django.http import Http404, HttpResponse
from django.template import loader
from django.urls import Resolver404, get_resolver, resolve
from django.utils.cache import patch_cache_control

from . import outages

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 with a small static page when the database cannot be reached, instead of a 500.

    Django reconnects on the next request by itself, so the site recovers when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        outages.down("database", exception)
        # The connection may be cut or half-open: drop it, so the next request connects afresh.
        for database in connections.all(initialized_only=True):
            if not database.in_atomic_block:
                database.close()
        return unavailable()


class PrivateForStaffMiddleware:
    """Mark every answer to a logged-in user `Cache-Control: private, no-store`.

    Staff see public pages with edit links and unpublished previews; no browser cache, proxy or edge may keep
    such a copy for someone else, nor on a shared computer after logging out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def unavailable():
    """Return the static 503 page with `Retry-After`, built without the database or the cache."""
    # Rendered without a request: no context processors, so nothing here needs the database or the cache.
    html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _database_answered(sender, connection, **kwargs):
    outages.up("database")


connection_created.connect(_database_answered, dispatch_uid="newsportal-database-answered")


@lru_cache(maxsize=8)
def _fixed_policy(settings_repr):
    return build_policy()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the site's one fixed policy built once rather than for every response.

    Building the header from the settings took about a tenth of a millisecond, as much as the rest of a cached
    page's answer. Responses that customise the policy (decorators, nonces, report-only) take django-csp's path.
    """

    CUSTOMISED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt", "_csp_exempt_ro")

    def process_response(self, request, response):
        customised = any(hasattr(response, name) for name in self.CUSTOMISED)
        policy = settings.CONTENT_SECURITY_POLICY
        if (
            customised
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or policy.get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        debug_page = settings.DEBUG and response.status_code in (
            http.client.INTERNAL_SERVER_ERROR,
            http.client.NOT_FOUND,
        )
        if HEADER not in response and not debug_page:
            response[HEADER] = _fixed_policy(repr(policy))
        return response


class PrivateByDefaultMiddleware:
    """An answer no one marked as shareable is one reader's: no shared cache (an edge, a CDN, a proxy) may keep it.

    Public pages get their Cache-Control from the page cache, static files from WhiteNoise, the admin from
    Django; forms, confirmations, previews and everything else without one get `private, no-store`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class SiteNotFoundPageMiddleware:
    """With DEBUG on (`make run`), answer a missing page with the site's own 404, as readers get it, instead of
    Django's technical page listing every URL pattern; errors keep DEBUG's page. Does nothing in production, where
    Django shows the site's 404 itself (`handler404`). Last in MIDDLEWARE, so the 404 still passes CommonMiddleware's
    added slash."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as missing:
                return self.not_found(request, missing)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return self.not_found(request, exception)
        return None

    @staticmethod
    def not_found(request, exception):
        """The URLconf's own 404 view (`handler404`), as production answers."""
        return get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)(request, exception)
