from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from newsportal.db.prepared import PreparedQuery
from newsportal.site import page_path
from newsportal.sitesettings import site_settings

from .richtext import text_of
from .search import full_text, stemmed

# Top-level URL names that a category slug would shadow.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "static",
        "media",
        "search",
        "feeds",
        "feed",
        "comments",
        "healthz",
        "sitemap.xml",
        "robots.txt",
        "corrections",
        "authors",
        "preview",
        "accounts",
        "news-sitemap.xml",
        "sitemaps",
        "pages",
    }
)


def validate_category_slug(value):
    """Refuse slugs that collide with the site's fixed top-level URLs."""
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another slug."), params={"slug": value})


# How many top-story slots editors can pin on the home page, under the lead.
TOP_STORY_SLOTS = 4

# Kept up to date by other parts of the site with an UPDATE of their own: an editor's save, from a form opened
# before, must not write back the value it read (articles.live: the newest update's time; comments.services: the
# published comments).
WRITTEN_BY_OTHERS = ("live_updated_at", "comment_count")

# Every save of an article keeps a revision; `articles.services` records one per editor save, after the
# bylines are saved, so the revision holds the authors as they are after the save.
ARTICLE_HISTORY = HistoricalRecords(
    m2m_fields=["authors"],
    excluded_fields=["body_html", "key_points_html", *WRITTEN_BY_OTHERS],
    history_change_reason_field=models.TextField(null=True),
)


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[validate_category_slug])
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("menu position"), default=0, help_text=_("Lower comes first."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_path("articles:category", category=self.slug)


# The site page the comment form and the e-mails link as the privacy notice: created by migration 0024, its
# address fixed (the admin does not let it change).
PRIVACY_NOTICE = "privacy"


class SitePage(models.Model):
    """A page about the site itself (About, Contact, Privacy, Terms, Corrections policy, Complaints): written by
    editors with the story editor, linked from every page's footer in `footer_position` order."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("address"), max_length=80, unique=True, help_text=_("The page is at /pages/<address>/; set once, when added.")
    )
    body = models.TextField(_("text"), blank=True)  # HTML from the story editor, cleaned on save (services)
    footer_position = models.PositiveSmallIntegerField(
        _("footer position"), null=True, blank=True, help_text=_("Lower comes first; empty: not in the footer.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["footer_position", "title"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_path("articles:site-page", slug=self.slug)

    @property
    def summary(self):
        """The page's first words, for search results and link previews."""
        return Truncator(text_of(self.body)).chars(160)


class ImageQuerySet(models.QuerySet):
    def ready(self):
        """Return the pictures whose renditions exist: the ones pages can show."""
        return self.filter(rendition_state=Image.RenditionState.READY)

    def with_usage(self):
        """Annotate how many stories lead with each picture, share with it, use it in the body, and authors and
        updates show it."""
        return self.annotate(
            lead_count=models.Count("lead_of", distinct=True),
            social_count=models.Count("social_of", distinct=True),
            body_count=models.Count("in_body_of", distinct=True),
            portrait_count=models.Count("portrait_of", distinct=True),
            update_count=models.Count("pictured_in", distinct=True),
        )

    def unused(self):
        return self.filter(
            lead_of__isnull=True,
            social_of__isnull=True,
            in_body_of__isnull=True,
            portrait_of__isnull=True,
            pictured_in__isnull=True,
        )


def _upload_path(image, filename):
    """Where an upload waits, as sent, until the worker has stored its clean copy in library/ (and removed it)."""
    return f"uploads/{timezone.now():%Y/%m}/{filename}"


class Image(models.Model):
    """One picture of the media library, used as a lead image, an author's photo, in a live update or in a body.

    The upload is checked from its header and stored as sent; the background worker then decodes it, stores a
    clean upright copy without metadata in its place and cuts the renditions (`articles.images.process`). Until
    then (`rendition_state` pending) pages show no picture rather than the full-size original.
    """

    class RenditionState(models.TextChoices):
        PENDING = "pending", _("Being processed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be processed")

    file = models.ImageField(_("file"), upload_to=_upload_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    alt_text = models.CharField(
        _("alt text"), max_length=250, blank=True, help_text=_("What the picture shows, for readers who cannot see it.")
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    # Where crops keep the picture's subject: a point in fractions of width and height (0.5, 0.5 is the centre).
    focal_x = models.FloatField(_("focal point across"), default=0.5)
    focal_y = models.FloatField(_("focal point down"), default=0.5)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True, editable=False, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    rendition_state = models.CharField(
        _("renditions"), max_length=8, choices=RenditionState.choices, default=RenditionState.PENDING, editable=False
    )
    rendition_error = models.TextField(_("problem"), blank=True, editable=False)
    # Claimed by the worker processing it; a claim older than a few minutes was a worker that died (retried).
    processing_since = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        indexes = [models.Index(fields=["rendition_state", "uploaded_at"], name="image_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.alt_text or self.caption or self.original_name or f"Picture {self.pk}"

    @property
    def is_ready(self):
        return self.rendition_state == self.RenditionState.READY

    @property
    def orientation(self):
        if not self.width or not self.height:
            return ""
        if abs(self.width - self.height) <= 0.05 * max(self.width, self.height):
            return "square"
        return "landscape" if self.width > self.height else "portrait"


class Author(models.Model):
    """A writer credited in bylines, with a public page listing their articles."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(
        _("short bio"), max_length=600, blank=True, help_text=_("Two or three sentences shown on the author’s page.")
    )
    photo = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of",
        verbose_name=_("photo"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        verbose_name=_("staff account"),
        help_text=_("Optional: the newsroom account of this author."),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_path("articles:author", slug=self.slug)


class Byline(models.Model):
    """One author's credit on one article; `position` orders the names in the byline."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
    # PROTECT: deleting an author must not silently rewrite the bylines of published stories.
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("author"))
    position = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower comes first."))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("author credit")
        verbose_name_plural = _("authors")
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="byline_author_once_per_article")]
        indexes = [models.Index(fields=["author", "article"], name="byline_author_idx")]

    def __str__(self):
        return str(self.author)


# Google News takes the stories of the last two days from its sitemap.
NEWS_WINDOW = timedelta(hours=48)
# A publication time further ahead than this is most likely a typo (a wrong year or month): editors are warned.
FAR_FUTURE = timedelta(days=30)
READING_WORDS_PER_MINUTE = 230


class ArticleQuerySet(models.QuerySet):
    """Where an article stands: live (readers see it), scheduled (published, its time still to come) or a draft.

    These four methods and `Article.publication_state()` are the one definition of it, in SQL and in Python.
    """

    def live(self, now=None):
        """Return the articles a reader may see: published, and their publication time (`now` by default) has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self):
        """Return the articles published for a time still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_review(self):
        """Return the stories waiting for an editor's review, oldest submission first (the review queue)."""
        return self.filter(status=Article.Status.IN_REVIEW).order_by("submitted_at", "pk")

    def far_future(self):
        """Return the scheduled articles whose time is so far ahead that it is probably a mistake."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now() + FAR_FUTURE)

    def teasers(self):
        """Load what a list item shows (headline, teaser, time, category label, picture) in the same query."""
        return self.select_related("category", "lead_image").defer("body", "body_html")

    def search(self, text):
        """Return the articles matching a reader's query, best match first, each with its `search_headline`.

        PostgreSQL's full-text search, or SQLite's FTS5 index (see articles/search.py for both).
        """
        if connections[self.db].vendor == "postgresql":
            return full_text(self, text)
        return stemmed(self, text)

    def fresh(self):
        """Return the live articles of the last NEWS_WINDOW, newest first: what Google News takes."""
        return self.live().filter(published_at__gte=timezone.now() - NEWS_WINDOW)

    def breaking(self, now=None):
        """Return the live stories marked breaking whose banner has not expired, newest first."""
        now = now or timezone.now()
        return (
            self.live(now)
            .filter(is_breaking=True)
            .filter(Q(breaking_until__isnull=True) | Q(breaking_until__gt=now))
            .order_by("-published_at", "-pk")
        )

    def shown_on_every_page(self):
        """Return the live stories that appear on every page: the newest ones (Read next lists them under every
        other story) and the one the breaking-news banner links to."""
        newest = self.live().order_by("-published_at", "-pk").values("pk")[: site_settings().read_next_size + 1]
        banner = self.breaking().values("pk")[:1]
        return self.filter(Q(pk__in=newest) | Q(pk__in=banner))

    def pinned(self):
        """Return the stories pinned to the home page: the lead and the top-story slots."""
        return self.filter(Q(pinned_lead=True) | Q(top_story_rank__isnull=False))

    def with_last_note(self):
        """Annotate when each article's newest note was added, for `Article.modified_at` without loading the notes."""
        return self.annotate(last_note_at=models.Max("corrections__created_at"))

    def with_credits(self):
        """Load the byline authors (in byline order) and the correction notes (oldest first): two prefetches."""
        return self.prefetch_related(
            Prefetch("bylines", queryset=credits_shown(), to_attr="credits"),
            Prefetch("corrections", queryset=notes_shown(), to_attr="loaded_notes"),
        )


class Article(models.Model):
    class Status(models.TextChoices):
        """The story states (articles/desk.py moves a story between them, one transition per move)."""

        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        PUBLISHED = "published", _("Published")

    class CommentModeration(models.TextChoices):
        SITE_DEFAULT = "", _("Site default")
        PRE = "pre", _("Pre-moderation: every comment waits for a moderator")
        POST = "post", _("Post-moderation: comments appear at once unless a rule holds them")

    title = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    standfirst = models.CharField(
        _("standfirst"),
        max_length=300,
        blank=True,
        help_text=_("One sentence that sums the story up; shown as its teaser. Needed before publishing."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Write as anywhere: the toolbar or the usual shortcuts (Ctrl+B, Ctrl+I, Ctrl+K for a link) for "
            "subheadings, lists, quotes, pull quotes and tables; pictures from the library; a link to a video, a "
            "post or a chart on a line of its own becomes an embed."
        ),
    )
    # The body rendered from Markdown and sanitized once, when an editor saves (articles.services).
    body_html = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    authors = models.ManyToManyField(
        Author, through=Byline, related_name="articles", blank=True, verbose_name=_("authors")
    )
    credit_line = models.CharField(
        _("credit line"),
        max_length=200,
        blank=True,
        help_text=_("Shown only when no author is chosen, for example “Staff and agencies”."),
    )

    # From the media library (its alt text, caption, credit and renditions); a picture in use cannot be deleted.
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
        verbose_name=_("lead image"),
    )
    # Pictures placed in the body (kept in step with it by articles.services), so the library knows where each is.
    body_images = models.ManyToManyField(Image, blank=True, related_name="in_body_of", editable=False)

    # What search engines and social networks show of the story, when it should read differently from the page.
    seo_title = models.CharField(
        _("title for search results"),
        max_length=200,
        blank=True,
        help_text=_(
            "What search results show as the title; they cut it off past about 60 characters. Empty: the headline."
        ),
    )
    social_title = models.CharField(
        _("title for social cards"),
        max_length=200,
        blank=True,
        help_text=_("The headline on the card when the story is shared on a social network. Empty: the headline."),
    )
    social_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_of",
        verbose_name=_("picture for social cards"),
        help_text=_("The picture on the card when the story is shared (a wide one works best). Empty: the lead image."),
    )

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Readers see the article from this time on. A future time schedules it."),
    )
    pinned_lead = models.BooleanField(
        _("pinned lead story"),
        default=False,
        help_text=_(
            "Lead the home page with this story. The newest live pinned story leads; "
            "a scheduled one takes over when it goes live. Without any, the newest story leads."
        ),
    )
    top_story_rank = models.PositiveSmallIntegerField(
        _("top story slot"),
        null=True,
        blank=True,
        choices=[(slot, format_lazy("{} {}", _("Top story"), slot)) for slot in range(1, TOP_STORY_SLOTS + 1)],
        help_text=_("Pin among the top stories under the lead, in this order. Empty slots fill with the newest."),
    )
    is_breaking = models.BooleanField(
        _("breaking news"), default=False, help_text=_("Show a banner linking to this story across the whole site.")
    )
    breaking_until = models.DateTimeField(
        _("banner until"),
        null=True,
        blank=True,
        help_text=_("The banner disappears at this time. Leave empty to keep it until you untick “breaking news”."),
    )

    # Live coverage (articles/live.py): short timestamped updates while a story breaks.
    live_from = models.DateTimeField(
        _("live coverage from"), null=True, blank=True, help_text=_("Set to run this story as a live page.")
    )
    live_until = models.DateTimeField(
        _("live coverage until"),
        null=True,
        blank=True,
        help_text=_("The page stays with all its updates, labelled “Live coverage ended”. Empty: still running."),
    )
    key_points = models.TextField(
        _("key points"),
        blank=True,
        help_text=_("“What we know”, above the updates: a short list of points."),
    )
    key_points_html = models.TextField(editable=False, blank=True)
    live_updated_at = models.DateTimeField(editable=False, null=True)  # the newest update's time (articles.live)
    # Published comments and replies, as the comment section counts them (comments.services): every teaser shows it.
    comment_count = models.PositiveIntegerField(_("published comments"), default=0, editable=False)

    comments_open = models.BooleanField(_("comments open"), default=True)
    comment_moderation = models.CharField(
        _("comment moderation"), max_length=4, choices=CommentModeration.choices, blank=True, default=""
    )
    trusted_commenters_skip_queue = models.BooleanField(
        _("trusted commenters appear at once"),
        default=True,
        help_text=_(
            "Comments from readers with a verified address and a clean record are published without waiting, "
            "even when every comment is pre-moderated (unless a rule holds them). Untick for sensitive stories."
        ),
    )
    live_comments = models.BooleanField(
        _("offer new comments as they are published"),
        default=False,
        help_text=_("Readers with the page open are offered new comments without reloading (always on a live page)."),
    )

    # The desk (articles/desk.py): who wrote the story, when it was last sent for review, and the version every
    # save must start from (a save based on an older one is a conflict, never a silent overwrite).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("written by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = ARTICLE_HISTORY

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Both serve published() in reader order (-published_at, -pk) without sorting, and cover the keys
            # that deep pages skip over (see articles/pagination.py).
            models.Index(fields=["status", "-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["category", "status", "-published_at", "-id"], name="article_category_published_idx"),
            # The banner and the home page's pins look for a few flagged rows among many: partial indexes, in
            # reader order to the last key, so no estimate of how many rows are flagged can make the planner prefer
            # walking every published story instead (it did, at 20,000 stories: 13 ms per banner sub-select).
            models.Index(fields=["-published_at", "-id"], condition=Q(is_breaking=True), name="article_breaking_idx"),
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(pinned_lead=True) | Q(top_story_rank__isnull=False),
                name="article_pinned_idx",
            ),
        ]
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish stories, and edit live ones")),
            ("review_article", _("Can approve stories in review or send them back")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message=_("A published article needs a publication time."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save what this instance holds, except what others keep up to date (`WRITTEN_BY_OTHERS`)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            not_loaded = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in WRITTEN_BY_OTHERS and field.attname not in not_loaded
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_path("articles:article", category=self.category.slug, slug=self.slug)

    @property
    def reading_minutes(self):
        """Minutes a reader needs for the body, at an unhurried READING_WORDS_PER_MINUTE (at least one)."""
        return max(1, round(len(text_of(self.body).split()) / READING_WORDS_PER_MINUTE))

    def publication_state(self, now=None):
        """Return "live", "scheduled" or "draft", as `ArticleQuerySet.live/scheduled/drafts` decide it in SQL.

        "draft" covers every unpublished state (draft, in review, changes requested): readers see none of them.
        """
        if self.status != self.Status.PUBLISHED:
            return "draft"
        if self.published_at is not None and self.published_at > (now or timezone.now()):
            return "scheduled"
        return "live"

    @property
    def is_scheduled(self):
        return self.publication_state() == "scheduled"

    @property
    def is_live(self):
        return self.publication_state() == "live"

    @cached_property
    def credited_authors(self):
        """Return the authors in byline order (prefetched by `with_credits()`, else one query)."""
        if hasattr(self, "credits"):
            return [byline.author for byline in self.credits]  # Byline's ordering: position, pk
        return list(Author.objects.filter(bylines__article=self).order_by("bylines__position", "bylines__pk"))

    @cached_property
    def notes(self):
        """Return the corrections and updates, oldest first (prefetched by `with_credits()`, else one query)."""
        return (
            self.loaded_notes if hasattr(self, "loaded_notes") else list(self.corrections.order_by("created_at", "pk"))
        )

    @property
    def last_noted_at(self):
        """Return the time of the newest correction or update: the “Updated 14:05” at the top of the story."""
        if "last_note_at" in self.__dict__:  # annotated by `with_last_note()`
            return self.last_note_at
        return self.notes[-1].created_at if self.notes else None

    @property
    def modified_at(self):
        """Return when the story last changed: an edit or a note, and never before it was published.

        The one definition of "last modified": JSON-LD's dateModified, the feeds' updated and the sitemaps' lastmod.
        """
        return max(moment for moment in (self.published_at, self.updated_at, self.last_updated_at) if moment)

    @property
    def last_updated_at(self):
        """Return the time of the newest note or live update: the “Updated 14:05” at the top of the story."""
        return max((moment for moment in (self.last_noted_at, self.live_updated_at) if moment), default=None)

    def coverage_state(self, now=None):
        """Return "running" or "ended" for a live page, or "" for a normal story (or coverage yet to start)."""
        now = now or timezone.now()
        if not self.live_from or self.live_from > now:
            return ""
        return "ended" if self.live_until and self.live_until <= now else "running"


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Return the corrections readers see on /corrections/: those of published articles, newest first."""
        return (
            self.filter(kind=Correction.Kind.CORRECTION, article__in=Article.objects.live())
            .select_related("article__category")
            .defer("article__body", "article__body_html")
            .order_by("-created_at", "-pk")
        )


class Correction(models.Model):
    """A correction or update note shown at the end of an article; corrections are also listed site-wide."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("note"),
        max_length=1000,
        help_text=_("What was wrong and what is right now, or what changed. Shown as written."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        indexes = [models.Index(fields=["kind", "-created_at"], name="correction_recent_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#corrections"


class ReadCount(models.Model):
    """How often a story was opened in one ten-minute window (written from the shared cache; articles.popularity)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_counts")
    window_start = models.DateTimeField()
    views = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "window_start"], name="one_count_per_window")]
        indexes = [models.Index(fields=["window_start"], name="read_count_window_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.window_start:%Y-%m-%d %H:%M}: {self.views}"


class LiveUpdateQuerySet(models.QuerySet):
    def shown(self):
        """The updates readers see: not withdrawn, pinned first, then newest first."""
        return self.filter(withdrawn_at__isnull=True, published_at__lte=timezone.now()).order_by(
            "-is_pinned", "-published_at", "-pk"
        )


class LiveUpdate(models.Model):
    """One short update of a live page: newest first, each with its own anchor (`#update-<pk>`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="live_updates", verbose_name=_("story"))
    headline = models.CharField(_("headline"), max_length=160, blank=True, help_text=_("Optional, short."))
    body = models.TextField(_("text"), help_text=_("Written as a story's body is (the same editor)."))
    body_html = models.TextField(editable=False, blank=True)
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pictured_in",
        verbose_name=_("picture"),
    )
    is_key = models.BooleanField(_("key update"), default=False, help_text=_("Marked for readers skimming the page."))
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Shown first, above the newest."))
    author_name = models.CharField(_("by"), max_length=120, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    published_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = LiveUpdateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [models.Index(fields=["article", "-published_at"], name="live_update_newest_idx")]

    def __str__(self):
        return self.headline or Truncator(text_of(self.body)).words(8)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#update-{self.pk}"


class StoryNote(models.Model):
    """One message of a story's internal thread: never public, never in feeds, search or the story's history view.

    Notes with a kind record why a story moved ("changes requested: …"); plain notes are the conversation.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")

    MAX_LENGTH = 2000

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="desk_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("note"), max_length=MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        indexes = [models.Index(fields=["article", "created_at"], name="story_note_thread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class EditorSession(models.Model):
    """One editor's time with one story in the admin (or with a new story: no article): articles/presence.py.

    Presence and autosave share the row, so the change form learns who else is editing and whether this editor
    has unsaved changes to offer back in one query. `seen_at` is the last heartbeat (None: the tab was closed);
    `autosave` is the form as the browser would post it, never a revision and never public.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    autosave = models.JSONField(null=True, blank=True)  # {name: [values]}
    autosaved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_session_per_editor_and_story"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="one_new_story_session_per_editor"
            ),
        ]
        indexes = [models.Index(fields=["article", "seen_at"], name="editor_session_seen_idx")]

    def __str__(self):
        return f"{self.user_id} on {self.article_id or 'a new story'}"


def credits_shown():
    """The byline authors as a story shows them (`Article.credited_authors`), in byline order."""
    return Byline.objects.select_related("author").only("article_id", "position", "author__name", "author__slug")


def notes_shown():
    """The corrections and updates as a story shows them (`Article.notes`), oldest first."""
    return Correction.objects.order_by("created_at", "pk")


_LIVE_STORY = PreparedQuery(
    lambda slug, now: (
        Article.objects.live(now).select_related("category", "lead_image", "social_image").filter(slug=slug)
    ),
    slug=str,
    now=datetime,
)
_STORY_CREDITS = PreparedQuery(lambda article: credits_shown().filter(article_id=article), article=int)
_STORY_NOTES = PreparedQuery(lambda article: notes_shown().filter(article_id=article), article=int)


def live_story(slug):
    """Return the live story at `slug` as its page shows it (category, pictures, byline authors, notes), or None.

    What `Article.objects.live().select_related(…).with_credits().get(slug=…)` reads, in the same three queries,
    compiled once per process (`newsportal.db.prepared`): every story page and every cold render starts here.
    """
    found = _LIVE_STORY.rows(slug=slug, now=timezone.now())
    if not found:
        return None
    story = found[0]
    story.credits = _STORY_CREDITS.rows(article=story.pk)
    story.loaded_notes = _STORY_NOTES.rows(article=story.pk)
    return story
