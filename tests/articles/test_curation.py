"""Curation: a pinned lead and pinned top stories on the home page (otherwise newest first), and a breaking-news
banner across the site until it is unticked or its time passes."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import TOP_STORY_SLOTS, Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.html import fragment, select, text_of

pytestmark = pytest.mark.django_db


def lead_and_top(client):
    html = client.get("/").content.decode()
    lead = fragment(html, '[aria-label="Lead story"]')
    top = fragment(html, '[aria-labelledby="top-stories-title"]')
    return lead, top


def ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_without_pins_the_newest_story_leads_and_the_next_ones_are_top_stories(client, category):
    stories = [ArticleFactory(category=category, title=f"Story {n}", published_at=ago(n)) for n in range(1, 8)]
    lead, top = lead_and_top(client)
    assert "Story 1" in lead
    positions = [top.index(story.title) for story in stories[1 : 1 + TOP_STORY_SLOTS]]
    assert positions == sorted(positions)
    assert stories[1 + TOP_STORY_SLOTS].title not in top


def test_pinned_lead_wins_over_newer_stories_even_when_old(client, category):
    for n in range(70):  # more than the home page's pool of recent stories
        ArticleFactory(category=category, title=f"Routine {n}", published_at=ago(n / 10))
    ArticleFactory(category=category, title="Investigation", pinned_lead=True, published_at=ago(30))
    lead, _ = lead_and_top(client)
    assert "Investigation" in lead


def test_scheduled_pinned_lead_takes_over_when_it_goes_live(client, category):
    ArticleFactory(category=category, title="Morning lead", pinned_lead=True, published_at=ago(3))
    evening = ArticleFactory(category=category, title="Evening lead", pinned_lead=True, scheduled=True)
    assert "Morning lead" in lead_and_top(client)[0]
    Article.objects.filter(pk=evening.pk).update(published_at=ago(0.01))
    assert "Evening lead" in lead_and_top(client)[0]


def test_top_stories_follow_their_slots_then_fill_with_the_newest(client, category):
    ArticleFactory(category=category, title="Newest", published_at=ago(1))
    ArticleFactory(category=category, title="Second newest", published_at=ago(2))
    ArticleFactory(category=category, title="Slot two", top_story_rank=2, published_at=ago(50))
    ArticleFactory(category=category, title="Slot one", top_story_rank=1, published_at=ago(60))
    ArticleFactory(category=category, title="Old routine", published_at=ago(70))
    ArticleFactory(category=category, title="Pinned draft", top_story_rank=1, draft=True)
    lead, top = lead_and_top(client)
    assert "Newest" in lead
    order = [top.index(title) for title in ("Slot one", "Slot two", "Second newest", "Old routine")]
    assert order == sorted(order)
    assert "Pinned draft" not in top


def test_each_story_appears_once_at_the_top(client, category):
    ArticleFactory(category=category, title="Lead and top", pinned_lead=True, top_story_rank=1)
    ArticleFactory(category=category, title="Other")
    html = client.get("/").content.decode()
    assert html.count(">Lead and top</a>") == 1


def banner(client, url="/"):
    html = client.get(url).content.decode()
    return fragment(html, '[aria-label="Breaking news"]')


def test_breaking_banner_shows_on_every_reader_page(client, category):
    story = ArticleFactory(category=category, title="Bridge closed after ship strike", is_breaking=True)
    other = ArticleFactory(category=CategoryFactory(slug="sport"), title="Cup draw")
    for url in ("/", category.get_absolute_url(), other.get_absolute_url(), "/authors/", "/corrections/"):
        shown = banner(client, url)
        assert f'href="{story.get_absolute_url()}">Bridge closed after ship strike</a>' in shown, url


def test_breaking_banner_does_not_link_a_story_to_itself(client, category):
    story = ArticleFactory(category=category, title="Bridge closed after ship strike", is_breaking=True)
    shown = banner(client, story.get_absolute_url())
    assert "<span>Bridge closed after ship strike</span>" in shown
    assert "href=" not in shown


def test_breaking_banner_goes_when_unticked_or_expired_and_never_shows_unpublished(client, category):
    story = ArticleFactory(category=category, title="Storm warning", is_breaking=True)
    assert "Storm warning" in banner(client)
    Article.objects.filter(pk=story.pk).update(breaking_until=timezone.now() - timedelta(seconds=1))
    assert banner(client) == ""
    Article.objects.filter(pk=story.pk).update(breaking_until=timezone.now() + timedelta(hours=1))
    assert "Storm warning" in banner(client)
    Article.objects.filter(pk=story.pk).update(is_breaking=False)
    assert banner(client) == ""
    ArticleFactory(category=category, title="Embargoed breaking", is_breaking=True, scheduled=True)
    ArticleFactory(category=category, title="Draft breaking", is_breaking=True, draft=True)
    assert banner(client) == ""


def test_newest_breaking_story_takes_the_banner(client, category):
    ArticleFactory(category=category, title="Earlier alert", is_breaking=True, published_at=ago(2))
    ArticleFactory(category=category, title="Latest alert", is_breaking=True, published_at=ago(1))
    assert "Latest alert" in banner(client)


def test_a_404_shows_the_banner_with_the_site_and_other_error_pages_none(client, rf, category):
    ArticleFactory(category=category, title="Storm warning", is_breaking=True)
    response = client.get("/no-such-section/no-such-story/")
    assert response.status_code == 404 and "Storm warning" in text_of(select(response.content, ".breaking")[0])
    for template in ("500.html", "503.html"):  # no database behind them: no banner
        assert "Storm warning" not in render_to_string(template, request=rf.get("/"))
