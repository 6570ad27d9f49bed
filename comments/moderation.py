"""The rules that decide what happens to a new reader comment.

Each rule is a small function of a `Submission`. `admit()` applies the refusals, then `classify()` the rest
(the registry `RULES` holds the spam and hold rules once, with their reasons):

1. refusals: the comment is not stored and the reader is told why (`Refused`, with a reason the view turns into
   an HTTP status): a form that cannot be trusted yet (expired, sent back too fast, for another article), the
   reader's allowance used up, or the same text sent twice;
2. spam: stored as spam without telling the reader (bots learn nothing): the honeypot, blocked e-mail addresses;
3. holds: stored as pending with the reasons, for a moderator to decide: a blocked IP address (addresses are shared
   by offices, schools and mobile networks, so a person decides), too many links, a blocked word, an author a
   moderator always wants to see, a known address the sender has not proved, a first-time commenter;
4. otherwise trusted commenters are published at once, pre-moderated articles hold every comment, and
   post-moderated ones publish it.

Trust counts only verified comments (`Standing`): a comment whose author proved the address (see
`comments.identity`). Anyone can type an address; only its owner can follow the link sent to it.

Only rules no person trips by accident file a comment as spam. Words and links are matched on one normal form
of the text (`comments.matching`). The allowance and the same-text check are claimed atomically in the shared
cache before anything is stored, so simultaneous requests cannot slip past them.
"""

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsportal import outages
from newsportal.sitesettings import site_settings

from . import matching, selectors
from .models import BlockedTerm, Comment, Commenter

logger = logging.getLogger(__name__)
Reason = Comment.Reason
# How long the claim on a text lasts; after that the database answers "already posted" on its own.
SAME_TEXT_CLAIM_SECONDS = 120


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
    form_age_seconds: float | None = None  # None: the form token was missing, forged or for another article
    honeypot: str = ""
    verified: bool = False  # the sender proved the address (the cookie its confirmation link left)
    notify_published: bool = False
    notify_replies: bool = False

    @cached_property
    def standing(self):
        return author_standing(self.email, verified=self.verified)


@dataclass(frozen=True)
class Standing:
    """What the site knows of an author, counting only the comments whose author proved the address."""

    known: bool  # the address has commented before
    verified: bool  # this comment's sender proved the address
    trust: str  # a moderator's choice (Commenter.Trust)
    approved: int  # verified comments a moderator approved (or that were published)
    recently_refused: bool  # a verified comment rejected or filed as spam within the trust_clean_days setting

    @property
    def trusted(self):
        return (
            self.verified
            and self.trust == Commenter.Trust.BY_THE_RULES
            and self.approved >= site_settings().trust_after
            and not self.recently_refused
        )


def standings(emails, *, verified=False, records=None):
    """Return the standing of each address (as sent with `verified`), in two queries whatever their number.

    `records`: the addresses' `selectors.author_records`, when the caller has read them already.
    """
    records = selectors.author_records(emails) if records is None else records
    trust = dict(Commenter.objects.filter(email__in=emails).values_list("email", "trust"))
    return {
        email: Standing(
            known=record.comments > 0,
            verified=verified,
            trust=trust.get(email) or Commenter.Trust.BY_THE_RULES,
            approved=record.proven_approved,
            recently_refused=record.proven_refused_lately > 0,
        )
        for email, record in records.items()
    }


def author_standing(email, *, verified):
    """Return the standing of one address, as sent by someone who did (or did not) prove it."""
    return standings([email], verified=verified)[email]


class Refused(Exception):
    """The comment is refused and nothing is stored; `message` tells the reader why, `reason` says which rule."""

    RATE_LIMIT = "rate-limit"
    SAME_TEXT = "same-text"
    UNAVAILABLE = "unavailable"
    FORM = "form"  # the form must be sent again: expired, too fast, or not this article's

    def __init__(self, message, reason, *, new_form=False):
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.new_form = new_form  # the form the reader gets back needs a new token


# --- The article's settings ------------------------------------------------------------------------


def comments_stream(article):
    """Whether readers with the story open are offered new comments as they are published: on a running live
    page, and on any story whose editor asked for it."""
    return comments_are_open(article) and (article.live_comments or article.coverage_state() == "running")


def comments_are_open(article):
    """Tell whether readers may comment: not closed by the editor, and not older than the closing age."""
    if not article.comments_open:
        return False
    days = site_settings().close_after_days
    return not (days and article.published_at and timezone.now() - article.published_at > timedelta(days=days))


def uses_post_moderation(article):
    """Tell whether new comments on the article appear at once unless a rule holds them."""
    mode = article.comment_moderation or site_settings().default_moderation
    return mode == Article.CommentModeration.POST


# --- Who is writing --------------------------------------------------------------------------------


def reader_key(ip_address):
    """Return a stable pseudonym for a reader's address, so reports and limits need not store the address."""
    return pseudonym(f"reader:{ip_address}")


def pseudonym(value):
    """Return a one-way, keyed hash of `value` (an address, a network, a browser token)."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def rate_limit_cache_key(submission):
    return f"comments:rate:{reader_key(submission.ip_address)}"


def _unavailable(error):
    outages.down("cache", error)
    return Refused(
        _("We can’t take comments for a moment. Please try again in a minute; your text is still here."),
        Refused.UNAVAILABLE,
    )


# --- Refusals --------------------------------------------------------------------------------------


def check_form(submission):
    """Refuse a form that cannot be trusted yet; the reader is asked to check the comment and send it again.

    A missing, forged or expired token, or another article's, gets a new one with the form; a form sent back
    faster than a person types keeps its token, so sending again a moment later works.
    """
    age = submission.form_age_seconds
    if age is None:
        message, new_form = _("We could not check this form. Please check your comment and send it again."), True
    elif age > site_settings().form_max_age:
        message, new_form = _("This form was opened a while ago. Please check your comment and send it again."), True
    elif age < site_settings().min_form_seconds:
        message, new_form = _("That was very quick. Please check your comment and send it again."), False
    else:
        return
    raise Refused(message, Refused.FORM, new_form=new_form)


def claim_allowance(submission):
    """Count this comment against the reader's allowance, atomically; return False (and count nothing) when used up.

    Shared by every app process via the cache; without the cache the limit cannot be checked, so posting fails
    closed rather than open to floods. A counter the cache does not hold (a new window, or a cache that restarted
    and lost everything) starts from the reader's comments stored in the last window, so restarting Redis
    resets no one's allowance.
    """
    key = rate_limit_cache_key(submission)
    try:
        try:
            count = cache.incr(key)
        except ValueError:  # no counter: start it from the database's count of this window
            cache.add(key, sent_in_window(submission), timeout=site_settings().rate_limit_window)
            count = cache.incr(key)
        if count <= site_settings().rate_limit:
            return True
        cache.decr(key)
        return False
    except Exception as error:  # noqa: BLE001 - any cache client error: the limiter cannot answer
        raise _unavailable(error) from error


def sent_in_window(submission):
    """Return how many comments this reader's address sent in the last rate-limit window (stored ones)."""
    if not submission.ip_address:
        return 0
    since = timezone.now() - timedelta(seconds=site_settings().rate_limit_window)
    return Comment.objects.filter(ip_address=submission.ip_address, created_at__gte=since).count()


def give_back_allowance(submission):
    """Return a claimed comment to the reader's allowance (it was refused for another reason)."""
    try:
        cache.decr(rate_limit_cache_key(submission))
    except Exception:  # noqa: BLE001 - expired or unavailable: nothing to give back
        logger.info("A claimed comment could not be returned to the reader's allowance", exc_info=True)


# "The same commenter", for the same text twice: the same e-mail address, or the same name from the same network
# address. Never the address alone: readers in one office or school share it, and two of them may well both write
# "Well said." under a story.


def same_text_keys(submission):
    text = hashlib.sha256(f"{submission.article.pk}:{submission.body}".encode()).hexdigest()
    keys = [f"comments:text:{text}:{hashlib.sha256(submission.email.encode()).hexdigest()}"]
    if submission.ip_address:
        name = hashlib.sha256(submission.name.strip().casefold().encode()).hexdigest()
        keys.append(f"comments:text:{text}:{reader_key(submission.ip_address)}:{name}")
    return keys


def claim_text(submission):
    """Claim this text for this commenter and article, atomically; return False when it was sent already."""
    try:
        if not all(cache.add(key, 1, timeout=SAME_TEXT_CLAIM_SECONDS) for key in same_text_keys(submission)):
            return False
    except Exception as error:  # noqa: BLE001 - without the cache two copies could slip in at once
        raise _unavailable(error) from error
    return not repeats_own_text(submission)


def repeats_own_text(submission):
    """Tell whether the same commenter already sent exactly this text on this article (stored earlier)."""
    same_text = Comment.objects.filter(article=submission.article, body=submission.body)
    by_commenter = Q(author_email=submission.email)
    if submission.ip_address is not None:
        by_commenter |= Q(ip_address=submission.ip_address, author_name__iexact=submission.name.strip())
    return same_text.filter(by_commenter).exists()


# --- Spam ------------------------------------------------------------------------------------------


def honeypot_filled(submission):
    return bool(submission.honeypot)


def email_blocked(submission):
    email = BlockedTerm.normal(submission.email)
    return BlockedTerm.objects.active().filter(kind=BlockedTerm.Kind.EMAIL, value=email).exists()


# --- Holds -----------------------------------------------------------------------------------------


def ip_blocked(submission):
    return (
        bool(submission.ip_address)
        and BlockedTerm.objects.active().filter(kind=BlockedTerm.Kind.IP, value=submission.ip_address).exists()
    )


def too_many_links(submission):
    return len(matching.find_links(submission.body)) > site_settings().max_links


def blocked_words():
    """Return the block list's words as (word, whole word only) pairs."""
    return list(BlockedTerm.objects.active().filter(kind=BlockedTerm.Kind.WORD).values_list("value", "whole_word"))


def contains_blocked_word(submission):
    return bool(matching.find_words(submission.body, blocked_words()))


def always_held(submission):
    """Tell whether a moderator asked to see every comment of this author first."""
    return submission.standing.trust == Commenter.Trust.ALWAYS_HOLD


def unverified_known_address(submission):
    """Tell whether the address has commented before but this sender has not proved it is theirs."""
    return submission.standing.known and not submission.verified


def first_time_commenter(submission):
    """Tell whether no verified comment of this sender was approved yet (when the rule is on)."""
    if not site_settings().hold_first_time:
        return False
    return not (submission.verified and submission.standing.approved)


# --- The registry: each rule once -----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One moderation rule: the reason it records on a comment, whether it files the comment as spam (else it holds
    it for a person), and its check of a submission. The workspace, the admin's filter and the cards read these."""

    reason: Reason
    files_as_spam: bool
    check: Callable


RULES = (
    Rule(Reason.HONEYPOT, True, honeypot_filled),
    Rule(Reason.BLOCKED_EMAIL, True, email_blocked),
    Rule(Reason.BLOCKED_IP, False, ip_blocked),
    Rule(Reason.LINKS, False, too_many_links),
    Rule(Reason.BLOCKED_WORD, False, contains_blocked_word),
    Rule(Reason.ALWAYS_HELD, False, always_held),
    Rule(Reason.UNVERIFIED, False, unverified_known_address),
    Rule(Reason.FIRST_TIME, False, first_time_commenter),
)
# Every reason a comment can wait for a person: readers' reports, each holding rule, and the article's own
# pre-moderation (what holds a comment no rule held).
QUEUE_REASONS = (
    Reason.REPORTED,
    *(rule.reason for rule in RULES if not rule.files_as_spam),
    Reason.PRE_MODERATION,
)
# Every reason a comment can carry today, in the order moderators read them.
GIVEN_REASONS = (*QUEUE_REASONS, *(rule.reason for rule in RULES if rule.files_as_spam))


def trusted_skip_queue(submission):
    """Tell whether a trusted commenter's comment appears at once here (site setting and the editor's choice)."""
    return (
        site_settings().trusted_skip_queue
        and submission.article.trusted_commenters_skip_queue
        and submission.standing.trusted
    )


# --- The decision ----------------------------------------------------------------------------------


def admit(submission):
    """Let a comment in, or raise `Refused` (then nothing is counted): the form's token and timing, the reader's
    allowance, the same text twice. This is where the claims in the shared cache are taken; `release()` gives
    them back when the comment is not stored after all."""
    check_form(submission)
    if not claim_allowance(submission):
        raise Refused(
            _("You have posted several comments in the last few minutes. Please wait a little and try again."),
            Refused.RATE_LIMIT,
        )
    if not claim_text(submission):
        give_back_allowance(submission)
        raise Refused(_("You have already posted this exact comment on this article."), Refused.SAME_TEXT)


def release(submission):
    """Give back what `admit()` claimed for a comment that was not stored (its insert failed)."""
    give_back_allowance(submission)
    try:
        cache.delete_many(same_text_keys(submission))
    except Exception:  # noqa: BLE001 - the claims expire on their own
        logger.info("A claimed text could not be released", exc_info=True)


def classify(submission):
    """Return the `(status, reason codes)` an admitted comment gets from the rules. Reads only; claims nothing."""
    spam = [rule.reason for rule in RULES if rule.files_as_spam and rule.check(submission)]
    if spam:
        return Comment.Status.SPAM, spam
    held = [rule.reason for rule in RULES if not rule.files_as_spam and rule.check(submission)]
    if held:
        return Comment.Status.PENDING, held
    if trusted_skip_queue(submission) or uses_post_moderation(submission.article):
        return Comment.Status.APPROVED, []
    return Comment.Status.PENDING, [Reason.PRE_MODERATION]


# What one report weighs: a guest 1, a reader who proved their address 2, a trusted commenter 3.
REPORT_WEIGHTS = {"guest": 1, "verified": 2, "trusted": 3}
# However heavy, reports from one network never hide a comment alone.
REPORT_NETWORKS_TO_HIDE = 2


def report_weight(proven_email):
    """Return what a report weighs, from the address the reporter's browser proved (None: a guest)."""
    if not proven_email:
        return REPORT_WEIGHTS["guest"]
    return REPORT_WEIGHTS["trusted" if author_standing(proven_email, verified=True).trusted else "verified"]


def reports_hide_comment(reports):
    """Tell whether readers' reports (`weight`, `network_key` of each) take a published comment back to the queue.

    Each network counts once, with its heaviest report: a hundred addresses in one /24 or /64 are one voice. The
    sum must reach the reports_to_hide setting, from at least REPORT_NETWORKS_TO_HIDE networks.
    """
    heaviest = {}
    for weight, network in reports:
        heaviest[network] = max(weight, heaviest.get(network, 0))
    return len(heaviest) >= REPORT_NETWORKS_TO_HIDE and sum(heaviest.values()) >= site_settings().reports_to_hide


def held_spans(text, words):
    """Return the spans of a text the rules look at, for the moderators' highlight: block-list words, then links."""
    links = [(link.start, link.end) for link in matching.find_links(text)]
    return matching.find_words(text, words), links
