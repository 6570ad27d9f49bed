"""Where things sit on the screen, measured in Chromium at a phone's and a desktop's width (not only screenshots)."""

import pytest

from articles.models import Article
from tests.e2e import quality
from tests.e2e.tools import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

BREATHING_ROOM = 16  # px: at least this between the header and the first line of content, and before the footer


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_content_keeps_its_distance_from_the_header_and_the_footer(site, viewport):
    story = Article.objects.live().select_related("category").first()
    page = site.new_page(viewport=viewport)
    for path, first_line in (("/", "main h1, main h2, main .teaser"), (story.get_absolute_url(), ".story .kicker")):
        page.goto(path)
        above = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('.site-header, .breaking-bar')]
                         .map(element => element.getBoundingClientRect().bottom + window.scrollY))"""
        )
        content_top = box(page, first_line)["y"]
        assert content_top - above >= BREATHING_ROOM, (path, viewport, content_top, above)
        main, footer = box(page, "main"), box(page, ".site-footer")
        last_content_bottom = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('main > *')]
                         .map(element => element.getBoundingClientRect().bottom + window.scrollY))"""
        )
        assert footer["y"] - last_content_bottom >= BREATHING_ROOM, (path, viewport)
        assert footer["y"] >= main["y"] + main["height"] - 1
    quality.screenshot(page, f"story-top-{viewport['width']}", full_page=False)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_comment_count_by_the_byline_leads_to_comments_that_follow_the_story(site, viewport):
    stories = Article.objects.live().select_related("category")
    discussed = max(stories, key=lambda story: story.comments.public().count())
    published = discussed.comments.public().count()
    page = site.new_page(viewport=viewport)
    page.goto(discussed.get_absolute_url())

    count = page.locator(".story__header .story__comments")
    assert count.inner_text() == f"{published} comments"
    assert box(page, ".story__meta")["y"] <= box(page, ".story__comments")["y"] < box(page, ".story__body")["y"]
    quality.screenshot(page, f"story-comment-count-{viewport['width']}", full_page=False)

    count.click()
    page.wait_for_url("**#comments")
    assert 0 <= box(page, "#comments-title")["y"] < viewport["height"]  # the reader is at the comments (boxes: in view)

    story, call, rail = box(page, ".story"), box(page, ".comments__call"), box(page, ".rail")
    if viewport is PHONE:  # one column: the way into the comments comes straight after the story, the lists after
        assert story["y"] + story["height"] <= call["y"] < rail["y"]
    else:  # the lists beside the story, from its top
        assert rail["x"] >= story["x"] + story["width"] and abs(rail["y"] - story["y"]) < 50


def test_the_section_row_on_a_phone_shows_that_it_scrolls(site):
    page = site.new_page(viewport=PHONE)
    page.goto("/")
    row = page.locator(".sections__list")
    fade = row.evaluate("list => parseFloat(getComputedStyle(list).getPropertyValue('--sections-fade')) * 16")
    assert "linear-gradient" in row.evaluate("list => getComputedStyle(list).maskImage")
    assert row.evaluate("list => list.scrollWidth > list.clientWidth")  # more sections than the screen holds
    row_box, cut_off = box(page, ".sections__list"), box(page, ".sections__list li:last-child a")
    assert cut_off["x"] > row_box["x"] + row_box["width"] - fade  # under the fade, or beyond it: "more this way"
    quality.screenshot(page, "sections-row-390", full_page=False)

    row.evaluate("list => { list.scrollLeft = list.scrollWidth; }")
    last = box(page, ".sections__list li:last-child a")
    assert last["x"] + last["width"] <= row_box["x"] + row_box["width"] - fade  # scrolled to, clear of the fade
