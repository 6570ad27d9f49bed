"""The Read next widget: the newest other published articles, each with time, label and teaser."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.templatetags.articles_tags import newstime
from tests.factories import ArticleFactory
from tests.html import fragment

pytestmark = pytest.mark.django_db


def read_next_block(html):
    return fragment(html, '[aria-labelledby="read-next-title"]')


def test_read_next_shows_five_newest_others_newest_first(client, article):
    now = timezone.now()
    others = [ArticleFactory(title=f"Other {n}", published_at=now - timedelta(minutes=n + 10)) for n in range(7)]
    block = read_next_block(client.get(article.get_absolute_url()).content.decode())
    titles = re.findall(r'<span class="read-next__title">([^<]+)</span>', block)
    assert titles == [other.title for other in others[:5]]
    assert article.title not in block


def test_read_next_items_link_and_show_label_time_and_teaser(client, article):
    other = ArticleFactory(standfirst="A teaser worth reading.")
    block = read_next_block(client.get(article.get_absolute_url()).content.decode())
    assert f'href="{other.get_absolute_url()}"' in block
    assert f'<span class="label">{other.category.name}</span>' in block
    assert "A teaser worth reading." in block
    assert f'<time datetime="{other.published_at.isoformat(timespec="seconds")}">' in block


def test_read_next_is_absent_when_there_is_nothing_else(client, article):
    assert "Read next" not in client.get(article.get_absolute_url()).content.decode()


@pytest.fixture
def tokyo_evening(settings, monkeypatch):
    """Pretend it is 23:30 on 10 March 2026 in Tokyo, where the day starts 9 hours before UTC's."""
    settings.TIME_ZONE = "Asia/Tokyo"
    now = datetime(2026, 3, 10, 23, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def test_time_today_in_site_time_zone_is_shown_as_hours_and_minutes(tokyo_evening):
    # 00:15 in Tokyo is still 10 March there, although UTC says 9 March.
    published = datetime(2026, 3, 10, 0, 15, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert published.astimezone(ZoneInfo("UTC")).day == 9
    assert newstime(published) == "00:15"


def test_time_before_today_in_site_time_zone_is_date_and_time(tokyo_evening):
    # 23:50 on 9 March in Tokyo is the same UTC date as "today" above, but yesterday for readers.
    published = datetime(2026, 3, 9, 23, 50, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert newstime(published) == "9 Mar, 23:50"


def test_time_in_an_earlier_year_shows_the_year(tokyo_evening):
    assert newstime(datetime(2025, 12, 31, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))) == "31 Dec 2025"


def test_read_next_on_the_page_uses_the_news_time_format(client, article, settings):
    settings.TIME_ZONE = "America/New_York"
    yesterday = ArticleFactory(published_at=timezone.now() - timedelta(days=1, hours=1))
    today = ArticleFactory(published_at=timezone.now() - timedelta(seconds=1))
    block = read_next_block(client.get(article.get_absolute_url()).content.decode())
    local_today = timezone.localtime(today.published_at)
    local_yesterday = timezone.localtime(yesterday.published_at)
    assert f">{local_today:%H:%M}</time>" in block
    assert f">{local_yesterday.day} {local_yesterday:%b}, {local_yesterday:%H:%M}</time>" in block
