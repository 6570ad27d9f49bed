"""System checks of the site's own settings: a setting that silently means something else is caught at start-up."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
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


CHOICES = {
    "COMMENTS_DEFAULT_MODERATION": ("pre", "post"),
}


@register
def choice_settings(app_configs, **kwargs):
    """Settings that take one of a few words must be one of them ("Post" must not quietly mean pre-moderation)."""
    return [
        Error(f"{name}={getattr(settings, name)!r}: choose one of {', '.join(choices)}", id="newsportal.E003")
        for name, choices in CHOICES.items()
        if getattr(settings, name) not in choices
    ]
