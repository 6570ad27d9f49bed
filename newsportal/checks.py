"""System checks of the site's own settings: a setting that silently means something else is caught at start-up."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning
from django.http.request import validate_host


@register
def site_address(app_configs, **kwargs):
    """SITE_URL must be an absolute http(s) address that ALLOWED_HOSTS accepts (public pages are built on it)."""
    site = urlsplit(settings.SITE_URL)
    if site.scheme not in ("http", "https") or not site.hostname or site.path not in ("", "/"):
        return [
            Error(
                f"SITE_URL={settings.SITE_URL!r} is not a site address like https://news.example.com",
                id="newsportal.E001",
            )
        ]
    allowed = [*settings.ALLOWED_HOSTS, "testserver"] if settings.DEBUG else settings.ALLOWED_HOSTS
    if not validate_host(site.hostname, allowed):
        return [Error(f"The host of SITE_URL ({site.hostname}) is not in ALLOWED_HOSTS", id="newsportal.E002")]
    return []


@register
def settings_moved_to_the_admin(app_configs, **kwargs):
    """Newsroom policy is edited in the admin now: a variable left in the environment would silently do nothing."""
    from .sitesettings import FORMER_ENVIRONMENT

    return [
        CheckWarning(
            f"{name} is set in the environment but is a site setting now (Admin › Site settings); "
            "its value was copied there when the site was migrated. Remove the variable.",
            id="newsportal.W001",
        )
        for name in FORMER_ENVIRONMENT.values()
        if name in os.environ
    ]


@register
def edge_settings(app_configs, **kwargs):
    """An edge named without what it needs would cache pages that are never purged."""
    from . import edge

    name = settings.EDGE_BACKEND
    if not name:
        return []
    try:
        kind = edge.backend_class(name)
    except ImportError:
        return [
            Error(f"EDGE_BACKEND={name!r}: choose varnish, fastly, cloudflare or a class path", id="newsportal.E004")
        ]
    return [
        Error(f"EDGE_BACKEND={name} needs {setting}", id="newsportal.E005")
        for setting in getattr(kind, "needs", ())
        if not getattr(settings, setting, None)
    ]
