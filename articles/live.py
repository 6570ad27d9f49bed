"""Live coverage: the updates of a live page, posted, edited and withdrawn by editors in a hurry.

Every change goes through here, so that the update's text is rendered and sanitised like a story's, the
story's `live_updated_at` (its "Updated" time and dateModified) follows the newest
update, and the page cache makes stale exactly the story's own pages: the live page and its updates endpoint
(`pagecache.story_changed`), never the lists.
"""

from django.core.paginator import EmptyPage, Paginator
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from newsportal import pagecache

from . import versions
from .models import Article, LiveUpdate
from .richtext import clean_body

UPDATES_PER_PAGE = 20
FRAGMENT_MAX_AGE = 5  # what a browser may keep of the polled updates


def byline_name(user) -> str:
    """The name a staff member's updates go out under: their byline (the author page linked to their account), else
    the name on their account."""
    profile = getattr(user, "author_profile", None)
    return profile.name if profile is not None else user.get_full_name()


@transaction.atomic
def update_save(*, update: LiveUpdate, user=None) -> LiveUpdate:
    """Post a new update or save an edited one; readers polling the page see it within their next poll.

    An edit starts from `update.version`: if someone saved the update since, `versions.VersionConflict`.
    """
    if update._state.adding:
        update.posted_by = update.posted_by or user
        if not update.author_name and user is not None:
            update.author_name = byline_name(user)
    else:
        versions.claim_next_version(update)
        update.edited_at = timezone.now()
    update.body = update.body_html = clean_body(update.body)
    update.save()
    _story_changed(update)
    return update


@transaction.atomic
def update_delete(*, update: LiveUpdate) -> None:
    """Delete an update for good (editors withdraw instead; only a superuser may delete): readers stop seeing it at
    once and the story's "Updated" time follows."""
    update.delete()
    _story_changed(update)


def update_withdraw(*, update: LiveUpdate) -> LiveUpdate:
    """Take an update off the page; it stays in the admin and its history."""
    return _set_withdrawn(update, timezone.now())


def update_restore(*, update: LiveUpdate) -> LiveUpdate:
    """Show a withdrawn update again."""
    return _set_withdrawn(update, None)


@transaction.atomic
def _set_withdrawn(update: LiveUpdate, moment) -> LiveUpdate:
    versions.claim_next_version(update)
    update.withdrawn_at = moment
    update.save(update_fields=["withdrawn_at", "version"])
    _story_changed(update)
    return update


def _story_changed(update: LiveUpdate) -> None:
    """The story's "Updated" time follows its newest shown update, and its own pages are fresh at once."""
    shown = LiveUpdate.objects.filter(article_id=update.article_id).shown()
    Article.objects.filter(pk=update.article_id).update(
        live_updated_at=shown.aggregate(newest=Max("published_at"))["newest"]
    )
    pagecache.story_changed(update.article)


def updates_page(article, number: int = 1):
    """Return (updates, number, pages) of one page of a live page's updates: pinned first, then newest first.

    A page past the last is a 404 (`Http404`), never the last page under another address.
    """
    try:
        page = Paginator(article.live_updates.shown(), UPDATES_PER_PAGE, allow_empty_first_page=True).page(number)
    except EmptyPage as error:
        raise Http404("No such page of updates") from error
    return list(page), page.number, page.paginator.num_pages
