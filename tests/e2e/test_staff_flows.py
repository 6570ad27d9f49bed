"""What staff do in the admin, clicked through in Chromium, and what readers then see on the site."""

import re
from io import BytesIO

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.e2e import editing, quality

pytestmark = pytest.mark.e2e

OPINION = "Sensors are cheaper than flooded kitchens. I hope the trial reaches our street."


def test_moderator_approves_the_first_comment_and_readers_see_it(site, moderator_account):
    article = Article.objects.live().filter(comments__isnull=True).select_related("category").first()
    reader = site.new_page(javascript=False)
    reader.goto(article.get_absolute_url())
    reader.get_by_role("link", name="Leave the first comment").click()
    reader.get_by_label("Your name").fill("Sam Okoro")
    reader.get_by_label("Your e-mail").fill("sam@example.com")
    reader.get_by_label("Your comment").fill(OPINION)
    reader.get_by_role("button", name="Send comment").click()
    expect(reader.get_by_role("status")).to_contain_text("awaits moderation")

    moderator = site.new_page()
    site.log_in(moderator, moderator_account.username)
    waiting = Comment.objects.queue().count()
    notice = moderator.locator(".moderation-queue-notice")
    expect(notice).to_contain_text(f"{waiting} comments wait for moderation")
    notice.get_by_role("link").click()

    # The workspace: one card per comment, decided with one click (or key) and no page load.
    card = moderator.locator("[data-card]", has_text=OPINION)
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Approve").click()
    expect(card.locator("[data-outcome]")).to_have_text("Approved.")
    expect(moderator.locator("[data-count]")).to_have_text(str(waiting - 1))

    reader.goto(article.get_absolute_url())
    comments = reader.locator("#comments")
    expect(comments.locator(".comment")).to_contain_text(OPINION)
    expect(comments.locator(".comment__author")).to_have_text("Sam Okoro")
    expect(comments.locator(".comments__count")).to_have_text("1 comment")
    expect(comments.get_by_role("link", name="Leave a comment", exact=True)).to_be_visible()
    expect(comments.get_by_role("link", name="Leave the first comment")).to_have_count(0)


def jpeg_bytes():
    """Return a photo-sized JPEG as an editor's camera would hand it over."""
    buffer = BytesIO()
    Image.new("RGB", (1200, 675), (40, 90, 140)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_editor_publishes_an_article_with_an_image_and_readers_see_it_first(site, editor_account):
    headline = "Night ferry to Kestra resumes after winter pause"
    editor = site.new_page()
    site.log_in(editor, editor_account.username)
    editor.get_by_role("rowheader", name="Articles").get_by_role("link").click()
    editor.get_by_role("link", name=re.compile("Add article")).click()

    editor.get_by_label("Headline").press_sequentially(headline)
    # The admin's own script fills the slug from the headline.
    expect(editor.get_by_label("Slug")).to_have_value("night-ferry-to-kestra-resumes-after-winter-pause")
    editor.get_by_label("Category").select_option(label="World News")
    editor.get_by_label("Standfirst").fill("The overnight crossing returns on Friday with a new, quieter ship.")
    editor.get_by_label("Credit line").fill("Tomas Lind")
    editing.write(editor, "Body", "The ferry leaves at 22:15.", "Tickets are on sale at the harbour office.")
    # The lead image: the library's dialog, with a new upload in it.
    with editor.expect_popup() as opened:
        editor.get_by_role("link", name="Choose or upload a picture").click()
    dialog = opened.value
    site.log.watch(dialog)
    expect(dialog.locator(".library-card").first).to_be_visible()  # the library's pictures, to choose from
    quality.screenshot(dialog, "library-chooser")
    dialog.locator("#upload-file").set_input_files(
        files=[{"name": "ferry.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    dialog.get_by_label("Alt text").fill("The white night ferry moored at Kestra harbour at dusk")
    dialog.get_by_label("Caption").fill("The new ferry on its trial run.")
    with dialog.expect_event("close"):
        dialog.get_by_role("button", name="Upload").click()
    expect(editor.locator("#id_lead_image")).not_to_have_value("")
    expect(editor.locator(".field-lead_image [data-picture-preview]")).to_contain_text("The white night ferry")
    editor.locator(".field-lead_image .picture-chooser").scroll_into_view_if_needed()
    editor.screenshot(path=str(quality.ARTIFACTS / "article-form-lead-image.png"))
    editor.get_by_label("Status").select_option(label="Published")
    editor.get_by_label("Pinned lead story").check()
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(title=headline)
    assert article.is_live and article.lead_image
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)  # the worker's turn
    editor.goto("/admin/articles/image/")
    expect(editor.locator(".library-card").first).to_contain_text("The white night ferry")
    expect(editor.locator(".library-card").first).to_contain_text("Lead image of 1 story")
    quality.screenshot(editor, "library-grid")

    reader = site.new_page()
    reader.goto("/")
    lead = reader.locator(".lead")
    expect(lead.locator(".teaser__title")).to_have_text(headline)
    image = lead.locator("img")
    expect(image).to_have_attribute("alt", "The white night ferry moored at Kestra harbour at dusk")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")  # what the editor uploaded is served

    other = Article.objects.live().exclude(pk=article.pk).select_related("category").first()
    reader.goto(other.get_absolute_url())
    first_item = reader.get_by_role("complementary", name="Read next").locator("li").first
    expect(first_item.locator(".read-next__title")).to_have_text(headline)
    first_item.get_by_role("link").click()
    expect(reader.locator("h1")).to_have_text(headline)
    expect(reader.locator(".story__figure figcaption")).to_contain_text("The new ferry on its trial run.")
