from django.urls import path

from comments.models import first_section_order
from newsportal.pagecache import public_page
from newsportal.params import COMMENT_FILTERS, COMMENT_ORDERS, one_of, page_number, text

from . import feeds, live, views
from .popularity import counts_as_read

app_name = "articles"


# Fixed names first (they are in models.RESERVED_SLUGS, so no category can take them), then /<category>/….
# Reader pages are the same for everyone and may be cached whole (each names the query parameters it reads);
# the staff preview never is.
urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("authors/", public_page(views.AuthorListView.as_view()), name="authors"),
    path(
        "authors/<slug:slug>/",
        public_page(views.AuthorView.as_view(), reads={"page": page_number}, keys_from={"slug": "author"}),
        name="author",
    ),
    path(
        "corrections/", public_page(views.CorrectionListView.as_view(), reads={"page": page_number}), name="corrections"
    ),
    path("pages/<slug:slug>/", public_page(views.SitePageView.as_view()), name="site-page"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("search/", public_page(views.SearchView.as_view(), reads={"q": text, "page": page_number}), name="search"),
    path("feeds/rss/", public_page(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("feeds/<slug:category>/rss/", public_page(feeds.CategoryFeed()), name="category-feed-rss"),
    path("feeds/<slug:category>/atom/", public_page(feeds.CategoryAtomFeed()), name="category-feed-atom"),
    path("news-sitemap.xml", public_page(views.news_sitemap), name="news-sitemap"),
    path("<slug:category>/", public_page(views.CategoryView.as_view(), reads={"page": page_number}), name="category"),
    path(
        "<slug:category>/<slug:slug>/",
        counts_as_read(
            public_page(
                views.ArticleView.as_view(),
                reads={
                    "page": page_number,
                    "sort": one_of(*COMMENT_ORDERS, default=first_section_order),
                    "show": one_of(*COMMENT_FILTERS),
                    "updates": page_number,
                },
                article_kwarg="slug",
                shows_discussion=True,
            )
        ),
        name="article",
    ),
    # A live page's updates: polled by readers' browsers, and as feeds. Part of the story's pages in the cache.
    path(
        "<slug:category>/<slug:slug>/updates/",
        public_page(views.live_updates, article_kwarg="slug", max_age=live.FRAGMENT_MAX_AGE),
        name="live-updates",
    ),
    path(
        "<slug:category>/<slug:slug>/updates/rss/",
        public_page(feeds.LiveUpdatesFeed(), article_kwarg="slug"),
        name="live-feed-rss",
    ),
    path(
        "<slug:category>/<slug:slug>/updates/atom/",
        public_page(feeds.LiveUpdatesAtomFeed(), article_kwarg="slug"),
        name="live-feed-atom",
    ),
]
