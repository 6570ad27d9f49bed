"""The writing surface in Chromium: a story typed with the toolbar and the keyboard, a picture from the library and
an embed placed in it, saved, and read as a reader would, with nothing sent to the embed's provider until asked."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e import editing, quality
from tests.e2e.tools import DESKTOP, PHONE
from tests.factories import picture

pytestmark = pytest.mark.e2e

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_an_editor_writes_a_story_without_typing_a_mark(site, editor_account):
    image = picture("harbour-map.jpg", (1600, 900), alt_text="A map of the harbour and its eight gates")
    editor = site.new_page()
    site.log_in(editor, editor_account.username)
    editor.goto("/admin/articles/article/add/")
    editor.get_by_label("Headline").press_sequentially("Night ferry timetable, explained")
    editor.get_by_label("Category").select_option(label="World News")
    editor.get_by_label("Standfirst").fill("What changes on Friday, and what stays the same.")
    editor.get_by_label("Credit line").fill("Tomas Lind")

    body = editor.get_by_role("textbox", name="Body")  # the writing surface carries the field's label
    expect(body).to_be_visible()
    body.click()
    editor.keyboard.type("The ferry now leaves at ")
    editor.keyboard.press("Control+b")
    editor.keyboard.type("22:15")
    editor.keyboard.press("Control+b")
    editor.keyboard.type(" every night.")
    editor.keyboard.press("Enter")
    editor.keyboard.type("## What changes")  # a subheading by its shortcut
    editor.keyboard.press("Enter")
    editor.keyboard.type("- Later crossings")
    editor.keyboard.press("Enter")
    editor.keyboard.type("Quieter ship")
    editor.keyboard.press("Enter")
    editor.keyboard.press("Enter")  # out of the list, on an empty line
    # A picture from the library, at the cursor; the writing goes on below it.
    with editor.expect_popup() as opened:
        editor.get_by_role("link", name="Insert a picture from the library (or upload one)").click()
    dialog = opened.value
    site.log.watch(dialog)
    dialog.wait_for_load_state()  # the admin's popup script answers the click only once it has loaded
    with dialog.expect_event("close"):
        dialog.locator(f'[data-popup-opener="{image.pk}"]').click()
    expect(body.locator(".story-editor__picture")).to_contain_text("A map of the harbour")
    # An embed: a link pasted on an empty line.
    editor.evaluate(
        """url => {
            const data = new DataTransfer();
            data.setData("text/plain", url);
            document.querySelector(".field-body .story-editor .tiptap").dispatchEvent(
                new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        VIDEO,
    )
    expect(body.locator(".story-editor__embed")).to_contain_text("YouTube embed")
    # A table from the toolbar, below the embed.
    editor.locator(".field-body .story-editor").get_by_role("button", name=re.compile("table", re.I)).first.click()
    table = editor.locator("dialog.prose-editor-dialog")
    table.get_by_label("Rows").fill("2")
    table.get_by_label("Columns").fill("2")
    table.get_by_label("Include header row").select_option("Yes")
    table.get_by_role("button", name="Insert Table").click()
    editor.keyboard.type("Day")
    editor.keyboard.press("Tab")
    editor.keyboard.type("Crossing")
    editor.keyboard.press("Tab")
    editor.keyboard.type("Friday")
    editor.keyboard.press("Tab")
    editor.keyboard.type("22:15")
    body.scroll_into_view_if_needed()
    quality.screenshot(editor, "editor-story", full_page=False)
    editor.get_by_role("button", name="Save and publish").click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")

    story = Article.objects.get(title="Night ferry timetable, explained")
    assert story.is_live
    assert "<strong>22:15</strong>" in story.body and "<h2>What changes</h2>" in story.body
    assert "<ul><li>Later crossings</li><li>Quieter ship</li></ul>" in story.body
    # In the order written: the picture after the list, the embed after it, then the table.
    order = [
        story.body.index(f'<figure data-picture="{image.pk}" data-size="column">'),
        story.body.index('<figure data-embed="youtube"'),
        story.body.index("<table>"),
    ]
    assert order == sorted(order) and order[0] > story.body.index("</ul>")
    assert "<td>Friday</td>" in story.body and "<p></p>" not in story.body
    assert list(story.body_images.all()) == [image]

    # The reader: structure, the picture's renditions, the placeholder; YouTube hears nothing before the click.
    reader = site.new_page()
    outside = []
    reader.on("request", lambda request: outside.append(request.url) if "127.0.0.1" not in request.url else None)
    reader.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>player</title>"),
    )
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".story__body h2")).to_have_text("What changes")
    expect(reader.locator(".story__body table th, .story__body table td").first).to_be_visible()
    expect(reader.locator(".story__body figure.story__picture img")).to_have_attribute("srcset", re.compile("480w"))
    placeholder = reader.locator("figure[data-embed]")
    expect(placeholder).to_contain_text("YouTube may set cookies")
    assert outside == [], outside
    quality.screenshot(reader, "embed-placeholder")
    placeholder.get_by_role("button", name="Show the video from YouTube").click()
    expect(reader.locator("iframe.embed__frame")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    reader.wait_for_timeout(300)
    assert any("youtube-nocookie.com/embed/dQw4w9WgXcQ" in url for url in outside), outside
    quality.screenshot(reader, "embed-loaded")


def test_a_link_is_checked_in_the_editor_before_it_is_saved(site, editor_account):
    editor = site.new_page()
    site.log_in(editor, editor_account.username)
    editor.goto("/admin/articles/article/add/")
    editing.write(editor, "Body", "Read the report first.")
    editor.keyboard.press("Shift+Home")  # the whole line, selected
    # The toolbar's link button lights up once the words are selected; then the shortcut asks for the address.
    expect(editor.locator('.field-body .prose-menubar [data-name="link"]')).not_to_have_class(
        re.compile(r"\bdisabled\b")
    )
    editor.keyboard.press("Control+k")
    dialog = editor.locator("dialog[open]")
    dialog.get_by_label("Address (URL)").fill("the report")
    dialog.get_by_role("button", name="Update").click()
    expect(dialog).to_contain_text("“the report” is not a web address. Start it with https://")
    expect(dialog.get_by_label("Address (URL)")).to_have_value("the report")  # what was typed stays, to correct
    quality.screenshot(editor, "editor-link-refused", full_page=False)
    dialog.get_by_label("Address (URL)").fill("www.example.org/report")
    dialog.get_by_role("button", name="Update").click()
    expect(editor.locator("dialog[open]")).to_have_count(0)
    link = editor.get_by_role("textbox", name="Body").get_by_role("link", name="Read the report first.")
    expect(link).to_have_attribute("href", "https://www.example.org/report")


SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def off_screen(page, selector):
    """Name the elements matching `selector` that do not lie wholly inside the window as it first opens."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.getClientRects().length)
            .filter(el => {
                const box = el.getBoundingClientRect();
                return box.left < 0 || box.top < 0 || box.right > window.innerWidth + 0.5
                    || box.bottom > window.innerHeight + 0.5;
            })
            .map(el => `${el.tagName.toLowerCase()} "${(el.value || el.textContent).trim().slice(0, 30)}"`)""",
        selector,
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_the_story_form_fits_the_screen_with_its_actions_in_view(site, editor_account, screen):
    story = Article.objects.filter(status=Article.Status.DRAFT).first() or Article.objects.first()
    editor = site.new_page(viewport=SCREENS[screen])
    site.log_in(editor, editor_account.username)
    editor.goto(f"/admin/articles/article/{story.pk}/change/")
    quality.screenshot(editor, f"article-form-{screen}")

    # The save, the preview and the publish are on screen before any scrolling, and stay there further down.
    actions = ".story-actions .submit-row input, .story-actions .submit-row button"
    assert editor.locator(actions).count() >= 3
    assert off_screen(editor, actions) == []
    expect(editor.get_by_role("button", name="Save and publish")).to_be_visible()
    editor.locator(".field-key_points").scroll_into_view_if_needed()
    assert off_screen(editor, actions) == []
    assert quality.horizontal_overflow(editor) == 0

    # The headline runs the width of the text, and counts.
    headline = editor.get_by_label("Headline")
    assert headline.bounding_box()["width"] >= min(600, SCREENS[screen]["width"] - 60)
    headline.fill("Harbour barrier")
    expect(editor.locator("#id_title_count")).to_have_text("15 / 60 characters")
    headline.fill("The harbour barrier closes for the first time in a decade as the storm tide rises")
    expect(editor.locator("#id_title_count")).to_contain_text("81 / 60 characters. Search results cut")
    standfirst = editor.get_by_label("Standfirst")
    standfirst.fill("x" * 170)
    expect(editor.locator("#id_standfirst_count")).to_contain_text("170 / 160 characters")
    editor.evaluate("window.scrollTo(0, 0)")
    quality.screenshot(editor, f"article-form-counts-{screen}", full_page=False)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_story_list_shows_every_column(site, editor_account, screen):
    editor = site.new_page(viewport=SCREENS[screen])
    site.log_in(editor, editor_account.username)
    editor.goto("/admin/articles/article/")
    quality.screenshot(editor, f"article-list-{screen}")
    assert quality.horizontal_overflow(editor) == 0
    if screen == "desktop":  # a table, every column on screen
        names = [name.strip().lower() for name in editor.locator("#result_list thead th").all_inner_texts()]
        for column in ("headline", "state", "byline", "category", "published", "open by", "preview"):
            assert column in names, f"{column} not in {names}"
        assert off_screen(editor, "#result_list thead th") == []
        clipped = editor.evaluate(
            "() => { const box = document.querySelector('.results'); return box.scrollWidth - box.clientWidth; }"
        )
        assert clipped <= 0, f"the list scrolls sideways by {clipped} px"
    else:  # a card per story, everything in it on screen
        category = editor.locator("#result_list tbody tr").first.locator(".field-category")
        label = category.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Section: "' and category.is_visible()
    first_row = "#result_list tbody tr:first-child"
    expect(editor.locator(f"{first_row} .field-title a")).to_be_visible()
    assert off_screen(editor, f"{first_row} td, {first_row} th") == []
