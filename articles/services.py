"""Writes with side effects on articles, categories and authors: the admin, admin actions and the demo call these.

Saving an article renders its Markdown body once (noting the library pictures placed in it), saves its bylines
and records exactly one revision (who, when, why) after everything is saved, so a revision always holds
the authors as they were after that save. Every write tells the page cache what readers will see differently
(`newsportal.pagecache`). Model `save()` methods stay free of all this.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from newsportal import pagecache

from . import desk, presence, publishing, revisions, search, versions
from .models import ARTICLE_HISTORY, Article, Author, Byline, Category, Image, SitePage
from .richtext import clean_body, pictures_in


@transaction.atomic
def article_save(
    *,
    article: Article,
    user=None,
    reason: str = "",
    authors: Sequence[Author] | None = None,
    save_related: Callable[[], None] | None = None,
    note: str = "",
) -> Article:
    """Save an article with its rendered body, image renditions and bylines, then record one revision.

    The save starts from `article.version` (what the editor's form was opened at): if the stored story has moved
    on since, nothing is saved and `versions.VersionConflict` is raised. `user` (None: the system, e.g. the demo)
    must be allowed the save and any change of state it makes (`desk`: PermissionDenied, ValidationError); a change
    of state is recorded as its transition, with `note` in the story's internal thread.
    `authors` replaces the bylines in the given order; `save_related` saves what the caller edited alongside
    (the admin's inlines) before the revision is taken.
    """
    created = article._state.adding
    before = None
    if not created:
        versions.claim_next_version(article)  # holds the row: `before` is what this save replaces
        before = Article.objects.get(pk=article.pk)
    move = desk.transition(
        user=user, article=article, source=before.status if before else Article.Status.DRAFT, note=note
    )
    desk.check_save(user, before, article, move=move, edits_related=authors is not None or save_related is not None)
    if created and user is not None:
        article.created_by = article.created_by or user
    article.body = article.body_html = clean_body(article.body)
    article.key_points = article.key_points_html = clean_body(article.key_points) if article.key_points.strip() else ""
    article.skip_history_when_saving = True
    try:
        with editorial_change(article):
            article.save()
            article.body_images.set(Image.objects.filter(pk__in=pictures_in(article.body_html)))
            if authors is not None:
                _replace_bylines(article, [(author.pk, position) for position, author in enumerate(authors)])
            if save_related is not None:
                save_related()
    finally:
        del article.skip_history_when_saving
    reason = reason or (_("Created") if created else _("Changed"))
    if move is not None:  # every move is in the history: "Submitted for review", "Changed headline · Published"
        reason = str(move.label) if reason in (_("Changed"), _("Saved unchanged")) else f"{reason} · {move.label}"
    _record_revision(article, user=user, reason=reason, created=created)
    desk.moved(user=user, article=article, move=move, note=note)
    if user is not None:
        presence.discard(user=user, article_id=article.pk)
        if created:
            presence.discard(user=user, article_id=None)
    search.index_article(article)
    return article


@transaction.atomic
def article_delete(*, article: Article) -> None:
    """Delete an article (with its notes and bylines); readers stop seeing it at once."""
    pk = article.pk
    with editorial_change(article):
        article.delete()
    search.unindex_article(pk)


def _reach(pk: int | None) -> tuple[str, bool, bool] | None:
    """Return where readers see an article now: its slug, whether it is live, and whether every page shows it."""
    if pk is None:
        return None
    return (
        Article.objects.filter(pk=pk)
        .annotate(
            live=Exists(Article.objects.live().filter(pk=OuterRef("pk"))),
            everywhere=Exists(Article.objects.shown_on_every_page().filter(pk=OuterRef("pk"))),
        )
        .values_list("slug", "live", "everywhere")
        .first()
    )


@contextmanager
def editorial_change(article: Article) -> Iterator[None]:
    """Tell the page cache which pages the change made inside this block shows on, comparing before with after.

    A story readers could not see before and cannot see now (a draft, a scheduled story) changes no page. A live
    one changes its own page and the lists; one among the newest or behind the banner changes every page.
    """
    before = _reach(article.pk)
    yield
    seen = [reach for reach in (before, _reach(article.pk)) if reach is not None and reach[1]]
    if seen:
        pagecache.content_changed(*{slug for slug, _, _ in seen}, everywhere=any(every for _, _, every in seen))


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


def article_publish(*, article: Article, user=None, when: datetime | None = None, note: str = "") -> Article:
    """Publish an article now (or at `when`), unless it fails the editors' checks (ValidationError).

    A story in review is approved by this; like every save it starts from `article.version`.
    """
    problems = publishing.article_problems(article)
    if problems:
        raise ValidationError(list(problems.values()))
    article.status = Article.Status.PUBLISHED
    article.published_at = when or publishing.publish_time()
    return article_save(article=article, user=user, note=note)


def article_unpublish(*, article: Article, user=None) -> Article:
    """Take an article back to draft: readers stop seeing it at once."""
    article.status = Article.Status.DRAFT
    return article_save(article=article, user=user)


def article_move(*, article: Article, user, move: str, note: str = "") -> Article:
    """Make one of the desk panel's moves (take back, request changes, approve) on the story as it is stored.

    Nothing but the state changes, so a reporter may take back a story they can no longer edit. Approving
    publishes at the story's scheduled time when one lies ahead, else now, after the publication checks.
    """
    transition = desk.BY_NAME[move]
    if transition.target == Article.Status.PUBLISHED:
        scheduled = article.published_at if article.published_at and article.published_at > timezone.now() else None
        return article_publish(article=article, user=user, when=scheduled, note=note)
    article.status = transition.target
    return article_save(article=article, user=user, note=note)


@transaction.atomic
def article_restore(*, article: Article, revision, user=None) -> Article:
    """Bring back the text, lead image and authors of an earlier revision, recorded as a new revision."""
    for name in revisions.RESTORED_FIELDS:
        setattr(article, revisions.attribute(name), getattr(revision, revisions.attribute(name)))
    rows = list(revision.authors.order_by("position", "pk").values_list("author_id", "position"))
    known = set(Author.objects.filter(pk__in=[author_id for author_id, _ in rows]).values_list("pk", flat=True))
    credits = [(author_id, position) for author_id, position in rows if author_id in known]
    when = date_format(timezone.localtime(revision.history_date), "j M Y H:i")
    reason = _("Restored the version of %(when)s") % {"when": when}
    return article_save(
        article=article, user=user, reason=reason, save_related=lambda: _replace_bylines(article, credits)
    )


@transaction.atomic
def author_save(*, author: Author) -> Author:
    """Save an author; their pages and bylines show the change (a new photo from the library too) at once."""
    author.save()
    _author_pages_changed(author)
    return author


@transaction.atomic
def author_delete(*, author: Author) -> None:
    """Delete an author who has no byline (bylines protect their authors)."""
    _author_pages_changed(author)
    author.delete()


def _author_pages_changed(author: Author) -> None:
    credited = Article.objects.live().filter(bylines__author=author).values_list("slug", flat=True)
    pagecache.content_changed(*credited)


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category; the section navigation on every page shows it at once."""
    category.save()
    pagecache.content_changed(everywhere=True)
    return category


@transaction.atomic
def site_page_save(*, site_page: SitePage) -> SitePage:
    """Save a site page with its text cleaned as a story's is; every page's footer links it, so all are refreshed."""
    site_page.body = clean_body(site_page.body) if site_page.body.strip() else ""
    site_page.save()
    pagecache.content_changed(everywhere=True)
    return site_page


@transaction.atomic
def site_page_delete(*, site_page: SitePage) -> None:
    site_page.delete()
    pagecache.content_changed(everywhere=True)


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Delete a category without articles (articles protect their category)."""
    category.delete()
    pagecache.content_changed(everywhere=True)
