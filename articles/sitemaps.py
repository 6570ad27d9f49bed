"""Sitemaps for search engines: every published story, the categories and authors with stories, fixed pages.

`/sitemap.xml` is the index (django.contrib.sitemaps) pointing at one sitemap per section. Each page's `lastmod`
is when what it shows last changed. The index asks every section for its newest `lastmod`; Django's default
would load every item for that, so each section here answers with one aggregate query instead.
The Google News sitemap is a separate view (`articles.views.news_sitemap`).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery
from django.urls import reverse

from newsportal.site import site_domain, site_scheme

from .models import Article, Author, Category, Correction


def newest(*moments):
    """Return the latest of some times, ignoring the missing ones."""
    return max((moment for moment in moments if moment), default=None)


def newest_story(articles):
    """Return the subquery of the newest publication time among some published articles (per outer row)."""
    return Subquery(articles.order_by("-published_at").values("published_at")[:1])


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on the site's address (`SITE_URL`), never on the request's Host."""

    @property
    def protocol(self):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()


class ArticleSitemap(SiteSitemap):
    def items(self):
        return (
            Article.objects.live()
            .select_related("category")
            .only("slug", "published_at", "updated_at", "live_updated_at", "category__slug")
            .with_last_note()
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.modified_at

    def get_latest_lastmod(self):
        live = Article.objects.live()
        times = live.aggregate(published=Max("published_at"), updated=Max("updated_at"), live=Max("live_updated_at"))
        noted = Correction.objects.filter(article__in=live).aggregate(noted=Max("created_at"))["noted"]
        return newest(times["published"], times["updated"], times["live"], noted)


class CategorySitemap(SiteSitemap):
    """Categories with at least one published story; a category page changes when a story joins it."""

    def items(self):
        latest = newest_story(Article.objects.live().filter(category=OuterRef("pk")))
        return (
            Category.objects.annotate(latest_story=latest)
            .filter(latest_story__isnull=False)
            .only("slug")
            .order_by("position", "name")
        )

    def lastmod(self, category):
        return category.latest_story

    def get_latest_lastmod(self):
        return Article.objects.live().aggregate(latest=Max("published_at"))["latest"]


class AuthorSitemap(SiteSitemap):
    """Author pages of writers with at least one published story."""

    def items(self):
        theirs = Article.objects.live().filter(bylines__author=OuterRef("pk"))
        return (
            Author.objects.filter(Exists(theirs))
            .annotate(latest_story=newest_story(theirs))
            .only("slug")
            .order_by("name", "pk")
        )

    def lastmod(self, author):
        return author.latest_story

    def get_latest_lastmod(self):
        return Article.objects.live().filter(bylines__isnull=False).aggregate(latest=Max("published_at"))["latest"]


class StaticSitemap(SiteSitemap):
    """The fixed pages: the home page, the list of writers and the corrections page."""

    def items(self):
        return ["articles:home", "articles:authors", "articles:corrections"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.times.get(name)

    @property
    def times(self):
        """Return the lastmod of the pages that have one (one query each, only once per sitemap)."""
        if not hasattr(self, "_times"):
            self._times = {
                "articles:home": Article.objects.live().aggregate(latest=Max("published_at"))["latest"],
                "articles:corrections": Correction.objects.public().aggregate(latest=Max("created_at"))["latest"],
            }
        return self._times

    def get_latest_lastmod(self):
        return newest(*self.times.values())


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
    "pages": StaticSitemap,
}
