"""Forget commenters' IP addresses and user agents once they are no longer needed against abuse.

Meant for a daily cron job: `python manage.py purge_commenter_data`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.services import commenter_data_purge


class Command(BaseCommand):
    help = "Clear IP addresses and user agents of comments older than COMMENTS_IP_RETENTION_DAYS."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.COMMENTS_IP_RETENTION_DAYS)
        purged = commenter_data_purge(older_than=cutoff)
        self.stdout.write(f"Cleared the address and user agent of {purged} comment(s) posted before {cutoff:%Y-%m-%d}.")
