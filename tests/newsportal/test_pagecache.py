"""The whole-page cache: anonymous pages come from the cache, and a change makes stale exactly the pages it shows on.

Every test here reads the `X-Cache` header a reader's browser receives: HIT (from the cache), MISS (rendered now)
or STALE (the previous copy, while another request renders the page).
"""

import gzip
import time
from datetime import timedelta

import brotli
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services as article_services
from articles.models import Article, SitePage
from comments.models import Comment
from comments.services import comment_report, comments_moderate
from newsportal import pagecache
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, CommentFactory
from tests.forms import list_action
from tests.queries import page_queries

# Invalidation happens when transactions commit; serialized rollback keeps the migrated groups for later tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def page_cache(settings, site_settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_MAX_AGE = 30
    settings.PAGE_CACHE_STALE_SECONDS = 120
    settings.PAGE_CACHE_GRACE_SECONDS = 5
    site_settings(read_next_size=5)


def served(client, url, **headers):
    """Return how the cache answered a reader's request for `url`: HIT, MISS, STALE, or the status code."""
    response = client.get(url, headers=headers)
    return response.get("X-Cache") or response.status_code


@pytest.fixture
def site(db):
    """Two older stories in one section (outside Read next), six newer ones, a draft, and an author.

    Read next lists the six newest (READ_NEXT_SIZE + 1), so changing `story` or `other` touches neither Read next
    nor any page but their own and the lists.
    """
    world = CategoryFactory(name="World News", slug="world-news")
    sport = CategoryFactory(name="Sport", slug="sport")
    maya = AuthorFactory(name="Maya Okafor", slug="maya-okafor")
    hours_ago = lambda hours: timezone.now() - timedelta(hours=hours)  # noqa: E731
    story = ArticleFactory(category=world, title="Harbour cranes return", slug="harbour", published_at=hours_ago(30))
    story.bylines.create(author=maya)
    other = ArticleFactory(category=sport, title="Rovers draw again", slug="rovers", published_at=hours_ago(40))
    newest = [
        ArticleFactory(category=sport, title=f"Fresh story {n}", slug=f"fresh-{n}", published_at=hours_ago(n + 1))
        for n in range(6)
    ]
    draft = ArticleFactory(category=world, title="Unfinished draft", slug="unfinished", draft=True)
    return {"world": world, "story": story, "other": other, "newest": newest, "draft": draft, "author": maya}


@pytest.fixture
def pages(client, site):
    """Fill the cache with the pages the write paths touch, and return their URLs by name."""
    urls = {
        "home": "/",
        "section": site["world"].get_absolute_url(),
        "author": site["author"].get_absolute_url(),
        "story": site["story"].get_absolute_url(),
        "other": site["other"].get_absolute_url(),
        "newest": site["newest"][0].get_absolute_url(),
        "feed": "/feeds/rss/",
    }
    for name, url in urls.items():
        assert served(client, url) == "MISS", name
        assert served(client, url) == "HIT", name
    return urls


def assert_stale(client, pages, *names):
    """Assert that exactly the named pages are rendered afresh on the next request, and the others are hits."""
    states = {name: served(client, url) for name, url in pages.items()}
    expected = {name: ("MISS" if name in names else "HIT") for name in pages}
    assert states == expected


EVERY_PAGE = ("home", "section", "author", "story", "other", "newest", "feed")
LISTS = ("home", "section", "author", "feed")


# --- Hits, validators and what is never cached --------------------------------------------------------------


def test_second_visit_is_served_from_the_cache(client, site):
    url = site["story"].get_absolute_url()
    first = client.get(url)
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Cache"] == "HIT"
    assert page_queries(queries) == []  # no query of the page's own: the view did not run
    assert second.content == first.content
    assert second["Cache-Control"] == "public, max-age=30, stale-while-revalidate=120"
    assert second["Content-Security-Policy"]  # security headers are added to cached pages too


def test_repeat_visit_with_validators_gets_304(client, site):
    url = site["story"].get_absolute_url()
    first = client.get(url)
    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304 and not by_etag.content
    assert by_etag["ETag"] == first["ETag"]
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_logged_in_staff_never_get_or_fill_cached_pages(client, editor, site):
    url = site["story"].get_absolute_url()
    reader = Client()
    assert served(reader, url) == "MISS"
    client.force_login(editor)
    staff_view = client.get(url)
    assert "X-Cache" not in staff_view and "public" not in staff_view.get("Cache-Control", "")
    other = site["other"].get_absolute_url()
    client.get(other)  # a staff visit must not store a page for readers
    assert served(reader, other) == "MISS"


class CountingCache:
    """The real cache, counting the page cache's lookups."""

    def __init__(self, real):
        self.real, self.lookups = real, 0

    def get_many(self, keys):
        self.lookups += 1
        return self.real.get_many(keys)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_requests_that_are_never_public_pages_make_no_cache_lookup(client, site, editor, monkeypatch):
    counting = CountingCache(pagecache.cache)
    monkeypatch.setattr(pagecache, "cache", counting)
    story = site["story"]
    form_url = f"{story.get_absolute_url()}comment/"
    for url in ("/admin/login/", "/admin/", form_url, f"/preview/{story.pk}/", "/healthz", "/no-such-page/x/y/"):
        client.get(url)
    client.post(form_url, comment_data(story))
    client.post(story.get_absolute_url())
    client.force_login(editor)
    client.get(story.get_absolute_url())  # staff, with a session
    assert counting.lookups == 0
    Client().get(story.get_absolute_url())
    assert counting.lookups > 0  # a reader's request for a public page does look


def test_forms_and_confirmations_are_never_cached_and_keep_their_token(client, site):
    form_url = f"{site['story'].get_absolute_url()}comment/"
    response = client.get(form_url, headers={"accept-encoding": "gzip, br"})
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag") and not response.has_header("X-Cache")
    # A page carrying a per-reader secret is never compressed (BREACH).
    assert not response.has_header("Content-Encoding")
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_404_pages_are_not_cached(client, db):
    assert served(client, "/no-such-section/") == 404
    assert served(client, "/no-such-section/") == 404


# --- What changed is what goes stale: every write path --------------------------------------------------------


def test_admin_save_of_an_older_story_with_a_correction_refreshes_it_and_the_lists(
    client, pages, site, editor, admin_form
):
    story = site["story"]
    url = f"/admin/articles/article/{story.pk}/change/"
    client.force_login(editor)
    data = admin_form(url) | {
        "title": "Cranes back in the harbour",
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "An earlier version named the wrong crane operator.",
        "corrections-0-created_at_0": timezone.localdate().strftime("%d/%m/%Y"),
        "corrections-0-created_at_1": "08:00:00",
    }
    assert client.post(url, data).status_code == 302
    client.logout()
    assert_stale(client, pages, "story", *LISTS)
    page = client.get(pages["story"]).content.decode()
    assert "Cranes back in the harbour" in page and "wrong crane operator" in page


def test_admin_save_of_one_of_the_newest_stories_refreshes_every_page(client, pages, site, editor, admin_form):
    newest = site["newest"][0]
    url = f"/admin/articles/article/{newest.pk}/change/"
    client.force_login(editor)
    assert client.post(url, admin_form(url) | {"title": "Fresh story, updated"}).status_code == 302
    client.logout()
    assert_stale(client, pages, *EVERY_PAGE)
    assert "Fresh story, updated" in client.get(pages["other"]).content.decode()  # in its Read next


def test_saving_a_draft_changes_no_page(client, pages, site, editor, admin_form):
    draft = site["draft"]
    url = f"/admin/articles/article/{draft.pk}/change/"
    client.force_login(editor)
    assert client.post(url, admin_form(url) | {"body": "Still not ready.", "status": "draft"}).status_code == 302
    client.logout()
    assert_stale(client, pages)


def test_admin_publish_action_refreshes_every_page(client, pages, site, editor):
    client.force_login(editor)
    assert "1 article(s) published." in list_action(client, "publish_now", site["draft"]).content.decode()
    client.logout()
    assert_stale(client, pages, *EVERY_PAGE)  # the newest story now: in every Read next
    assert "Unfinished draft" in client.get(pages["home"]).content.decode()


def test_admin_unpublish_action_refreshes_the_story_and_the_lists(client, pages, site, editor):
    client.force_login(editor)
    assert "1 article(s) moved back to draft." in list_action(client, "unpublish", site["story"]).content.decode()
    client.logout()
    states = {name: served(client, url) for name, url in pages.items()}
    assert states == {**dict.fromkeys(pages, "HIT"), **dict.fromkeys(LISTS, "MISS"), "story": 404}


def test_admin_delete_refreshes_the_story_and_the_lists(client, pages, site, editor):
    client.force_login(editor)
    url = f"/admin/articles/article/{site['story'].pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()
    assert served(client, pages.pop("story")) == 404
    assert_stale(client, pages, *LISTS)


def test_revision_restore_refreshes_the_story_and_the_lists(client, pages, site, editor):
    story = site["story"]
    article_services.article_save(article=story, reason="First version")
    story.title = "A headline nobody liked"
    article_services.article_save(article=story, reason="Second version")
    for url in pages.values():
        client.get(url)
    first = story.history.order_by("history_id").first()
    client.force_login(editor)
    url = f"/admin/articles/article/{story.pk}/history/{first.history_id}/"
    assert client.post(url).status_code == 302
    client.logout()
    assert_stale(client, pages, "story", *LISTS)
    assert "Harbour cranes return" in client.get(pages["story"]).content.decode()


def test_category_save_refreshes_every_page(client, pages, site, editor):
    client.force_login(editor)
    world = site["world"]
    data = {"name": "World", "slug": world.slug, "description": "", "position": 0}
    assert client.post(f"/admin/articles/category/{world.pk}/change/", data).status_code == 302
    client.logout()
    assert_stale(client, pages, *EVERY_PAGE)


def test_author_save_refreshes_their_stories_and_the_lists(client, pages, site, editor):
    client.force_login(editor)
    author = site["author"]
    data = {"name": "Maya Okafor-Lind", "slug": author.slug, "bio": "Reports on ports."}
    assert client.post(f"/admin/articles/author/{author.pk}/change/", data).status_code == 302
    client.logout()
    assert_stale(client, pages, "story", *LISTS)
    assert "Maya Okafor-Lind" in client.get(pages["story"]).content.decode()


def test_a_moderation_decision_refreshes_only_that_story(client, pages, site, moderator):
    comment = CommentFactory(article=site["story"], status=Comment.Status.PENDING, body="Freshly approved words")
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        moderator=moderator,
        status=Comment.Status.APPROVED,
        action="approve",
    )
    assert_stale(client, pages, "story")
    assert "Freshly approved words" in client.get(pages["story"]).content.decode()
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        moderator=moderator,
        status=Comment.Status.REJECTED,
        action="reject",
    )
    assert_stale(client, pages, "story")
    assert "Freshly approved words" not in client.get(pages["story"]).content.decode()


def test_rejecting_a_waiting_comment_changes_no_page(client, pages, site, moderator):
    comment = CommentFactory(article=site["story"], status=Comment.Status.PENDING)
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        moderator=moderator,
        status=Comment.Status.SPAM,
        action="mark as spam",
    )
    assert_stale(client, pages)


def test_admin_approve_action_refreshes_only_the_stories_concerned(client, pages, site, moderator):
    first = CommentFactory(article=site["story"], status=Comment.Status.PENDING)
    second = CommentFactory(article=site["newest"][0], status=Comment.Status.PENDING)
    client.force_login(moderator)
    action = {"action": "approve", "_selected_action": [first.pk, second.pk]}
    assert client.post("/admin/comments/comment/", action).status_code == 302
    client.logout()
    assert_stale(client, pages, "story", "newest")


def test_moderator_edit_of_a_published_comment_refreshes_only_that_story(client, pages, site, moderator):
    comment = CommentFactory(article=site["story"], body="Teh original text")
    for url in pages.values():
        client.get(url)
    client.force_login(moderator)
    url = f"/admin/comments/comment/{comment.pk}/change/"
    response = client.post(url, {"body": "The original text", "reports-TOTAL_FORMS": "0", **inline_forms()})
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    assert_stale(client, pages, "story")
    assert "The original text" in client.get(pages["story"]).content.decode()


def inline_forms():
    management = {}
    for prefix in ("reports", "decisions"):
        management |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return management


def test_a_comment_published_at_once_refreshes_only_that_story(client, pages, site, site_settings):
    site_settings(hold_first_time=False)
    for url in pages.values():  # a settings change refreshes every page
        client.get(url)
    story = site["story"]
    story.comment_moderation = Article.CommentModeration.POST
    story.save(update_fields=["comment_moderation"])
    response = client.post(f"{story.get_absolute_url()}comment/", comment_data(story, body="Published straight away"))
    assert response.status_code == 302
    assert_stale(client, pages, "story")
    assert "Published straight away" in client.get(pages["story"]).content.decode()


def test_reports_that_hide_a_comment_refresh_only_that_story(client, pages, site, site_settings):
    site_settings(reports_to_hide=2)
    comment = CommentFactory(article=site["story"], body="Words readers reported")
    for url in pages.values():
        client.get(url)
    comment_report(comment=comment, reason="abuse", reporter_key="one")
    assert_stale(client, pages)  # one report hides nothing
    comment_report(comment=comment, reason="abuse", reporter_key="two")
    assert_stale(client, pages, "story")
    assert "Words readers reported" not in client.get(pages["story"]).content.decode()


def test_a_site_settings_change_refreshes_every_page(client, pages, site_settings):
    site_settings(read_next_size=4)
    assert_stale(client, pages, *EVERY_PAGE)


def test_a_site_page_change_refreshes_every_page(client, pages):
    about = SitePage.objects.get(slug="about")
    about.title = "Who we are"
    article_services.site_page_save(site_page=about)  # every footer links it by its title
    assert_stale(client, pages, *EVERY_PAGE)


def test_the_demo_command_refreshes_every_page(client, pages, settings):
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_stale(client, pages, *EVERY_PAGE)


def test_the_bench_data_command_refreshes_every_page(client, pages):
    call_command("bench_data", articles=3, comments=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_stale(client, pages, *EVERY_PAGE)


# --- One render per change, and a bounded stale copy ------------------------------------------------------------


def test_while_one_request_renders_others_get_the_previous_copy_for_a_bounded_time(
    client, pages, site, moderator, monkeypatch, settings
):
    url = pages["story"]
    comment = CommentFactory(article=site["story"], status=Comment.Status.PENDING, body="A brand new opinion")
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        moderator=moderator,
        status=Comment.Status.APPROVED,
        action="approve",
    )
    # Another request holds the render lock of this page.
    monkeypatch.setattr(pagecache.PageCacheMiddleware, "claim", staticmethod(lambda page: False))
    meanwhile = client.get(url)
    assert meanwhile["X-Cache"] == "STALE" and "A brand new opinion" not in meanwhile.content.decode()
    assert "max-age=0" in meanwhile["Cache-Control"]  # browsers and CDNs must not keep the old copy
    assert served(client, pages["other"]) == "HIT"
    # Past the grace period nobody waits for that request any longer: the reader's own request renders.
    later = time.time() + settings.PAGE_CACHE_GRACE_SECONDS + 1
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    fresh = client.get(url)
    assert fresh["X-Cache"] == "MISS" and "A brand new opinion" in fresh.content.decode()


def test_the_render_lock_is_released_after_each_render(client, pages, site, moderator):
    for body in ("First new opinion", "Second new opinion"):
        comment = CommentFactory(article=site["story"], status=Comment.Status.PENDING, body=body)
        comments_moderate(
            comments=Comment.objects.filter(pk=comment.pk),
            moderator=moderator,
            status=Comment.Status.APPROVED,
            action="approve",
        )
        # A lock left behind would hand out the previous copy (STALE) instead of rendering.
        assert served(client, pages["story"]) == "MISS"
        assert served(client, pages["story"]) == "HIT"


def test_a_scheduled_story_appears_when_the_cached_page_expires(client, site, settings, monkeypatch):
    ArticleFactory(category=site["world"], title="Scheduled story", published_at=timezone.now() + timedelta(seconds=30))
    assert "Scheduled story" not in client.get("/").content.decode()
    assert served(client, "/") == "HIT"
    later = timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_GRACE_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(pagecache.time, "time", lambda: later.timestamp())
    response = client.get("/")
    assert response["X-Cache"] == "MISS" and "Scheduled story" in response.content.decode()


def test_an_expired_page_is_handed_out_stale_while_it_renders(client, site, settings, monkeypatch):
    url = site["story"].get_absolute_url()
    client.get(url)
    expiry = time.time() + settings.PAGE_CACHE_SECONDS
    monkeypatch.setattr(pagecache.time, "time", lambda: expiry + 1)
    monkeypatch.setattr(pagecache.PageCacheMiddleware, "claim", staticmethod(lambda page: False))
    assert served(client, url) == "STALE"


def test_the_previous_copy_is_served_when_rendering_fails(client, site, moderator, monkeypatch):
    """A database outage during a render: readers keep the page they had, rather than an error page."""
    from django.db import OperationalError

    url = site["story"].get_absolute_url()
    client.get(url)
    comment = CommentFactory(article=site["story"], status=Comment.Status.PENDING)
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        moderator=moderator,
        status=Comment.Status.APPROVED,
        action="approve",
    )

    def database_away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.views.ArticleView.get", database_away)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Cache"] == "STALE"
    assert "Harbour cranes return" in response.content.decode()


# --- Keys ------------------------------------------------------------------------------------------------------


def test_tracking_parameters_share_one_entry(client, site):
    url = site["world"].get_absolute_url()
    assert served(client, url) == "MISS"
    states = {served(client, f"{url}?utm_source=news&utm_campaign=c{n}&fbclid=x{n}&ref={n}") for n in range(2000)}
    assert states == {"HIT"}


def test_parameters_a_view_reads_are_part_of_the_key(client, site, site_settings):
    site_settings(articles_per_page=1)
    url = site["other"].category.get_absolute_url()
    assert served(client, url) == "MISS"
    assert served(client, f"{url}?page=2") == "MISS"
    assert served(client, f"{url}?utm_source=x&page=2") == "HIT"
    assert served(client, "/search/?q=harbour") == "MISS"
    assert served(client, "/search/?q=rovers") == "MISS"
    assert served(client, "/search/?utm_medium=mail&q=rovers") == "HIT"


def test_the_view_sees_only_the_parameters_of_its_key(client, site, site_settings):
    site_settings(articles_per_page=1)
    url = site["other"].category.get_absolute_url()
    page = client.get(f"{url}?page=2&utm_campaign=secret-newsletter").content.decode()
    assert "?page=3" in page  # the page does link onwards
    assert "secret-newsletter" not in page  # pagination links and canonical URLs do not carry it to others


def test_every_host_the_site_answers_to_shares_one_page_built_on_site_url(client, site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "news.example.com"]
    settings.SITE_URL = "https://news.example.com"
    url = site["story"].get_absolute_url()
    first = client.get(url, HTTP_HOST="127.0.0.1:6666")
    assert first["X-Cache"] == "MISS"
    page = first.content.decode()
    assert f'<link rel="canonical" href="https://news.example.com{url}">' in page
    assert "127.0.0.1" not in page and "6666" not in page
    for host in ("LOCALHOST.", "localhost:8000", "testserver", "127.0.0.1"):
        again = client.get(url, HTTP_HOST=host)
        assert again["X-Cache"] == "HIT" and again.content == first.content, host
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/sitemaps/articles.xml", "/feeds/rss/"])
def test_robots_sitemaps_and_feeds_link_to_site_url_whatever_the_host(client, site, settings, path):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "news.example.com"]
    settings.SITE_URL = "https://news.example.com"
    body = client.get(path, HTTP_HOST="localhost:6666").content.decode()
    assert "https://news.example.com/" in body and "localhost" not in body


@pytest.mark.parametrize("seconds", [0, 60], ids=["cache off", "cache on"])
@pytest.mark.parametrize(
    "path", ["/robots.txt", "/sitemap.xml", "/sitemaps/articles.xml", "/news-sitemap.xml", "/feeds/rss/", "story"]
)
def test_every_absolute_url_is_on_site_url_with_the_cache_on_or_off(client, site, settings, seconds, path):
    """One site address (`newsportal.site.site_url`) builds them, not a rewrite of the request by the cache."""
    settings.PAGE_CACHE_SECONDS = seconds
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "news.example.com"]
    settings.SITE_URL = "https://news.example.com"
    url = site["story"].get_absolute_url() if path == "story" else path
    response = client.get(url, HTTP_HOST="localhost:6666")
    body = response.content.decode()
    assert response.status_code == 200 and "https://news.example.com/" in body and "localhost" not in body


@pytest.mark.parametrize("seconds", [0, 60], ids=["cache off", "cache on"])
def test_a_view_reads_the_same_query_with_the_cache_on_or_off(client, site, settings, seconds):
    """Undeclared and malformed parameters are dropped for the view itself, not only for the cache's key."""
    settings.PAGE_CACHE_SECONDS = seconds
    url = site["story"].get_absolute_url()
    plain = client.get(url).content
    odd = client.get(url, {"page": "abc", "sort": "loudest", "utm_source": "newsletter"})
    assert odd.status_code == 200 and odd.content == plain and b"newsletter" not in odd.content


# --- Compressed and complete -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_hits_and_misses_come_compressed_and_decompress_to_the_same_page(client, site, encoding):
    url = site["story"].get_absolute_url()
    decode = gzip.decompress if encoding == "gzip" else brotli.decompress
    miss = client.get(url, headers={"accept-encoding": f"{encoding}, deflate"})
    hit = client.get(url, headers={"accept-encoding": encoding})
    plain = client.get(url, headers={"accept-encoding": "identity"})
    assert miss["X-Cache"] == "MISS" and hit["X-Cache"] == "HIT" and plain["X-Cache"] == "HIT"
    assert miss["Content-Encoding"] == hit["Content-Encoding"] == encoding
    assert not plain.has_header("Content-Encoding")
    assert decode(miss.content) == decode(hit.content) == plain.content
    assert "Harbour cranes return" in plain.content.decode()
    assert "Accept-Encoding" in hit["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert hit["Content-Length"] == str(len(hit.content))
    assert miss["ETag"] == hit["ETag"] != plain["ETag"]


def test_brotli_is_preferred_and_a_refused_encoding_is_not_used(client, site):
    url = site["story"].get_absolute_url()
    assert client.get(url, headers={"accept-encoding": "gzip, br"})["Content-Encoding"] == "br"
    assert client.get(url, headers={"accept-encoding": "br;q=0, gzip"})["Content-Encoding"] == "gzip"
    assert not client.get(url, headers={"accept-encoding": "gzip;q=0"}).has_header("Content-Encoding")


def public_page_urls(site):
    """Return every public page type's address (the story gets a second page of comments for it)."""
    from newsportal.sitesettings import site_settings

    story, world, author = site["story"], site["world"], site["author"]
    CommentFactory.create_batch(site_settings().comments_per_page + 1 - story.comments.count(), article=story)
    return {
        "home": "/",
        "category": world.get_absolute_url(),
        "article": story.get_absolute_url(),
        "comment page": f"{story.get_absolute_url()}?page=2",
        "authors": "/authors/",
        "author": author.get_absolute_url(),
        "corrections": "/corrections/",
        "search": "/search/?q=harbour",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "category rss": f"/feeds/{world.slug}/rss/",
        "category atom": f"/feeds/{world.slug}/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap": "/sitemaps/articles.xml",
        "news sitemap": "/news-sitemap.xml",
        "robots": "/robots.txt",
    }


PAGE_TYPES = [
    "home",
    "category",
    "article",
    "comment page",
    "authors",
    "author",
    "corrections",
    "search",
    "rss",
    "atom",
    "category rss",
    "category atom",
    "sitemap index",
    "sitemap",
    "news sitemap",
    "robots",
]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_hit_carries_every_header_of_the_rendered_page(client, site, page_type, encoding):
    url = public_page_urls(site)[page_type]
    miss = client.get(url, headers={"accept-encoding": encoding})
    hit = client.get(url, headers={"accept-encoding": encoding})
    assert (miss.status_code, miss["X-Cache"], hit["X-Cache"]) == (200, "MISS", "HIT")
    headers = lambda response: {name: value for name, value in response.items() if name != "X-Cache"}  # noqa: E731
    assert headers(hit) == headers(miss)
    assert hit["X-Frame-Options"] == "DENY" and hit["Content-Security-Policy"]
    assert hit.content == miss.content


# --- Failures ----------------------------------------------------------------------------------------------------


def test_pages_still_render_when_the_cache_is_down(client, site, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(site["story"].get_absolute_url())
    assert response.status_code == 200 and "Harbour cranes return" in response.content.decode()


def test_a_lost_generation_never_makes_an_old_page_look_fresh(client, site):
    url = site["story"].get_absolute_url()
    client.get(url)
    pagecache.cache.delete(pagecache.SITE)
    assert served(client, url) == "MISS"
    assert served(client, url) == "HIT"
