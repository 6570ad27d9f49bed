from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from newsportal.params import COMMENT_ORDERS

# The table of the embedded default cache (settings.CACHES without REDIS_URL); see newsportal/cache.py.
CACHE_TABLE = "newsportal_cache"


class CacheEntry(models.Model):
    """One entry of the database cache, in the layout Django's `DatabaseCache` reads and writes.

    Declaring it as a model lets `migrate` create the table on every fresh database (no `createcachetable` step to
    forget), lets the test database flush it, and gives `newsportal.cache` an ORM handle for its atomic counter.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = CACHE_TABLE
        verbose_name = "cache entry"
        verbose_name_plural = "cache entries"

    def __str__(self):
        return self.cache_key


class SiteSettings(models.Model):
    """The newsroom's policy: one row, edited in the admin by Site managers, with its history.

    Read it through `newsportal.sitesettings.current()`, which caches it; infrastructure and secrets stay in the
    environment (settings.py). The defaults are the values the site has always had.
    """

    SINGLETON = 1

    # Pages
    articles_per_page = models.PositiveSmallIntegerField(
        "stories per list page", default=20, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    read_next_size = models.PositiveSmallIntegerField(
        "Read next size",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Headlines in the Read next list under every story.",
    )
    live_poll_seconds = models.PositiveSmallIntegerField(
        "live poll interval (seconds)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
        help_text="How often an open live page asks for new updates.",
    )

    # Comments: moderation
    default_moderation = models.CharField(
        "comment moderation",
        max_length=4,
        choices=[("pre", "Pre-moderated: every comment waits"), ("post", "Post-moderated: published unless held")],
        default="pre",
        help_text="For stories that do not choose their own.",
    )
    hold_first_time = models.BooleanField(
        "hold first-time commenters", default=True, help_text="The first comment of every new e-mail address waits."
    )
    max_links = models.PositiveSmallIntegerField(
        "link limit", default=2, help_text="A comment with more links than this waits for a moderator."
    )
    reports_to_hide = models.PositiveSmallIntegerField(
        "reports to hide",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Reports from different readers that send a published comment back to the queue.",
    )
    close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)", default=14, help_text="0 keeps comments open."
    )
    comments_per_page = models.PositiveSmallIntegerField(
        "threads per comment page", default=20, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    default_comment_order = models.CharField(
        "comments first shown", max_length=10, choices=list(COMMENT_ORDERS.items()), default="picks"
    )
    recommend_lag_seconds = models.PositiveSmallIntegerField(
        "recommend counts shown within (seconds)",
        default=60,
        validators=[MinValueValidator(30), MaxValueValidator(3600)],
        help_text="Readers' recommends show on pages at most this late; a reader sees their own at once.",
    )

    # Comments: trusted commenters
    trust_after = models.PositiveSmallIntegerField(
        "trust after (approved comments)",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Approved comments from a proved address that make a commenter trusted …",
    )
    trust_clean_days = models.PositiveSmallIntegerField(
        "… with a clean record for (days)", default=30, help_text="No rejection or spam in this many days."
    )
    trusted_skip_queue = models.BooleanField(
        "trusted commenters skip the queue",
        default=True,
        help_text="Their comments appear at once, even on pre-moderated stories.",
    )

    # Comments: abuse limits
    rate_limit = models.PositiveIntegerField(
        "comments per reader per window", default=5, validators=[MinValueValidator(1)]
    )
    rate_limit_window = models.PositiveIntegerField(
        "rate-limit window (seconds)", default=600, validators=[MinValueValidator(1)]
    )
    min_form_seconds = models.PositiveSmallIntegerField(
        "fastest human form (seconds)",
        default=3,
        help_text="Forms sent back faster are refused with “please send it again” (not as spam).",
    )
    form_max_age = models.PositiveIntegerField(
        "comment form lifetime (seconds)", default=7200, validators=[MinValueValidator(60)]
    )
    block_ip_days = models.PositiveSmallIntegerField(
        "address block (days)",
        default=7,
        validators=[MinValueValidator(1)],
        help_text="The default expiry when a moderator also blocks an author's IP address.",
    )

    # Comments: e-mail confirmation and privacy
    confirm_max_age = models.PositiveIntegerField(
        "confirmation link lifetime (seconds)", default=3 * 24 * 3600, validators=[MinValueValidator(3600)]
    )
    confirm_every = models.PositiveIntegerField("one confirmation e-mail per address every (seconds)", default=3600)
    confirm_per_mailbox = models.PositiveSmallIntegerField(
        "confirmation e-mails a day per mailbox", default=3, help_text="Plus-tags, dots and case count as one mailbox."
    )
    confirm_per_network = models.PositiveSmallIntegerField(
        "confirmation e-mails a day per network", default=30, help_text="For comments from one /24 or /64."
    )
    ip_retention_days = models.PositiveSmallIntegerField(
        "keep commenters' IP addresses (days)",
        default=90,
        validators=[MinValueValidator(1)],
        help_text="The daily purge_commenter_data clears addresses and user agents after this.",
    )

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON
        super().save(*args, **kwargs)


class EdgePurge(models.Model):
    """A purge an edge node did not take when the change committed: retried by the worker until it goes through.

    Rows exist only while a purge is outstanding, so the admin's list is the edge's trouble at a glance.
    """

    # The request is made again from the settings at each try: its credentials (a CDN's API token) are never stored.
    url = models.CharField("edge address", max_length=500)
    keys = models.TextField("keys")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField("last error", max_length=500, blank=True)
    first_failed_at = models.DateTimeField("first failed", auto_now_add=True)
    next_attempt_at = models.DateTimeField("next attempt", db_index=True)
    given_up = models.BooleanField("given up", default=False, help_text="Retry it from the list once the edge is back.")

    class Meta:
        ordering = ["-first_failed_at"]
        verbose_name = "edge purge waiting"
        verbose_name_plural = "edge purges waiting"

    def __str__(self):
        return f"{self.keys} at {self.url}"
