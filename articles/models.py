from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    }
)


def validate_category_slug(value):
    """Refuse slugs that collide with the site's fixed top-level URLs."""
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another slug."), params={"slug": value})


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
        return reverse("articles:category", kwargs={"category": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles a reader may see: published, and their publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def teasers(self):
        """Load what a list item shows (headline, teaser, time, category label) in the same query."""
        return self.select_related("category").defer("body")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class CommentModeration(models.TextChoices):
        SITE_DEFAULT = "", _("Site default")
        PRE = "pre", _("Pre-moderation: every comment waits for a moderator")
        POST = "post", _("Post-moderation: comments appear at once unless a rule holds them")

    title = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    standfirst = models.CharField(
        _("standfirst"), max_length=300, help_text=_("One sentence that sums the story up; shown as its teaser.")
    )
    body = models.TextField(_("body"), help_text=_("Separate paragraphs with an empty line."))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    byline = models.CharField(_("byline"), max_length=200, help_text=_("For example “Maya Okafor and Tomas Lind”."))

    image = models.ImageField(
        _("lead image"), upload_to="articles/%Y/%m/", blank=True, width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=120, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Readers see the article from this time on. A future time schedules it."),
    )
    is_featured = models.BooleanField(_("lead story"), default=False, help_text=_("Show as the lead on the home page."))

    comments_open = models.BooleanField(_("comments open"), default=True)
    comment_moderation = models.CharField(
        _("comment moderation"), max_length=4, choices=CommentModeration.choices, blank=True, default=""
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["category", "status", "-published_at"], name="article_category_published_idx"),
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

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"category": self.category.slug, "slug": self.slug})

    @property
    def is_scheduled(self):
        """Tell whether the article is published but its time has not come yet."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and not self.is_scheduled
