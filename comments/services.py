"""Writes with side effects: submitting, moderating, reporting and blocking. Views and admin actions call these."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
from newsportal import pagecache

from . import moderation
from .models import BlockedTerm, Comment, ModerationLog, Report
from .text import render_comment_body

Status = Comment.Status


def comment_submit(*, submission: moderation.Submission) -> Comment:
    """Store a reader's comment with the status the moderation rules give it; raise `moderation.Refused`."""
    status, reasons = moderation.classify(submission)
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
        )
        if status == Status.APPROVED:
            pagecache.discussion_changed(submission.article)
    moderation.count_towards_rate_limit(submission)
    return comment


def comments_moderate(
    *, comments: QuerySet, moderator: AbstractBaseUser | None, status: str, action: str, note: str = ""
) -> int:
    """Give the comments a new status, recording who decided what and when; return how many changed."""
    now = timezone.now()
    ids = list(comments.values_list("pk", flat=True))
    with transaction.atomic():
        locked = Comment.objects.filter(pk__in=ids).exclude(status=status).select_for_update()
        changing = list(locked.only("pk", "status", "article_id"))
        ModerationLog.objects.bulk_create(
            ModerationLog(
                comment=comment,
                moderator=moderator,
                action=action,
                from_status=comment.status,
                to_status=status,
                note=note,
                created_at=now,
            )
            for comment in changing
        )
        Comment.objects.filter(pk__in=[comment.pk for comment in changing]).update(
            status=status, moderated_by=moderator, moderated_at=now
        )
        # Readers see only published comments: a change that does not start or end there changes no page.
        shown = {comment.article_id for comment in changing if Status.APPROVED in (comment.status, status)}
        if shown:
            pagecache.discussion_changed(*Article.objects.filter(pk__in=shown).values_list("slug", flat=True))
    return len(changing)


def authors_block(*, comments: QuerySet, moderator: AbstractBaseUser) -> int:
    """Block the e-mail and IP addresses of the comments' authors and reject all their waiting comments."""
    authors = list(comments.order_by().values_list("author_email", "ip_address").distinct())
    emails = {email.lower() for email, _ in authors}
    addresses = {address for _, address in authors if address}
    with transaction.atomic():
        for kind, values in ((BlockedTerm.Kind.EMAIL, emails), (BlockedTerm.Kind.IP, addresses)):
            for value in values:
                BlockedTerm.objects.get_or_create(
                    kind=kind, value=value, defaults={"created_by": moderator, "note": "Blocked from the queue"}
                )
        waiting = Comment.objects.filter(status=Status.PENDING, author_email__in=emails)
        if addresses:
            waiting = waiting | Comment.objects.filter(status=Status.PENDING, ip_address__in=addresses)
        rejected = comments_moderate(
            comments=waiting, moderator=moderator, status=Status.REJECTED, action="block author"
        )
    return rejected


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
        comment.save(update_fields=["body", "body_html", "edited_at", "is_pick"])
        if comment.status == Status.APPROVED:
            pagecache.discussion_changed(comment.article)
        ModerationLog.objects.create(
            comment=comment,
            moderator=moderator,
            action="edit",
            from_status=comment.status,
            to_status=comment.status,
            note="; ".join(changes),
        )


def comment_report(*, comment: Comment, reason: str, reporter_key: str) -> bool:
    """Record a reader's report; return False when this reader had reported it already.

    Enough reports from different readers since the last moderator decision send the comment back to the queue.
    """
    try:
        with transaction.atomic():
            Report.objects.create(comment=comment, reason=reason, reporter_key=reporter_key)
    except IntegrityError:
        return False
    recent = Report.objects.filter(comment=comment)
    if comment.moderated_at:
        recent = recent.filter(created_at__gt=comment.moderated_at)
    report_count = recent.count()
    if comment.status == Status.APPROVED and moderation.reports_hide_comment(report_count):
        with transaction.atomic():
            hidden = Comment.objects.filter(pk=comment.pk, status=Status.APPROVED).update(
                status=Status.PENDING, held_reasons=Comment.HeldReason.REPORTED.value
            )
            if hidden:
                pagecache.discussion_changed(comment.article)
                ModerationLog.objects.create(
                    comment=comment,
                    moderator=None,
                    action="hidden by reports",
                    from_status=Status.APPROVED,
                    to_status=Status.PENDING,
                    note=f"{report_count} reader reports",
                )
    return True


def commenter_data_purge(*, older_than: datetime) -> int:
    """Clear the IP address and user agent of comments posted before `older_than`; return how many changed."""
    stale = Comment.objects.filter(created_at__lt=older_than).exclude(ip_address__isnull=True, user_agent="")
    return stale.update(ip_address=None, user_agent="")
