"""A moderator clears the queue in the workspace: by keyboard alone, with undo and help, and without JavaScript."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment, ModerationLog
from tests.e2e import quality
from tests.e2e.tools import ARTIFACTS

pytestmark = pytest.mark.e2e

WORKSPACE = "/admin/comments/comment/workspace/"
QUEUE_SIZE = 100
DECISION_KEYS = "ars"  # approve, reject, spam in turn


def fill_queue(size):
    """Make the queue exactly `size` comments long, adding waiting comments to the demo's."""
    waiting = Comment.objects.queue().count() + Comment.objects.reported_since_decision().count()
    articles = list(Article.objects.live()[:5])
    Comment.objects.bulk_create(
        Comment(
            article=articles[number % len(articles)],
            author_name=f"Reader {number}",
            author_email=f"reader{number}@example.com",
            body=f"Comment number {number} on this story, for a moderator to read.",
            body_html=f"<p>Comment number {number}</p>",
            status=Comment.Status.PENDING,
            held_reasons="pre-moderation",
        )
        for number in range(size - waiting)
    )
    assert Comment.objects.queue().count() + Comment.objects.reported_since_decision().count() == size


def test_a_moderator_clears_a_hundred_comments_by_keyboard(site, moderator_account):
    fill_queue(QUEUE_SIZE)
    page = site.new_page()
    site.log_in(page, moderator_account.username)
    page.goto(WORKSPACE)
    counter = page.locator("[data-count]")
    expect(counter).to_have_text(str(QUEUE_SIZE))
    started_at, started = timezone.now(), time.monotonic()
    presses = 0
    for remaining in range(QUEUE_SIZE - 1, -1, -1):
        page.keyboard.press(DECISION_KEYS[presses % len(DECISION_KEYS)])
        presses += 1
        expect(counter).to_have_text(str(remaining))
    seconds = time.monotonic() - started
    expect(page.locator("[data-empty]")).to_be_visible()

    assert presses <= 3 * QUEUE_SIZE
    decisions = ModerationLog.objects.filter(created_at__gte=started_at)
    assert decisions.count() == QUEUE_SIZE
    assert set(decisions.values_list("moderator", flat=True)) == {moderator_account.pk}
    assert set(decisions.values_list("to_status", flat=True)) == {"approved", "rejected", "spam"}
    assert not Comment.objects.queue().exists()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "moderation-keyboard.txt").write_text(
        f"{QUEUE_SIZE} comments decided with {presses} key presses in {seconds:.1f} s "
        f"({seconds / QUEUE_SIZE * 1000:.0f} ms per decision, browser and server together)\n"
    )


def test_undo_help_and_focus_in_the_workspace(site, moderator_account):
    fill_queue(3)
    page = site.new_page()
    site.log_in(page, moderator_account.username)
    page.goto(WORKSPACE)
    quality.screenshot(page, "moderation-workspace-desktop")
    first = page.locator("[data-card]").first
    expect(first).to_be_focused()
    assert page.evaluate("() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)") >= 2
    assert quality.axe_violations(page, worst_allowed="moderate") == []

    page.keyboard.press("a")
    expect(first.locator("[data-outcome]")).to_have_text("Approved.")
    expect(page.locator("[data-count]")).to_have_text("2")
    page.keyboard.press("z")
    expect(first.locator("[data-outcome]")).to_contain_text("Undone")
    expect(page.locator("[data-count]")).to_have_text("3")
    expect(first).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator("[data-card]").nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()

    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keys")
    expect(help_dialog).to_be_visible()
    assert quality.axe_violations(page, worst_allowed="moderate") == []
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    assert ModerationLog.objects.filter(action="undo").count() == 1


def test_without_javascript_each_button_is_a_plain_form(site, moderator_account):
    fill_queue(2)
    page = site.new_page(javascript=False)
    site.log_in(page, moderator_account.username)
    page.goto(WORKSPACE)
    first = page.locator("[data-card]").first
    author = first.locator(".card__title").inner_text()
    first.get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text("Rejected.")
    expect(page.locator("[data-card]")).to_have_count(1)
    expect(page.locator(".workspace__undo")).to_contain_text(author.split()[0])
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("[data-card]")).to_have_count(2)
