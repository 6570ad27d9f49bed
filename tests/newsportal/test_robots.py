"""robots.txt: crawlers find the sitemaps and stay out of the newsroom, previews and forms."""

import urllib.robotparser

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemaps_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    assert "Sitemap: http://testserver/news-sitemap.xml" in text.splitlines()
    for path in ("/admin/", "/preview/", "/*/comment/", "/comments/"):
        assert f"Disallow: {path}" in text.splitlines(), path

    # Python's own parser (no wildcards) agrees on the plain prefixes and on what stays open.
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    for blocked in ("/admin/", "/admin/articles/", "/preview/3/", "/comments/4/report/"):
        assert not robots.can_fetch("Googlebot", f"http://testserver{blocked}"), blocked
    for open_path in ("/", "/world-news/", "/world-news/harbour/", "/sitemap.xml", "/feeds/rss/"):
        assert robots.can_fetch("Googlebot", f"http://testserver{open_path}"), open_path
    assert robots.site_maps() == ["http://testserver/sitemap.xml", "http://testserver/news-sitemap.xml"]


def test_search_results_may_be_fetched_so_crawlers_see_their_noindex(client):
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    assert robots.can_fetch("Googlebot", "http://testserver/search/?q=harbour")
    assert '<meta name="robots" content="noindex">' in client.get("/search/?q=harbour").content.decode()


def test_fixed_top_level_names_are_reserved_for_the_site():
    from articles.models import RESERVED_SLUGS

    assert {"search", "feeds", "sitemap.xml", "sitemaps", "news-sitemap.xml", "robots.txt"} <= RESERVED_SLUGS
