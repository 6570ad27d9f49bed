"""Recommends: one per reader per comment (a guest's browser or a proven address), undo allowed, limited per
network, counted in the shared cache and written down behind, so the story page stays one cached copy; and the
Best order they feed."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments import recommends
from comments.models import Comment, Recommendation
from tests.comments.conftest import prove_address
from tests.factories import CommentFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db


def recommend(client, comment, *, undo=False, ip="198.51.100.7"):
    """Recommend as a reader without script does: open the comment's recommend page, then send its form."""
    url = f"/comments/{comment.pk}/recommend/"
    page = client.get(url, REMOTE_ADDR=ip)
    assert page.status_code == 200 and "Recommend this comment?" in page.content.decode()
    return client.post(url, {"undo": "1"} if undo else {}, REMOTE_ADDR=ip)


def count(comment):
    return Comment.objects.get(pk=comment.pk).recommend_count


def test_a_guest_recommends_once_and_may_take_it_back(client, article):
    comment = CommentFactory(article=article)
    answer = recommend(client, comment)
    assert answer.status_code == 302 and answer["Location"] == f"/comments/{comment.pk}/"  # back at the comment
    recommend(client, comment)  # twice from one browser
    assert count(comment) == 0  # written down behind, not on the reader's path
    recommends.flush()
    assert count(comment) == 1 and Recommendation.objects.count() == 1

    recommend(client, comment, undo=True)
    recommends.flush()
    assert count(comment) == 0 and not Recommendation.objects.exists()


def test_a_recommend_and_its_undo_in_one_minute_leave_nothing(client, article):
    comment = CommentFactory(article=article)
    recommend(client, comment)
    recommend(client, comment, undo=True)
    assert recommends.flush() == 2
    assert count(comment) == 0


def test_a_proven_address_is_one_reader_on_every_browser(article):
    comment = CommentFactory(article=article)
    for _browser in range(2):
        reader = Client()
        prove_address(reader, "ada@example.com")
        recommend(reader, comment)
    guest = Client()
    recommend(guest, comment)
    recommends.flush()
    assert count(comment) == 2  # Ada once, the guest once


def test_a_browser_without_its_token_is_asked_to_keep_it(client, article):
    comment = CommentFactory(article=article)
    answer = client.post(f"/comments/{comment.pk}/recommend/")  # never opened the page: no token
    assert answer.status_code == 400
    assert "did not keep our cookie" in answer.content.decode() and "Recommend this comment?" in answer.content.decode()


def test_one_network_may_recommend_only_so_often(article, monkeypatch):
    monkeypatch.setattr(recommends, "NETWORK_LIMIT", 3)
    comment = CommentFactory(article=article)
    answers = [recommend(Client(), comment, ip=f"203.0.113.{n}") for n in range(1, 5)]  # four browsers, one /24
    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert "Too many recommends from your network" in answers[-1].content.decode()
    assert recommend(Client(), comment, ip="192.0.2.1").status_code == 302  # another network
    recommends.flush()
    assert count(comment) == 4


def test_only_published_comments_of_live_stories_are_recommended(client, article):
    waiting = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert client.get(f"/comments/{waiting.pk}/recommend/").status_code == 404
    shown = CommentFactory(article=article)
    recommend(client, shown)
    Comment.objects.filter(pk=shown.pk).update(status=Comment.Status.REJECTED)  # removed before the write-down
    recommends.flush()
    assert not Recommendation.objects.exists()


def test_with_script_the_page_gives_a_token_and_answers_in_json(client, article):
    comment = CommentFactory(article=article)
    url = f"/comments/{comment.pk}/recommend/"
    token = json.loads(client.get(url, HTTP_ACCEPT="application/json").content)["csrf"]
    client.handler.enforce_csrf_checks = True
    refused = client.post(url, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403  # no token: a forged request from another site
    answer = client.post(url, HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 200 and json.loads(answer.content) == {"recommended": True, "message": ""}


def test_each_comment_has_a_recommend_button_that_works_without_script(client, article):
    comment = CommentFactory(article=article)
    form = select(client.get(article.get_absolute_url()).content, f"#comment-{comment.pk} form[data-recommend]")[0]
    assert form.get("method") == "get" and form.get("action") == f"/comments/{comment.pk}/recommend/"
    assert text_of(form.cssselect("button")[0]).startswith("Recommend")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the page cache works after commit
def test_a_recommend_leaves_the_page_cached_until_it_is_written_down(client, settings, article, site_settings):
    settings.PAGE_CACHE_SECONDS = 60
    comment = CommentFactory(article=article)
    story = article.get_absolute_url()
    client.get(story)
    recommend(Client(), comment)
    assert client.get(story)["X-Cache"] == "HIT"  # no render for a recommend

    site_settings(recommend_lag_seconds=60)
    assert recommends.sweep() == 1  # the worker's first sweep writes it down...
    recommend(Client(), comment)
    assert recommends.sweep() == 0  # ...and the next one waits for the lag the settings allow
    page = client.get(story)
    assert page["X-Cache"] == "MISS"
    assert text_of(select(page.content, f"#comment-{comment.pk} [data-recommends]")[0]) == "· 1"


def test_best_ranks_by_what_readers_recommend_with_a_head_start_for_picks(client, article, site_settings):
    site_settings(comments_per_page=2)
    start = timezone.now() - timedelta(hours=3)
    first = CommentFactory(article=article, body="First, recommended once", created_at=start)
    once = CommentFactory(article=article, body="Later, recommended once", created_at=start + timedelta(minutes=1))
    pick = CommentFactory(article=article, body="Editor's pick", is_pick=True, created_at=start + timedelta(minutes=2))
    liked = CommentFactory(article=article, body="Recommended by eight", created_at=start + timedelta(minutes=3))
    readers = [f"reader-{n}" for n in range(10)]  # ten readers recommended in this thread
    for comment, by in ((liked, readers[:8]), (once, readers[8:9]), (pick, []), (first, readers[9:10])):
        for reader in by:
            recommends.mark(comment.pk, reader_key=reader, network_key=reader)
    recommends.flush()

    def shown(query):
        return [
            text_of(body) for body in select(client.get(article.get_absolute_url() + query).content, ".comment__body")
        ]

    # The most recommended first, the pick above a single recommend, then one recommend each, the older first.
    assert shown("?sort=best") + shown("?sort=best&page=2") == [
        "Recommended by eight",
        "Editor's pick",
        "First, recommended once",
        "Later, recommended once",
    ]
    assert client.get(f"/comments/{once.pk}/?sort=best")["Location"].endswith(f"?page=2&sort=best#comment-{once.pk}")

    site_settings(default_comment_order="best")  # the order readers see first
    assert shown("") == ["Recommended by eight", "Editor's pick"]
    assert shown("?sort=picks")[0] == "Editor's pick"


def test_a_recommend_still_on_its_way_is_written_down_next_time(client, article):
    comment = CommentFactory(article=article)
    recommends._next_number()  # a request numbered its entry and has not stored it yet
    assert recommends.flush() == 0
    recommend(client, comment)  # a later recommend waits behind it...
    assert recommends.flush() == 2 and count(comment) == 1  # ...until the next write-down, which skips the lost one
