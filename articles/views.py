"""Reader pages (home, category, article, authors, corrections, search, Google News sitemap) and the staff preview.

Reader pages read through `Article.objects.live()`. The preview is the one page that shows what readers
cannot see yet: staff only (everyone else gets 404), never cached, never indexed.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from newsportal.params import MAX_PAGE, positive_int
from newsportal.sitesettings import site_settings

from . import curation, embeds, live, publishing, richtext
from .context_processors import SiteChrome
from .models import Article, Author, Category, Correction, SitePage, live_story
from .pagination import DeferredJoinPaginator
from .search import clean_query

logger = logging.getLogger(__name__)

# Google News reads at most a thousand stories from its sitemap.
NEWS_SITEMAP_LIMIT = 1000
NOT_FOUND_HEADLINES = 5  # the latest stories a 404 offers


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        page = curation.front_page()
        return super().get_context_data(
            lead=page.lead, top_stories=page.top_stories, latest=page.latest, sections=page.sections, **kwargs
        )


class ReaderListView(ListView):
    """A paginated list of reader pages, as many a page as the site settings say."""

    def get_paginate_by(self, queryset):
        return site_settings().articles_per_page


class CategoryView(ReaderListView):
    template_name = "articles/category_detail.html"
    context_object_name = "articles"
    paginator_class = DeferredJoinPaginator

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["category"])
        return Article.objects.live().teasers().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, current_category_slug=self.category.slug, **kwargs)


class ArticleView(DetailView):
    template_name = "articles/article_detail.html"

    def get_object(self, queryset=None):
        story = live_story(self.kwargs["slug"])
        if story is None:
            raise Http404("No such story")
        return story

    def get(self, request, *args, **kwargs):
        """Serve the article, or send the reader to its canonical URL when the category segment is wrong."""
        self.object = self.get_object()
        if self.object.category.slug != kwargs["category"]:
            return redirect(self.object, permanent=True)
        context = self.get_context_data(object=self.object, current_category_slug=self.object.category.slug)
        context.update(live_context(request, self.object))
        return allowing_embeds(self.render_to_response(context), self.object, context)


def allowing_embeds(response, article, context):
    """Open the page's Content-Security-Policy to the providers of the embeds on it, and to nothing else.

    The header is the page's own, so the page cache keeps and replays it with the page.
    """
    bodies = [
        article.body_html,
        article.key_points_html,
        *(update.body_html for update in context.get("live_updates", [])),
    ]
    found = [embed for body in bodies for embed in richtext.embeds_in(body)]
    if found:
        response["Content-Security-Policy"] = embeds.content_security_policy(found)
    return response


def live_context(request, article):
    """What a live page shows of its coverage: one page of updates (`?updates=`) and whether it still runs."""
    if not article.live_from:
        return {}
    number = positive_int(request.GET.get("updates"), default=1, maximum=MAX_PAGE)
    updates, number, pages = live.updates_page(article, number)
    return {
        "coverage": article.coverage_state(),
        "live_updates": updates,
        "updates_number": number,
        "updates_pages": pages,
        "poll_seconds": site_settings().live_poll_seconds,
    }


def live_updates(request, category, slug):
    """The newest updates of a running live page, as the HTML the page's script inserts (polled every few seconds).

    The same for every reader, cached, with an ETag: a poll with nothing new is a 304 from the page cache.
    """
    article = get_object_or_404(Article.objects.live().select_related("category"), slug=slug, category__slug=category)
    if not article.live_from:
        raise Http404("Not a live page")
    updates, _, _ = live.updates_page(article)
    context = {"article": article, "live_updates": updates, "coverage": article.coverage_state()}
    return render(request, "articles/live_updates_fragment.html", context)


def can_preview(user) -> bool:
    """Tell whether a user may preview unpublished articles: active staff who may see articles in the admin."""
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(DetailView):
    """Show any article exactly as readers will see it, to staff only, never cached and never indexed."""

    template_name = "articles/article_detail.html"

    def get_queryset(self):
        if not can_preview(self.request.user):
            raise Http404  # not 403 and no login redirect: readers learn nothing about unpublished stories
        return Article.objects.select_related("category", "lead_image", "social_image").with_credits()

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            preview=True,
            preview_state=publishing.state(article),
            noindex=True,
            current_category_slug=article.category.slug,
            **live_context(self.request, article),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = allowing_embeds(super().render_to_response(context, **response_kwargs), self.object, context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class AuthorListView(ListView):
    template_name = "articles/author_list.html"
    context_object_name = "authors"
    queryset = Author.objects.select_related("photo").only("name", "slug", "bio", "photo")


class AuthorView(ReaderListView):
    """An author's page: who they are, and their published articles, newest first."""

    template_name = "articles/author_detail.html"
    context_object_name = "articles"
    paginator_class = DeferredJoinPaginator

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.live().teasers().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class CorrectionListView(ReaderListView):
    """Recent corrections across the site, newest first: the newsroom's public record of its mistakes."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"

    def get_queryset(self):
        return Correction.objects.public()


class SitePageView(DetailView):
    """A page about the site (About, Privacy, …), as its editors wrote it."""

    model = SitePage
    template_name = "articles/site_page.html"
    context_object_name = "site_page"


class SearchView(ReaderListView):
    """Search results: the same for every reader who asks the same question, and kept out of search engines."""

    template_name = "articles/article_search.html"
    context_object_name = "results"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        return Article.objects.live().teasers().search(self.query.text)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, noindex=True, **kwargs)


def news_sitemap(request):
    """List the stories of the last two days with the details Google News asks for (its sitemap format)."""
    articles = (
        Article.objects.fresh()
        .select_related("category")
        .only("title", "slug", "published_at", "category__slug")[:NEWS_SITEMAP_LIMIT]
    )
    context = {
        "articles": articles,
        "publication_name": settings.SITE_NAME,
        "publication_language": settings.LANGUAGE_CODE.partition("-")[0],  # Google News wants the bare language
    }
    return render(request, "articles/news_sitemap.xml", context, content_type="application/xml; charset=utf-8")


def not_found(request, exception=None):
    """The site's 404 (`handler404`, and `make run`'s): the sections and the banner, a search box and the latest
    headlines, so a broken link leads somewhere. Read from the database only when it answers: a missing page must
    not become an error page."""
    # 404.html reads only these: no lazy database reads
    context = {"sections": [], "banner": None, "latest": [], "site_pages": []}
    try:
        chrome = SiteChrome()
        context.update(
            sections=chrome.categories,
            banner=chrome.breaking,
            site_pages=chrome.footer_links,
            latest=list(Article.objects.live().teasers()[:NOT_FOUND_HEADLINES]),
        )
    except DatabaseError:
        logger.warning("A 404 page was shown without the sections: the database did not answer", exc_info=True)
    return render(request, "404.html", context, status=404)
