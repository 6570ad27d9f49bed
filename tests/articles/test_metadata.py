"""What search engines and social networks read from our pages: JSON-LD checked by extruct against the
schema.org vocabulary, OpenGraph and Twitter cards, canonical links and noindex."""

import json
import re
import urllib.request

import pytest

from articles.metadata import json_ld
from tests import validators
from tests.factories import ArticleFactory, UserFactory
from tests.html import fragment

pytestmark = pytest.mark.django_db


def get_html(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the test server on loopback
        return response.read().decode()


def meta(html, key):
    """Return the content of every <meta property|name=key> of a page, in order."""
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_article_json_ld_is_a_complete_news_article(live_site, newsroom):
    lead = newsroom["lead"]
    lead.refresh_from_db()
    url = live_site.url + lead.get_absolute_url()
    found, _ = validators.structured_data(get_html(url), url)  # fails on anything outside schema.org

    [article] = found["NewsArticle"]
    assert article["headline"] == "Harbour cranes return"
    assert article["description"] == "The port reopens after a year of repairs."
    assert article["datePublished"] == lead.published_at.isoformat(timespec="seconds")
    assert article["dateModified"] >= article["datePublished"]
    assert article["articleSection"] == "World News"
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["author"] == [
        {"@type": "Person", "name": "Maya Okafor", "url": live_site.url + "/authors/maya-okafor/"},
        {"@type": "Person", "name": "Tomas Lind", "url": live_site.url + "/authors/tomas-lind/"},
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Newsportal"
    assert publisher["logo"]["url"] == live_site.url + "/static/icons/logo.png"
    [image] = article["image"]
    assert image["url"].startswith(live_site.url + "/media/") and image["url"].endswith("-1600.jpg")
    assert (image["width"], image["height"]) == (1600, 900)
    with urllib.request.urlopen(publisher["logo"]["url"]) as logo:  # noqa: S310 - the test server on loopback
        assert logo.headers["Content-Type"] == "image/png"

    [trail] = found["BreadcrumbList"]
    assert [(item["position"], item["name"], item["item"]) for item in trail["itemListElement"]] == [
        (1, "Newsportal", live_site.url + "/"),
        (2, "World News", live_site.url + "/world-news/"),
        (3, "Harbour cranes return", url),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_home_and_category_structured_data(live_site, newsroom):
    home, _ = validators.structured_data(get_html(live_site.url + "/"), live_site.url + "/")
    [site] = home["WebSite"]
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == live_site.url + "/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    category, _ = validators.structured_data(get_html(live_site.url + "/sport/"), live_site.url + "/sport/")
    assert [item["name"] for item in category["BreadcrumbList"][0]["itemListElement"]] == ["Newsportal", "Sport"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_credit_line_story_and_markup_in_headlines(live_site, newsroom):
    tricky = newsroom["tricky"]
    url = live_site.url + tricky.get_absolute_url()
    html = get_html(url)
    found, opengraph = validators.structured_data(html, url)
    [article] = found["NewsArticle"]
    assert article["headline"] == 'Rovers & "Rangers" <draw> 1-1 </script>'
    assert article["author"] == [{"@type": "Organization", "name": "Staff and agencies"}]
    assert "image" not in article
    # Nothing in the data block can end it or open markup: <, > and & are escaped inside the JSON.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 2 and not any(char in block for block in blocks for char in "<>&")
    # extruct reads the same cards a social network would.
    [card] = opengraph
    assert card["og:title"] == tricky.title and card["@type"] == "article"
    assert card["og:url"] == url and card["og:image"] == live_site.url + "/static/icons/logo.png"


def test_json_ld_escapes_what_could_close_the_element():
    html = str(json_ld({"headline": "</script><script>alert(1)</script> & <!--"}))
    assert html.count("<script") == 1 and html.count("</script>") == 1
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(payload) == {"headline": "</script><script>alert(1)</script> & <!--"}


def test_article_cards_use_the_widest_rendition_with_absolute_urls(client, newsroom):
    lead = newsroom["lead"]
    html = client.get(lead.get_absolute_url()).content.decode()
    url = "http://testserver" + lead.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:url") == [url] and meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Harbour cranes return"]
    assert meta(html, "og:description") == ["The port reopens after a year of repairs."]
    assert meta(html, "description") == ["The port reopens after a year of repairs."]
    [image] = meta(html, "og:image")
    assert image.startswith("http://testserver/media/") and image.endswith("-1600.jpg")
    assert meta(html, "og:image:width") == ["1600"] and meta(html, "og:image:height") == ["900"]
    assert meta(html, "og:image:alt") == ["Cranes against the evening sky"]
    assert meta(html, "twitter:card") == ["summary_large_image"] and meta(html, "twitter:image") == [image]
    assert meta(html, "article:section") == ["World News"]
    assert meta(html, "article:author") == [
        "http://testserver/authors/maya-okafor/",
        "http://testserver/authors/tomas-lind/",
    ]


def test_story_without_image_gets_the_logo_on_a_small_card(client, newsroom):
    html = client.get(newsroom["tricky"].get_absolute_url()).content.decode()
    assert meta(html, "og:image") == ["http://testserver/static/icons/logo.png"]
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "og:title") == ["Rovers &amp; &quot;Rangers&quot; &lt;draw&gt; 1-1 &lt;/script&gt;"]


def test_list_pages_have_canonical_links_with_their_page_number(client, category, site_settings):
    site_settings(articles_per_page=2)
    for _ in range(3):
        ArticleFactory(category=category)
    assert '<link rel="canonical" href="http://testserver/">' in client.get("/").content.decode()
    first = client.get("/world-news/").content.decode()
    assert '<link rel="canonical" href="http://testserver/world-news/">' in first
    second = client.get("/world-news/?page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/world-news/?page=2">' in second
    for path in ("/authors/", "/corrections/"):
        assert f'<link rel="canonical" href="http://testserver{path}">' in client.get(path).content.decode()


def test_previews_search_results_and_comment_forms_are_noindex(client, newsroom):
    noindex = '<meta name="robots" content="noindex">'
    lead = newsroom["lead"]
    assert noindex in client.get("/search/?q=harbour").content.decode()
    assert noindex in client.get(f"{lead.get_absolute_url()}comment/").content.decode()
    client.force_login(UserFactory(username="previewer", is_superuser=True))
    preview = client.get(f"/preview/{newsroom['hidden'][0].pk}/")
    assert noindex in preview.content.decode() and preview["X-Robots-Tag"] == "noindex, nofollow"
    client.logout()
    for path in ("/", "/world-news/", lead.get_absolute_url()):
        assert noindex not in client.get(path).content.decode(), path


def test_no_email_address_in_public_metadata(client, newsroom):
    html = client.get(newsroom["lead"].get_absolute_url()).content.decode()
    head = fragment(html, "head")
    assert "@" not in head.replace('"@context"', "").replace('"@type"', "").replace('"@id"', "")
    assert "secret-reader@example.org" not in html


def test_json_ld_feed_and_sitemap_agree_on_when_a_story_last_changed(client, newsroom):
    """One `Article.modified_at`: after a correction, dateModified, the feed's updated and lastmod move together."""
    import json
    import re
    from datetime import datetime, timedelta

    from django.utils import timezone

    from tests.factories import CorrectionFactory

    lead = newsroom["lead"]
    later = timezone.now() + timedelta(minutes=1)
    CorrectionFactory(article=lead, text="A second correction.", created_at=later)
    page = client.get(lead.get_absolute_url()).content.decode()
    data = [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]
    modified = next(item["dateModified"] for item in data if item.get("@type") == "NewsArticle")
    assert modified == later.replace(microsecond=0).isoformat(timespec="seconds")
    feed = client.get("/feeds/atom/").content.decode()
    moments = {"JSON-LD dateModified": datetime.fromisoformat(modified)}
    feed = client.get("/feeds/atom/").content.decode()
    entry = feed[feed.index(f'<link href="http://testserver{lead.get_absolute_url()}"') :]
    moments["feed updated"] = datetime.fromisoformat(re.search(r"<updated>([^<]+)</updated>", entry).group(1))
    sitemap = client.get("/sitemaps/articles.xml").content.decode()
    url = sitemap[sitemap.index(f"<loc>http://testserver{lead.get_absolute_url()}</loc>") :]
    moments["sitemap lastmod"] = datetime.fromisoformat(re.search(r"<lastmod>([^<]+)</lastmod>", url).group(1))
    assert {name: moment.replace(microsecond=0) for name, moment in moments.items()} == dict.fromkeys(
        moments, later.replace(microsecond=0)
    )
