"""Commenters who prove who they are, and the e-mails that reach them, through a real SMTP server (aiosmtpd).

The tests run the site's real background worker (`manage.py db_worker --batch`) against an SMTP server listening
on loopback in this process, and read what it received.
"""

import email
import re
import socket
import threading
import time
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from comments import identity, tasks
from comments.models import Comment, Commenter, OutgoingEmail
from comments.services import comments_moderate
from tests.articles.test_query_budget import ARTICLE_PAGE_BUDGET
from tests.comments.conftest import comment_data, prove_address
from tests.factories import ArticleFactory, CommentFactory
from tests.ports import free_port
from tests.queries import at_most_page_queries

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SITE = "https://news.example.com"


class Inbox:
    """What the SMTP server received: the parsed messages and the envelope recipients."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def header(message, name):
    """Return a header as a mail program shows it (unfolded: long ones start on a continuation line)."""
    return str(message[name]).strip()


@pytest.fixture
def mail(settings):
    """A real SMTP server on loopback, and the site configured to send to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.com"]
    settings.DEFAULT_FROM_EMAIL = "newsroom@example.com"
    yield inbox
    controller.stop()


def run_worker():
    """Run the background worker until no task is left (as `manage.py db_worker` does, once)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def post(client, article, **overrides):
    return client.post(f"{article.get_absolute_url()}comment/", comment_data(article, **overrides))


def link(message, start):
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"{re.escape(SITE)}{start}\S+", text).group(0)


def relative(url):
    return url.removeprefix(SITE)


# --- Verifying an address --------------------------------------------------------------------------------------


def test_a_new_address_gets_a_confirmation_link_with_the_right_headers(client, article, mail):
    response = post(client, article, author_email="Nia@Example.com", body="First words here")
    assert "We have sent you an e-mail" in client.get(response["Location"]).content.decode()
    run_worker()
    ((recipients, message),) = mail.messages
    assert recipients == ["nia@example.com"]
    assert header(message, "From") == "Newsportal <newsroom@example.com>"
    assert header(message, "Subject") == "Confirm it is you who wrote this comment · Newsportal"
    assert message.get_content_type() == "multipart/alternative"
    assert "First words here" in message.get_body(("plain",)).get_content()
    assert "Confirm it is you who wrote this comment" in message.get_body(("html",)).get_content()
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert re.fullmatch(rf"<{re.escape(SITE)}/comments/unsubscribe/[^>]+/>", header(message, "List-Unsubscribe"))
    assert link(message, "/comments/confirm/").startswith(f"{SITE}/comments/confirm/")  # SITE_URL, not the Host
    assert f"{SITE}/comments/erase/" in message.get_body(("plain",)).get_content()
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


def test_the_link_works_once_and_leaves_a_cookie_for_later_comments(client, article, mail):
    post(client, article, body="Please confirm me")
    run_worker()
    url = relative(link(mail.messages[0][1], "/comments/confirm/"))
    reader = Client()
    first = reader.get(url)
    assert first.status_code == 200 and "your address is confirmed" in first.content.decode()
    comment = Comment.objects.get()
    assert comment.verified and Commenter.objects.get().verified_at is not None
    assert identity.COOKIE_NAME in first.cookies
    again = reader.get(url)
    assert again.status_code == 200 and "confirmed already" in again.content.decode()
    post(reader, article, body="Second comment, from the same browser")
    assert Comment.objects.get(body="Second comment, from the same browser").verified


def test_a_tampered_or_expired_link_does_nothing(client, article, mail, site_settings, monkeypatch):
    post(client, article, body="Check my link")
    run_worker()
    url = relative(link(mail.messages[0][1], "/comments/confirm/"))
    tampered = client.get(url[:-6] + "AAAAA/")
    assert tampered.status_code == 400 and "not complete" in tampered.content.decode()
    later = time.time() + site_settings().confirm_max_age + 60
    monkeypatch.setattr(time, "time", lambda: later)
    expired = client.get(url)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not Comment.objects.get().verified


def test_at_most_one_confirmation_per_address_in_a_while(client, article, mail):
    for number in range(3):
        post(client, article, body=f"Comment number {number}", author_email="busy@example.com")
    assert OutgoingEmail.objects.filter(kind="confirm").count() == 1


def test_plus_tags_dots_and_case_reach_one_mailbox_at_most_a_few_times_a_day(client, article, mail, site_settings):
    """The red team's mail bomb: victim+1@ … victim+50@ used to send 50 mails to one inbox."""
    site_settings(rate_limit=1000)
    variants = [f"victim+{number}@example.org" for number in range(40)]
    variants += ["Victim@Example.org", "VICTIM+x@example.org"]
    for number, address in enumerate(variants):
        ip = f"198.51.{100 + number // 20}.{number % 250}"  # from a few networks, so only the mailbox limit binds
        client.post(
            f"{article.get_absolute_url()}comment/",
            comment_data(article, author_email=address, body=f"Mail bomb attempt {number}"),
            REMOTE_ADDR=ip,
        )
    for number, address in enumerate(
        ["j.doe@gmail.com", "jdoe+news@googlemail.com", "J.D.O.E@gmail.com", "jdoe@gmail.com"]
    ):
        client.post(
            f"{article.get_absolute_url()}comment/",
            comment_data(article, author_email=address, body=f"Gmail attempt {number}"),
            REMOTE_ADDR=f"203.0.113.{number}",
        )
    confirmations = OutgoingEmail.objects.filter(kind="confirm")
    assert confirmations.filter(mailbox="victim@example.org").count() == site_settings().confirm_per_mailbox == 3
    assert confirmations.filter(mailbox="jdoe@gmail.com").count() == 3
    assert Comment.objects.filter(body__startswith="Mail bomb").count() == len(variants)  # comments still taken


def test_one_network_gets_a_bounded_number_of_confirmations_a_day(client, article, mail, site_settings):
    site_settings(rate_limit=1000)
    site_settings(confirm_per_network=5)
    for number in range(12):  # twelve different people (or one, pretending), one /24
        client.post(
            f"{article.get_absolute_url()}comment/",
            comment_data(article, author_email=f"p{number}@example.net", body=f"From the office {number}"),
            REMOTE_ADDR=f"192.0.2.{number + 1}",
        )
    assert OutgoingEmail.objects.filter(kind="confirm").count() == 5
    assert set(OutgoingEmail.objects.values_list("sender_network", flat=True)) == {"192.0.2.0/24"}


def test_someone_typing_a_known_address_is_held_not_trusted(client, article, mail, site_settings):
    """The attack of the issue: a known commenter's address, typed by someone else, on a post-moderated article."""
    site_settings(hold_first_time=True)
    article.comment_moderation = "post"
    article.save()
    for number in range(3):
        CommentFactory(
            author_email="priya@example.com", status=Comment.Status.APPROVED, verified=True, body=f"Old {number}"
        )
    post(Client(), article, author_email="PRIYA@example.com", author_name="Not Priya", body="Impersonated words")
    comment = Comment.objects.get(body="Impersonated words")
    assert comment.status == Comment.Status.PENDING
    assert {"unverified", "first-time"} <= set(comment.held_reasons.split())
    prove_address(client, "priya@example.com")
    post(client, article, author_email="priya@example.com", body="Really Priya")
    assert Comment.objects.get(body="Really Priya").status == Comment.Status.APPROVED


# --- Trusted commenters ----------------------------------------------------------------------------------------


@pytest.fixture
def regular(client):
    """A reader whose browser proved her address, with two approved comments so far."""
    for number in range(2):
        CommentFactory(
            author_email="kai@example.com", status=Comment.Status.APPROVED, verified=True, body=f"Earlier {number}"
        )
    Commenter.objects.create(email="kai@example.com", verified_at=timezone.now())
    prove_address(client, "kai@example.com")
    return client


def send_as_kai(client, article, body):
    post(client, article, author_email="kai@example.com", body=body)
    return Comment.objects.get(body=body)


def test_trust_comes_after_enough_approved_comments_and_skips_pre_moderation(regular, article, site_settings):
    site_settings(trust_after=3)
    assert send_as_kai(regular, article, "Third one").status == Comment.Status.PENDING  # two approved: not trusted yet
    Comment.objects.filter(body="Third one").update(status=Comment.Status.APPROVED)
    assert (
        send_as_kai(regular, article, "Fourth one").status == Comment.Status.APPROVED
    )  # published at once, pre-moderated


def test_trust_ends_with_a_rejection_and_respects_both_switches(regular, article, site_settings, moderator):
    CommentFactory(author_email="kai@example.com", status=Comment.Status.APPROVED, verified=True)
    assert send_as_kai(regular, article, "Trusted words").status == Comment.Status.APPROVED
    article.trusted_commenters_skip_queue = False
    article.save()
    assert send_as_kai(regular, article, "On a sensitive story").status == Comment.Status.PENDING
    article.trusted_commenters_skip_queue = True
    article.save()
    site_settings(trusted_skip_queue=False)
    assert send_as_kai(regular, article, "Site switch off").status == Comment.Status.PENDING
    site_settings(trusted_skip_queue=True)
    rejected = Comment.objects.filter(body="Site switch off")
    comments_moderate(comments=rejected, moderator=moderator, status=Comment.Status.REJECTED, action="reject")
    assert send_as_kai(regular, article, "After a rejection").status == Comment.Status.PENDING


def test_always_pre_moderate_holds_a_trusted_author(regular, article, moderator):
    CommentFactory(author_email="kai@example.com", status=Comment.Status.APPROVED, verified=True)
    comment = CommentFactory(author_email="kai@example.com", status=Comment.Status.PENDING, article=article)
    staff = Client()
    staff.force_login(moderator)
    staff.post(f"/admin/comments/comment/workspace/{comment.pk}/trust/", {"trust": "always-hold"})
    assert Commenter.objects.get().trust == "always-hold"
    held = send_as_kai(regular, article, "Held by a moderator's choice")
    assert (held.status, held.held_reasons) == ("pending", "always-held")


# --- Notifications -------------------------------------------------------------------------------------------


def test_published_and_reply_notifications(client, article, mail, moderator, regular):
    mine = send_as_kai(regular, article, "Notify me, please")
    Comment.objects.filter(pk=mine.pk).update(notify_published=True, notify_replies=True)
    waiting = Comment.objects.filter(pk=mine.pk)
    run_worker()
    assert mail.messages == []  # held: nothing yet
    comments_moderate(comments=waiting, moderator=moderator, status=Comment.Status.APPROVED, action="approve")
    run_worker()
    ((recipients, published),) = mail.messages
    assert recipients == ["kai@example.com"]
    assert header(published, "Subject").startswith("Your comment is published")
    assert f"{SITE}{mine.get_absolute_url()}" in published.get_body(("plain",)).get_content()

    other = Client()
    prove_address(other, "lou@example.com")
    post(other, article, author_email="lou@example.com", body="A reply to Kai", parent=str(mine.pk))
    reply = Comment.objects.get(body="A reply to Kai")
    comments_moderate(
        comments=Comment.objects.filter(pk=reply.pk),
        moderator=moderator,
        status=Comment.Status.APPROVED,
        action="approve",
    )
    post(regular, article, author_email="kai@example.com", body="Kai answers herself", parent=str(mine.pk))
    own = Comment.objects.filter(body="Kai answers herself")
    comments_moderate(comments=own, moderator=moderator, status=Comment.Status.APPROVED, action="approve")
    mail.messages.clear()
    run_worker()
    replies = [message for _, message in mail.messages if header(message, "Subject").startswith("Someone replied")]
    assert len(replies) == 1 and "A reply to Kai" in replies[0].get_body(("plain",)).get_content()


def test_no_notification_for_rejected_comments_or_unproven_authors(client, article, mail, moderator):
    post(client, article, body="Typed someone's address", notify_published="on")  # not proven
    unproven = Comment.objects.filter(body="Typed someone's address")
    comments_moderate(comments=unproven, moderator=moderator, status=Comment.Status.APPROVED, action="approve")
    proven = CommentFactory(article=article, status=Comment.Status.PENDING, verified=True, notify_published=True)
    comments_moderate(
        comments=Comment.objects.filter(pk=proven.pk),
        moderator=moderator,
        status=Comment.Status.REJECTED,
        action="reject",
    )
    assert not OutgoingEmail.objects.exclude(kind="confirm").exists()


def test_a_decision_that_rolls_back_queues_nothing(article, moderator):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING, verified=True, notify_published=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        comments_moderate(
            comments=Comment.objects.filter(pk=comment.pk),
            moderator=moderator,
            status=Comment.Status.APPROVED,
            action="approve",
        )
        raise RuntimeError("the decision failed after all")
    assert not OutgoingEmail.objects.exists()
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()


# --- Unsubscribe and erase -------------------------------------------------------------------------------------


def test_one_click_unsubscribe_is_a_post_without_a_form(client, article, mail):
    post(client, article, body="Then unsubscribe")
    run_worker()
    message = mail.messages[0][1]
    url = relative(header(message, "List-Unsubscribe").strip("<>"))
    strict = Client(enforce_csrf_checks=True)
    assert "Stop e-mails" in strict.get(url).content.decode()
    assert Commenter.objects.get().unsubscribed_at is None  # looking at the page changes nothing
    done = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and Commenter.objects.get().unsubscribed_at is not None
    assert strict.post("/comments/unsubscribe/forged/").status_code == 400


def test_erase_keeps_the_comments_under_their_name_and_forgets_the_address(client, article, mail):
    CommentFactory(article=article, author_name="Rue", author_email="rue@example.com", status=Comment.Status.APPROVED)
    post(client, article, author_name="Rue", author_email="rue@example.com", body="Forget me")
    run_worker()
    url = relative(link(mail.messages[0][1], "/comments/erase/"))
    assert "Erase my address" in client.get(url).content.decode()
    assert client.post(url).status_code == 200
    assert not Comment.objects.filter(author_email="rue@example.com").exists()
    assert Comment.objects.filter(author_name="Rue").count() == 2
    assert not Commenter.objects.exists() and not OutgoingEmail.objects.exists()
    assert "Rue" in client.get(article.get_absolute_url()).content.decode()


# --- Delivery that never slows or loses ------------------------------------------------------------------------


def test_a_failed_send_is_retried_with_backoff_then_given_up_and_shown(client, article, settings, admin_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_MAX_ATTEMPTS = 3
    post(client, article, body="Mail server is down")
    outgoing = OutgoingEmail.objects.get()
    delays = []
    for _ in range(3):
        before = timezone.now()
        tasks.deliver(outgoing.pk)
        outgoing.refresh_from_db()
        delays.append(round((outgoing.next_attempt_at - before).total_seconds() / 60))
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(next_attempt_at=timezone.now())  # skip the wait
    outgoing.refresh_from_db()
    assert (outgoing.state, outgoing.attempts) == ("failed", 3)
    assert delays[:2] == [1, 4] and "ConnectionRefusedError" in outgoing.last_error
    listing = admin_client.get("/admin/comments/outgoingemail/", {"state": "failed"}).content.decode()
    assert "ConnectionRefusedError" in listing
    admin_client.post("/admin/comments/outgoingemail/", {"action": "send_again", "_selected_action": [outgoing.pk]})
    outgoing.refresh_from_db()
    assert (outgoing.state, outgoing.attempts) == ("queued", 0)


def test_a_stalled_mail_server_does_not_touch_the_readers_request(client, article, settings):
    """The POST only stores the e-mail: the stalled server sees no connection until the worker runs."""
    stalled = socket.socket()
    stalled.bind(("127.0.0.1", 0))
    stalled.listen()
    connections = []
    accepting = threading.Thread(target=lambda: connections.append(stalled.accept()), daemon=True)
    accepting.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = stalled.getsockname()
    settings.EMAIL_TIMEOUT = 1
    assert post(client, article, body="Quick answer, please").status_code == 302
    accepting.join(timeout=0.5)
    assert connections == []
    assert OutgoingEmail.objects.get().state == "queued"
    run_worker()  # the worker waits EMAIL_TIMEOUT for the server, then records the failure
    outgoing = OutgoingEmail.objects.get()
    assert connections and outgoing.state == "queued" and outgoing.attempts == 1
    stalled.close()


def test_the_outbox_sweep_hands_lost_emails_back_to_the_worker(client, article, mail, monkeypatch):
    monkeypatch.setattr("comments.notifications.deliver_later", lambda *args, **kwargs: None)  # the enqueue is lost
    post(client, article, body="Lost on the way")
    monkeypatch.undo()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    run_worker()
    assert mail.messages == []
    call_command("deliver_outbox", verbosity=0)
    run_worker()
    assert len(mail.messages) == 1


def test_the_article_page_costs_the_same_queries(client, article):
    CommentFactory.create_batch(3, article=article, verified=True)
    ArticleFactory.create_batch(3)
    with at_most_page_queries(ARTICLE_PAGE_BUDGET):
        client.get(article.get_absolute_url())
