"""Reads that several places need, each defined once: an author's record and the reports on comments.

The moderation rules (trust), the workspace's cards and the admin's list all read an author's record from
`author_records`; the cards and the list read report counts from `report_counts`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from newsportal.sitesettings import site_settings

from .models import Comment, Report

Status = Comment.Status


@dataclass(frozen=True)
class AuthorRecord:
    """What an address has sent: every comment by status, and what counts towards trust (proven comments only)."""

    comments: int = 0
    approved: int = 0
    rejected: int = 0
    spam: int = 0
    first_seen: datetime | None = None
    proven_approved: int = 0  # approved comments whose sender proved the address
    proven_refused_lately: int = 0  # proven comments rejected or filed as spam within the trust_clean_days setting


def author_records(emails) -> dict[str, AuthorRecord]:
    """Return the record of each address (an empty record for one never seen), in one query."""
    emails = set(emails)
    since = timezone.now() - timedelta(days=site_settings().trust_clean_days)
    proven = Q(verified=True)
    refused_lately = Q(status__in=[Status.REJECTED, Status.SPAM]) & (
        Q(moderated_at__gte=since) | Q(moderated_at__isnull=True, created_at__gte=since)
    )
    rows = (
        Comment.objects.filter(author_email__in=emails)
        .values("author_email")
        .annotate(
            comments=Count("pk"),
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            spam=Count("pk", filter=Q(status=Status.SPAM)),
            first_seen=Min("created_at"),
            proven_approved=Count("pk", filter=proven & Q(status=Status.APPROVED)),
            proven_refused_lately=Count("pk", filter=proven & refused_lately),
        )
        .order_by()
    )
    records = {email: AuthorRecord() for email in emails}
    for row in rows:
        email = row.pop("author_email")
        records[email] = AuthorRecord(**row)
    return records


def report_counts(comments) -> dict[int, dict[str, int]]:
    """Return, for each of these comments that readers reported, how many reports each reason got (one query)."""
    counts = {}
    for row in Report.objects.filter(comment__in=comments).values("comment", "reason").annotate(n=Count("pk")):
        counts.setdefault(row["comment"], {})[row["reason"]] = row["n"]
    return counts
