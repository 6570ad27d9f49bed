"""RSS 2.0 and Atom feeds of the newest stories, for the whole site and for each category.

Django's syndication framework writes the feeds. Its generators credit one author per item; a story can have
several, so the two generators here write every credited author (RSS: one `dc:creator` each; Atom: one
`<author>` each). Only names and author-page links go out: no e-mail address of anyone appears in a feed.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from newsportal.site import site_url

from .models import Article, Category

FEED_SIZE = 30
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class NewsRss(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _link in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)


class NewsAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, link in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if link:
                handler.addQuickElement("uri", link)
            handler.endElement("author")


class SiteFeed(Feed):
    """A feed whose every address is on the site's address (`site_url`), never on the request's Host."""

    def feed_url(self):
        return site_url(self.path)

    def get_feed(self, obj, request):
        """Build the feed on a copy that knows the request's path (its own address).

        One Feed instance serves every request in every thread, so the path must not be stored on it. Every link
        is absolute already, so the framework's Host-based domain is never used.
        """
        feed = copy.copy(self)
        feed.path = request.path
        return super(SiteFeed, feed).get_feed(obj, request)


class LatestArticlesFeed(SiteFeed):
    """The newest stories of the whole site."""

    feed_type = NewsRss
    description = "The latest stories, newest first."

    def title(self):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self):
        return site_url(reverse("articles:home"))

    def author_name(self):
        """Name the publisher as the feed's author: Atom needs one for stories that credit nobody."""
        return settings.SITE_NAME

    def articles(self):
        return Article.objects.live().select_related("category").with_credits().defer("body", "body_html")

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.standfirst

    def item_link(self, article):
        return site_url(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_categories(self, article):
        return [article.category.name]

    def item_extra_kwargs(self, article):
        """Credit every author by name (with their page), or the credit line of a story without named authors."""
        authors = [(author.name, site_url(author.get_absolute_url())) for author in article.credited_authors]
        if not authors and article.credit_line:
            authors = [(article.credit_line, "")]
        return {"authors": authors}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = NewsAtom
    subtitle = LatestArticlesFeed.description


class CategoryFeed(LatestArticlesFeed):
    """The newest stories of one category."""

    def get_object(self, request, category):
        return get_object_or_404(Category, slug=category)

    def title(self, category):
        return f"{settings.SITE_NAME}: {category.name}"

    def link(self, category):
        return site_url(category.get_absolute_url())

    def description(self, category):
        return category.description or f"The latest stories in {category.name}, newest first."

    def items(self, category):
        return self.articles().filter(category=category)[:FEED_SIZE]


class CategoryAtomFeed(CategoryFeed):
    feed_type = NewsAtom

    def subtitle(self, category):
        return self.description(category)


class LiveUpdatesFeed(SiteFeed):
    """The updates of one live page, newest first: for readers who follow a breaking story in a feed reader."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, category, slug):
        return get_object_or_404(Article.objects.live().exclude(live_from=None), slug=slug, category__slug=category)

    def title(self, article):
        return f"{settings.SITE_NAME} live: {article.title}"

    def link(self, article):
        return site_url(article.get_absolute_url())

    def description(self, article):
        return article.standfirst or article.title

    def author_name(self):
        return settings.SITE_NAME

    def items(self, article):
        return article.live_updates.shown().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, update):
        return update.headline or str(update)

    def item_description(self, update):
        return update.body_html

    def item_link(self, update):
        return site_url(update.get_absolute_url())

    def item_guid(self, update):
        return site_url(update.get_absolute_url())

    def item_pubdate(self, update):
        return update.published_at

    def item_updateddate(self, update):
        return update.edited_at or update.published_at

    def item_author_name(self, update):
        return update.author_name or None


class LiveUpdatesAtomFeed(LiveUpdatesFeed):
    feed_type = Atom1Feed

    def subtitle(self, article):
        return self.description(article)
