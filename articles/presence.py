"""Who else has a story open, and each editor's unsaved form: the desk's safety net against lost work.

Both live in one row per editor and story (`EditorSession`), so the change form reads who else is editing and this
editor's autosave in one query (`for_form`).

Presence: while the change form is open its script sends a heartbeat every HEARTBEAT_SECONDS (one upsert, then
one read of the others) and, on leaving, a "gone". Somebody whose heartbeat stopped (a crash, a lost connection)
drops off after PRESENT_FOR. Two tabs of one editor are one row, so one presence. Nothing here touches the public
page cache.

Autosave: the form as the browser would post it, kept while the editor types; never a revision, never public,
removed by a real save or a discard. Reopening the story offers it back with the difference shown.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from newsportal.roles import staff_name

from .models import EditorSession

HEARTBEAT_SECONDS = 15
# Three missed heartbeats: a tab closed without a goodbye clears within a minute.
PRESENT_FOR = timedelta(seconds=45)
# What an autosave keeps of a form: everything the editor typed, nothing that acts or authenticates.
NOT_KEPT = frozenset({"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_preview", "_move"})


@dataclass(frozen=True)
class Presence:
    user_id: int
    name: str
    opened_at: datetime


@dataclass(frozen=True)
class FormState:
    """What the change form needs from the sessions: the others present, and this editor's autosave."""

    others: list
    autosave: dict | None
    autosaved_at: datetime | None


def _present_since():
    return timezone.now() - PRESENT_FOR


def for_form(*, user, article_id: int | None) -> FormState:
    """Return who else has the story open and this editor's autosave of it: one query."""
    if article_id is None:
        rows = EditorSession.objects.filter(user=user, article__isnull=True)
    else:
        rows = EditorSession.objects.filter(
            Q(user=user) | Q(seen_at__gte=_present_since()), article_id=article_id
        ).select_related("user")
    others, autosave, autosaved_at = [], None, None
    for row in sorted(rows, key=lambda row: row.opened_at or row.seen_at or timezone.now()):
        if row.user_id == user.pk:
            autosave, autosaved_at = row.autosave, row.autosaved_at
        else:
            others.append(Presence(row.user_id, staff_name(row.user), row.opened_at or row.seen_at))
    return FormState(others, autosave, autosaved_at)


def heartbeat(*, user, article_id: int, opened: bool = False) -> list[Presence] | None:
    """Record that `user` has the story open now (`opened`: the page just loaded); return the others present.

    A later beat never brings back an editor whose tab said it left: a beat already on its way when the tab closed
    can arrive after the "gone". It returns None instead, and a tab that is still open (the same editor's second
    tab) answers with an `opened` beat.
    """
    now = timezone.now()
    if opened:
        with transaction.atomic():  # a story that does not exist fails here, leaving the request's connection usable
            EditorSession.objects.bulk_create(
                [EditorSession(article_id=article_id, user=user, opened_at=now, seen_at=now)],
                update_conflicts=True,
                unique_fields=["article", "user"],
                update_fields=["seen_at", "opened_at"],
            )
    else:
        still_open = EditorSession.objects.filter(article_id=article_id, user=user, opened_at__isnull=False)
        if not still_open.update(seen_at=now):
            return None
    return others(user=user, article_id=article_id)


def leave(*, user, article_id: int) -> None:
    """Forget that `user` has the story open (their last tab on it closed); their autosave stays."""
    EditorSession.objects.filter(article_id=article_id, user=user).update(seen_at=None, opened_at=None)


def others(*, user, article_id: int) -> list[Presence]:
    """Return who else has the story open, longest open first: one query."""
    rows = (
        EditorSession.objects.filter(article_id=article_id, seen_at__gte=_present_since())
        .exclude(user=user)
        .select_related("user")
        .order_by("opened_at")
    )
    return [Presence(row.user_id, staff_name(row.user), row.opened_at or row.seen_at) for row in rows]


def editing(article_ids) -> dict[int, list[Presence]]:
    """Return {story id: the people who have it open}, for a page of the article list: one query."""
    found: dict[int, list[Presence]] = {}
    rows = EditorSession.objects.filter(article_id__in=list(article_ids), seen_at__gte=_present_since())
    for row in rows.select_related("user").order_by("opened_at"):
        found.setdefault(row.article_id, []).append(Presence(row.user_id, staff_name(row.user), row.opened_at))
    return found


# --- Autosave ------------------------------------------------------------------------------------------------------


def keep(*, user, article_id: int | None, data: QueryDict) -> datetime:
    """Keep the form as the browser would post it, replacing this editor's earlier autosave of the story."""
    now = timezone.now()
    kept = {name: data.getlist(name) for name in data if name not in NOT_KEPT}
    if article_id is None:
        # A new story: the unique constraint is a partial one, which an upsert cannot name on every database.
        mine = EditorSession.objects.filter(user=user, article__isnull=True)
        if not mine.update(autosave=kept, autosaved_at=now):
            try:
                with transaction.atomic():
                    EditorSession.objects.create(user=user, autosave=kept, autosaved_at=now)
            except IntegrityError:  # the same editor's other tab created it a moment ago
                mine.update(autosave=kept, autosaved_at=now)
        return now
    EditorSession.objects.bulk_create(
        [EditorSession(article_id=article_id, user=user, autosave=kept, autosaved_at=now)],
        update_conflicts=True,
        unique_fields=["article", "user"],
        update_fields=["autosave", "autosaved_at"],
    )
    return now


def discard(*, user, article_id: int | None) -> None:
    """Remove this editor's autosave of the story (after a real save, or when they discard it)."""
    EditorSession.objects.filter(user=user, article_id=article_id).update(autosave=None, autosaved_at=None)


def as_post(autosave: dict) -> QueryDict:
    """Return an autosaved form as the POST it stands for."""
    data = QueryDict(mutable=True)
    for name, values in autosave.items():
        data.setlist(name, [str(value) for value in values])
    data._mutable = False
    return data
