from dataclasses import dataclass
from datetime import datetime

from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from newsportal import pagecache
from newsportal.db.prepared import PreparedQuery

from .models import Article, Category, SitePage


@dataclass(frozen=True)
class Link:
    """A page the chrome links: the banner's story, a site page in the footer."""

    title: str
    url: str


class SiteChrome:
    """What every page shows around its content: the section navigation, the breaking-news banner and the footer's
    links to the site pages.

    Two queries, run only when a template first uses any of them (error pages use none): the banner's headline and
    address ride along on the categories as three scalar sub-selects, which the database runs once; the site pages
    are the second. With the page cache on, they run once per site-wide change (`pagecache.fragment`), not once per
    render.
    """

    @cached_property
    def _parts(self):
        return pagecache.fragment("site-chrome", self._read, depends_on=[pagecache.SITE])

    @staticmethod
    def _read():
        return {
            "categories": _CATEGORIES_AND_BANNER.rows(now=timezone.now()),
            "footer": [Link(page.title, page.get_absolute_url()) for page in _FOOTER_PAGES.rows()],
        }

    @property
    def categories(self):
        return self._parts["categories"]

    @property
    def footer_links(self):
        """The site pages (About, Privacy, …) the footer links, in their editors' order."""
        return self._parts["footer"]

    @cached_property
    def breaking(self):
        first = self.categories[0] if self.categories else None
        if first is None or not first.breaking_slug:
            return None
        url = reverse("articles:article", kwargs={"category": first.breaking_category, "slug": first.breaking_slug})
        return Link(title=first.breaking_title, url=url)


def _categories_and_banner(now):
    banner = Article.objects.breaking(now)
    return Category.objects.only("name", "slug").annotate(
        breaking_title=Subquery(banner.values("title")[:1]),
        breaking_slug=Subquery(banner.values("slug")[:1]),
        breaking_category=Subquery(banner.values("category__slug")[:1]),
    )


# Read by every page the page cache has not kept: compiled once per process (`newsportal.db.prepared`).
_CATEGORIES_AND_BANNER = PreparedQuery(_categories_and_banner, now=datetime)
_FOOTER_PAGES = PreparedQuery(lambda: SitePage.objects.exclude(footer_position=None).only("title", "slug"))


def site(request):
    """Give every template the navigation, the breaking-news banner and the footer's links (all lazy)."""
    chrome = SiteChrome()
    return {
        "nav_categories": SimpleLazyObject(lambda: chrome.categories),
        "breaking_story": SimpleLazyObject(lambda: chrome.breaking),
        "footer_links": SimpleLazyObject(lambda: chrome.footer_links),
    }
