"""Forget commenters' IP addresses and user agents once they are no longer needed against abuse.

Meant for a daily cron job: `python manage.py purge_commenter_data`.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.services import commenter_data_purge
from newsportal.sitesettings import site_settings


class Command(BaseCommand):
    help = "Clear IP addresses and user agents of comments older than the site settings keep them."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=site_settings().ip_retention_days)
        purged = commenter_data_purge(older_than=cutoff)
        self.stdout.write(f"Cleared the address and user agent of {purged} comment(s) posted before {cutoff:%Y-%m-%d}.")
