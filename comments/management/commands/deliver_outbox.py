"""Hand the background worker every e-mail that is due but was never queued or was left by a crashed worker.

Meant for cron every few minutes beside the worker: `python manage.py deliver_outbox`.
"""

from django.core.management.base import BaseCommand

from comments.tasks import sweep


class Command(BaseCommand):
    help = "Queue the outgoing e-mails that are due but have no delivery on its way."

    def handle(self, *args, **options):
        self.stdout.write(f"Queued {sweep()} e-mail(s) for delivery.")
