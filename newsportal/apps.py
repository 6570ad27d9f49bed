from django.apps import AppConfig


class NewsportalConfig(AppConfig):
    """The site as a whole: the newsroom's settings, the shared cache table, the checks of the site's settings."""

    name = "newsportal"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401 - registers the checks of the site's settings
            sitesettings,
        )
        from .logins import warn_of_failures_elsewhere

        sitesettings.connect()
        user_logged_in.connect(warn_of_failures_elsewhere, dispatch_uid="newsportal-failures-elsewhere")
