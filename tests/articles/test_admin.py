"""Editors run articles and categories in the admin; they have no power over comments or users."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory, CategoryFactory, picture
from tests.html import select, text_of

pytestmark = pytest.mark.django_db


def article_form_data(category, **overrides):
    """Return a complete add/change form without reading the page (for users who may not open it)."""
    data = {
        "title": "Council approves new library",
        "slug": "council-approves-new-library",
        "category": category.pk,
        "standfirst": "The library opens next spring.",
        "credit_line": "Maya Okafor",
        "body": "A paragraph.",
        "lead_image": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        "comment_moderation": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    return data | overrides


def test_editor_creates_and_publishes_an_article(client, new_article_data):
    response = client.post(ADD_URL, new_article_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get(slug="council-approves-new-library")
    assert story.is_live
    assert [author.name for author in story.credited_authors] == ["Maya Okafor"]
    client.logout()
    reader_page = client.get(story.get_absolute_url())
    assert reader_page.status_code == 200
    assert text_of(select(reader_page.content, "h1")[0]) == "Council approves new library"


def test_editor_schedules_an_article(client, new_article_data):
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    data = new_article_data(published_at_0=later.strftime("%d/%m/%Y"), published_at_1="18:56:00")
    assert client.post(ADD_URL, data).status_code == 302
    story = Article.objects.get(slug="council-approves-new-library")
    assert story.is_scheduled
    listing = client.get("/admin/articles/article/").content.decode()
    assert "Scheduled for" in listing
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_editor_edits_an_article(client, editor, article, admin_form):
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form(url) | {"title": "A corrected headline"}
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "A corrected headline"


def test_lead_image_needs_alt_text(client, new_article_data):
    response = client.post(ADD_URL, new_article_data(lead_image=str(picture(alt_text="").pk)))
    assert response.status_code == 200
    assert "This picture has no alt text" in response.content.decode()
    assert not Article.objects.exists()


def listed_titles(client, **query):
    """The headlines the article changelist shows for a filter or search."""
    html = client.get("/admin/articles/article/", query).content
    return sorted(text_of(cell) for cell in select(html, "#result_list th.field-title a"))


def test_article_list_filters_by_state_and_searches(client, editor, category):
    ArticleFactory(category=category, title="Live story")
    ArticleFactory(category=category, title="Draft story", draft=True)
    ArticleFactory(category=CategoryFactory(), title="Future story", scheduled=True)
    client.force_login(editor)
    assert listed_titles(client) == ["Draft story", "Future story", "Live story"]
    assert listed_titles(client, state="live") == ["Live story"]
    assert listed_titles(client, state="scheduled") == ["Future story"]
    assert listed_titles(client, state="draft") == ["Draft story"]
    assert listed_titles(client, q="Future") == ["Future story"]


def test_article_form_prepopulates_slug_and_links_to_site(client, editor, article):
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "prepopulated_fields" in html or "data-prepopulated-fields" in html
    assert "View on site" in html


def test_category_slug_may_not_shadow_site_urls(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/articles/category/add/", {"name": "Admin", "slug": "admin", "description": "", "position": 0}
    )
    assert response.status_code == 200
    assert "used by the site itself" in response.content.decode()


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_editors_group_has_no_comment_or_user_permissions(editor):
    perms = editor.get_all_permissions()
    assert {"articles.add_article", "articles.change_article", "articles.change_category"} <= perms
    assert not any(perm.startswith("comments.") for perm in perms)
    assert not any(perm.startswith("auth.") for perm in perms)


def test_moderator_can_view_but_not_change_articles(client, moderator, article):
    client.force_login(moderator)
    assert client.get("/admin/articles/article/").status_code == 200
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="title"' not in page
    data = article_form_data(article.category, title="Changed by a moderator", slug=article.slug)
    assert client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 403
    assert client.get("/admin/articles/article/add/").status_code == 403
    article.refresh_from_db()
    assert article.title != "Changed by a moderator"


def test_users_without_group_cannot_enter_articles_admin(client, db):
    user = get_user_model().objects.create_user("intern", password="a-long-test-password", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/articles/article/").status_code == 403
