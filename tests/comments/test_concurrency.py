"""Simultaneous comments on one article are all stored, once each (PostgreSQL: real parallel transactions)."""

import threading

import pytest
from django.db import connections
from django.test import Client

from comments.models import Comment
from tests.comments.conftest import comment_data

READERS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_submissions_are_all_stored_once(article, postgresql):
    url = f"/{article.category.slug}/{article.slug}/comment/"
    start = threading.Barrier(READERS)
    statuses = []

    def reader(n):
        client = Client()
        try:
            start.wait()
            response = client.post(
                url,
                comment_data(author_name=f"Reader {n}", author_email=f"r{n}@example.com", body=f"Opinion {n}"),
                REMOTE_ADDR=f"198.51.100.{n + 1}",
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * READERS
    bodies = sorted(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert bodies == sorted(f"Opinion {n}" for n in range(READERS))
