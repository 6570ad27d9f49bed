"""The staff preview: any article exactly as readers will see it, to staff only, never cached, never indexed."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory, UserFactory
from tests.html import select

pytestmark = pytest.mark.django_db

STATES = {
    "draft": {"draft": True},
    "scheduled": {"scheduled": True},
    "live": {},
}


def preview_url(article):
    return f"/preview/{article.pk}/"


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", password="a-long-test-password")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", ["anonymous", "reader", "staff-without-role"])
def test_everyone_but_newsroom_staff_gets_404(client, category, reader, state, who):
    article = ArticleFactory(category=category, title="Secret budget story", **STATES[state])
    if who == "reader":
        client.force_login(reader)
    elif who == "staff-without-role":
        client.force_login(UserFactory(username="intern"))
    response = client.get(preview_url(article))
    assert response.status_code == 404
    assert not select(response.content, ".preview-note, .story__body")  # the site's 404, not the preview
    if state != "live":  # a live story may be among the latest headlines the 404 offers; no other may
        assert "Secret budget story" not in response.content.decode()
    assert "login" not in response.get("Location", "")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_newsroom_staff_see_the_article_as_readers_will(client, category, editor, moderator, state, role):
    article = ArticleFactory(category=category, title="Budget day", body="<p>The <em>plan</em>.</p>", **STATES[state])
    ArticleFactory(category=category, title="Yesterday's story")
    client.force_login(editor if role == "editor" else moderator)
    response = client.get(preview_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Budget day</h1>" in html and "<p>The <em>plan</em>.</p>" in html
    assert "Read next" in html and "Yesterday&#x27;s story" in html  # the reader page's furniture is all there
    assert "What is your opinion on this topic?" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control and "max-age=0" in cache_control
    expected = {"draft": "Draft", "scheduled": "Scheduled for", "live": "Live"}[state]
    assert f"<strong>Preview</strong> · {expected}" in html


def test_preview_is_never_served_from_the_page_cache(client, category, editor):
    article = ArticleFactory(category=category, title="First draft", draft=True)
    client.force_login(editor)
    assert "First draft" in client.get(preview_url(article)).content.decode()
    article.title = "Second draft"
    article.save()
    assert "Second draft" in client.get(preview_url(article)).content.decode()


def test_reader_pages_never_show_the_preview_note(client, article, editor):
    client.force_login(editor)
    assert "<strong>Preview</strong>" not in client.get(article.get_absolute_url()).content.decode()


def test_admin_links_to_the_preview_and_save_and_preview_lands_there(client, new_article_data):
    response = client.post(ADD_URL, new_article_data(status=Article.Status.DRAFT, _preview="Save and preview"))
    draft = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == preview_url(draft)
    form = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert f'href="{preview_url(draft)}"' in form and "Save and preview" in form
    assert "View on site" not in form  # readers cannot see a draft: no link to a 404
    listing = client.get("/admin/articles/article/").content.decode()
    assert f'href="{preview_url(draft)}"' in listing
