from dataclasses import dataclass

from django.conf import settings
from django.db.models import JSONField, Subquery
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property

from .aggregates import JSONRow
from .models import Article, Category


@dataclass(frozen=True)
class BreakingStory:
    title: str
    url: str


class SiteChrome:
    """What every page shows around its content: the section navigation and the breaking-news banner.

    Both come from one query, run only when a template first uses either (error pages use neither), so every
    reader page keeps its fixed query budget. The banner rides along as a JSON sub-select on the categories.
    """

    @cached_property
    def categories(self):
        banner = Article.objects.breaking().values(data=JSONRow(title="title", slug="slug", category="category__slug"))[
            :1
        ]
        return list(Category.objects.only("name", "slug").annotate(breaking=Subquery(banner, output_field=JSONField())))

    @cached_property
    def breaking(self):
        row = self.categories[0].breaking if self.categories else None
        if not row:
            return None
        url = reverse("articles:article", kwargs={"category": row["category"], "slug": row["slug"]})
        return BreakingStory(title=row["title"], url=url)


def site(request):
    """Give every template the site name, the navigation and the breaking-news banner (all lazy)."""
    chrome = SiteChrome()
    return {
        "site_name": settings.SITE_NAME,
        "nav_categories": SimpleLazyObject(lambda: chrome.categories),
        "breaking_story": SimpleLazyObject(lambda: chrome.breaking),
    }
