"""Write the finished windows of read counts to the database (cron, or after the worker was away)."""

from django.core.management.base import BaseCommand

from articles import popularity


class Command(BaseCommand):
    help = "Write the read counts of the last 24 hours from the shared cache to the database (for Most read)."

    def handle(self, *args, **options):
        written = popularity.flush_finished()
        self.stdout.write(f"Read counts written: {written} story-windows.")
