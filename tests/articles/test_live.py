"""Live coverage: editors switch a story to a live page and post, edit and withdraw updates; readers see each
change at once on the page, its polled updates endpoint (cached, with 304s) and its feeds; nothing else changes."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import live, services
from articles.models import Article, LiveUpdate
from tests import validators
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, picture
from tests.html import select, text_of

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/articles/liveupdate/add/"


@pytest.fixture
def live_story(db):
    story = ArticleFactory(title="Storm surge reaches the coast", slug="storm-surge")
    story.live_from = timezone.now() - timedelta(hours=2)
    story.key_points = "<ul><li>The barriers held.</li><li>Ferries are suspended.</li></ul>"
    return services.article_save(article=story, reason="Live coverage on")


def post(story, text, **fields):
    return live.update_save(update=LiveUpdate(article=story, body=text, **fields))


def updates_shown(client, story, path=""):
    html = client.get(story.get_absolute_url() + path).content
    return [text_of(item.cssselect(".live-update__body")[0]) for item in select(html, "[data-update]")]


def test_a_story_becomes_a_live_page_and_ends_as_one(client, live_story):
    html = client.get(live_story.get_absolute_url()).content
    assert text_of(select(html, ".live-badge")[0]) == "Live"
    assert select(html, "[data-live-page]")[0].get("data-updates-url") == f"{live_story.get_absolute_url()}updates/"
    assert [text_of(point) for point in select(html, ".key-points li")] == [
        "The barriers held.",
        "Ferries are suspended.",
    ]
    assert text_of(select(html, "[data-live-empty]")[0]) == "The first update will appear here."

    live_story.live_until = timezone.now() - timedelta(minutes=1)
    services.article_save(article=live_story, reason="Coverage ended")
    post(live_story, "Still here after the end.")
    html = client.get(live_story.get_absolute_url()).content
    assert not select(html, ".live-badge") and not select(html, "[data-live-page]")  # no more polling
    assert text_of(select(html, ".live-ended")[0]).startswith("Live coverage ended at ")
    assert updates_shown(client, live_story) == ["Still here after the end."]


def test_coverage_that_has_not_started_is_a_normal_story(client):
    story = ArticleFactory()
    story.live_from = timezone.now() + timedelta(hours=1)
    services.article_save(article=story)
    html = client.get(story.get_absolute_url()).content
    assert not select(html, ".live-badge") and not select(html, "[data-live-page]")


def test_updates_show_pinned_first_then_newest_first_with_anchors(client, live_story):
    now = timezone.now()
    first = post(live_story, "First.", published_at=now - timedelta(minutes=30))
    post(live_story, "Pinned summary.", is_pinned=True, published_at=now - timedelta(minutes=20))
    post(live_story, "Newest.", headline="Gates closed", is_key=True, published_at=now - timedelta(minutes=1))
    assert updates_shown(client, live_story) == ["Pinned summary.", "Newest.", "First."]
    html = client.get(live_story.get_absolute_url()).content
    (anchor,) = select(html, f"#update-{first.pk} .live-update__link")
    assert anchor.get("href") == f"#update-{first.pk}"
    assert "Key update" in text_of(select(html, ".live-update--key")[0])


def test_older_updates_are_on_further_pages(client, live_story):
    now = timezone.now()
    for number in range(live.UPDATES_PER_PAGE + 3):
        post(live_story, f"Update {number}.", published_at=now - timedelta(minutes=100 - number))
    assert len(updates_shown(client, live_story)) == live.UPDATES_PER_PAGE
    assert updates_shown(client, live_story, "?updates=2") == ["Update 2.", "Update 1.", "Update 0."]
    html = client.get(live_story.get_absolute_url()).content
    assert select(html, '[aria-label="Update pages"] a[rel=next]')[0].get("href") == "?updates=2#live"


def test_an_editor_with_a_byline_posts_under_it(client, editor, live_story):
    """The account says "ed1"; the newsroom knows her as the author of her byline."""
    AuthorFactory(name="Maya Okafor", slug="maya-okafor", user=editor)
    client.force_login(editor)
    form = client.get(f"{ADD_URL}?article={live_story.pk}").content
    assert select(form, "#id_author_name")[0].get("value") == "Maya Okafor"
    update = live.update_save(update=LiveUpdate(article=live_story, body="Gates closed."), user=editor)
    assert update.author_name == "Maya Okafor"


def test_the_editors_fast_form_posts_and_returns_to_an_empty_form(client, editor, live_story):
    editor.first_name, editor.last_name = "Maya", "Okafor"
    editor.save()
    client.force_login(editor)
    form = client.get(f"{ADD_URL}?article={live_story.pk}").content
    assert select(form, "#id_article option[selected]")[0].get("value") == str(live_story.pk)
    assert select(form, "#id_author_name")[0].get("value") == "Maya Okafor"
    data = {
        "article": live_story.pk,
        "headline": "",
        "body": "<p>Gates <strong>closed</strong>.</p>",
        "author_name": "Maya Okafor",
    }
    response = client.post(ADD_URL, data)
    assert response.status_code == 302 and response["Location"] == f"{ADD_URL}?article={live_story.pk}"
    update = LiveUpdate.objects.get()
    assert (update.body_html, update.posted_by) == ("<p>Gates <strong>closed</strong>.</p>", editor)
    live_story.refresh_from_db()
    assert live_story.live_updated_at == update.published_at

    client.logout()
    html = client.get(live_story.get_absolute_url()).content
    assert updates_shown(client, live_story) == ["Gates closed."]
    assert "Updated" in text_of(select(html, ".story__meta")[0])


def test_an_image_needs_its_description(client, editor, live_story):
    client.force_login(editor)
    data = {"article": live_story.pk, "body": "A picture.", "image": str(picture(alt_text="").pk)}
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and "This picture has no alt text" in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_editing_and_withdrawing_change_what_readers_see(client, editor, live_story):
    update = post(live_story, "Wrong number of gates.")
    kept = post(live_story, "The tide has turned.")
    client.force_login(editor)
    change = f"/admin/articles/liveupdate/{update.pk}/change/"
    data = {"article": live_story.pk, "headline": "", "body": "All eight gates closed.", "author_name": ""}
    assert client.post(change, data | {"version": update.version}).status_code == 302
    client.post("/admin/articles/liveupdate/", {"action": "withdraw", "_selected_action": [kept.pk]})
    reader = Client()
    assert updates_shown(reader, live_story) == ["All eight gates closed."]
    assert "edited" in text_of(select(reader.get(live_story.get_absolute_url()).content, "[data-update]")[0])
    kept.refresh_from_db()
    assert kept.withdrawn_at is not None and kept.history.count() == 2  # withdrawn, not deleted
    assert "The tide has turned." in client.get("/admin/articles/liveupdate/").content.decode()


def test_editors_post_and_moderators_cannot(client, editor, moderator, live_story):
    update = post(live_story, "An update.")
    client.force_login(moderator)
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"article": live_story.pk, "body": "Not mine to post."}).status_code == 403
    assert client.get(f"/admin/articles/liveupdate/{update.pk}/change/").status_code == 403
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 200
    assert client.get(f"/admin/articles/liveupdate/{update.pk}/delete/").status_code == 403  # withdraw instead


def test_the_live_page_is_a_valid_live_blog_posting(client, live_story):
    post(live_story, "The barrier gates closed at 01:10.", headline="Gates closed", author_name="Maya Okafor")
    url = f"http://testserver{live_story.get_absolute_url()}"
    found, _ = validators.structured_data(client.get(live_story.get_absolute_url()).content.decode(), url)
    [blog] = found["LiveBlogPosting"]
    assert blog["coverageStartTime"] == live_story.live_from.isoformat(timespec="seconds")
    assert "coverageEndTime" not in blog
    [update] = blog["liveBlogUpdate"]
    assert update["headline"] == "Gates closed" and update["articleBody"] == "The barrier gates closed at 01:10."
    assert update["url"].startswith(url + "#update-") and update["author"]["name"] == "Maya Okafor"
    assert blog["dateModified"] >= update["datePublished"]


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the cache hears of changes on commit
def test_the_updates_endpoint_is_cached_answers_304_and_is_fresh_at_once(cached, live_story):
    other = ArticleFactory(title="An unrelated story")
    reader = Client()
    endpoint = f"{live_story.get_absolute_url()}updates/"
    for url in ("/", other.get_absolute_url(), live_story.get_absolute_url(), endpoint):
        reader.get(url)
    first = reader.get(endpoint)
    assert first["X-Cache"] == "HIT" and first["Cache-Control"] == "public, max-age=5, stale-while-revalidate=0"
    assert reader.get(endpoint, headers={"if-none-match": first["ETag"]}).status_code == 304

    post(live_story, "Gates closed.")
    fresh = reader.get(endpoint, headers={"if-none-match": first["ETag"]})
    assert fresh.status_code == 200 and fresh["X-Cache"] == "MISS"
    assert [text_of(body) for body in select(fresh.content, ".live-update__body")] == ["Gates closed."]
    assert reader.get(live_story.get_absolute_url())["X-Cache"] == "MISS"
    assert reader.get("/")["X-Cache"] == "HIT" and reader.get(other.get_absolute_url())["X-Cache"] == "HIT"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the cache hears of changes on commit
def test_a_superuser_deleting_an_update_refreshes_the_story(cached, live_story):
    """Editors withdraw; a superuser may delete, through the same service, so readers stop seeing it at once."""
    kept, deleted = post(live_story, "Gates closed."), post(live_story, "Posted on the wrong story.")
    reader = Client()
    assert updates_shown(reader, live_story)[0] == "Posted on the wrong story."
    admin = Client()
    admin.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    answer = admin.post(f"/admin/articles/liveupdate/{deleted.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302 and not LiveUpdate.objects.filter(pk=deleted.pk).exists()
    assert updates_shown(reader, live_story) == ["Gates closed."]  # not the cached page from before
    live_story.refresh_from_db()
    assert live_story.live_updated_at == kept.published_at


def test_polling_is_not_reading(cached, live_story):
    from articles import popularity

    reader = Client()
    for _ in range(5):
        reader.get(f"{live_story.get_absolute_url()}updates/")
    reader.get(live_story.get_absolute_url())
    popularity.flush(popularity.current_window())
    assert live_story.read_counts.get().views == 1


def test_no_updates_endpoint_for_a_normal_story(client):
    story = ArticleFactory()
    assert client.get(f"{story.get_absolute_url()}updates/").status_code == 404
    assert client.get(f"{story.get_absolute_url()}updates/rss/").status_code == 404


def test_the_feeds_carry_the_shown_updates(client, live_story):
    post(live_story, "Gates closed.", headline="Gates closed")
    live.update_withdraw(update=post(live_story, "A mistake.", headline="Withdrawn one"))
    rss = client.get(f"{live_story.get_absolute_url()}updates/rss/").content.decode()
    atom = client.get(f"{live_story.get_absolute_url()}updates/atom/").content.decode()
    for feed in (rss, atom):
        assert "Gates closed" in feed and "Withdrawn one" not in feed
    html = client.get(live_story.get_absolute_url()).content
    feeds = {link.get("type") for link in select(html, 'link[rel=alternate][href*="/updates/"]')}
    assert feeds == {"application/rss+xml", "application/atom+xml"}


def test_comments_work_on_live_pages(client, live_story):
    html = client.get(live_story.get_absolute_url()).content
    assert text_of(select(html, "#comments h2")[0]) == "What is your opinion on this topic?"
    assert json.loads(select(html, 'script[type="application/ld+json"]')[0].text_content())["@type"] == (
        "LiveBlogPosting"
    )


def test_sitemap_feed_and_json_ld_agree_on_the_newest_update(client, live_story, django_assert_max_num_queries):
    for _ in range(10):
        ArticleFactory()
    update = post(live_story, "Gates closed.")
    live_story.refresh_from_db()
    moment = update.published_at.isoformat(timespec="seconds")
    assert live_story.modified_at == update.published_at
    with django_assert_max_num_queries(4):  # whatever the number of stories: no field loaded one row at a time
        sitemap = client.get("/sitemaps/articles.xml").content.decode()
    assert f"<lastmod>{moment}</lastmod>" in sitemap
    page = client.get(live_story.get_absolute_url()).content
    assert json.loads(select(page, 'script[type="application/ld+json"]')[0].text_content())["dateModified"] == moment
    assert f"<lastmod>{moment}</lastmod>" in client.get("/sitemap.xml").content.decode()


def test_a_live_page_gives_no_reading_time(client, live_story):
    """It grows while readers read: "1 min read" under a live blog is wrong within the hour."""
    meta = text_of(select(client.get(live_story.get_absolute_url()).content, ".story__meta")[0])
    assert "min read" not in meta
    assert "min read" in text_of(select(client.get(ArticleFactory().get_absolute_url()).content, ".story__meta")[0])


def test_an_editors_save_from_a_form_opened_before_an_update_keeps_the_updated_time(live_story, editor):
    opened = Article.objects.get(pk=live_story.pk)  # the editor's form, opened before the update
    update = post(live_story, "Gates closed.")
    opened.standfirst = "The barriers held overnight."
    services.article_save(article=opened, user=editor)
    stored = Article.objects.get(pk=live_story.pk)
    assert stored.standfirst == "The barriers held overnight." and stored.live_updated_at == update.published_at
