"""The moderation workspace: cards of what needs a person, one-click decisions, undo, blocking, two moderators."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments import moderation
from comments.models import BlockedTerm, Comment, ModerationLog
from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db

WORKSPACE = "/admin/comments/comment/workspace/"


def decide_url(comment):
    return f"{WORKSPACE}{comment.pk}/decide/"


def decide(client, comment, decision, *, json_answer=False, seen=None):
    """Press a card's button (a plain form post), or send it as the workspace's script does (JSON)."""
    data = {"decision": decision, "seen": seen if seen is not None else comment.decision_version}
    headers = {"accept": "application/json"} if json_answer else {}
    return client.post(decide_url(comment), data, headers=headers)


@pytest.fixture
def moderating(client, moderator):
    client.force_login(moderator)
    return client


def cards(html):
    return select(html, "[data-card]")


# --- What the workspace shows ------------------------------------------------------------------------------


def test_a_card_shows_what_a_decision_needs(moderating, article, settings):
    from comments.models import BlockedTerm

    BlockedTerm.objects.create(kind="word", value="casino")
    CommentFactory(article=article, author_email="kim@example.com", status=Comment.Status.APPROVED)
    CommentFactory(article=article, author_email="kim@example.com", status=Comment.Status.SPAM)
    parent = CommentFactory(article=article, author_name="Lee", body="The parent comment, answered below.")
    CommentFactory(
        article=article,
        parent=parent,
        author_name="Kim",
        author_email="kim@example.com",
        status=Comment.Status.PENDING,
        held_reasons="blocked-word links",
        body="Try my cаsino at spam1.com\nand win.",
    )
    html = moderating.get(WORKSPACE).content.decode()
    (card,) = cards(html)
    assert "Kim" in text_of(card) and "kim@example.com" in text_of(card)
    assert [text_of(mark) for mark in select(card, "mark.hit--word")] == ["cаsino"]  # the reader's own letters
    assert [text_of(mark) for mark in select(card, "mark.hit--link")] == ["spam1.com"]
    assert "Contains a blocked word, Too many links" in text_of(card)
    assert "In reply to Lee" in text_of(card) and "The parent comment" in text_of(card)
    assert select(card, f'a[href="{article.get_absolute_url()}"]')
    assert "1 approved · 0 rejected · 1 spam" in text_of(card) and "first seen" in text_of(card)
    assert [button.get("value") for button in select(card, "button[name=decision]")] == ["approve", "reject", "spam"]


def test_the_default_view_is_what_needs_a_person_oldest_first(moderating, article, moderator):
    now = timezone.now()
    CommentFactory(
        article=article, status=Comment.Status.PENDING, body="Waiting, newer", created_at=now - timedelta(minutes=5)
    )
    CommentFactory(
        article=article, status=Comment.Status.PENDING, body="Waiting, older", created_at=now - timedelta(hours=3)
    )
    reported = CommentFactory(article=article, body="Published, reported", created_at=now - timedelta(hours=1))
    reported.reports.create(reason="abuse", reporter_key="a")
    dealt_with = CommentFactory(article=article, body="Reported, then kept", created_at=now - timedelta(hours=2))
    dealt_with.reports.create(reason="abuse", reporter_key="b", created_at=now - timedelta(minutes=30))
    Comment.objects.filter(pk=dealt_with.pk).update(moderated_at=now - timedelta(minutes=10), moderated_by=moderator)
    CommentFactory(article=article, body="Published, nobody minds")
    CommentFactory(article=article, status=Comment.Status.SPAM, body="Spam already")
    html = moderating.get(WORKSPACE).content.decode()
    shown = [text_of(select(card, ".card__text")[0]) for card in cards(html)]
    assert shown == ["Waiting, older", "Published, reported", "Waiting, newer"]
    assert "3 comments need a decision" in text_of(select(html, ".workspace__count")[0])
    assert "Abusive or hateful (1)" in html


def test_views_per_article_busiest_first_and_per_reason_with_counts(moderating):
    quiet, busy = ArticleFactory(title="Quiet story"), ArticleFactory(title="Busy story")
    CommentFactory(article=quiet, status=Comment.Status.PENDING, held_reasons="links")
    CommentFactory.create_batch(3, article=busy, status=Comment.Status.PENDING, held_reasons="first-time")
    html = moderating.get(WORKSPACE).content.decode()
    busiest = [text_of(item) for item in select(html, ".workspace__views li") if "story" in text_of(item)]
    assert busiest == ["Busy story 3", "Quiet story 1"]
    assert "Too many links 1" in text_of(select(html, ".workspace__views")[0])
    by_article = moderating.get(WORKSPACE, {"article": quiet.pk}).content.decode()
    assert len(cards(by_article)) == 1
    by_reason = moderating.get(WORKSPACE, {"reason": "first-time"}).content.decode()
    assert len(cards(by_reason)) == 3


HOLDING = [rule.reason for rule in moderation.RULES if not rule.files_as_spam] + [Comment.Reason.PRE_MODERATION]


@pytest.mark.parametrize("reason", HOLDING, ids=str)
def test_every_reason_the_rules_hold_a_comment_for_has_its_view_and_count(moderating, article, reason):
    """The rules that classify a comment are the registry the workspace reads: none can hold a comment out of view."""
    other = "links" if reason != "links" else "first-time"
    CommentFactory(article=article, status=Comment.Status.PENDING, held_reasons=f"{reason} ")
    CommentFactory(article=article, status=Comment.Status.PENDING, held_reasons=other)
    html = moderating.get(WORKSPACE).content.decode()
    assert f"{reason.label} 1" in text_of(select(html, ".workspace__views")[0])
    only = moderating.get(WORKSPACE, {"reason": reason.value}).content.decode()
    assert len(cards(only)) == 1  # that comment alone, not the whole queue


@pytest.mark.parametrize("value", ["²", "①", "-1", "0", "99999999999999999999", "1e3", ""])
def test_odd_view_parameters_show_the_whole_queue(moderating, article, value):
    CommentFactory(article=article, status=Comment.Status.PENDING)
    response = moderating.get(WORKSPACE, {"article": value, "reason": value})
    assert response.status_code == 200 and len(cards(response.content.decode())) == 1


# --- Decisions -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("decision", "status"), [("approve", "approved"), ("reject", "rejected"), ("spam", "spam")])
def test_each_button_decides_without_javascript(moderating, moderator, article, decision, status):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    response = decide(moderating, comment, decision)
    assert response.status_code == 302 and response["Location"] == WORKSPACE
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (status, moderator)
    log = ModerationLog.objects.get(comment=comment)
    assert (log.moderator, log.from_status, log.to_status) == (moderator, "pending", status)
    page = moderating.get(response["Location"]).content.decode()
    assert "Undo" in page and not cards(page)


def test_the_script_gets_the_outcome_and_the_new_count(moderating, article):
    first, _ = CommentFactory.create_batch(2, article=article, status=Comment.Status.PENDING)
    answer = decide(moderating, first, "approve", json_answer=True)
    assert answer.status_code == 200
    data = json.loads(answer.content)
    assert data == {
        "applied": True,
        "message": "Approved.",
        "status": "approved",
        "version": data["version"],
        "count": 1,
    }


def test_keeping_a_reported_published_comment_dismisses_the_reports(moderating, article):
    comment = CommentFactory(article=article, body="Harsh but fair")
    comment.reports.create(reason="abuse", reporter_key="a")
    assert len(cards(moderating.get(WORKSPACE).content.decode())) == 1
    decide(moderating, comment, "approve")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert not cards(moderating.get(WORKSPACE).content.decode())


def test_two_moderators_never_decide_the_same_comment_twice(moderating, moderator, article):
    from newsportal.roles import MODERATORS

    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    seen = comment.decision_version  # both moderators have the card on screen
    other = Client()
    other.force_login(UserFactory(username="sam", groups=[MODERATORS]))
    assert decide(moderating, comment, "approve", json_answer=True, seen=seen).status_code == 200
    second = decide(other, comment, "reject", json_answer=True, seen=seen)
    assert second.status_code == 409
    when = timezone.localtime(ModerationLog.objects.get().created_at).strftime("%H:%M")
    assert json.loads(second.content)["message"] == f"Already approved by moderator at {when}."
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and ModerationLog.objects.count() == 1
    without_script = decide(other, comment, "reject", seen=seen)
    assert without_script.status_code == 302
    assert "Already approved by moderator" in other.get(WORKSPACE).content.decode()


def test_undo_restores_the_previous_state_and_is_logged(moderating, moderator, article):
    comment = CommentFactory(article=article, body="Reported words")
    comment.reports.create(reason="spam", reporter_key="a")
    decide(moderating, comment, "reject")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    response = moderating.post(f"{WORKSPACE}{comment.pk}/undo/", headers={"accept": "application/json"})
    assert json.loads(response.content)["applied"] is True
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_at) == ("approved", None)
    assert list(ModerationLog.objects.order_by("pk").values_list("action", "from_status", "to_status")) == [
        ("reject", "approved", "rejected"),
        ("undo", "rejected", "approved"),
    ]
    assert len(cards(moderating.get(WORKSPACE).content.decode())) == 1  # reported again, as before


def test_only_the_moderator_who_decided_may_undo_it(moderating, article):
    from newsportal.roles import MODERATORS

    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    decide(moderating, comment, "approve")
    other = Client()
    other.force_login(UserFactory(username="sam", groups=[MODERATORS]))
    response = other.post(f"{WORKSPACE}{comment.pk}/undo/", headers={"accept": "application/json"})
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_the_change_page_decides_too(moderating, article):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    change = f"/admin/comments/comment/{comment.pk}/change/"
    page = moderating.get(change).content.decode()
    assert [button.get("value") for button in select(page, ".decision-tools button")] == ["approve", "reject", "spam"]
    response = moderating.post(
        decide_url(comment), {"decision": "reject", "seen": comment.decision_version, "next": change}
    )
    assert response["Location"] == change
    response = moderating.post(
        decide_url(comment), {"decision": "approve", "seen": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == WORKSPACE


# --- Blocking an author --------------------------------------------------------------------------------------


@pytest.fixture
def troll(article):
    comment = CommentFactory(
        article=article, status=Comment.Status.PENDING, author_email="troll@example.com", ip_address="192.0.2.66"
    )
    CommentFactory(article=ArticleFactory(), status=Comment.Status.PENDING, author_email="troll@example.com")
    CommentFactory(article=article, author_email="colleague@example.com", ip_address="192.0.2.66")
    return comment


def test_block_asks_first_and_says_what_will_happen(moderating, troll):
    page = moderating.get(f"{WORKSPACE}{troll.pk}/block/").content.decode()
    assert "troll@example.com" in page and "192.0.2.66" in page
    assert "reject the 2 comments from it that wait" in page
    assert "1 other commenter wrote from this address in the last 90 days" in page
    assert select(page, "input[name=block_address]")[0].get("checked") is None  # the address only if ticked
    assert select(page, "select[name=days] option[selected]")[0].get("value") == "7"
    assert not BlockedTerm.objects.exists()


def test_blocking_the_email_only_leaves_the_address_alone(moderating, troll, article, post_comment, client):
    response = moderating.post(f"{WORKSPACE}{troll.pk}/block/", {"days": "7"})
    assert response.status_code == 302
    assert list(BlockedTerm.objects.values_list("kind", "value")) == [("email", "troll@example.com")]
    assert set(Comment.objects.filter(author_email="troll@example.com").values_list("status", flat=True)) == {
        "rejected"
    }
    moderating.logout()
    post_comment(article, ip="192.0.2.66", author_email="colleague@example.com", body="Same office, fair point")
    assert Comment.objects.get(body="Same office, fair point").held_reasons != "blocked-ip"
    post_comment(article, author_email="troll@example.com", body="I am back")
    assert Comment.objects.get(body="I am back").status == Comment.Status.SPAM


def test_a_blocked_address_holds_comments_for_a_person_until_it_expires(moderating, troll, article, post_comment):
    moderating.post(f"{WORKSPACE}{troll.pk}/block/", {"block_address": "on", "days": "30"})
    entry = BlockedTerm.objects.get(kind="ip")
    assert entry.value == "192.0.2.66"
    assert timedelta(days=29) < entry.expires_at - timezone.now() <= timedelta(days=30)
    moderating.logout()
    response = post_comment(article, ip="192.0.2.66", author_email="colleague@example.com", body="From the office")
    comment = Comment.objects.get(body="From the office")
    assert comment.status == Comment.Status.PENDING and "blocked-ip" in comment.held_reasons.split()
    assert "awaits moderation" in moderating.get(response["Location"]).content.decode()
    BlockedTerm.objects.filter(kind="ip").update(expires_at=timezone.now() - timedelta(seconds=1))
    post_comment(article, ip="192.0.2.66", author_email="colleague@example.com", body="Later, from the office")
    assert "blocked-ip" not in Comment.objects.get(body="Later, from the office").held_reasons


# --- Who may use it -------------------------------------------------------------------------------------------


def test_editors_cannot_reach_the_workspace(client, editor, article):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    client.force_login(editor)
    assert client.get(WORKSPACE).status_code == 403
    assert decide(client, comment, "approve").status_code == 403
    assert client.get(f"{WORKSPACE}{comment.pk}/block/").status_code == 403
    assert client.post(f"{WORKSPACE}{comment.pk}/undo/").status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_readers_are_sent_to_the_login(client, article):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert client.get(WORKSPACE).status_code == 302
    assert decide(client, comment, "approve").status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_workspace_costs_the_same_few_queries_for_one_card_or_twenty(moderating, django_assert_max_num_queries):
    for number in range(25):
        CommentFactory(article=ArticleFactory(), status=Comment.Status.PENDING, author_email=f"r{number}@example.com")
    with django_assert_max_num_queries(19):
        html = moderating.get(WORKSPACE).content.decode()
    assert len(cards(html)) == 20
    more = moderating.get(f"{WORKSPACE}more/", {"exclude": ",".join(card.get("id")[5:] for card in cards(html))})
    assert len(cards(more.content.decode())) == 5
