"""Parts every page shows (the section navigation with the banner, Most read) and a story page's two halves (the story,
its comments) are built once per change to what they depend on and reused by the next pages rendered
(newsportal.pagecache.fragment); never older than that."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import popularity, services
from articles.models import Article, Category, ReadCount
from comments.services import comments_moderate
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def stories(db):
    world = CategoryFactory(name="World News", slug="world-news")
    old = [
        ArticleFactory(
            category=world, title=f"Older story {n}", published_at=timezone.now() - timedelta(days=2, hours=n)
        )
        for n in range(3)
    ]
    ArticleFactory.create_batch(7, category=world)  # the newest, on every page (Read next)
    popularity.record(
        [
            ReadCount(article=story, window_start=timezone.now() - timedelta(hours=1), views=10 - n)
            for n, story in enumerate(old)
        ]
    )
    return old


def sections_query_count(client, url):
    """How many times rendering `url` ran the sections-and-banner query (the categories with the breaking story)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        f'FROM "{Category._meta.db_table}"' in query["sql"] and "is_breaking" in query["sql"] for query in queries
    )


def most_read(client, url):
    return [text_of(link) for link in select(client.get(url).content, ".most-read li a")]


def test_the_sections_are_built_once_for_the_pages_rendered_after_them(client, stories):
    assert sections_query_count(client, stories[0].get_absolute_url()) == 1
    assert sections_query_count(client, stories[1].get_absolute_url()) == 0  # another page, rendered: reused
    assert sections_query_count(client, "/world-news/") == 0


def test_a_renamed_section_shows_on_the_next_page_rendered(client, stories):
    client.get(stories[0].get_absolute_url())
    section = Category.objects.get(slug="world-news")
    section.name = "World"
    services.category_save(category=section)
    names = [text_of(link) for link in select(client.get(stories[1].get_absolute_url()).content, ".sections a")]
    assert names == ["World"]


def test_most_read_shows_a_retitled_story_on_the_next_page_rendered(client, stories):
    assert most_read(client, stories[2].get_absolute_url())[0] == "Older story 0"
    stories[0].title = "Older story, retitled"
    services.article_save(article=stories[0])
    assert most_read(client, stories[1].get_absolute_url())[0] == "Older story, retitled"


def test_most_read_follows_a_new_ranking_without_any_page_change(client, stories):
    assert most_read(client, stories[2].get_absolute_url())[0] == "Older story 0"
    popularity.record([ReadCount(article=stories[2], window_start=timezone.now() - timedelta(minutes=30), views=100)])
    assert most_read(client, stories[1].get_absolute_url())[0] == "Older story 2"


def test_staff_and_forms_build_their_parts_afresh(client, stories, editor):
    client.get(stories[0].get_absolute_url())
    client.force_login(editor)
    assert sections_query_count(client, stories[1].get_absolute_url()) == 1


def test_a_page_built_with_an_older_part_lives_no_longer_than_that_part(client, stories, monkeypatch):
    """A scheduled story going live changes no generation: pages show it within the page cache's lifetime. A page
    rendered late in a shared part's life expires with that part, so the bound stays one lifetime."""
    from newsportal import pagecache

    started = time.time()
    client.get(stories[0].get_absolute_url())  # builds the shared parts now
    monkeypatch.setattr(pagecache.time, "time", lambda: started + 50)
    assert client.get(stories[1].get_absolute_url())["X-Cache"] == "MISS"  # rendered at +50 s with +0 s parts
    monkeypatch.setattr(pagecache.time, "time", lambda: started + 61)
    assert client.get(stories[1].get_absolute_url())["X-Cache"] != "HIT"  # one lifetime after its parts were built


def read_next(client, url):
    return [text_of(link) for link in select(client.get(url).content, ".read-next__title")]


def test_read_next_is_shared_by_the_stories_rendered_and_follows_a_new_story(client, stories):
    first = read_next(client, stories[0].get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = read_next(client, stories[1].get_absolute_url())
    assert second == first and len(first) == 5
    newest_queries = [query for query in queries if "LIMIT 6" in query["sql"] and "ORDER BY" in query["sql"]]
    assert newest_queries == []  # the second story reused the first one's list of the six newest
    story = ArticleFactory(category=stories[0].category, title="Published by the desk", draft=True)
    services.article_publish(article=story)
    assert read_next(client, stories[2].get_absolute_url())[0] == "Published by the desk"


def test_read_next_kept_rendered_still_leaves_out_the_story_it_is_under(client, stories):
    """Read next is kept rendered for each list of stories it shows: the newest story's page, rendered after an
    older story's, does not offer the reader the story they are reading."""
    on_an_older_story = read_next(client, stories[0].get_absolute_url())
    newest = Article.objects.live().order_by("-published_at").first()
    on_the_newest = read_next(client, newest.get_absolute_url())
    assert on_an_older_story[0] == newest.title and newest.title not in on_the_newest
    assert on_the_newest == on_an_older_story[1:] + on_the_newest[-1:] and len(on_the_newest) == 5


# --- A story page's two halves: the story under its article's generation, the comments under its discussion's --------


def approve(comment):
    comments_moderate(
        comments=type(comment).objects.filter(pk=comment.pk), moderator=None, status="approved", action="approve"
    )


@pytest.fixture
def story(stories):
    story = stories[0]
    CommentFactory(article=story, body="The first reader's view.")
    return story


def comment_texts(page):
    return [text_of(body) for body in select(page.content, ".comment__body")]


def test_a_new_comment_rebuilds_only_the_comment_section(client, story):
    client.get(story.get_absolute_url())
    type(story).objects.filter(pk=story.pk).update(title="Changed behind the cache's back")  # moves no generation
    approve(CommentFactory(article=story, body="A second view.", status="pending"))
    page = client.get(story.get_absolute_url())
    assert page["X-Cache"] == "MISS" and "A second view." in comment_texts(page)
    assert text_of(select(page.content, ".story__title")[0]) == story.title  # the story half was reused


def test_a_story_edit_rebuilds_only_the_story(client, story):
    client.get(story.get_absolute_url())
    story.comments.update(body_html="<p>Changed behind the cache's back</p>")  # moves no generation
    story.title = "A corrected headline"
    services.article_save(article=story)
    page = client.get(story.get_absolute_url())
    assert text_of(select(page.content, ".story__title")[0]) == "A corrected headline"
    assert comment_texts(page) == ["The first reader's view."]  # the comment section was reused


def test_comments_closed_by_the_editor_show_closed_on_the_next_render(client, story):
    assert select(client.get(story.get_absolute_url()).content, ".comments__call a")
    story.comments_open = False
    services.article_save(article=story)
    page = client.get(story.get_absolute_url())
    assert text_of(select(page.content, ".comments__closed")[0]) == "Comments are closed"
    assert not select(page.content, ".comments__call a")


def test_each_page_and_order_of_comments_is_a_part_of_its_own(client, story):
    first = client.get(story.get_absolute_url())
    assert client.get(f"{story.get_absolute_url()}?sort=newest")["X-Cache"] == "MISS"
    assert comment_texts(first) == ["The first reader's view."]
    assert client.get(f"{story.get_absolute_url()}?page=2").status_code == 404  # past the last page, cache on
    assert client.get(f"{story.get_absolute_url()}?page=2").status_code == 404
