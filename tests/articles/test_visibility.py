"""Drafts and scheduled articles appear nowhere for readers; published ones appear everywhere."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

VISIBILITY = [
    pytest.param({}, True, id="published"),
    pytest.param({"draft": True}, False, id="draft"),
    pytest.param({"scheduled": True}, False, id="scheduled"),
]


@pytest.mark.parametrize(("traits", "visible"), VISIBILITY)
def test_home_page_lists_only_published(client, category, traits, visible):
    ArticleFactory(category=category, title="The story under test", **traits)
    assert ("The story under test" in client.get("/").content.decode()) is visible


@pytest.mark.parametrize(("traits", "visible"), VISIBILITY)
def test_category_page_lists_only_published(client, category, traits, visible):
    ArticleFactory(category=category, title="The story under test", **traits)
    response = client.get(category.get_absolute_url())
    assert ("The story under test" in response.content.decode()) is visible


@pytest.mark.parametrize(("traits", "visible"), VISIBILITY)
def test_article_url_is_404_unless_published(client, category, traits, visible):
    story = ArticleFactory(category=category, **traits)
    url = reverse("articles:article", kwargs={"category": category.slug, "slug": story.slug})
    assert client.get(url).status_code == (200 if visible else 404)


@pytest.mark.parametrize(("traits", "visible"), VISIBILITY)
def test_read_next_lists_only_published(client, article, traits, visible):
    ArticleFactory(title="The story under test", **traits)
    response = client.get(article.get_absolute_url())
    assert ("The story under test" in response.content.decode()) is visible


@pytest.mark.parametrize(("traits", "visible"), VISIBILITY)
def test_staff_see_the_same_as_readers(client, editor, category, traits, visible):
    """The public pages never show drafts or scheduled articles, not even to logged-in staff."""
    client.force_login(editor)
    story = ArticleFactory(category=category, title="The story under test", **traits)
    assert ("The story under test" in client.get("/").content.decode()) is visible
    assert client.get(f"/{category.slug}/{story.slug}/").status_code == (200 if visible else 404)
