"""Every public page type, checked as served: accessibility (axe-core), valid HTML (Nu Html Checker), a phone
layout without sideways scrolling, and screenshots at phone and desktop size for a person to look at."""

import pytest
from django.db.models import Count, Q
from playwright.sync_api import expect

from articles.models import Article, Category
from comments.models import Comment
from tests.e2e import quality
from tests.e2e.tools import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def live_articles():
    return Article.objects.live().select_related("category")


def article_without_comments():
    return live_articles().filter(comments__isnull=True).first()


def article_with_comments():
    """Return the article with the most published comments (the demo has one with a reply thread)."""
    counted = live_articles().annotate(shown=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED)))
    return counted.order_by("-shown").first()


def comment_form_url(article):
    return f"{article.get_absolute_url()}comment/"


# Each opener brings a page into the state to check and returns the HTML to validate: what the server sent,
# or for a state that script built in place, the document as it stands.


def open_home(site, page):
    return page.goto("/").text()


def open_category(site, page):
    category = Category.objects.filter(articles__in=live_articles()).distinct().first()
    return page.goto(category.get_absolute_url()).text()


def open_article(site, page):
    return page.goto(article_without_comments().get_absolute_url()).text()


def open_article_with_comments(site, page):
    return page.goto(article_with_comments().get_absolute_url()).text()


def open_article_with_form_in_place(site, page):
    """The article with the comment form opened in place by script and sent empty: errors beside the fields."""
    page.goto(article_without_comments().get_absolute_url())
    page.get_by_role("link", name="Leave the first comment").click()
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".comment-form-slot .field__error")).to_have_count(3)
    return page.content()


def open_article_with_embed(site, page):
    """The demo story with a library picture and a YouTube embed in its body, the placeholder shown."""
    story = live_articles().filter(body__contains="data-embed").first()
    html = page.goto(story.get_absolute_url()).text()
    expect(page.locator("figure[data-embed]")).to_contain_text("YouTube may set cookies")
    return html


def open_comment_form(site, page):
    return page.goto(comment_form_url(article_without_comments())).text()


def open_comment_form_with_errors(site, page):
    page.goto(comment_form_url(article_without_comments()))
    page.get_by_label("Your comment").fill("Only the comment, no name or address.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".field__error")).to_have_count(2)
    return navigation.value.text()


def open_confirmation(site, page):
    page.goto(comment_form_url(article_without_comments()))
    page.get_by_label("Your name").fill("Lee Harmon")
    page.get_by_label("Your e-mail").fill("lee@example.com")
    page.get_by_label("Your comment").fill("Good to see the barriers tested before the winter storms.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("status")).to_contain_text("awaits moderation")
    return page.goto(page.url).text()  # the page as the server sends it (the comment is not posted again)


def open_report_form(site, page):
    comment = Comment.objects.public().first()
    return page.goto(f"/comments/{comment.pk}/report/").text()


def open_not_found(site, page):
    url = "/no-such-section/no-such-story/"
    site.log.expect_status(404, site.url + url)
    response = page.goto(url)
    assert response.status == 404
    return response.text()


def open_search_results(site, page):
    """Search from the box in the header, as a reader does: results with their marked snippets."""
    page.goto("/")
    page.get_by_role("searchbox", name="Search stories").fill("harbour")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Search results for")
    return navigation.value.text()


def open_search_without_results(site, page):
    return page.goto("/search/?q=zzxxqqvvjj").text()


def open_empty_search(site, page):
    return page.goto("/search/").text()


PAGES = {
    "home": open_home,
    "category": open_category,
    "article": open_article,
    "article-with-comments": open_article_with_comments,
    "article-form-in-place": open_article_with_form_in_place,
    "article-with-embed": open_article_with_embed,
    "comment-form": open_comment_form,
    "comment-form-errors": open_comment_form_with_errors,
    "confirmation": open_confirmation,
    "report-form": open_report_form,
    "not-found": open_not_found,
    "search-results": open_search_results,
    "search-no-results": open_search_without_results,
    "search-empty": open_empty_search,
}
# The article page is held to the stricter bar: no "moderate" accessibility problem either.
ARTICLE_PAGES = {"article", "article-with-comments", "article-form-in-place", "article-with-embed"}


@pytest.mark.parametrize("name", PAGES)
def test_public_page_is_accessible_valid_and_fits_a_phone(site, name):
    page = site.new_page(viewport=DESKTOP)
    html = PAGES[name](site, page)
    problems = []

    worst_allowed = "minor" if name in ARTICLE_PAGES else "moderate"
    problems += [f"axe {line}" for line in quality.axe_violations(page, worst_allowed=worst_allowed)]
    problems += [f"vnu {line}" for line in quality.html_errors(html)]
    quality.screenshot(page, f"{name}-desktop")

    page.set_viewport_size(PHONE)
    overflow = quality.horizontal_overflow(page)
    if overflow:
        problems.append(f"phone layout {overflow}px wider than the screen")
    sticking_out = quality.elements_past_right_edge(page)
    if sticking_out:
        problems.append(f"on the phone these end beyond the right edge: {sticking_out}")
    header = quality.header_height(page)
    if header > PHONE_HEADER_LIMIT:
        problems.append(f"on the phone the header takes {header:.0f}px, more than {PHONE_HEADER_LIMIT:.0f}px")
    quality.screenshot(page, f"{name}-phone")

    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)


# The first screen of a phone shows a headline: the header takes at most a fifth of it.
PHONE_HEADER_LIMIT = 0.2 * PHONE["height"]
LAYOUT_PAGES = ["home", "category", "article", "search-results"]


@pytest.mark.parametrize("name", LAYOUT_PAGES)
def test_grids_have_no_empty_cells_at_any_width(site, name):
    page = site.new_page(viewport=DESKTOP)
    PAGES[name](site, page)
    holes = []
    for width in (1280, 900, 600, 390):
        page.set_viewport_size({"width": width, "height": 900})
        holes += [f"{width}px: {hole}" for hole in quality.grids_with_empty_cells(page)]
    assert not holes, "\n".join(holes)


@pytest.mark.parametrize("name", ["home", "article", "article-with-comments", "article-with-embed", "search-results"])
def test_dark_mode_is_accessible(site, name):
    page = site.new_page(viewport=DESKTOP, color_scheme="dark")
    PAGES[name](site, page)
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", "the page kept its light colours"
    problems = quality.axe_violations(page, worst_allowed="minor")
    quality.screenshot(page, f"{name}-dark")
    page.set_viewport_size(PHONE)
    quality.screenshot(page, f"{name}-dark-phone")
    assert not problems, "\n".join(problems)


def test_printing_an_article_gives_just_the_story(site):
    page = site.new_page(viewport=DESKTOP)
    open_article_with_comments(site, page)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".rail", "#comments", ".share"):
        expect(page.locator(hidden)).to_be_hidden()
    for shown in (".story__title", ".story__meta", ".story__figure", ".story__body"):
        expect(page.locator(shown)).to_be_visible()
    expect(page.locator(".story .print-only")).to_have_text(page.url.split("#")[0].split("?")[0])
    quality.screenshot(page, "article-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
