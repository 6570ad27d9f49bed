"""Every parameter of every public and staff URL, sent odd values: never a server error.

`str.isdigit()` accepts `²` and `①`, which `int()` refuses; all numbers from URLs go through
`newsportal.params.positive_int`, and this sweep is the proof.
"""

import pytest

from articles import services
from articles.models import Article
from newsportal.params import positive_int
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

ODD = ["²", "①", "-1", "0", "99999999999999999999", "1e3", "", "١٢", " 7", "7 ", "0x1f", "%00"]


@pytest.mark.parametrize("value", ODD)
def test_positive_int_takes_only_plain_positive_numbers(value):
    assert positive_int(value) is None
    assert positive_int(value, default=1) == 1


def test_positive_int_takes_ascii_digits_within_bounds():
    assert positive_int("42") == 42
    assert positive_int("5", maximum=4) is None
    assert positive_int(None) is None


@pytest.fixture
def pages(article, editor):
    """The URLs and the parameters each one reads, public and staff."""
    story = services.article_save(article=article, user=editor, reason="First")
    comment = CommentFactory(article=story)
    revision = story.history.first()
    ArticleFactory(category=story.category)
    public = {
        "/": ["page"],
        story.category.get_absolute_url(): ["page"],
        story.get_absolute_url(): ["page", "sort"],
        f"{story.get_absolute_url()}comment/": ["reply_to"],
        "/search/": ["q", "page"],
        "/authors/": ["page"],
        "/corrections/": ["page"],
        "/sitemaps/articles.xml": ["p"],
        f"/comments/{comment.pk}/report/": ["page"],
    }
    staff = {
        "/admin/articles/article/": ["state", "category__id__exact", "p", "o", "published_at__year"],
        f"/admin/articles/article/{story.pk}/history/": ["p"],
        f"/admin/articles/article/{story.pk}/history/{revision.history_id}/": ["against"],
        "/admin/comments/comment/": ["article", "status", "held", "reported", "p", "o"],
        "/admin/comments/comment/workspace/": ["article", "reason"],
        "/admin/comments/comment/workspace/more/": ["article", "reason", "exclude"],
        f"/admin/comments/comment/workspace/{comment.pk}/block/": ["article"],
    }
    return public, staff


@pytest.mark.parametrize("value", ODD)
def test_odd_parameters_never_cause_a_server_error(client, moderator, editor, pages, value):
    public, staff = pages
    for url, names in public.items():
        for name in names:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value)
            repeated = client.get(f"{url}?{name}=1&{name}={value}")
            assert repeated.status_code < 500, (url, name, "repeated", value)
    for user in (editor, moderator):
        client.force_login(user)
        for url, names in staff.items():
            for name in names:
                assert client.get(url, {name: value}).status_code < 500, (user, url, name, value)


@pytest.mark.parametrize("value", ["²", "①", "-1", "99999999999999999999", "1e3"])
def test_odd_ids_in_staff_paths_are_not_found(client, editor, article, value):
    client.force_login(editor)
    assert client.get(f"/admin/articles/article/{article.pk}/history/{value}/").status_code == 404


# Out of range for each kind of declared parameter: past the last page, not a page number, an unknown order.
OUT_OF_RANGE = ["0", "-1", "1", "abc", "1e3", "²", "2 ", "99999", "999999999", "bogus", "OLDEST", "picks"]


def cache_keys():
    """Return how many entries the shared cache holds (the database table, or Redis in CI's second pass)."""
    from django.core.cache import caches

    from newsportal.cache import DatabaseCache
    from newsportal.models import CacheEntry

    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        return CacheEntry.objects.count()
    return len(cache._cache.get_client().keys(f"{cache.key_prefix}*"))


def test_out_of_range_parameters_never_add_a_cache_entry(client, settings, pages):
    """Every parameter every public page declares, swept with values out of its range: 404 past the end, the
    default otherwise, and not one new entry in the cache (each would be a full render and a page's worth of
    memory for whoever sends a million of them)."""
    from django.urls import get_resolver

    from newsportal import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    public, _ = pages
    story_url = next(url for url, names in public.items() if "sort" in names)
    story = Article.objects.get(slug=story_url.rstrip("/").rsplit("/", 1)[1])
    story.live_from = story.published_at
    services.article_save(article=story)
    urls = [url for url in public if not url.endswith(("/comment/", "/report/"))]
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm: the pages and their generations are cached
    before = cache_keys()
    swept = 0
    for url in urls:
        policy, _ = pagecache._policy(get_resolver(), url)
        for name, _ in policy.reads:
            if name == "q":
                continue  # free text: every query is a search of its own (the view bounds its length)
            for value in OUT_OF_RANGE:
                response = client.get(url, {name: value})
                assert response.status_code in (200, 404), (url, name, value, response.status_code)
                if response.status_code == 200:
                    assert response["X-Cache"] == "HIT", (url, name, value)  # the same entry as without it
                swept += 1
    assert swept >= 60
    assert cache_keys() == before
