"""Writes with side effects: submitting, moderating, reporting and blocking. Views and admin actions call these.

Every change of what readers see of a discussion goes through `discussions_changed` (the count, the page cache), and
every change of a comment's moderation state goes through `_transition` (one `ModerationLog` row each).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
from newsportal import pagecache
from newsportal.sitesettings import site_settings

from . import moderation, notifications
from .models import BlockedTerm, Comment, Commenter, ModerationLog, OutgoingEmail, Report, published_count
from .tasks import deliver_later
from .text import render_comment_body

Status = Comment.Status
Action = ModerationLog.Action
ACTION_FOR = {Status.APPROVED: Action.APPROVE, Status.REJECTED: Action.REJECT, Status.SPAM: Action.SPAM}


def comment_submit(*, submission: moderation.Submission) -> Comment:
    """Store a reader's comment with the status the moderation rules give it; raise `moderation.Refused`.

    What admission claimed (the reader's allowance, the text) is given back if the comment is not stored.
    """
    moderation.admit(submission)
    try:
        return _store(submission, *moderation.classify(submission))
    except BaseException:
        moderation.release(submission)
        raise


def _store(submission, status, reasons) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.create(
            article=submission.article,
            parent=submission.parent,
            author_name=submission.name,
            author_email=submission.email,
            body=submission.body,
            body_html=render_comment_body(submission.body),
            status=status,
            held_reasons=" ".join(reasons),
            ip_address=submission.ip_address,
            user_agent=submission.user_agent[:300],
            verified=submission.verified,
            notify_published=submission.notify_published,
            notify_replies=submission.notify_replies,
        )
        if status == Status.APPROVED:
            discussions_changed([submission.article.pk])
        notifications.after_submit(comment)
    return comment


def comment_post_for_newsroom(*, article: Article, user, body: str, parent: Comment | None = None) -> Comment:
    """Publish a newsroom member's comment or answer at once, under their byline (the author page linked to their
    account) or as the site's staff: the newsroom is accountable for what it writes, so it is not held. The reader
    answered is told, as for any reply they asked to hear of."""
    byline = getattr(user, "author_profile", None)
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=byline.name if byline else f"{settings.SITE_NAME} staff",
            author_email=user.email,
            user=user,
            byline=byline,
            from_newsroom=True,
            body=body,
            body_html=render_comment_body(body),
            status=Status.APPROVED,
            verified=True,
            moderated_by=user,
            moderated_at=timezone.now(),
        )
        ModerationLog.objects.create(
            comment=comment,
            moderator=user,
            action=Action.APPROVE,
            from_status=Status.APPROVED,
            to_status=Status.APPROVED,
            note="Written by the newsroom",
        )
        discussions_changed([article.pk])
        notifications.reply_published(comment)
    return comment


def discussions_changed(article_ids) -> None:
    """What readers see of these articles' comments changed: recount them (every teaser shows the count) and
    refresh their pages. In the caller's transaction, so the count and the comments never disagree."""
    articles = Article.objects.filter(pk__in=article_ids)
    articles.update(comment_count=published_count())
    pagecache.discussion_changed(*articles.values_list("slug", flat=True))


def _log(comment, *, moderator, action, from_status, to_status, note="", at=None) -> ModerationLog:
    return ModerationLog(
        comment=comment,
        moderator=moderator,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note[:300],
        created_at=at or timezone.now(),
    )


# `decided=KEEP`: the change is not a person's decision (readers' reports, an edit), so the comment's last decision
# (who and when, from which reports are counted again) stays as it was.
KEEP = object()


def _transition(changing, *, moderator, action, status=None, note="", decided=None, changes=None) -> None:
    """The one way a comment's moderation state changes: one log row each, the new status (None: the same) and
    `changes` written, the last decision recorded, the pages that show them refreshed, authors told.

    `changing`: comments the caller locked (`select_for_update`) in the transaction this runs in.
    `decided`: the (moderator, time) to record as the last decision; by default this one; `KEEP` keeps it.
    """
    now = timezone.now()
    fields = dict(changes or {})
    if status is not None:
        fields["status"] = status
    if decided is not KEEP:
        fields["moderated_by"], fields["moderated_at"] = decided or (moderator, now)
    with transaction.atomic():
        ModerationLog.objects.bulk_create(
            _log(
                comment,
                moderator=moderator,
                action=action,
                from_status=comment.status,
                to_status=status or comment.status,
                note=note,
                at=now,
            )
            for comment in changing
        )
        Comment.objects.filter(pk__in=[comment.pk for comment in changing]).update(**fields)
        # Readers see only published comments: a change that does not start or end there changes no page.
        shown = {comment.article_id for comment in changing if Status.APPROVED in (comment.status, status)}
        if shown:
            discussions_changed(shown)
        newly_published = [comment.pk for comment in changing if status == Status.APPROVED != comment.status]
        if newly_published:
            notifications.published(
                Comment.objects.filter(pk__in=newly_published).select_related("article__category", "parent")
            )


def comments_moderate(
    *, comments: QuerySet, moderator: AbstractBaseUser | None, status: str, action: str, note: str = ""
) -> int:
    """Give the comments a new status, recording who decided what and when; return how many changed."""
    ids = list(comments.values_list("pk", flat=True))
    with transaction.atomic():
        locked = Comment.objects.filter(pk__in=ids).exclude(status=status).select_for_update()
        changing = list(locked.only("pk", "status", "article_id"))
        _transition(changing, moderator=moderator, status=status, action=action, note=note)
    return len(changing)


@dataclass(frozen=True)
class Decision:
    """What became of one moderator's decision: applied, or beaten by `earlier` (another moderator's)."""

    comment: Comment
    applied: bool
    earlier: ModerationLog | None = None


def comment_decide(*, comment_id: int, moderator: AbstractBaseUser, status: str, seen: str) -> Decision:
    """Decide one comment as the moderator saw it (`seen`: its `decision_version`), unless someone decided first.

    Approving a published comment that readers reported keeps it published and dismisses the reports.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.decision_version != seen:
            return Decision(comment, applied=False, earlier=comment.decisions.select_related("moderator").first())
        _transition([comment], moderator=moderator, status=status, action=ACTION_FOR[status])
    comment.refresh_from_db()
    return Decision(comment, applied=True)


def comment_undo(*, comment_id: int, moderator: AbstractBaseUser) -> Decision:
    """Take back this moderator's last decision on a comment, if it is still the last one; the undo is logged too."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        history = list(comment.decisions.select_related("moderator")[:2])
        last = history[0] if history else None
        if (
            last is None
            or last.moderator_id != moderator.pk
            or last.action not in ACTION_FOR.values()
            or last.to_status != comment.status
        ):
            return Decision(comment, applied=False, earlier=last)
        before = history[1] if len(history) > 1 else None
        _transition(
            [comment],
            moderator=moderator,
            status=last.from_status,
            action=Action.UNDO,
            note=f"took back “{last.get_action_display()}”",
            decided=(before.moderator, before.created_at) if before else (None, None),
        )
    comment.refresh_from_db()
    return Decision(comment, applied=True)


@dataclass(frozen=True)
class Block:
    """What blocking the authors of some comments did."""

    emails: list[str]
    addresses: list[str]
    rejected: int


def authors_block(
    *, comments: QuerySet, moderator: AbstractBaseUser, block_addresses: bool = False, address_days: int | None = None
) -> Block:
    """Block the authors' e-mail addresses (and, if asked, their IP addresses for a while); reject what they wait with.

    Comments from a blocked e-mail address are filed as spam from now on; from a blocked IP address, which other
    people may share, they are held for a moderator.
    """
    authors = list(comments.order_by().values_list("author_email", "ip_address").distinct())
    emails = sorted({BlockedTerm.normal(email) for email, _ in authors if email})
    addresses = sorted({address for _, address in authors if address}) if block_addresses else []
    days = address_days or site_settings().block_ip_days
    with transaction.atomic():
        for email in emails:
            BlockedTerm.objects.update_or_create(
                kind=BlockedTerm.Kind.EMAIL,
                value=email,
                defaults={"created_by": moderator, "note": "Blocked from the queue", "expires_at": None},
            )
        for address in addresses:
            BlockedTerm.objects.update_or_create(
                kind=BlockedTerm.Kind.IP,
                value=address,
                defaults={
                    "created_by": moderator,
                    "note": "Blocked from the queue",
                    "expires_at": timezone.now() + timedelta(days=days),
                },
            )
        waiting = Comment.objects.filter(status=Status.PENDING, author_email__in=emails)
        if addresses:
            waiting = waiting | Comment.objects.filter(status=Status.PENDING, ip_address__in=addresses)
        rejected = comments_moderate(
            comments=waiting, moderator=moderator, status=Status.REJECTED, action=Action.BLOCK_AUTHOR
        )
    return Block(emails=emails, addresses=addresses, rejected=rejected)


def comment_edit(*, comment: Comment, moderator: AbstractBaseUser, body: str, is_pick: bool) -> None:
    """Apply a moderator's edit: new text (marked as edited, logged) and the editor's-pick flag."""
    changes = []
    if body != comment.body:
        changes.append(f"text edited (was {len(comment.body)} characters)")
        comment.body = body
        comment.body_html = render_comment_body(body)
        comment.edited_at = timezone.now()
    if is_pick != comment.is_pick:
        changes.append("made an editor's pick" if is_pick else "no longer an editor's pick")
        comment.is_pick = is_pick
    if not changes:
        return
    with transaction.atomic():
        locked = Comment.objects.select_for_update().only("pk", "status", "article_id").get(pk=comment.pk)
        _transition(
            [locked],
            moderator=moderator,
            action=Action.EDIT,
            note="; ".join(changes),
            decided=KEEP,
            changes={field: getattr(comment, field) for field in ("body", "body_html", "edited_at", "is_pick")},
        )


def comment_report(*, comment: Comment, reason: str, reporter_key: str, network_key: str = "", weight: int = 1) -> bool:
    """Record a reader's report; return False when this reader had reported it already.

    Enough reports from different networks since the last moderator decision send the comment back to the queue
    (`moderation.reports_hide_comment`).
    """
    try:
        with transaction.atomic():
            Report.objects.create(
                comment=comment,
                reason=reason,
                reporter_key=reporter_key,
                network_key=network_key or reporter_key,
                weight=weight,
            )
    except IntegrityError:
        return False
    recent = Report.objects.filter(comment=comment)
    if comment.moderated_at:
        recent = recent.filter(created_at__gt=comment.moderated_at)
    reports = list(recent.values_list("weight", "network_key"))
    report_count = len(reports)
    if comment.status == Status.APPROVED and moderation.reports_hide_comment(reports):
        with transaction.atomic():
            still_shown = Comment.objects.select_for_update().filter(pk=comment.pk, status=Status.APPROVED)
            _transition(
                list(still_shown.only("pk", "status", "article_id")),
                moderator=None,
                action=Action.HIDDEN_BY_REPORTS,
                status=Status.PENDING,
                note=f"{report_count} reader reports",
                decided=KEEP,
                changes={"held_reasons": Comment.Reason.REPORTED.value},
            )
    return True


def comment_confirm(*, comment_id: int, email: str) -> tuple[Comment, bool] | None:
    """Mark a comment and its address verified (its author followed the link); return it and whether it was new.

    None when the comment is gone or no longer carries that address (erased).
    """
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment_id, author_email=email, verified=False).update(verified=True)
        comment = Comment.objects.select_related("article__category").filter(pk=comment_id, author_email=email).first()
        if comment is None:
            return None
        commenter, _ = Commenter.objects.get_or_create(email=email)
        if commenter.verified_at is None:
            Commenter.objects.filter(pk=commenter.pk).update(verified_at=timezone.now())
    return comment, bool(updated)


def address_unsubscribe(*, email: str) -> None:
    """Send no more e-mails to an address; messages still waiting to go are dropped."""
    with transaction.atomic():
        commenter, _ = Commenter.objects.get_or_create(email=email)
        Commenter.objects.filter(pk=commenter.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
        _drop_waiting_emails(email)


def address_erase(*, email: str) -> int:
    """Forget an address: removed from its comments (which stay, under their names), no e-mail to it any more.

    Returns how many comments carried it.
    """
    with transaction.atomic():
        erased = Comment.objects.filter(author_email=email).update(
            author_email="", notify_published=False, notify_replies=False
        )
        Commenter.objects.filter(email=email).delete()
        OutgoingEmail.objects.filter(to=email).delete()
    return erased


def _drop_waiting_emails(email):
    waiting = [OutgoingEmail.State.QUEUED, OutgoingEmail.State.SENDING]
    OutgoingEmail.objects.filter(to=email, state__in=waiting).update(
        state=OutgoingEmail.State.FAILED, last_error="The reader stopped e-mails."
    )


def commenter_trust_set(*, email: str, trust: str) -> Commenter:
    """Set how far a moderator trusts an author: by the rules, never, or always pre-moderated."""
    commenter, _ = Commenter.objects.update_or_create(email=email, defaults={"trust": trust})
    return commenter


def emails_send_again(*, emails: QuerySet) -> int:
    """Give e-mails that failed or wait a fresh series of attempts, starting now; return how many."""
    ids = list(emails.exclude(state=OutgoingEmail.State.SENT).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=ids).update(
        state=OutgoingEmail.State.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    for email_id in ids:
        transaction.on_commit(lambda email_id=email_id: deliver_later(email_id))
    return len(ids)


def commenter_data_purge(*, older_than: datetime) -> int:
    """Clear the IP address and user agent of comments posted before `older_than`; return how many changed.

    Readers never see either, so no page changes.
    """
    stale = Comment.objects.filter(created_at__lt=older_than).exclude(ip_address__isnull=True, user_agent="")
    return stale.update(ip_address=None, user_agent="")
