"""A live page in a breaking story: an editor posts from the fast form, readers with the page open see the update
arrive without reloading (with JavaScript), or after a reload (without), and keep their place on the page."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.templatetags.articles_tags import fulltime, isotime
from comments.models import Comment
from comments.services import comments_moderate
from tests.e2e import quality
from tests.e2e.tools import DESKTOP, PHONE
from tests.factories import CommentFactory

pytestmark = pytest.mark.e2e

UPDATE = "Engineers confirm every gate of the main barrier is watertight."


@pytest.fixture
def live_page(site, site_settings):
    site_settings(live_poll_seconds=1)  # the readers' pages ask every second instead of every ten
    return Article.objects.exclude(live_from=None).select_related("category").get()


def post_update(site, editor_account, article, body, headline=""):
    editor = site.new_page()
    site.log_in(editor, editor_account.username)
    editor.goto(f"/admin/articles/liveupdate/add/?article={article.pk}")
    text = editor.get_by_role("textbox", name="Text")  # the editor's writing surface
    expect(text).to_be_focused()  # a hurried editor types at once
    expect(editor.get_by_label("Story:")).to_have_value(str(article.pk))
    if headline:
        editor.get_by_label("Headline").fill(headline)
        text.click()
    editor.keyboard.type(body)
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("Update posted")
    expect(text).to_have_text("")  # an empty form, for the same story
    expect(editor.get_by_label("Story:")).to_have_value(str(article.pk))


def test_a_reader_sees_a_new_update_arrive_without_reloading(site, live_page, editor_account):
    reader = site.new_page()
    reader.goto(live_page.get_absolute_url())
    expect(reader.locator(".live-badge")).to_have_text("Live")
    updates = reader.locator("[data-live-list] > [data-update]")
    before = updates.count()

    post_update(site, editor_account, live_page, UPDATE, headline="All gates watertight")
    # At the top of the updates, the new one goes straight in.
    expect(updates).to_have_count(before + 1, timeout=10_000)
    expect(updates.filter(has_text=UPDATE)).to_have_class("live-update live-update--new")
    # The header's stamp moved to the new update's time.
    live_page.refresh_from_db()
    stamp = reader.locator(".story__meta .updated time")
    expect(stamp).to_have_attribute("datetime", isotime(live_page.live_updated_at))
    expect(stamp).to_have_text(fulltime(live_page.live_updated_at))


def test_a_reader_further_down_is_offered_the_new_updates_and_keeps_their_place(site, live_page, editor_account):
    reader = site.new_page()
    reader.goto(live_page.get_absolute_url())
    oldest = reader.locator("[data-live-list] > [data-update]").last
    oldest.scroll_into_view_if_needed()
    reader.evaluate("window.scrollBy(0, 200)")  # at once (a wheel turn scrolls later, after `place` is read)
    place = oldest.bounding_box()["y"]

    post_update(site, editor_account, live_page, UPDATE)
    offer = reader.get_by_role("button", name="1 new update")
    expect(offer).to_be_attached(timeout=10_000)
    assert abs(oldest.bounding_box()["y"] - place) < 2, "the page moved under the reader"
    offer.click()
    expect(reader.locator("[data-live-list] > [data-update]").filter(has_text=UPDATE)).to_be_focused()


def test_without_javascript_a_reload_shows_the_update(site, live_page, editor_account):
    reader = site.new_page(javascript=False)
    reader.goto(live_page.get_absolute_url())
    expect(reader.get_by_text(UPDATE)).to_have_count(0)
    post_update(site, editor_account, live_page, UPDATE)
    reader.reload()
    expect(reader.locator("[data-update]").filter(has_text=UPDATE)).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_key_points_fold_after_three(site, live_page, javascript):
    points = live_page.key_points_html.count("<li>")
    assert points > 3  # the demo's live page has more than fit the first screen
    phone = site.new_page(viewport=PHONE, javascript=javascript)
    phone.goto(live_page.get_absolute_url())
    shown = phone.locator(".key-points li")
    expect(shown.nth(2)).to_be_visible()
    expect(shown.nth(3)).to_be_hidden()
    more = phone.get_by_text("Show all key points")
    assert more.bounding_box()["y"] < PHONE["height"]  # on the first screen, below the third point
    quality.screenshot(phone, f"key-points-folded-390{'' if javascript else '-no-script'}", full_page=False)
    more.click()
    for number in range(points):
        expect(shown.nth(number)).to_be_visible()
    phone.get_by_text("Show fewer key points").click()
    expect(shown.nth(3)).to_be_hidden()

    desktop = site.new_page(viewport=DESKTOP, javascript=javascript)  # room enough: every point, no switch
    desktop.goto(live_page.get_absolute_url())
    for number in range(points):
        expect(desktop.locator(".key-points li").nth(number)).to_be_visible()
    expect(desktop.get_by_text("Show all key points")).to_be_hidden()


def test_a_comment_a_moderator_approves_is_offered_on_an_open_live_page(site, live_page):
    earlier = CommentFactory(article=live_page, body="Stay safe, everyone on the harbour front.")
    reader = site.new_page()
    reader.goto(live_page.get_absolute_url() + "#comments")
    expect(reader.locator(f"#comment-{earlier.pk}")).to_be_visible()
    place = reader.locator(f"#comment-{earlier.pk}").bounding_box()["y"]

    waiting = CommentFactory(article=live_page, status=Comment.Status.PENDING, body="The ferries are back on.")
    expect(reader.get_by_text("The ferries are back on.")).to_have_count(0)
    comments_moderate(comments=Comment.objects.filter(pk=waiting.pk), moderator=None, status="approved", action="a")
    offer = reader.get_by_role("button", name="1 new comment")
    expect(offer).to_be_visible(timeout=10_000)
    offer.click()
    arrived = reader.locator(f"#comment-{waiting.pk}")
    expect(arrived).to_be_focused()
    expect(arrived).to_contain_text("The ferries are back on.")
    assert abs(reader.locator(f"#comment-{earlier.pk}").bounding_box()["y"] - place) < 2, "the page moved"
