"""RSS 2.0 and Atom feeds, for the site and per category: what a feed reader gets, checked by feedparser."""

import pytest

from tests import validators

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss/", "/feeds/atom/"]


def entries_by_title(feed):
    return {entry.title: entry for entry in feed.entries}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("path", [*FEEDS, "/feeds/sport/rss/", "/feeds/sport/atom/"])
def test_feedparser_reads_every_feed_from_the_server_without_complaint(live_site, newsroom, path):
    feed = validators.parse_feed(live_site.url + path)  # fails on any `bozo` problem
    titles = set(entries_by_title(feed))
    assert "Draft story" not in titles and "Scheduled story" not in titles
    if "/sport/" in path:
        assert titles == {'Rovers & "Rangers" <draw> 1-1 </script>', "Last week's final"}
        assert feed.feed.title == "Newsportal: Sport" and feed.feed.link == live_site.url + "/sport/"
    else:
        assert titles >= {"Harbour cranes return", "Last week's final"}
        assert feed.feed.title == "Newsportal: latest stories" and feed.feed.link == live_site.url + "/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("path", FEEDS)
def test_items_carry_title_link_summary_times_category_and_every_author(live_site, newsroom, path):
    lead = newsroom["lead"]
    lead.refresh_from_db()
    feed = validators.parse_feed(live_site.url + path)
    entry = entries_by_title(feed)["Harbour cranes return"]
    assert entry.link == live_site.url + "/world-news/harbour-cranes-return/"
    assert entry.summary == "The port reopens after a year of repairs."
    assert entry.published_parsed[:6] == lead.published_at.utctimetuple()[:6]
    assert [tag.term for tag in entry.tags] == ["World News"]
    assert [author.name for author in entry.authors] == ["Maya Okafor", "Tomas Lind"]
    if path.endswith("atom/"):
        assert entry.authors[0].href == live_site.url + "/authors/maya-okafor/"
        # The correction added after publication moves the update time on.
        assert entry.updated_parsed >= entry.published_parsed
    credit_line = entries_by_title(feed)['Rovers & "Rangers" <draw> 1-1 </script>']
    assert credit_line.author == "Staff and agencies"


def test_feeds_have_the_right_content_types(client, newsroom):
    assert client.get("/feeds/rss/")["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert client.get("/feeds/atom/")["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert client.get("/feeds/no-such-section/rss/").status_code == 404


def test_feeds_never_carry_an_email_address_or_comment(client, newsroom):
    for path in [*FEEDS, "/feeds/world-news/rss/", "/feeds/world-news/atom/"]:
        xml = client.get(path).content.decode()
        assert "@" not in xml.replace("xmlns:atom", "").replace("xml:lang", ""), path
        assert "secret-reader" not in xml and "considered opinion" not in xml, path


def test_pages_link_their_feeds(client, newsroom):
    site_feeds = (
        '<link rel="alternate" type="application/rss+xml" title="Newsportal: latest stories (RSS)" href="/feeds/rss/">',
        '<link rel="alternate" type="application/atom+xml" title="Newsportal: latest stories (Atom)"'
        ' href="/feeds/atom/">',
    )
    home = client.get("/").content.decode()
    assert all(link in home for link in site_feeds)
    category = client.get("/sport/").content.decode()
    assert all(link in category for link in site_feeds)
    assert 'type="application/rss+xml" title="Newsportal: Sport (RSS)" href="/feeds/sport/rss/"' in category
    assert 'type="application/atom+xml" title="Newsportal: Sport (Atom)" href="/feeds/sport/atom/"' in category
    article = client.get(newsroom["lead"].get_absolute_url()).content.decode()
    assert 'title="Newsportal: World News (RSS)" href="/feeds/world-news/rss/"' in article


def test_feeds_are_cached_for_everyone(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get("/feeds/rss/")
    assert "public" in first["Cache-Control"]
    second = client.get("/feeds/rss/")
    assert second["X-Cache"] == "HIT" and second.content == first.content


def test_feed_query_count_does_not_grow_with_authors(client, newsroom, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the stories, their authors, their notes
        client.get("/feeds/rss/")
    with django_assert_max_num_queries(4):  # the category first
        client.get("/feeds/sport/atom/")
