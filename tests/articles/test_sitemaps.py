"""Sitemaps and the Google News sitemap, as a crawler fetches them, checked against the sitemaps.org schema."""

import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import validators
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NS = {"s": validators.SITEMAPS_NS, "news": validators.NEWS_NS}


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the test server on loopback
        assert response.status == 200, url
        assert response.headers["Content-Type"].startswith("application/xml"), response.headers["Content-Type"]
        return response.read()


def locations(xml):
    return [loc.text for loc in validators.xml_document(xml).iter(f"{{{validators.SITEMAPS_NS}}}loc")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_index_and_every_sitemap_it_lists_are_valid(live_site, newsroom, npm_validators):
    index = fetch(live_site.url + "/sitemap.xml")
    listed = validators.sitemap_package_parse(index, index=True)  # the index: the sitemap package's parser
    sections = [item["url"] for item in listed]
    assert sections == [
        f"{live_site.url}/sitemaps/{name}.xml" for name in ("articles", "categories", "authors", "pages")
    ]
    assert all(item.get("lastmod") for item in listed)
    urls = []
    for section in sections:
        xml = fetch(section)
        assert validators.xsd_errors(xml) == [], section  # each sitemap: the sitemaps.org XSD
        validators.sitemap_package_parse(xml)
        urls += locations(xml)
    lead, tricky, old = newsroom["lead"], newsroom["tricky"], newsroom["old"]
    for article in (lead, tricky, old):
        assert live_site.url + article.get_absolute_url() in urls
    for hidden in newsroom["hidden"]:
        assert live_site.url + hidden.get_absolute_url() not in urls
    for path in ("/", "/authors/", "/corrections/", "/world-news/", "/sport/", "/authors/maya-okafor/"):
        assert live_site.url + path in urls


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_news_sitemap_is_valid_and_lists_the_last_two_days(live_site, newsroom, npm_validators):
    xml = fetch(live_site.url + "/news-sitemap.xml")
    # The sitemaps.org part against the XSD; the news: extension (whose schema npm does not ship) by the parser.
    assert validators.xsd_errors(xml, without_namespace=validators.NEWS_NS) == []
    items = validators.sitemap_package_parse(xml)
    by_url = {item["url"]: item["news"] for item in items}
    lead, tricky = newsroom["lead"], newsroom["tricky"]
    assert set(by_url) == {live_site.url + lead.get_absolute_url(), live_site.url + tricky.get_absolute_url()}
    news = by_url[live_site.url + tricky.get_absolute_url()]
    assert news["publication"] == {"name": "Newsportal", "language": "en"}
    assert news["title"] == tricky.title
    assert news["publication_date"] == tricky.published_at.isoformat(timespec="seconds")


def test_news_sitemap_has_the_elements_google_news_requires(client, newsroom):
    document = validators.xml_document(client.get("/news-sitemap.xml").content)
    urls = document.findall("s:url", NS)
    assert len(urls) == 2
    for url in urls:
        assert url.find("s:loc", NS).text.startswith("http://testserver/")
        assert url.find("news:news/news:publication/news:name", NS).text == "Newsportal"
        assert url.find("news:news/news:publication/news:language", NS).text == "en"
        assert url.find("news:news/news:publication_date", NS).text
        assert url.find("news:news/news:title", NS).text


def test_news_sitemap_leaves_out_stories_older_than_48_hours(client, category):
    ArticleFactory(category=category, title="Fresh", published_at=timezone.now() - timedelta(hours=47))
    ArticleFactory(category=category, title="Stale", published_at=timezone.now() - timedelta(hours=49))
    xml = client.get("/news-sitemap.xml").content.decode()
    assert "Fresh" in xml and "Stale" not in xml


def test_lastmod_follows_updates(client, newsroom):
    lead = newsroom["lead"]
    lead.refresh_from_db()
    xml = client.get("/sitemaps/articles.xml").content.decode()
    entry = xml.split(f"<loc>http://testserver{lead.get_absolute_url()}</loc>", 1)[1].split("</url>", 1)[0]
    changed = max(lead.updated_at, lead.published_at, *(note.created_at for note in lead.corrections.all()))
    assert f"<lastmod>{changed.isoformat(timespec='seconds')}</lastmod>" in entry  # its correction counts too
    index = client.get("/sitemap.xml").content.decode()
    assert "<lastmod>" in index and "." not in index.split("<lastmod>", 1)[1][:25]  # whole seconds


def test_sitemap_index_does_not_load_every_article(client, category, django_assert_max_num_queries):
    for _ in range(30):
        ArticleFactory(category=category)
    # A count and a latest time per section (the stories' also the latest note), and the static pages' two.
    with django_assert_max_num_queries(9):
        assert client.get("/sitemap.xml").status_code == 200


def test_sitemaps_are_cached_for_everyone(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 60
    for path in ("/sitemap.xml", "/sitemaps/articles.xml", "/news-sitemap.xml"):
        assert "public" in client.get(path)["Cache-Control"], path


def test_the_validators_refuse_a_broken_sitemap(npm_validators):
    """Guard the guards: a sitemap with a bad date and an unknown element fails both checks."""
    broken = (
        f'<urlset xmlns="{validators.SITEMAPS_NS}"><url><loc>http://example.com/a/</loc>'
        "<lastmod>yesterday</lastmod><colour>red</colour></url></urlset>"
    ).encode()
    assert len(validators.xsd_errors(broken)) == 2
    with pytest.raises(AssertionError, match="lastmod"):
        validators.sitemap_package_parse(broken)
