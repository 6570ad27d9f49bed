"""Simultaneous comments (PostgreSQL: real parallel transactions): each stored once, and no more than allowed."""

import threading

import pytest
from django.db import connections
from django.test import Client

from comments.models import Comment
from tests.comments.conftest import comment_data

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("postgresql")]


def send_at_once(article, posts):
    """Send the comment forms `posts` (dicts of overrides with an `ip`) in parallel threads; return the statuses."""
    url = f"/{article.category.slug}/{article.slug}/comment/"
    start = threading.Barrier(len(posts))
    statuses = []

    def reader(overrides):
        ip = overrides.pop("ip")
        client = Client()
        try:
            start.wait()
            statuses.append(client.post(url, comment_data(article, **overrides), REMOTE_ADDR=ip).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(dict(post),)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_twenty_readers_at_once_are_all_stored_once(article):
    posts = [
        {
            "ip": f"198.51.100.{n + 1}",
            "author_name": f"Reader {n}",
            "author_email": f"r{n}@example.com",
            "body": f"Opinion {n}",
        }
        for n in range(20)
    ]
    assert send_at_once(article, posts) == [302] * 20
    bodies = sorted(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert bodies == sorted(f"Opinion {n}" for n in range(20))


def test_six_identical_comments_sent_at_once_are_stored_once(article, site_settings):
    site_settings(rate_limit=100)  # the same-text rule alone answers here
    posts = [{"ip": "198.51.100.7", "body": "Sent six times by a double-clicking reader"}] * 6
    assert send_at_once(article, posts) == [302] + [409] * 5
    assert Comment.objects.count() == 1


def test_twelve_comments_at_once_pass_a_limit_of_five_exactly_five_times(article, site_settings):
    site_settings(rate_limit=5)
    posts = [{"ip": "198.51.100.7", "body": f"Flood number {n}"} for n in range(12)]
    assert send_at_once(article, posts) == [302] * 5 + [429] * 7
    assert Comment.objects.count() == 5
