"""Each moderation rule on its own, then the decision in both modes."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from comments import moderation, services
from comments.models import BlockedTerm, Comment
from comments.moderation import Submission
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def submission(article, **overrides):
    values = {
        "article": article,
        "name": "Ada",
        "email": "ada@example.com",
        "body": "A calm and reasoned view.",
        "ip_address": "198.51.100.7",
        "form_age_seconds": 60.0,
        "verified": True,  # the sender proved the address (most tests are about other rules)
    } | overrides
    return Submission(**values)


@pytest.fixture
def returning(article):
    """Make ada@example.com a reader with an approved, verified comment, so the first-time rule does not apply."""
    CommentFactory(
        article=ArticleFactory(), author_email="ada@example.com", status=Comment.Status.APPROVED, verified=True
    )


# --- Hold rules ---


def test_more_links_than_allowed_holds(article, site_settings):
    site_settings(max_links=2)
    assert not moderation.too_many_links(submission(article, body="see https://a.example and www.b.org"))
    assert moderation.too_many_links(submission(article, body="https://a.example http://b.example www.c.org"))


def test_blocked_word_holds_at_word_starts_or_as_a_whole_word(article):
    BlockedTerm.objects.create(kind="word", value="Scam")
    assert moderation.contains_blocked_word(submission(article, body="What a SCAM this is"))
    assert moderation.contains_blocked_word(submission(article, body="Scammers everywhere"))
    assert not moderation.contains_blocked_word(submission(article, body="An escaped prisoner"))
    BlockedTerm.objects.filter(value="scam").update(whole_word=True)
    assert moderation.contains_blocked_word(submission(article, body="What a scam!"))
    assert not moderation.contains_blocked_word(submission(article, body="Scammers everywhere"))


def test_expired_block_list_entries_hold_nothing(article):
    BlockedTerm.objects.create(kind="word", value="casino", expires_at=timezone.now() - timedelta(minutes=1))
    assert not moderation.contains_blocked_word(submission(article, body="casino night"))


def test_first_time_commenter_holds_until_one_verified_comment_is_approved(article, settings):
    assert moderation.first_time_commenter(submission(article))
    CommentFactory(author_email="ada@example.com", status=Comment.Status.REJECTED, verified=True)
    assert moderation.first_time_commenter(submission(article))
    CommentFactory(
        author_email="ada@example.com", status=Comment.Status.APPROVED, verified=False
    )  # someone typed her address
    assert moderation.first_time_commenter(submission(article))
    CommentFactory(author_email="ada@example.com", status=Comment.Status.APPROVED, verified=True)
    assert not moderation.first_time_commenter(submission(article))
    assert moderation.first_time_commenter(submission(article, verified=False))


def test_first_time_rule_can_be_switched_off(article, site_settings):
    site_settings(hold_first_time=False)
    assert not moderation.first_time_commenter(submission(article))


# --- Spam rules ---


def test_filled_honeypot_is_spam(article):
    assert moderation.honeypot_filled(submission(article, honeypot="http://bot.example"))
    assert not moderation.honeypot_filled(submission(article))


@pytest.mark.parametrize(
    ("age", "message", "new_form"),
    [
        (1.2, "That was very quick", False),
        (None, "We could not check this form", True),
        (2 * 3600 + 1, "opened a while ago", True),
    ],
)
def test_a_form_that_cannot_be_trusted_yet_is_sent_back_not_filed_as_spam(article, age, message, new_form):
    with pytest.raises(moderation.Refused) as refusal:
        moderation.admit(submission(article, form_age_seconds=age))
    assert refusal.value.reason == moderation.Refused.FORM and message in str(refusal.value.message)
    assert refusal.value.new_form is new_form
    assert "send it again" in str(refusal.value.message)


def test_blocked_email_is_spam_and_a_blocked_address_is_held(article, returning):
    BlockedTerm.objects.create(kind="email", value="Ada@Example.com")
    assert moderation.classify(submission(article)) == ("spam", ["blocked-email"])
    BlockedTerm.objects.create(kind="ip", value="192.0.2.1")
    shared = submission(article, email="bob@example.com", ip_address="192.0.2.1", body="From the office")
    CommentFactory(author_email="bob@example.com", status=Comment.Status.APPROVED, verified=True)
    assert moderation.classify(shared) == ("pending", ["blocked-ip"])


def test_blocked_email_and_ip_are_recognised(article):
    BlockedTerm.objects.create(kind="email", value="Ada@Example.com")
    BlockedTerm.objects.create(kind="ip", value="192.0.2.1")
    assert moderation.email_blocked(submission(article))
    assert not moderation.email_blocked(submission(article, email="bob@example.com"))
    assert moderation.ip_blocked(submission(article, ip_address="192.0.2.1"))
    assert not moderation.ip_blocked(submission(article))


# --- Refusals ---


def test_rate_limit_counts_per_reader(article, site_settings):
    site_settings(rate_limit=2)
    sub = submission(article)
    assert moderation.claim_allowance(sub) and moderation.claim_allowance(sub)
    assert not moderation.claim_allowance(sub)
    assert not moderation.claim_allowance(sub)  # a refused claim is not counted, so it never grows past the limit
    moderation.give_back_allowance(sub)
    assert moderation.claim_allowance(sub)
    assert moderation.claim_allowance(submission(article, ip_address="198.51.100.8"))


def test_a_comment_whose_insert_fails_gives_back_its_allowance_and_its_text(article, site_settings, monkeypatch):
    site_settings(rate_limit=1)
    sub = submission(article, body="Lost on the way in")

    def failing_store(*args):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(services, "_store", failing_store)
    with pytest.raises(DatabaseError):
        services.comment_submit(submission=sub)
    monkeypatch.undo()
    comment = services.comment_submit(submission=sub)  # the same reader, the same words, a moment later
    assert comment.pk and comment.body == "Lost on the way in"


def test_repeated_text_on_same_article_is_refused(article):
    CommentFactory(article=article, author_email="ada@example.com", body="Same words")
    assert moderation.repeats_own_text(submission(article, body="Same words"))
    assert not moderation.repeats_own_text(submission(ArticleFactory(), body="Same words"))
    assert not moderation.repeats_own_text(submission(article, body="Other words"))


# --- The decision, both modes ---


def test_pre_moderation_holds_a_clean_comment(article, returning):
    assert moderation.classify(submission(article)) == ("pending", ["pre-moderation"])


def test_post_moderation_publishes_a_clean_comment(article, returning):
    article.comment_moderation = "post"
    assert moderation.classify(submission(article)) == ("approved", [])


def test_site_wide_post_moderation(article, returning, site_settings):
    site_settings(default_moderation="post")
    assert moderation.classify(submission(article))[0] == "approved"
    article.comment_moderation = "pre"
    assert moderation.classify(submission(article, body="Another view"))[0] == "pending"


def test_the_same_text_twice_is_refused_even_before_the_first_is_stored(article, returning):
    """The claim on a text is taken before anything is stored, so two simultaneous copies cannot both pass."""
    moderation.admit(submission(article, body="Said once"))
    with pytest.raises(moderation.Refused) as refusal:
        moderation.admit(submission(article, body="Said once"))
    assert refusal.value.reason == moderation.Refused.SAME_TEXT
    from_elsewhere = submission(article, body="Said once", email="other@example.com", ip_address="198.51.100.50")
    moderation.admit(from_elsewhere)  # another reader's words may be the same


def test_readers_sharing_an_address_may_say_the_same_thing(article, returning):
    """An office or a school shares one address: the same text twice is judged per commenter, not per address."""
    office = "203.0.113.9"
    moderation.admit(submission(article, body="Well said.", ip_address=office))
    colleague = submission(article, body="Well said.", name="Bram", email="bram@example.com", ip_address=office)
    moderation.admit(colleague)  # a second reader, a second comment
    same_person = submission(article, body="Well said.", name=" ada ", email="ada.new@example.com", ip_address=office)
    with pytest.raises(moderation.Refused) as refusal:
        moderation.admit(same_person)  # the same name from the same address, with a new e-mail address
    assert refusal.value.reason == moderation.Refused.SAME_TEXT


def test_a_stored_comment_from_a_shared_address_does_not_block_a_colleague(article, returning):
    CommentFactory(
        article=article, author_name="Ada", author_email="ada@example.com", ip_address="203.0.113.9", body="Well said."
    )
    colleague = submission(article, body="Well said.", name="Bram", email="bram@example.com", ip_address="203.0.113.9")
    assert not moderation.repeats_own_text(colleague)
    assert moderation.repeats_own_text(
        submission(article, body="Well said.", email="x@example.com", ip_address="203.0.113.9")
    )  # Ada again, under a new address


@pytest.mark.parametrize("mode", ["pre", "post"])
def test_hold_rules_hold_in_both_modes(article, mode):
    article.comment_moderation = mode
    status, reasons = moderation.classify(submission(article, body="a https://x.example b https://y.example https://z"))
    assert status == Comment.Status.PENDING
    assert set(reasons) == {"links", "first-time"}


@pytest.mark.parametrize("mode", ["pre", "post"])
def test_spam_rules_win_over_holds(article, returning, mode):
    article.comment_moderation = mode
    assert moderation.classify(submission(article, honeypot="x")) == ("spam", ["honeypot"])


@pytest.mark.parametrize("mode", ["pre", "post"])
def test_refusals_store_nothing(article, post_comment, mode, settings):
    article.comment_moderation = mode
    article.save()
    CommentFactory(article=article, author_email="ada@example.com", body="I think the council got this one right.")
    response = post_comment(article)
    assert response.status_code == 409
    assert "already posted this exact comment" in response.content.decode()
    assert Comment.objects.count() == 1


def test_two_readers_in_one_office_both_get_their_comment_in(article, post_comment):
    office = "203.0.113.9"
    assert post_comment(article, ip=office, body="Well said.").status_code == 302
    colleague = post_comment(
        article, ip=office, body="Well said.", author_name="Bram Visser", author_email="bram@example.com"
    )
    assert colleague.status_code == 302
    assert sorted(Comment.objects.values_list("author_name", flat=True)) == ["Ada Reader", "Bram Visser"]
    again = post_comment(article, ip=office, body="Well said.")
    assert again.status_code == 409 and "already posted this exact comment" in again.content.decode()


def test_spam_is_stored_silently(client, article, post_comment):
    response = post_comment(article, website="http://bot.example")
    assert response.status_code == 302
    assert "awaits moderation" in client.get(response["Location"]).content.decode()
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_reader_sending_at_once_is_asked_to_send_again_with_the_text_kept(article, post_comment):
    from comments.forms import form_started_token

    response = post_comment(article, body="Typed in a hurry", started=form_started_token(article))
    html = response.content.decode()
    assert response.status_code == 400 and "Please check your comment and send it again" in html
    assert "Typed in a hurry" in html and not Comment.objects.exists()


def test_rate_limit_refuses_the_sixth_comment_in_ten_minutes(article, post_comment):
    for n in range(5):
        assert post_comment(article, body=f"Comment {n}").status_code == 302
    response = post_comment(article, body="One too many")
    assert response.status_code == 429
    assert Comment.objects.count() == 5
    assert post_comment(article, ip="198.51.100.99", body="Another reader").status_code == 302


def test_held_comment_records_reasons_for_moderators(article, post_comment):
    BlockedTerm.objects.create(kind="word", value="rubbish")
    post_comment(article, body="Utter rubbish")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "blocked-word" in comment.held_reasons.split()
    assert "Contains a blocked word" in [str(label) for label in comment.held_reason_labels]


# --- Closing ---


def test_comments_close_after_the_configured_days(article, site_settings):
    site_settings(close_after_days=14)
    article.published_at = timezone.now() - timedelta(days=13)
    assert moderation.comments_are_open(article)
    article.published_at = timezone.now() - timedelta(days=15)
    assert not moderation.comments_are_open(article)
    site_settings(close_after_days=0)
    assert moderation.comments_are_open(article)


def test_editor_can_close_comments(article):
    article.comments_open = False
    assert not moderation.comments_are_open(article)


@pytest.mark.parametrize("how", ["editor", "age"])
def test_closed_article_keeps_comments_but_offers_no_form(client, article, post_comment, how):
    CommentFactory(article=article, body="Said before closing")
    if how == "editor":
        article.comments_open = False
    else:
        article.published_at = timezone.now() - timedelta(days=30)
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Said before closing" in html
    assert "Comments are closed" in html
    assert "Leave a comment" not in html and ">Reply<" not in html
    form_page = client.get(f"/{article.category.slug}/{article.slug}/comment/")
    assert "Comments are closed" in form_page.content.decode()
    assert post_comment(article, body=comment_data(article)["body"] + " late").status_code == 403
    assert Comment.objects.count() == 1
