"""Most read: views counted in the shared cache (page-cache hits too), written down now and then, listed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles import popularity
from articles.models import ReadCount
from newsportal import pagecache
from tests.factories import ArticleFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 60


def most_read_titles(html):
    return [text_of(link) for link in select(html, ".most-read li a")]


def read(story, times):
    for _ in range(times):
        assert Client().get(story.get_absolute_url()).status_code == 200


def test_views_are_counted_hits_included_and_listed_most_read_first(cached_pages):
    quiet, busy = ArticleFactory(title="A quiet story"), ArticleFactory(title="Everybody reads this")
    read(busy, 5)
    read(quiet, 2)
    served = [Client().get(busy.get_absolute_url())["X-Cache"] for _ in range(2)]
    assert served == ["HIT", "HIT"]  # counted although the view never ran
    window = popularity.current_window()
    assert cache.get(popularity.counter_key(window, busy.slug)) == 7

    assert popularity.flush(window) == 2
    counted = dict(ReadCount.objects.values_list("article__title", "views"))
    assert counted == {"Everybody reads this": 7, "A quiet story": 2}
    another = ArticleFactory()
    listed = most_read_titles(Client().get(another.get_absolute_url()).content)
    assert listed == ["Everybody reads this", "A quiet story"]


def test_writing_the_counts_down_makes_no_page_stale(cached_pages):
    story = ArticleFactory()
    assert Client().get("/")["X-Cache"] == "MISS"
    read(story, 3)
    popularity.flush_finished(now=(popularity.current_window() + 1) * popularity.WINDOW_SECONDS)
    assert ReadCount.objects.get().views == 3
    assert Client().get("/")["X-Cache"] == "HIT"  # Most read refreshes with the page, within its lifetime


def test_flushing_a_window_twice_counts_it_once(cached_pages):
    story = ArticleFactory()
    read(story, 4)
    window = popularity.current_window()
    popularity.flush(window)
    popularity.flush(window)
    assert ReadCount.objects.get().views == 4


def test_only_story_pages_that_a_reader_got_are_counted(cached_pages):
    story = ArticleFactory()
    client = Client()
    for url in ("/", story.category.get_absolute_url(), "/search/?q=x", f"{story.get_absolute_url()}comment/"):
        client.get(url)
    client.get(f"/{story.category.slug}/no-such-story/")  # 404
    client.head(story.get_absolute_url())
    popularity.flush(popularity.current_window())
    assert not ReadCount.objects.exists()


def test_reads_older_than_a_day_and_unpublished_stories_are_not_most_read(db):
    old, recent, withdrawn = ArticleFactory(title="Old"), ArticleFactory(title="Recent"), ArticleFactory(title="Gone")
    now = timezone.now()
    ReadCount.objects.create(article=old, window_start=now - timedelta(hours=25), views=1000)
    ReadCount.objects.create(article=recent, window_start=now - timedelta(hours=2), views=3)
    ReadCount.objects.create(article=withdrawn, window_start=now - timedelta(hours=1), views=50)
    withdrawn.status = withdrawn.Status.DRAFT
    withdrawn.save()
    assert [story.title for story in popularity.most_read()] == ["Recent"]


class CountingCache:
    """The real cache, recording the name of every operation made on it."""

    def __init__(self, real):
        self.real, self.operations = real, []

    def __getattr__(self, name):
        attribute = getattr(self.real, name)
        if not callable(attribute):
            return attribute

        def recorded(*args, **kwargs):
            self.operations.append(name)
            return attribute(*args, **kwargs)

        return recorded


def test_a_cache_hit_costs_one_cache_operation_more(cached_pages, monkeypatch):
    story = ArticleFactory()
    read(story, 2)  # rendered and stored; the window's counter exists
    counting = CountingCache(pagecache.cache)
    monkeypatch.setattr(pagecache, "cache", counting)
    monkeypatch.setattr(popularity, "cache", counting)
    assert Client().get(story.get_absolute_url())["X-Cache"] == "HIT"
    assert counting.operations == ["get_many", "incr"]  # the page cache's one lookup, and the count


def test_a_lost_cache_never_costs_the_reader_the_page(cached_pages, monkeypatch):
    story = ArticleFactory()

    def broken(*args, **kwargs):
        raise ConnectionError("the cache is away")

    monkeypatch.setattr(popularity.cache, "incr", broken)
    assert Client().get(story.get_absolute_url()).status_code == 200


def test_a_render_reads_the_kept_ranking_and_never_sums_the_counts(db, django_assert_max_num_queries):
    """The ranking is worked out when counts are written; a render fetches the few stories by id, whatever the
    number of count rows (issue 27)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stories = ArticleFactory.create_batch(3)
    window = popularity.current_window() - 1
    popularity.record(
        [
            ReadCount(article=story, window_start=popularity.window_start(window - hour), views=views + hour)
            for hour in range(0, 144, 6)
            for story, views in zip(stories, (5, 50, 500), strict=True)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        listed = popularity.most_read()
    assert [story.pk for story in listed] == [stories[2].pk, stories[1].pk, stories[0].pk]
    own = [query["sql"] for query in queries.captured_queries if ReadCount._meta.db_table in query["sql"]]
    assert own == []  # the counts table is not read at all
    stories[2].status = stories[2].Status.DRAFT  # unpublished since the ranking: it drops out, the list stays right
    stories[2].save()
    assert [story.pk for story in popularity.most_read()] == [stories[1].pk, stories[0].pk]


def test_without_a_kept_ranking_one_render_works_it_out_and_the_others_do_not_wait(db):
    story = ArticleFactory(title="Read a lot")
    ReadCount.objects.create(article=story, window_start=timezone.now() - timedelta(hours=1), views=7)
    cache.delete(popularity.RANKING_KEY)
    cache.add(f"{popularity.RANKING_KEY}:lock", 1)  # another render is working it out
    assert popularity.most_read() == []
    cache.delete(f"{popularity.RANKING_KEY}:lock")
    assert [item.title for item in popularity.most_read()] == ["Read a lot"]
    assert cache.get(popularity.RANKING_KEY) == [story.pk]
