"""What a reader does, clicked through in Chromium: read, follow Read next, comment (with and without JavaScript),
and report a comment until it is hidden."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment, Report

pytestmark = pytest.mark.e2e

OPINION = "The barrier held because the town paid for maintenance when nobody was looking. Well done."


def article_without_comments():
    """Return the newest live article that has no comment at all, in any state."""
    return Article.objects.live().filter(comments__isnull=True).select_related("category").first()


def test_reader_follows_a_headline_then_an_item_of_read_next(site):
    page = site.new_page()
    page.goto("/")
    lead = page.locator(".lead .teaser__title a")
    headline = lead.inner_text()
    lead.click()

    expect(page.locator("h1")).to_have_text(headline)
    read_next = page.get_by_role("complementary", name="Read next")
    expect(read_next).to_be_visible()
    items = read_next.locator("li a")
    expect(items).to_have_count(5)
    first = items.first
    target_title = first.locator(".read-next__title").inner_text()
    target_href = first.get_attribute("href")
    assert target_title != headline

    first.click()
    expect(page).to_have_url(site.url + target_href)
    expect(page.locator("h1")).to_have_text(target_title)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_reader_leaves_the_first_comment(site, javascript):
    article = article_without_comments()
    page = site.new_page(javascript=javascript)
    page.goto(article.get_absolute_url())
    comments = page.locator("#comments")
    expect(comments.get_by_role("heading", name="What is your opinion on this topic?")).to_be_visible()
    expect(comments.locator(".comments__count")).to_have_count(0)

    comments.get_by_role("link", name="Leave the first comment").click()
    if javascript:
        # Opened in place: still on the article, the form below the call, the cursor in its first field.
        expect(page).to_have_url(site.url + article.get_absolute_url())
        form = comments.locator(".comment-form-slot form")
        expect(form.get_by_label("Your name")).to_be_focused()
    else:
        expect(page).to_have_url(re.compile(r"/comment/$"))
        form = page.locator("form.comment-form")
    expect(form).to_be_visible()

    form.get_by_role("button", name="Send comment").click()
    expect(form.locator(".form-errors")).to_have_text("Please correct the marked fields below.")  # nothing typed
    expect(form.locator(".field__error")).to_have_text(
        [
            "Please tell us your name.",
            "Please give your e-mail address; it is never shown.",
            "Please write your comment.",
        ]
    )

    form = page.locator("form.comment-form")
    for label in ("Your name", "Your e-mail", "Your comment"):
        assert_marked_invalid(form.get_by_label(label))

    # A second mistake: the e-mail address. What was typed stays in the form.
    form.get_by_label("Your name").fill("Ada Reader")
    form.get_by_label("Your e-mail").fill("ada-at-example")
    form.get_by_label("Your comment").fill(OPINION)
    form.get_by_role("button", name="Send comment").click()
    expect(form.locator(".form-errors")).to_contain_text("nothing you wrote has been lost")
    expect(form.locator(".field__error")).to_have_text(
        ["This does not look like an e-mail address, e.g. name@example.com."]
    )
    assert_marked_invalid(form.get_by_label("Your e-mail"))
    expect(form.get_by_label("Your name")).not_to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Your name")).to_have_value("Ada Reader")
    expect(form.get_by_label("Your comment")).to_have_value(OPINION)
    assert not Comment.objects.filter(article=article).exists()  # nothing stored while the form has errors

    form.get_by_label("Your e-mail").fill("ada@example.com")
    form.get_by_role("button", name="Send comment").click()
    expect(page).to_have_url(re.compile(r"/comments/posted/"))
    expect(page.get_by_role("status")).to_contain_text("Your comment awaits moderation")
    expect(page.locator(".own-comment")).to_contain_text(OPINION)

    comment = Comment.objects.get(article=article)
    assert (comment.author_name, comment.author_email, comment.status) == ("Ada Reader", "ada@example.com", "pending")
    # Still a first comment for everyone else until a moderator approves it.
    page.get_by_role("link", name="Back to the article").click()
    expect(page.locator("#comments").get_by_role("link", name="Leave the first comment")).to_be_visible()
    own = page.locator("#comments .comment--own")
    if javascript:
        # The reader sees their own waiting comment, kept by their browser, never by the shared page.
        expect(own).to_contain_text(OPINION)
        expect(own).to_contain_text("only you can see this until a moderator approves it")
    else:
        expect(own).to_have_count(0)
    served = page.request.get(article.get_absolute_url()).text()
    assert OPINION not in served and "only you can see this" not in served


def assert_marked_invalid(field):
    """The field shows its error as a sighted reader sees it (the error colour) and as a screen reader hears it."""
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    error_id = next(part for part in described_by.split() if part.endswith("_error"))
    expect(field.page.locator(f"#{error_id}")).to_be_visible()
    error_colour = field.page.locator(f"#{error_id}").evaluate("element => getComputedStyle(element).color")
    expect(field).to_have_css("border-left-color", error_colour)


def test_the_form_opened_in_place_can_be_closed(site):
    page = site.new_page()
    page.goto(article_without_comments().get_absolute_url())
    call = page.get_by_role("link", name="Leave the first comment")
    call.click()
    expect(call).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#{call.get_attribute('aria-controls')} form")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator(".comment-form-slot")).to_have_count(0)
    expect(call).to_have_attribute("aria-expanded", "false")
    expect(call).to_be_focused()


def test_report_form_shows_its_error_beside_large_choices(site):
    comment = Comment.objects.filter(status=Comment.Status.APPROVED).select_related("article__category").first()
    page = site.new_page()
    page.goto(comment.article.get_absolute_url())
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile(r"^Report")).click()
    page.get_by_role("button", name="Send report").click()  # no choice: the server answers, not a bubble
    expect(page.locator(".field__error")).to_have_text("Please choose a reason.")
    group = page.get_by_role("group", name=re.compile("Why should moderators"))
    expect(group).to_have_attribute("aria-describedby", re.compile("_error"))
    for radio in group.get_by_role("radio").all():
        expect(radio).to_have_attribute("aria-invalid", "true")
        box = radio.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


def report(page, comment, reason):
    """Report a comment from the article page as a reader would; return the confirmation text."""
    page.goto(comment.article.get_absolute_url())
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile(r"^Report")).click()
    page.get_by_label(reason).check()
    page.get_by_role("button", name="Send report").click()
    return page.get_by_role("status").inner_text()


def test_reports_from_enough_different_readers_hide_a_comment(site, settings, site_settings):
    # Each reader comes through the proxy with their own address, each on a network of its own, as on the
    # production site (reports from one network count once).
    settings.TRUSTED_PROXY_COUNT = 1
    threshold = site_settings().reports_to_hide
    comment = Comment.objects.public().filter(parent__isnull=True).select_related("article__category").first()
    readers = [site.new_page(headers={"X-Forwarded-For": f"203.0.{n}.9"}) for n in range(1, threshold + 1)]

    assert report(readers[0], comment, "Abusive or hateful") == "Thank you. Moderators will look at this comment."
    # The same reader again does not count twice.
    assert report(readers[0], comment, "Off-topic").startswith("You have already reported this comment")
    for reader in readers[1:-1]:
        report(reader, comment, "Spam or advertising")
    readers[-1].goto(comment.article.get_absolute_url())
    expect(readers[-1].locator(f"#comment-{comment.pk}")).to_contain_text(comment.body)

    assert report(readers[-1], comment, "Something else") == "Thank you. Moderators will look at this comment."
    readers[-1].get_by_role("link", name="Back to the article").click()
    expect(readers[-1].locator("#comments")).to_be_visible()
    expect(readers[-1].locator(f"#comment-{comment.pk}")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Report.objects.filter(comment=comment).count() == threshold


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_reader_recommends_a_comment(site, javascript):
    comment = Comment.objects.public().select_related("article__category").first()
    page = site.new_page(javascript=javascript)
    page.goto(comment.article.get_absolute_url())
    actions = page.locator(f"#comment-{comment.pk} form[data-recommend]")
    button = actions.get_by_role("button", name=re.compile("^Recommend"))
    button.click()
    if javascript:  # sent in place: shown at once, before the count is written down, and still after a reload
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(actions.locator("[data-recommends]")).to_have_text(f" · {comment.recommend_count + 1}")
        page.reload()
        expect(button).to_have_attribute("aria-pressed", "true")
        button.click()  # a second press takes it back
        expect(button).to_have_attribute("aria-pressed", "false")
        expect(actions.locator("[data-recommends]")).to_have_text(
            f" · {comment.recommend_count}" if comment.recommend_count else ""
        )
    else:  # a page with one button, then back at the comment
        expect(page.get_by_role("heading", name="Recommend this comment?")).to_be_visible()
        page.get_by_role("button", name="Recommend", exact=True).click()
        expect(page).to_have_url(re.compile(f"#comment-{comment.pk}$"))
