from django.apps import AppConfig


class NewsportalConfig(AppConfig):
    """The site as a whole: the shared cache table and the checks of the site's own settings."""

    name = "newsportal"
    verbose_name = "Site"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks of the site's settings
