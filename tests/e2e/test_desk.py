"""The desk in two real browsers: two editors collide and neither loses a word; presence comes and goes; a closed
tab's typing comes back; a reporter submits and an editor works the review queue."""

import pytest
from playwright.sync_api import expect

from articles import presence
from articles.models import Article
from newsportal.roles import EDITORS, REPORTERS
from tests.e2e import editing, quality
from tests.e2e.conftest import STAFF_PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def editors(site):
    """Two editors with names, each in a browser of their own, logged in."""
    people = []
    for username, first, last in (("e2e-lena", "Lena", "Hart"), ("e2e-omar", "Omar", "Said")):
        UserFactory(username=username, first_name=first, last_name=last, groups=[EDITORS], password=STAFF_PASSWORD)
        page = site.new_page()
        site.log_in(page, username)
        people.append(page)
    return people


@pytest.fixture
def story(site):
    return Article.objects.live().exclude(live_from__isnull=False).order_by("-published_at").first()


def change_url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def test_two_editors_collide_and_neither_loses_a_word(site, editors, story):
    lena, omar = editors
    lena.goto(change_url(story))
    omar.goto(change_url(story))
    standfirst = "Lena's clearer standfirst: the barriers held all night."
    headline = "Omar's headline: storm barriers hold in Varnholm"

    lena.get_by_label("Standfirst").fill(standfirst)
    lena.get_by_role("button", name="Save and continue editing").click()
    expect(lena.locator(".messagelist")).to_contain_text("was changed successfully")

    omar.get_by_label("Headline").fill(headline)
    omar.get_by_role("button", name="Save and continue editing").click()
    conflict = omar.locator("[data-conflict]")
    expect(conflict).to_contain_text("Lena Hart saved at")
    expect(conflict.locator("tbody tr")).to_have_count(1)
    expect(conflict.locator("tbody tr th")).to_contain_text("Standfirst")
    expect(omar.get_by_label("Headline")).to_have_value(headline)  # what Omar typed is still there
    expect(conflict.get_by_label("Theirs")).to_be_checked()
    quality.screenshot(omar, "desk-conflict")

    omar.get_by_role("button", name="Save and continue editing").click()
    expect(omar.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert (story.title, story.standfirst) == (headline, standfirst)  # both changes kept


def test_presence_shows_in_the_other_browser_and_clears_after_close(site, editors, story, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 1)
    lena, omar = editors
    lena.goto(change_url(story))
    omar.goto(change_url(story))
    banner = omar.locator("[data-presence]")
    expect(banner).to_contain_text("Lena Hart is editing this story — opened")
    expect(lena.locator("[data-presence]")).to_contain_text("Omar Said is editing this story", timeout=5_000)
    omar.goto("/admin/articles/article/")
    expect(omar.locator("#result_list")).to_contain_text("Lena Hart")

    omar.goto(change_url(story))
    lena.close()  # the tab closes: its last beacon says it is gone
    expect(omar.locator("[data-presence]")).to_be_hidden(timeout=5_000)


def test_autosave_brings_back_a_closed_tab(site, editors, story):
    lena, _ = editors
    lena.goto(change_url(story))
    typed = "Typed in a hurry, then the tab closed."
    lena.get_by_label("Standfirst").fill(typed)
    expect(lena.locator("[data-autosave-status]")).to_contain_text("Unsaved changes kept at", timeout=10_000)
    context = lena.context
    lena.close()

    again = context.new_page()
    site.log.watch(again)
    again.goto(change_url(story))
    offer = again.locator(".desk-autosave")
    expect(offer).to_contain_text("Restore your unsaved changes from")
    expect(offer.locator("ins")).to_have_text("Typed in a hurry, then the tab closed.")
    quality.screenshot(again, "desk-autosave-offer")
    offer.get_by_role("button", name="Restore them").click()
    expect(again.get_by_label("Standfirst")).to_have_value(typed)
    again.get_by_role("button", name="Save", exact=True).click()
    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert story.standfirst == typed


def test_a_reporter_submits_and_an_editor_works_the_review_queue(site, editors):
    UserFactory(username="e2e-rosa", first_name="Rosa", last_name="Imre", groups=[REPORTERS], password=STAFF_PASSWORD)
    reporter = site.new_page()
    site.log_in(reporter, "e2e-rosa")
    reporter.goto("/admin/articles/article/add/")
    expect(reporter.get_by_label("Status")).to_have_count(0)  # reporters are not offered publishing
    reporter.get_by_label("Headline").press_sequentially("Night buses return to the harbour route")
    reporter.get_by_label("Category").select_option(label="World News")
    reporter.get_by_label("Standfirst").fill("The 40 runs every half hour from Friday.")
    reporter.get_by_label("Credit line").fill("Rosa Imre")
    editing.write(reporter, "Body", "The night bus returns on Friday.")
    reporter.get_by_label("Note for the editor (optional)").fill("Timetable checked with the operator.")
    reporter.get_by_role("button", name="Save and submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")

    lena, _ = editors
    lena.goto("/admin/")
    notice = lena.locator(".review-queue-notice")
    expect(notice).to_contain_text("2 stories wait for review")  # the demo's and Rosa's
    notice.get_by_role("link").click()
    rows = lena.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.last).to_contain_text("Night buses return")  # oldest first: the demo's story leads
    expect(rows.last).to_contain_text("submitted by Rosa Imre")
    quality.screenshot(lena, "desk-review-queue")

    rows.last.get_by_role("link", name="Night buses return to the harbour route").click()
    panel = lena.locator(".desk-panel")
    expect(panel).to_contain_text("Timetable checked with the operator.")
    panel.get_by_role("textbox", name="Internal note").fill("Add the first and last departure times.")
    panel.get_by_role("button", name="Request changes").click()
    expect(lena.locator(".messagelist")).to_contain_text("Changes requested")
    quality.screenshot(lena, "desk-changes-requested")

    story = Article.objects.get(slug="night-buses-return-to-the-harbour-route")
    assert story.status == Article.Status.CHANGES_REQUESTED
    reporter.goto(change_url(story))
    expect(reporter.locator(".desk-panel")).to_contain_text("Add the first and last departure times.")
    editing.write(reporter, "Body", "The night bus returns on Friday. First bus 23:10, last 04:40.")
    reporter.get_by_role("button", name="Save and submit for review").click()

    lena.goto(change_url(story))
    lena.locator(".desk-panel").get_by_role("button", name="Approve and publish").click()
    expect(lena.locator(".messagelist")).to_contain_text("Approved and published")
    story.refresh_from_db()
    assert story.is_live
    readers = site.new_page()
    readers.goto(story.get_absolute_url())
    expect(readers.locator("h1")).to_have_text("Night buses return to the harbour route")
