"""The rules that decide what happens to a new reader comment.

Each rule is a small function of a `Submission`. `classify()` applies them in this order:

1. refusals: the comment is not stored and the reader is told why (`Refused`);
2. spam: stored as spam without telling the reader (bots learn nothing);
3. holds: stored as pending with the reasons, for a moderator to decide;
4. otherwise pre-moderated articles hold every comment, post-moderated ones publish it.
"""

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .models import BlockedTerm, Comment

logger = logging.getLogger(__name__)
LINK_PATTERN = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
Reason = Comment.HeldReason


@dataclass(frozen=True)
class Submission:
    """What a reader sent, with what we know about where it came from."""

    article: Article
    name: str
    email: str
    body: str
    parent: Comment | None = None
    ip_address: str | None = None
    user_agent: str = ""
    form_age_seconds: float | None = None  # None: the form token was missing or forged
    honeypot: str = ""


class Refused(Exception):
    """The comment is refused and nothing is stored; `message` tells the reader why."""

    def __init__(self, message, status=429):
        super().__init__(message)
        self.message = message
        self.status = status


# --- The article's settings ------------------------------------------------------------------------


def comments_are_open(article):
    """Tell whether readers may comment: not closed by the editor, and not older than the closing age."""
    if not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not (days and article.published_at and timezone.now() - article.published_at > timedelta(days=days))


def uses_post_moderation(article):
    """Tell whether new comments on the article appear at once unless a rule holds them."""
    mode = article.comment_moderation or settings.COMMENTS_DEFAULT_MODERATION
    return mode == Article.CommentModeration.POST


# --- Who is writing --------------------------------------------------------------------------------


def reader_key(ip_address):
    """Return a stable pseudonym for a reader's address, so reports and limits need not store the address."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"reader:{ip_address}".encode(), hashlib.sha256).hexdigest()


def rate_limit_cache_key(submission):
    return f"comments:rate:{reader_key(submission.ip_address)}"


def count_towards_rate_limit(submission):
    """Count one stored comment against the reader's allowance (shared by every app process via the cache)."""
    key = rate_limit_cache_key(submission)
    try:
        cache.add(key, 0, timeout=settings.COMMENTS_RATE_LIMIT_WINDOW)
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.COMMENTS_RATE_LIMIT_WINDOW)
    except Exception:  # noqa: BLE001 - the comment is stored; a lost count must not turn it into an error
        logger.warning("Cache unavailable: a comment was not counted towards the rate limit", exc_info=True)


# --- Refusals --------------------------------------------------------------------------------------


def over_rate_limit(submission):
    """Tell whether the reader has used up their comments for the current window.

    Without the cache the limit cannot be checked, so posting fails closed rather than open to floods.
    """
    try:
        count = cache.get(rate_limit_cache_key(submission)) or 0
    except Exception as error:  # noqa: BLE001 - any cache client error: the limiter cannot answer
        logger.error("Cache unavailable: comment posting is paused", exc_info=True)
        raise Refused(
            _("We can’t take comments for a moment. Please try again in a minute; your text is still here."),
            status=503,
        ) from error
    return count >= settings.COMMENTS_RATE_LIMIT


def repeats_own_text(submission):
    """Tell whether the same reader already sent exactly this text on this article."""
    same_text = Comment.objects.filter(article=submission.article, body=submission.body)
    return same_text.filter(author_email=submission.email).exists() or (
        submission.ip_address is not None and same_text.filter(ip_address=submission.ip_address).exists()
    )


# --- Spam ------------------------------------------------------------------------------------------


def honeypot_filled(submission):
    return bool(submission.honeypot)


def sent_too_fast(submission):
    """Tell whether the form came back faster than a person types, or without a genuine form token."""
    return submission.form_age_seconds is None or submission.form_age_seconds < settings.COMMENTS_MIN_FORM_SECONDS


def email_blocked(submission):
    return BlockedTerm.objects.filter(kind=BlockedTerm.Kind.EMAIL, value=submission.email.lower()).exists()


def ip_blocked(submission):
    return (
        bool(submission.ip_address)
        and BlockedTerm.objects.filter(kind=BlockedTerm.Kind.IP, value=submission.ip_address).exists()
    )


SPAM_RULES = [
    (Reason.HONEYPOT, honeypot_filled),
    (Reason.TOO_FAST, sent_too_fast),
    (Reason.BLOCKED_EMAIL, email_blocked),
    (Reason.BLOCKED_IP, ip_blocked),
]


# --- Holds -----------------------------------------------------------------------------------------


def too_many_links(submission):
    return len(LINK_PATTERN.findall(submission.body)) > settings.COMMENTS_MAX_LINKS


def contains_blocked_word(submission):
    words = BlockedTerm.objects.filter(kind=BlockedTerm.Kind.WORD).values_list("value", flat=True)
    text = submission.body.lower()
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) for word in words)


def first_time_commenter(submission):
    """Tell whether nobody has yet approved a comment from this e-mail address (when the rule is on)."""
    if not settings.COMMENTS_HOLD_FIRST_TIME:
        return False
    return not Comment.objects.filter(author_email=submission.email, status=Comment.Status.APPROVED).exists()


HOLD_RULES = [
    (Reason.LINKS, too_many_links),
    (Reason.BLOCKED_WORD, contains_blocked_word),
    (Reason.FIRST_TIME, first_time_commenter),
]


# --- The decision ----------------------------------------------------------------------------------


def classify(submission):
    """Return the `(status, reason codes)` a new comment gets, or raise `Refused`."""
    if over_rate_limit(submission):
        raise Refused(
            _("You have posted several comments in the last few minutes. Please wait a little and try again."),
            status=429,
        )
    if repeats_own_text(submission):
        raise Refused(_("You have already posted this exact comment on this article."), status=409)

    spam = [code for code, rule in SPAM_RULES if rule(submission)]
    if spam:
        return Comment.Status.SPAM, spam
    held = [code for code, rule in HOLD_RULES if rule(submission)]
    if held:
        return Comment.Status.PENDING, held
    if uses_post_moderation(submission.article):
        return Comment.Status.APPROVED, []
    return Comment.Status.PENDING, [Reason.PRE_MODERATION]


def reports_hide_comment(report_count):
    """Tell whether readers' reports are enough to take a published comment back to the queue."""
    return report_count >= settings.COMMENTS_REPORTS_TO_HIDE
