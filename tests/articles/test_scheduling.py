"""Scheduling is a query, and the admin list says plainly what readers see: Live, Scheduled for …, Draft."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Article
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("status", "published_at", "label", "level"),
    [
        ("draft", None, "Draft", "draft"),
        ("published", NOW - timedelta(minutes=1), "Live", "live"),
        ("published", NOW.replace(hour=18, minute=56), "Scheduled for 18:56 today", "scheduled"),
        ("published", NOW + timedelta(hours=19), "Scheduled for 07:00 tomorrow", "scheduled"),
        ("published", NOW + timedelta(days=12), "Scheduled for 22 Mar 2026 12:00", "scheduled"),
        (
            "published",
            datetime(2062, 3, 11, 9, 30, tzinfo=LONDON),
            "Scheduled for 11 Mar 2062 09:30: far in the future, check the date",
            "warning",
        ),
    ],
)
def test_state_reads_plainly(settings, status, published_at, label, level):
    settings.TIME_ZONE = "Europe/London"
    article = Article(status=status, published_at=published_at)
    assert publishing.state(article, now=NOW) == publishing.State(label, level)


def test_scheduled_article_appears_by_itself_when_its_time_comes(client, category):
    story = ArticleFactory(category=category, title="Embargoed report", scheduled=True)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Embargoed report" not in client.get("/").content.decode()
    # Nobody saves anything through the site: only the clock moves (here: the stored time passes).
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(story.get_absolute_url()).status_code == 200


def test_admin_list_shows_each_state_and_warns_about_far_future_times(client, editor, category):
    ArticleFactory(category=category, title="On the site now")
    ArticleFactory(category=category, title="Not ready", draft=True)
    ArticleFactory(category=category, title="Later today", published_at=timezone.now() + timedelta(minutes=30))
    typo = ArticleFactory(category=category, title="Typo in year", published_at=timezone.now() + timedelta(days=365))
    client.force_login(editor)
    html = client.get("/admin/articles/article/").content.decode()
    assert '<span class="article-state article-state--live">Live</span>' in html
    assert '<span class="article-state article-state--draft">Draft</span>' in html
    assert 'class="article-state article-state--scheduled">Scheduled for' in html
    assert 'class="article-state article-state--warning">Scheduled for' in html
    assert "far in the future, check the date" in html

    far = client.get("/admin/articles/article/", {"state": "far-future"}).content.decode()
    assert typo.title in far and "Later today" not in far and "On the site now" not in far
    for state, title in (("live", "On the site now"), ("draft", "Not ready"), ("scheduled", "Later today")):
        assert title in client.get("/admin/articles/article/", {"state": state}).content.decode()


def test_saving_a_far_future_time_warns_the_editor(client, new_article_data):
    later = timezone.localtime(timezone.now() + timedelta(days=400))
    data = new_article_data(published_at_0=later.strftime("%d/%m/%Y"), published_at_1="09:00:00")
    response = client.post(ADD_URL, data, follow=True)
    assert "more than 30 days ahead. Check the date." in response.content.decode()
    assert Article.objects.get().is_scheduled
