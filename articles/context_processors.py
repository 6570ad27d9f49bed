from django.conf import settings

from .models import Category


def site(request):
    """Give every template the site name and the navigation (a lazy queryset, read once per page)."""
    return {"site_name": settings.SITE_NAME, "nav_categories": Category.objects.only("name", "slug")}
