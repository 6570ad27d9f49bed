from django.apps import AppConfig


class NewsportalConfig(AppConfig):
    """The site as a whole: the shared cache table and the checks of the site's own settings."""

    name = "newsportal"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the checks of the site's settings
        from .logins import warn_of_failures_elsewhere

        user_logged_in.connect(warn_of_failures_elsewhere, dispatch_uid="newsportal-failures-elsewhere")
