from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsportal.db.prepared import PreparedQuery
from newsportal.params import COMMENT_ORDERS
from newsportal.site import id_path
from newsportal.sitesettings import site_settings

BODY_MAX_LENGTH = 3000


# What the comment section shows of each comment (and of a newsroom member's, the byline it links).
SECTION_FIELDS = (
    "pk",
    "author_name",
    "body_html",
    "created_at",
    "edited_at",
    "is_pick",
    "from_newsroom",
    "recommend_count",
)
SECTION_FIELDS += ("byline__name", "byline__slug")


def _counted(comments):
    """Return a subquery counting the given comments, to annotate another query with (evaluated once)."""
    count = comments.order_by().values("article").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count), 0)


def published_count():
    """A subquery: how many comments readers see on the outer query's article (an UPDATE of articles, say)."""
    return _counted(Comment.objects.public().filter(article=OuterRef("pk")))


@dataclass(frozen=True)
class SectionPage:
    """One page of an article's comment section: its threads (each with `reply_list`) and the counts."""

    threads: list
    total: int  # published comments and replies
    number: int
    pages: int


# How a reader may sort the comment section (`?sort=`): editor's picks first, best (`comments.recommends.best_order`
# ranks the threads; ties as the picks order), oldest or newest first. The first a reader sees is a site setting.
PICKS_FIRST = ("-is_pick", "created_at", "pk")
SECTION_ORDERS = dict(
    zip(
        COMMENT_ORDERS,  # newsportal.params: the names, which the page cache also knows
        (PICKS_FIRST, PICKS_FIRST, ("created_at", "pk"), ("-created_at", "-pk")),
        strict=True,
    )
)


def first_section_order():
    """The order a story's comments are shown in when the reader asked for none (a site setting)."""
    return site_settings().default_comment_order


def section_order(asked):
    """The order a reader asked for (`?sort=`), or the one shown first when they asked for none or nonsense."""
    return asked if asked in SECTION_ORDERS else first_section_order()


def _answered_by_the_newsroom():
    return Exists(Comment.objects.filter(parent=OuterRef("pk"), from_newsroom=True, status=Comment.Status.APPROVED))


# What a reader may narrow the comment section to (`?show=`, newsportal.params.COMMENT_FILTERS): readers' comments
# the newsroom answered, or the threads where the newsroom wrote (its own comments and its answers).
SECTION_FILTERS = {
    "answered": lambda: Q(from_newsroom=False) & Q(_answered_by_the_newsroom()),
    "newsroom": lambda: Q(from_newsroom=True) | Q(_answered_by_the_newsroom()),
}


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Return the comments readers see: approved, and replies only under an approved parent."""
        return self.filter(status=Comment.Status.APPROVED).filter(
            Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
        )

    def threads_of(self, article):
        """Return an article's published top-level comments (the ones a reader may answer) in reading order."""
        return self.filter(article=article, status=Comment.Status.APPROVED, parent__isnull=True).order_by(
            *SECTION_ORDERS["picks"]
        )

    def replies(self):
        """Return the replies readers see: published, under a published comment."""
        return self.filter(status=Comment.Status.APPROVED, parent__status=Comment.Status.APPROVED)

    def replies_of(self, article):
        return self.replies().filter(article=article)

    def section_threads(self, article, show):
        """An article's threads that the section shows under `show` (all of them by default)."""
        every_thread = self.threads_of(article)
        return every_thread.filter(SECTION_FILTERS[show]()) if show else every_thread

    def threads_with_counts(self, article, order, show):
        """The threads a section shows, in `order`, each with the section's counts (`thread_count`, `reply_count`,
        and under a `show` filter `shown_count`: the threads it lets through)."""
        shown = self.section_threads(article, show)
        counted = shown.annotate(
            thread_count=_counted(self.threads_of(article)), reply_count=_counted(self.replies_of(article))
        )
        # Unfiltered, the shown threads are all of them: `F("thread_count")` would repeat its sub-select.
        counted = counted.annotate(shown_count=_counted(shown)) if show else counted
        return counted.order_by(*SECTION_ORDERS[order]).select_related("byline").only(*SECTION_FIELDS)

    def replies_to(self, threads):
        """The published replies to `threads` (comments, or a query of their ids), oldest first."""
        answers = self.replies().filter(parent__in=threads).select_related("byline").order_by("created_at", "pk")
        return answers.only(*SECTION_FIELDS, "parent_id")

    def page_of(self, comment, size, order):
        """Return the page of its article's comment section that shows a published comment in `order` (a reply is
        shown with its thread)."""
        from .recommends import best_order

        threads = self.threads_of(comment.article_id)
        if order == "best":
            in_order = best_order(threads)
        else:
            in_order = list(threads.order_by(*SECTION_ORDERS[order]).values_list("pk", flat=True))
        return in_order.index(comment.parent_id or comment.pk) // size + 1

    def queue(self):
        """Return the comments waiting for a moderator, oldest first."""
        return self.filter(status=Comment.Status.PENDING).order_by("created_at", "pk")

    def reported_since_decision(self):
        """Return the published comments that readers reported after a moderator last decided them, oldest first.

        Driven from the reports (few) rather than the published comments (many).
        """
        fresh_reports = Report.objects.filter(comment__status=Comment.Status.APPROVED).filter(
            Q(comment__moderated_at__isnull=True) | Q(created_at__gt=F("comment__moderated_at"))
        )
        return self.filter(pk__in=fresh_reports.values("comment")).order_by("created_at", "pk")

    def others_seen_from(self, addresses, *, besides, days):
        """Return, per IP address, how many other e-mail addresses commented from it in the last `days` days."""
        since = timezone.now() - timedelta(days=days)
        rows = (
            self.filter(ip_address__in=addresses, created_at__gte=since)
            .exclude(author_email__in=besides)
            .values("ip_address")
            .annotate(n=Count("author_email", distinct=True))
            .order_by()
        )
        return {row["ip_address"]: row["n"] for row in rows}


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    class Reason(models.TextChoices):
        """Why a comment is where it is: the rules that held it or filed it as spam, or readers' reports."""

        LINKS = "links", _("Too many links")
        BLOCKED_WORD = "blocked-word", _("Contains a blocked word")
        FIRST_TIME = "first-time", _("First-time commenter")
        PRE_MODERATION = "pre-moderation", _("Pre-moderated article")
        REPORTED = "reported", _("Reported by readers")
        HONEYPOT = "honeypot", _("Hidden field filled in (bot)")
        TOO_FAST = "too-fast", _("Sent too fast after the form opened (bot)")
        BLOCKED_EMAIL = "blocked-email", _("Blocked e-mail address")
        BLOCKED_IP = "blocked-ip", _("Blocked address")
        UNVERIFIED = "unverified", _("Unverified address")
        ALWAYS_HELD = "always-held", _("Author always pre-moderated")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author_name = models.CharField(_("name"), max_length=80)
    # Blank once the reader erased their address (the comment stays, under the same name).
    author_email = models.EmailField(_("e-mail"), blank=True, help_text=_("Never shown publicly."))
    # The author proved the address for this comment: a confirmation link, or the signed cookie it left.
    verified = models.BooleanField(_("address verified"), default=False)
    notify_published = models.BooleanField(_("e-mail me when my comment is published"), default=False)
    notify_replies = models.BooleanField(_("e-mail me when someone replies"), default=False)
    # Set when a member of the newsroom wrote it (`services.comment_post_for_newsroom`): the thread shows it as the
    # newsroom's, under their byline (an author page) or as the site's staff.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    byline = models.ForeignKey(
        "articles.Author", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("byline")
    )
    from_newsroom = models.BooleanField(_("from the newsroom"), default=False)
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH)
    # The body rendered once by `comments.text.render_comment_body` when it is stored or edited.
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    held_reasons = models.CharField(
        _("held because"), max_length=200, blank=True, help_text=_("Codes of the rules that held or rejected it.")
    )
    is_pick = models.BooleanField(_("editor’s pick"), default=False, help_text=_("Shown first, with a label."))
    # Readers' recommends, as last written down from the shared cache (`comments.recommends.flush`).
    recommend_count = models.PositiveIntegerField(_("recommends"), default=0, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited by a moderator"), null=True, blank=True)

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_public_idx"),
            # The comment section's threads in reading order, only for what readers see.
            models.Index(
                fields=["article", "-is_pick", "created_at", "id"],
                condition=Q(status="approved", parent__isnull=True),
                name="comment_thread_idx",
            ),
            # Counting an article's published replies without reading its threads.
            models.Index(
                fields=["article", "parent"],
                condition=Q(status="approved", parent__isnull=False),
                name="comment_reply_idx",
            ),
            # The moderators' lists: by status oldest or newest first, and all comments by time.
            models.Index(fields=["status", "created_at", "id"], name="comment_queue_idx"),
            models.Index(fields=["created_at", "id"], name="comment_time_idx"),
            models.Index(fields=["author_email", "status"], name="comment_author_idx"),
            # A reader's comments of the last minutes: the rate limit's count when the cache has lost it.
            models.Index(fields=["ip_address", "created_at"], name="comment_sender_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self):
        """The comment's own address (`comments.views.comment_link`): the page of the section that shows it."""
        return id_path("comments:link", self.pk)

    @property
    def decision_version(self):
        """Return what a moderator saw of the comment's state: a decision made meanwhile changes it."""
        return f"{self.status}@{self.moderated_at.isoformat() if self.moderated_at else ''}"

    @property
    def held_reason_labels(self):
        return [self.Reason(code).label for code in self.held_reasons.split() if code in self.Reason.values]


class ModerationLog(models.Model):
    """One moderation decision: who changed which comment from what to what, when and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        SPAM = "mark as spam", _("Marked as spam")
        BLOCK_AUTHOR = "block author", _("Rejected when blocking the author")
        EDIT = "edit", _("Edited")
        HIDDEN_BY_REPORTS = "hidden by reports", _("Hidden by readers’ reports")
        UNDO = "undo", _("Undone")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=Comment.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Comment.Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")
        indexes = [models.Index(fields=["comment", "-created_at", "-id"], name="moderation_log_comment_idx")]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Report(models.Model):
    """A reader's flag on a published comment; one per reader per comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or hateful")
        OFF_TOPIC = "off-topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    reporter_key = models.CharField(_("reporter"), max_length=64, help_text=_("A one-way hash, not an address."))
    # The reporter's network (a /24 or /64, hashed): reports hide a comment only from several networks.
    network_key = models.CharField(_("reporter's network"), max_length=64, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("1 for a guest, more for a reader who proved their address or is trusted.")
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["comment", "reporter_key"], name="one_report_per_reader")]

    def __str__(self):
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class Recommendation(models.Model):
    """A reader's "this is a good comment": one per reader per comment, written behind by `comments.recommends`."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="recommendations")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")  # for the Best order's readers
    reader_key = models.CharField(_("reader"), max_length=64, help_text=_("A one-way hash, not an address."))
    created_at = models.DateTimeField(_("recommended"), default=timezone.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [models.UniqueConstraint(fields=["comment", "reader_key"], name="one_recommendation_per_reader")]
        indexes = [models.Index(fields=["article", "reader_key"], name="recommendation_readers_idx")]

    def __str__(self):
        return f"Recommendation of comment {self.comment_id}"


class BlockedTermQuerySet(models.QuerySet):
    def active(self):
        """Return the entries in force: without an expiry, or not expired yet."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


class BlockedTerm(models.Model):
    """An entry of the moderators' block lists: a word, an e-mail address or an IP address."""

    class Kind(models.TextChoices):
        WORD = "word", _("Word (comments containing it are held)")
        EMAIL = "email", _("E-mail address (comments are filed as spam)")
        IP = "ip", _("IP address (comments are held for a moderator)")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    whole_word = models.BooleanField(
        _("whole word only"),
        default=False,
        help_text=_("Words match at the start of a word (“casino” also holds “casinos”); tick to match only the word."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Leave empty to keep the entry until it is deleted.")
    )

    objects = BlockedTermQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("block-list entry")
        verbose_name_plural = _("block lists")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.normal(self.value)
        super().save(*args, **kwargs)

    @staticmethod
    def normal(value):
        """Return a value as the lists store and match it: trimmed, lower case."""
        return value.strip().lower()


class Commenter(models.Model):
    """A reader's e-mail address as the site knows it: whether its owner proved it, and how far it is trusted.

    There is no account and no password: an address is verified when its owner follows the confirmation link
    e-mailed to it, and each comment is verified on its own (see `comments.identity`).
    """

    class Trust(models.TextChoices):
        BY_THE_RULES = "", _("By the rules (trusted after enough approved comments)")
        REVOKED = "revoked", _("Not trusted (revoked by a moderator)")
        ALWAYS_HOLD = "always-hold", _("Always pre-moderate")

    email = models.EmailField(_("e-mail"), unique=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_sent_at = models.DateTimeField(_("confirmation last sent"), null=True, blank=True)
    trust = models.CharField(_("trust"), max_length=12, choices=Trust.choices, blank=True, default="")
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    created_at = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")

    def __str__(self):
        return self.email


class OutgoingEmail(models.Model):
    """One e-mail to a reader (or to the newsroom, from the desk), kept until it is sent or given up: the background
    worker delivers and retries it."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm the address")
        PUBLISHED = "published", _("Comment published")
        REPLY = "reply", _("Someone replied")
        DESK = "desk", _("Newsroom desk")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"))
    headers = models.JSONField(default=dict, blank=True)
    comment = models.ForeignKey(Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails")
    # For limits that variants of one address cannot dodge (newsportal.http.mailbox_of, network_of).
    mailbox = models.CharField(_("mailbox"), max_length=254, blank=True, editable=False)
    sender_network = models.CharField(_("sent for network"), max_length=50, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outgoing_email_due_idx"),
            models.Index(fields=["kind", "mailbox", "created_at"], name="outgoing_email_mailbox_idx"),
            models.Index(fields=["kind", "sender_network", "created_at"], name="outgoing_email_network_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}"


def section_page(article, page, size, order="picks", show=""):
    """Return one page of an article's comment section in two queries, whatever the number of comments.

    `order` is a key of SECTION_ORDERS, `show` one of SECTION_FILTERS (the template tag turns what a reader
    typed into them). The first reads the page's threads together with the counts (subqueries the database runs
    once each); the second, only when the page has threads, their replies. Both are compiled once per process
    for each kind of page (`newsportal.db.prepared`): every cold story page reads them. A page past the last
    one comes back empty, with its number above `pages` (the comment section answers it with a 404).
    """
    if order == "best":  # ranked in Python (comments.recommends.best_score), fetched by id
        from .recommends import best_order

        ranked = best_order(Comment.objects.section_threads(article, show))[_page_slice(page, size)]
        with_counts = Comment.objects.threads_with_counts(article, order, show).filter(pk__in=ranked)
        by_id = {thread.pk: thread for thread in with_counts}
        threads = [by_id[pk] for pk in ranked if pk in by_id]
        answers = Comment.objects.replies_to(threads) if threads else []
    else:
        shape = (order, show, page, size)
        threads = _SECTION_THREADS.rows(shape, article=article.pk)
        answers = _SECTION_REPLIES.rows(shape, article=article.pk) if threads else []
    replies = {}
    for reply in answers:
        replies.setdefault(reply.parent_id, []).append(reply)
    for thread in threads:
        thread.reply_list = replies.get(thread.pk, [])
        thread.answered = not thread.from_newsroom and any(reply.from_newsroom for reply in thread.reply_list)
    if threads:
        shown_count = threads[0].shown_count if show else threads[0].thread_count
    else:
        shown_count = Comment.objects.section_threads(article, show).count() if page > 1 or show else 0
    return SectionPage(
        threads=threads,
        total=threads[0].thread_count + threads[0].reply_count if threads else article.comment_count,
        number=page,
        pages=max(1, -(-shown_count // size)),
    )


def _page_slice(page, size):
    return slice((page - 1) * size, page * size)


# A page of the comment section (`section_page`) in the orders the database gives: its threads with the counts,
# and the replies to the same threads (their ids as a sub-select, so the statement keeps one shape).
_SECTION_THREADS = PreparedQuery(
    lambda order, show, page, size, article: Comment.objects.threads_with_counts(article, order, show)[
        _page_slice(page, size)
    ],
    article=int,
)
_SECTION_REPLIES = PreparedQuery(
    lambda order, show, page, size, article: Comment.objects.replies_to(
        Comment.objects.section_threads(article, show)
        .order_by(*SECTION_ORDERS[order])
        .values("pk")[_page_slice(page, size)]
    ),
    article=int,
)
