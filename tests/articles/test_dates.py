"""One rule for every time a reader sees: today "18:56", this year "1 Dec, 18:56", before "1 Dec 2025"; the byline
in full with its zone, and the zone beside the times a reader sets against a clock (live updates, corrections).
Tested in New York, just after midnight there, while UTC's date is still the same for both stories."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.templatetags.articles_tags import fulltime, newstime, zoned
from tests.factories import ArticleFactory, CommentFactory, CorrectionFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def after_midnight_in_new_york(settings, monkeypatch):
    """00:30 on 2 December 2026 in New York (05:30 UTC)."""
    settings.TIME_ZONE = "America/New_York"
    now = datetime(2026, 12, 2, 0, 30, tzinfo=NEW_YORK)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def at(*moment):
    return datetime(*moment, tzinfo=NEW_YORK)


def test_the_rule(after_midnight_in_new_york):
    assert newstime(at(2026, 12, 2, 0, 10)) == "00:10"
    assert newstime(at(2026, 12, 1, 23, 50)) == "1 Dec, 23:50"  # the same UTC date, but yesterday here
    assert newstime(at(2026, 1, 5, 9, 5)) == "5 Jan, 09:05"
    assert newstime(at(2025, 12, 1, 18, 56)) == "1 Dec 2025"
    assert fulltime(at(2026, 12, 1, 23, 50)) == "1 December 2026, 23:50 EST"
    assert fulltime(at(2026, 7, 1, 23, 50)) == "1 July 2026, 23:50 EDT"  # the zone in force then, not now


def test_the_times_readers_set_against_a_clock_carry_the_zone(after_midnight_in_new_york):
    assert zoned(at(2026, 12, 2, 0, 10)) == "00:10 EST"
    assert zoned(at(2026, 7, 5, 9, 5)) == "5 Jul, 09:05 EDT"
    assert zoned(at(2025, 12, 1, 18, 56)) == "1 Dec 2025"  # a date alone


def test_every_place_a_time_is_shown_follows_it(client, after_midnight_in_new_york):
    yesterday = ArticleFactory(title="Late last night", published_at=at(2026, 12, 1, 23, 50))
    story = ArticleFactory(title="Just now", published_at=at(2026, 12, 2, 0, 5))
    CommentFactory(article=story, created_at=at(2026, 12, 2, 0, 20))
    CorrectionFactory(article=story, kind="update", created_at=at(2026, 12, 2, 0, 25))
    page = client.get(story.get_absolute_url()).content

    byline = text_of(select(page, ".story__meta")[0])
    assert "Published 2 December 2026, 00:05 EST" in byline and "Updated 2 December 2026, 00:25 EST" in byline
    assert text_of(select(page, ".read-next time")[0]) == "1 Dec, 23:50"
    assert text_of(select(page, ".comment time")[0]) == "00:20"
    assert text_of(select(page, ".note time")[0]) == "00:25 EST"
    home = client.get("/").content
    shown = {
        text_of(time.getparent().getparent().cssselect("a")[-1]): text_of(time) for time in select(home, ".teaser time")
    }
    assert shown == {"Just now": "00:05", "Late last night": "1 Dec, 23:50"}
    assert yesterday.title in text_of(select(home, "main")[0])


def test_every_time_carries_its_machine_readable_moment(client, after_midnight_in_new_york):
    story = ArticleFactory(published_at=at(2026, 12, 2, 0, 5))
    ArticleFactory(published_at=at(2026, 11, 30, 12, 0))
    for url in ("/", story.get_absolute_url(), story.category.get_absolute_url(), "/corrections/"):
        for time in select(client.get(url).content, "time"):
            assert datetime.fromisoformat(time.get("datetime")).tzinfo is not None, (url, text_of(time))


def test_the_admin_keeps_the_same_clock(settings):
    from django.utils.formats import date_format

    moment = timezone.localtime(datetime(2026, 12, 4, 5, 22, tzinfo=ZoneInfo("Europe/London")))
    assert date_format(moment, "TIME_FORMAT") == "05:22"
    assert date_format(moment, "DATETIME_FORMAT") == "4 Dec 2026, 05:22"
