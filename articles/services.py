"""Writes with side effects on articles and authors: the admin, admin actions and the demo all call these.

Saving an article renders its Markdown body once, stores an uploaded lead image with its renditions, saves its
bylines and records exactly one revision (who, when, why) after everything is saved, so a revision always holds
the authors as they were after that save. Model `save()` methods stay free of all this.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from . import images, publishing
from .models import ARTICLE_HISTORY, Article, Author, Byline, Correction
from .richtext import render_markdown

# What restoring a revision brings back: the story as written. Publication state, slug (the URL), category and
# curation stay as they are now, so restoring an old text never unpublishes or moves a live story.
RESTORED_FIELDS = (
    "title",
    "standfirst",
    "body",
    "byline",
    "image",
    "image_width",
    "image_height",
    "image_renditions",
    "image_alt",
    "image_caption",
    "image_credit",
)
AUTHOR_PHOTO_WIDTHS = (240, 480)


@transaction.atomic
def article_save(
    *,
    article: Article,
    user=None,
    reason: str = "",
    authors: Sequence[Author] | None = None,
    save_related: Callable[[], None] | None = None,
) -> Article:
    """Save an article with its rendered body, image renditions and bylines, then record one revision.

    `authors` replaces the bylines in the given order; `save_related` saves what the caller edited alongside
    (the admin's inlines) before the revision is taken.
    """
    created = article._state.adding
    article.body_html = render_markdown(article.body)
    _store_image(article)
    article.skip_history_when_saving = True
    try:
        article.save()
        if authors is not None:
            _replace_bylines(article, [(author.pk, position) for position, author in enumerate(authors)])
        if save_related is not None:
            save_related()
    finally:
        del article.skip_history_when_saving
    _record_revision(article, user=user, reason=reason or (_("Created") if created else _("Changed")), created=created)
    return article


def _store_image(article: Article) -> None:
    """Commit a newly uploaded lead image to storage and make its renditions; forget renditions of a removed one."""
    image = article.image
    if not image:
        article.image_renditions = []
    elif not image._committed:
        image.save(image.name, image.file, save=False)
        article.image_renditions = images.make_renditions(article.image)
    elif not article.image_renditions:
        # An image stored before renditions existed: make them on its next save.
        try:
            article.image_renditions = images.make_renditions(article.image)
        except OSError:
            article.image_renditions = []


def _replace_bylines(article: Article, credits: Sequence[tuple[int, int]]) -> None:
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position) for author_id, position in credits
    )


def _record_revision(article: Article, *, user, reason: str, created: bool = False) -> None:
    if user is not None:
        article._history_user = user
    article._change_reason = reason[:500]
    try:
        ARTICLE_HISTORY.create_historical_record(article, "+" if created else "~")
    finally:
        del article._change_reason
        article.__dict__.pop("_history_user", None)


def article_publish(*, article: Article, user=None, when: datetime | None = None) -> Article:
    """Publish an article now (or at `when`), unless it fails the editors' checks (ValidationError)."""
    problems = publishing.article_problems(article)
    if problems:
        raise ValidationError(list(problems.values()))
    article.status = Article.Status.PUBLISHED
    article.published_at = when or timezone.now().replace(microsecond=0)
    return article_save(article=article, user=user, reason=_("Published"))


def article_unpublish(*, article: Article, user=None) -> Article:
    """Take an article back to draft: readers stop seeing it at once."""
    article.status = Article.Status.DRAFT
    return article_save(article=article, user=user, reason=_("Unpublished (back to draft)"))


@transaction.atomic
def article_restore(*, article: Article, revision, user=None) -> Article:
    """Bring back the text, lead image and authors of an earlier revision, recorded as a new revision."""
    for name in RESTORED_FIELDS:
        setattr(article, name, getattr(revision, name))
    rows = list(revision.authors.order_by("position", "pk").values_list("author_id", "position"))
    known = set(Author.objects.filter(pk__in=[author_id for author_id, _ in rows]).values_list("pk", flat=True))
    credits = [(author_id, position) for author_id, position in rows if author_id in known]
    when = date_format(timezone.localtime(revision.history_date), "j M Y H:i")
    reason = _("Restored the version of %(when)s") % {"when": when}
    return article_save(
        article=article, user=user, reason=reason, save_related=lambda: _replace_bylines(article, credits)
    )


def correction_add(*, article: Article, text: str, kind: str = Correction.Kind.CORRECTION, at=None) -> Correction:
    """Add a correction or update note to an article; readers see it at once."""
    return Correction.objects.create(article=article, kind=kind, text=text, created_at=at or timezone.now())


def author_save(*, author: Author) -> Author:
    """Save an author, storing a newly uploaded photo with its renditions."""
    photo = author.photo
    if not photo:
        author.photo_renditions = []
    elif not photo._committed:
        photo.save(photo.name, photo.file, save=False)
        author.photo_renditions = images.make_renditions(author.photo, AUTHOR_PHOTO_WIDTHS)
    author.save()
    return author
