from dataclasses import dataclass

from django.db.models import Subquery
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property

from newsportal import pagecache

from .models import Article, Category


@dataclass(frozen=True)
class BreakingStory:
    title: str
    url: str


class SiteChrome:
    """What every page shows around its content: the section navigation and the breaking-news banner.

    Both come from one query, run only when a template first uses either (error pages use neither): the banner's
    headline and address ride along on the categories as three scalar sub-selects, which the database runs once.
    With the page cache on, that query runs once per site-wide change (`pagecache.fragment`), not once per render.
    """

    @cached_property
    def categories(self):
        return pagecache.fragment("site-chrome", self._categories, depends_on=[pagecache.SITE])

    @staticmethod
    def _categories():
        banner = Article.objects.breaking()
        return list(
            Category.objects.only("name", "slug").annotate(
                breaking_title=Subquery(banner.values("title")[:1]),
                breaking_slug=Subquery(banner.values("slug")[:1]),
                breaking_category=Subquery(banner.values("category__slug")[:1]),
            )
        )

    @cached_property
    def breaking(self):
        first = self.categories[0] if self.categories else None
        if first is None or not first.breaking_slug:
            return None
        url = reverse("articles:article", kwargs={"category": first.breaking_category, "slug": first.breaking_slug})
        return BreakingStory(title=first.breaking_title, url=url)


def site(request):
    """Give every template the navigation and the breaking-news banner (both lazy)."""
    chrome = SiteChrome()
    return {
        "nav_categories": SimpleLazyObject(lambda: chrome.categories),
        "breaking_story": SimpleLazyObject(lambda: chrome.breaking),
    }
