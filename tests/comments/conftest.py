import time

import pytest

from comments import identity
from comments.forms import form_started_token


def comment_data(article, **overrides):
    """Return what a person fills in on an article's form, shown a minute ago (not a bot's instant reply)."""
    data = {
        "author_name": "Ada Reader",
        "author_email": "ada@example.com",
        "body": "I think the council got this one right.",
        "parent": "",
        "website": "",
        "started": form_started_token(article, time.time() - 60),
    }
    return data | overrides


@pytest.fixture
def post_comment(client):
    """Send the comment form of an article as a reader from the given address."""

    def post(article, ip="198.51.100.7", **overrides):
        url = f"/{article.category.slug}/{article.slug}/comment/"
        return client.post(url, comment_data(article, **overrides), REMOTE_ADDR=ip)

    return post


def prove_address(client, email):
    """Give the reader's browser the cookie a followed confirmation link leaves for `email`."""
    from django.core import signing

    client.cookies[identity.COOKIE_NAME] = signing.dumps({"email": email}, salt=identity.COOKIE_SALT)
