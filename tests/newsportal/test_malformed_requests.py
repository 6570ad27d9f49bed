"""Malformed addresses, query strings and methods get a 4xx answer, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(article):
    category, form = article.category.get_absolute_url(), f"/{article.category.slug}/{article.slug}/comment/"
    return {
        # A page number that is no number reads as the first page (one cached page for all such addresses, with
        # the cache on or off); a page past the last is not there.
        "bad page": (f"{category}?page=abc", "get", 200),
        "huge page": (f"{category}?page=99999", "get", 404),
        "negative page": (f"{category}?page=-3", "get", 200),
        "nonsense reply": (f"{form}?reply_to=nonsense", "get", 404),
        "huge reply": (f"{form}?reply_to={'9' * 40}", "get", 404),
        "nul in path": ("/world%00news/", "get", 404),
        "bad utf-8 in path": ("/world-news/%ff%fe/", "get", 404),
        "very long path": ("/" + "a" * 5000 + "/", "get", 404),
        "post to article": (article.get_absolute_url(), "post", 405),
        "put to home": ("/", "put", 405),
        "delete a category": (category, "delete", 405),
        "post to confirmation": ("/comments/posted/xyz/", "post", 404),
        "report a missing comment": ("/comments/999999/report/", "post", 404),
        "unknown comment page": (f"{article.get_absolute_url()}?page=abc", "get", 200),
    }


def test_malformed_requests_get_a_client_error(client, urls):
    for name, (url, method, expected) in urls.items():
        response = getattr(client, method)(url)
        assert response.status_code == expected, name


def test_bad_host_header_is_a_400_in_the_site_design(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
