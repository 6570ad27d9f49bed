"""The newsroom desk: who may change a story, and the one transition for each move between its states.

    Draft ─submit─▶ In review ─approve─▶ Published ─unpublish─▶ Draft
      ▲               │    ▲
      └──withdraw─────┤    └─submit── Changes requested ◀─request changes─┘

Reporters write and edit their own stories while they are drafts or sent back, and submit them for review; they
never publish, schedule, unpublish or touch a live story. Editors (`publish_article`, `review_article`) do all of
that. `articles.services.article_save` asks `check_save()` before every save and `transition()` when the state
changes, so the admin's form, its list actions and any crafted POST obey the same rules. Each move is recorded in
the story's history (the revision's reason) and, where someone should act on it, e-mailed through the outbox
(`story_moved`, which `comments.notifications` turns into e-mails: articles never import comments).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import publishing
from .models import Article, StoryNote

Status = Article.Status
PUBLISH = "articles.publish_article"
REVIEW = "articles.review_article"

# Fields only an editor sets: when and whether readers see a story, and where the home page shows it.
EDITOR_FIELDS = (
    "status",
    "published_at",
    "pinned_lead",
    "top_story_rank",
    "is_breaking",
    "breaking_until",
    "live_from",
    "live_until",
    "comments_open",
    "comment_moderation",
    "trusted_commenters_skip_queue",
)
# Stories a reporter may still edit: their own, before they go to an editor (or when sent back).
REPORTER_EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})

# Moves made from the desk panel of a saved story, on the version its page showed. Submitting is "Save and submit"
# on the form (the typed text goes with it); publishing and unpublishing are the status an editor sets.
DESK_PANEL_MOVES = frozenset({"withdraw", "request_changes", "approve"})

# Sent inside the transaction of every move (so a rolled-back move e-mails nobody); `comments.notifications`
# queues the e-mails. Arguments: article, transition, user, note.
story_moved = Signal()


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # what the story's history says
    sources: frozenset
    target: str
    permission: str | None  # None: whoever may edit the story (its reporter, or an editor)
    needs_note: bool = False
    note_kind: str = StoryNote.Kind.NOTE


TRANSITIONS = (
    Transition(
        "submit",
        gettext_lazy("Submitted for review"),
        frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        Status.IN_REVIEW,
        None,
        note_kind=StoryNote.Kind.SUBMITTED,
    ),
    Transition("withdraw", gettext_lazy("Taken back from review"), frozenset({Status.IN_REVIEW}), Status.DRAFT, None),
    Transition(
        "request_changes",
        gettext_lazy("Changes requested"),
        frozenset({Status.IN_REVIEW}),
        Status.CHANGES_REQUESTED,
        REVIEW,
        needs_note=True,
        note_kind=StoryNote.Kind.CHANGES_REQUESTED,
    ),
    Transition(
        "approve",
        gettext_lazy("Approved and published"),
        frozenset({Status.IN_REVIEW}),
        Status.PUBLISHED,
        REVIEW,
        note_kind=StoryNote.Kind.APPROVED,
    ),
    Transition(
        "publish",
        gettext_lazy("Published"),
        frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        Status.PUBLISHED,
        PUBLISH,
    ),
    Transition(
        "unpublish",
        gettext_lazy("Unpublished (back to draft)"),
        frozenset({Status.PUBLISHED}),
        Status.DRAFT,
        PUBLISH,
    ),
)
BY_NAME = {move.name: move for move in TRANSITIONS}


def between(source: str, target: str) -> Transition | None:
    """Return the transition from one state to another (approve before publish: a review ends with it)."""
    return next((move for move in TRANSITIONS if source in move.sources and move.target == target), None)


def is_editor(user) -> bool:
    return user.has_perm(PUBLISH)


def can_edit(user, article: Article) -> bool:
    """Tell whether `user` may change this story at all (its text, pictures, notes)."""
    if user is None or is_editor(user):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return article.created_by_id == user.pk and article.status in REPORTER_EDITABLE


def refusal(user, article: Article | None) -> str:
    """Say why `user` may not edit this story, in words for the person refused."""
    if article is not None and article.created_by_id not in (None, getattr(user, "pk", None)):
        return _("This story belongs to another reporter; only its author or an editor can change it.")
    if article is not None and article.status == Status.IN_REVIEW:
        return _("This story is waiting for an editor's review; take it back from review to change it.")
    if article is not None and article.status == Status.PUBLISHED:
        return _("Only editors can change a published or scheduled story.")
    return _("You cannot change stories.")


def content_changed(before: Article, after: Article) -> bool:
    """Tell whether a save changes the story itself (any field an editor or reporter types), not only its state."""
    skip = {"status", "version", *EDITOR_FIELDS}
    return any(
        field.value_from_object(before) != field.value_from_object(after)
        for field in Article._meta.concrete_fields
        if field.editable and field.name not in skip
    )


def check_save(user, before: Article | None, after: Article, *, move: "Transition | None", edits_related: bool):
    """Refuse (PermissionDenied, with a message for the person) a save `user` may not make.

    `before` is the story as stored (None for a new one); `edits_related`: the save also changes bylines or notes.
    Reporters may not change what only editors set, nor a story that is not theirs or no longer a draft, whatever
    form or request the values came from; an owner's move (submit, take back) needs no more than owning the story.
    """
    if user is None or is_editor(user):
        return
    if before is None and not user.has_perm("articles.add_article"):
        raise PermissionDenied(_("You cannot write stories."))
    reference = before or Article()
    changed = [name for name in EDITOR_FIELDS if name != "status" and getattr(after, name) != getattr(reference, name)]
    if changed:
        labels = ", ".join(str(Article._meta.get_field(name).verbose_name) for name in changed)
        raise PermissionDenied(
            _("Only editors set %(fields)s. Submit the story for review and an editor will publish it.")
            % {"fields": labels}
        )
    if before is None:
        return
    edits = edits_related or content_changed(before, after)
    if edits and not can_edit(user, before):
        raise PermissionDenied(refusal(user, before))
    if move is not None and move.permission is None and not owns(user, before):
        raise PermissionDenied(refusal(user, before))


def move_problem(user, source: str, target: str, note: str = "") -> str:
    """Say why `user` may not move a story from `source` to `target` ("" when they may, or when it is no move)."""
    if source == target:
        return ""
    move = between(source, target)
    if move is None:
        return _("A story cannot go from “%(source)s” to “%(target)s”.") % {
            "source": Status(source).label,
            "target": Status(target).label,
        }
    if user is not None and move.permission and not user.has_perm(move.permission):
        return _("Only editors can do this (“%(move)s”). Submit the story for review instead.") % {"move": move.label}
    if move.needs_note and not note.strip():
        return _("Say what needs changing: the reporter reads your note.")
    return ""


def transition(*, user, article: Article, source: str, note: str = "") -> Transition | None:
    """Check the move of `article` from `source` to its new `status` and fill in what it implies; return it.

    Called by `services.article_save` inside its transaction, before the story is saved (None: no move). Sets the
    submission time and "publish now"; raises PermissionDenied or ValidationError when the move is not allowed.
    `moved()` does the rest once the story is saved.
    """
    problem = move_problem(user, source, article.status, note)
    if problem:
        move = between(source, article.status)
        permission = move is not None and user is not None and move.permission and not user.has_perm(move.permission)
        raise PermissionDenied(problem) if permission else ValidationError(problem)
    if source == article.status:
        return None
    move = between(source, article.status)
    if move.target == Status.IN_REVIEW:
        article.submitted_at = timezone.now()
        article.submitted_by = user
    if move.target == Status.PUBLISHED and article.published_at is None:
        article.published_at = publishing.publish_time()
    return move


def status_choices(user, article: Article) -> list[tuple[str, str]]:
    """Return the states an editor's form offers for this story: where it is, and where a plain save may move it."""
    source = article.status if article.pk else Status.DRAFT
    targets = [source]
    for move in TRANSITIONS:
        if (
            source in move.sources
            and not move.needs_note
            and move.target not in targets
            and not move_problem(user, source, move.target)
        ):
            targets.append(move.target)
    return [(value, label) for value, label in Status.choices if value in targets]


def moved(*, user, article: Article, move: Transition | None, note: str = "") -> None:
    """Record what a saved move says (its note in the story's thread) and tell the people who act on it."""
    if move is None:
        if note.strip():
            add_note(user=user, article=article, text=note)
        return
    if note.strip() or move.note_kind != StoryNote.Kind.NOTE:
        StoryNote.objects.create(article=article, author=user, kind=move.note_kind, text=note.strip())
    story_moved.send(sender=Article, article=article, transition=move, user=user, note=note.strip())


def add_note(*, user, article: Article, text: str) -> StoryNote:
    """Add a message to a story's internal thread (refused when too long, so the writer keeps the text)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the note first."))
    if len(text) > StoryNote.MAX_LENGTH:
        raise ValidationError(
            _("Notes may have at most %(limit)d characters; this one has %(length)d. Shorten it and send it again.")
            % {"limit": StoryNote.MAX_LENGTH, "length": len(text)}
        )
    return StoryNote.objects.create(article=article, author=user, text=text)


def owns(user, article: Article) -> bool:
    """Whether `user` may make an owner's move (submit, take back): an editor, or the reporter who wrote it."""
    return user is None or is_editor(user) or article.pk is None or article.created_by_id == user.pk


def desk_moves(user, article: Article) -> list[Transition]:
    """Return the moves `user` may make on this saved story from its desk panel (everything but a plain save)."""
    return [
        move
        for move in TRANSITIONS
        if article.status in move.sources
        and move.name in DESK_PANEL_MOVES
        and (user.has_perm(move.permission) if move.permission else owns(user, article))
    ]
