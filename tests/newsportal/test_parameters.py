"""Every parameter of every public and staff URL, sent odd values: never a server error.

`str.isdigit()` accepts `²` and `①`, which `int()` refuses; all numbers from URLs go through
`newsportal.params.positive_int`, and this sweep is the proof.
"""

import pytest

from articles import services
from newsportal.params import positive_int
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

ODD = ["²", "①", "-1", "0", "99999999999999999999", "1e3", "", "١٢", " 7", "7 ", "0x1f", "%00"]


@pytest.mark.parametrize("value", ODD)
def test_positive_int_takes_only_plain_positive_numbers(value):
    assert positive_int(value) is None
    assert positive_int(value, default=1) == 1


def test_positive_int_takes_ascii_digits_within_bounds():
    assert positive_int("42") == 42
    assert positive_int("5", maximum=4) is None
    assert positive_int(None) is None


@pytest.fixture
def pages(article, editor):
    """The URLs and the parameters each one reads, public and staff."""
    story = services.article_save(article=article, user=editor, reason="First")
    comment = CommentFactory(article=story)
    revision = story.history.first()
    ArticleFactory(category=story.category)
    public = {
        "/": ["page"],
        story.category.get_absolute_url(): ["page"],
        story.get_absolute_url(): ["page", "sort"],
        f"{story.get_absolute_url()}comment/": ["reply_to"],
        "/search/": ["q", "page"],
        "/authors/": ["page"],
        "/corrections/": ["page"],
        "/sitemaps/articles.xml": ["p"],
        f"/comments/{comment.pk}/report/": ["page"],
    }
    staff = {
        "/admin/articles/article/": ["state", "category__id__exact", "p", "o", "published_at__year"],
        f"/admin/articles/article/{story.pk}/history/": ["p"],
        f"/admin/articles/article/{story.pk}/history/{revision.history_id}/": ["against"],
        "/admin/comments/comment/": ["article", "status", "held", "reported", "p", "o"],
        "/admin/comments/comment/workspace/": ["article", "reason"],
        "/admin/comments/comment/workspace/more/": ["article", "reason", "exclude"],
        f"/admin/comments/comment/workspace/{comment.pk}/block/": ["article"],
    }
    return public, staff


@pytest.mark.parametrize("value", ODD)
def test_odd_parameters_never_cause_a_server_error(client, moderator, editor, pages, value):
    public, staff = pages
    for url, names in public.items():
        for name in names:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value)
            repeated = client.get(f"{url}?{name}=1&{name}={value}")
            assert repeated.status_code < 500, (url, name, "repeated", value)
    for user in (editor, moderator):
        client.force_login(user)
        for url, names in staff.items():
            for name in names:
                assert client.get(url, {name: value}).status_code < 500, (user, url, name, value)


@pytest.mark.parametrize("value", ["²", "①", "-1", "99999999999999999999", "1e3"])
def test_odd_ids_in_staff_paths_are_not_found(client, editor, article, value):
    client.force_login(editor)
    assert client.get(f"/admin/articles/article/{article.pk}/history/{value}/").status_code == 404
