"""Top-level URLs. Fixed names come first; `articles.urls` takes `/<category>/…` last."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import SITEMAPS

from . import views
from .pagecache import public_page
from .params import page_number

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"
handler404 = "articles.views.not_found"  # the site around it: sections, search, the latest stories

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", public_page(views.robots_txt), name="robots"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section", "template_name": "articles/sitemap_index.xml"},
        name="sitemap",
    ),
    path(
        "sitemaps/<slug:section>.xml",
        public_page(sitemap_views.sitemap, reads={"p": page_number}),
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap-section",
    ),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.BENCH_REFERENCE_VIEWS:
    from . import bench_views

    urlpatterns = [
        path("bench/static", bench_views.static_reference),
        path("bench/static-lookup", bench_views.static_lookup_reference),
        path("bench/template", bench_views.template_reference),
        *urlpatterns,
    ]

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
