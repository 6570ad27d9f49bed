"""What a reader sees on the home, category and article pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory, picture
from tests.html import fragment, select, text_of

pytestmark = pytest.mark.django_db


def test_article_page_shows_the_whole_story(client, category):
    story = ArticleFactory(
        category=category,
        title="Bridge reopens after repairs",
        standfirst="Traffic flows again across the river.",
        credit_line="Tomas Lind",
        body="<p>The first paragraph.</p><p>The second paragraph.</p>",
        lead_image=picture(
            "bridge.jpg",
            size=(160, 90),
            alt_text="Illustration: a bridge at dusk",
            caption="The bridge at dusk.",
            credit="Newsportal illustration",
        ),
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "<main" in html and "<nav" in html and "<article" in html
    assert "Bridge reopens after repairs</h1>" in html
    assert "Traffic flows again across the river." in html
    assert 'By <span class="byline">Tomas Lind</span>' in html
    assert f'<time datetime="{story.published_at.isoformat(timespec="seconds")}">' in html
    # A 160 px upload is narrower than every rendition width: the picture is the original at its own size.
    (image,) = select(html, ".story img")
    assert (image.get("alt"), image.get("width"), image.get("height")) == (
        "Illustration: a bridge at dusk",
        "160",
        "90",
    )
    assert image.get("src").startswith("/media/library/")
    assert "The bridge at dusk." in html and "Newsportal illustration" in html
    assert "<p>The first paragraph.</p>" in html and "<p>The second paragraph.</p>" in html


def test_article_text_is_escaped(client, category):
    story = ArticleFactory(category=category, title="<script>alert(1)</script>", body="<b>bold</b><script>x()</script>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The body is sanitised to an allow-list (tests/articles/test_richtext.py): <b> and scripts go.
    assert "bold" in text_of(select(html, ".story__body")[0]) and "<b>" not in html and "x()" not in html


def test_wrong_category_segment_redirects_permanently_to_canonical_url(client, article):
    other = CategoryFactory(slug="sport")
    response = client.get(f"/{other.slug}/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/{article.category.slug}/{article.slug}/"


def test_unknown_url_gives_404_page_in_site_design(client, category):
    response = client.get("/no-such-section/no-such-story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html
    assert 'class="brand"' in html and "/static/css/site.css" in html  # the site's own header and styles


def test_a_404_offers_the_sections_a_search_and_the_latest_stories(client, category):
    ArticleFactory(category=category, title="The newest story")
    response = client.get("/no-such-section/no-such-story/")
    assert response.status_code == 404
    assert [text_of(link) for link in select(response.content, ".sections a")] == [category.name]
    assert select(response.content, 'main form[role="search"] input[name="q"]')
    assert [text_of(link) for link in select(response.content, ".error-page__latest a")] == ["The newest story"]


def test_a_404_is_still_the_sites_own_when_the_database_is_away(client, category, monkeypatch):
    from django.db import OperationalError

    from articles.context_processors import SiteChrome

    def away(self):
        raise OperationalError("the database did not answer")

    monkeypatch.setattr(SiteChrome, "categories", property(away))
    response = client.get("/a/path/no/route/takes/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode() and not select(response.content, ".sections")


@pytest.mark.parametrize("path", ["/no-such-section/no-such-story/", "/a/path/no/route/takes/"])
def test_make_run_shows_the_sites_own_404_not_the_url_list(client, category, settings, path):
    settings.DEBUG = True  # as `make run` serves
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html and "URLconf" not in html
    assert client.get("/authors").status_code == 301  # a missing slash is still added


def test_home_page_shows_lead_story_and_latest_with_labels_and_times(client, category):
    older = ArticleFactory(category=category, title="Older story", published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(category=category, title="Pinned lead", pinned_lead=True, published_at=older.published_at)
    newest = ArticleFactory(category=category, title="Newest story")
    html = client.get("/").content.decode()
    lead_section = fragment(html, '[aria-label="Lead story"]')
    assert "Pinned lead" in lead_section
    assert html.index(newest.title) < html.index(older.title)
    assert f'<a class="label" href="/{category.slug}/">{category.name}</a>' in html
    assert f'<time datetime="{newest.published_at.isoformat(timespec="seconds")}">' in html


def test_home_page_without_articles_says_so(client, db):
    assert "No stories have been published yet." in client.get("/").content.decode()


def test_navigation_links_every_category_in_menu_order(client, db):
    CategoryFactory(name="Sport", slug="sport", position=2)
    CategoryFactory(name="Politics", slug="politics", position=1)
    html = client.get("/").content.decode()
    links = select(html, '[aria-label="Sections"] a')
    assert [link.get("href") for link in links] == ["/politics/", "/sport/"]


def test_category_page_is_paginated_newest_first(client, category, site_settings):
    site_settings(articles_per_page=3)
    now = timezone.now()
    for hours in range(7):
        ArticleFactory(category=category, title=f"Story {hours} hours old", published_at=now - timedelta(hours=hours))
    first = client.get(category.get_absolute_url()).content.decode()
    assert "Story 0 hours old" in first and "Story 2 hours old" in first and "Story 3 hours old" not in first
    assert "Page 1 of 3" in first and 'rel="next" href="?page=2"' in first
    last = client.get(category.get_absolute_url(), {"page": 3}).content.decode()
    assert "Story 6 hours old" in last and "Story 5 hours old" not in last


def test_category_page_lists_only_its_own_articles(client, category):
    ArticleFactory(category=category, title="Mine")
    ArticleFactory(category=CategoryFactory(slug="sport"), title="Not mine")
    html = client.get(category.get_absolute_url()).content.decode()
    assert "Mine" in html and "Not mine" not in html


def test_a_page_past_the_last_is_a_404(client, category):
    ArticleFactory(category=category)
    assert client.get(category.get_absolute_url(), {"page": "99999"}).status_code == 404


@pytest.mark.parametrize("query", ["abc", "-1", "0"])
def test_a_page_number_that_is_no_page_reads_as_the_first(client, category, query):
    """The same answer the page cache gives (it keys such addresses as the first page), with the cache off too."""
    ArticleFactory(category=category, title="Only story")
    first = client.get(category.get_absolute_url()).content
    assert client.get(category.get_absolute_url(), {"page": query}).content == first


def test_unknown_category_gives_404(client, db):
    assert client.get("/no-such-section/").status_code == 404


def test_healthz_answers_ok_when_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
