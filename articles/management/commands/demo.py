"""Load the demo content of every app (each app's `demo.load()`) and the demo staff accounts."""

import secrets
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsportal import pagecache
from newsportal.roles import EDITORS, MODERATORS, REPORTERS, SITE_MANAGERS

# username → (role, full name): two editors, to see the desk's presence and conflicts with two browsers.
DEMO_ACCOUNTS = {
    "editor": (EDITORS, "Lena Hart"),
    "editor2": (EDITORS, "Omar Said"),
    "reporter": (REPORTERS, "Rosa Imre"),
    "moderator": (MODERATORS, "Kit Moreno"),
    "chief": (SITE_MANAGERS, "Ines Duarte"),
}


class Command(BaseCommand):
    help = "Load demo categories, articles, comments and staff accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to load demo content anyway.")
        with transaction.atomic():
            self.create_accounts()  # first: the demo's story on the review queue is the reporter's
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is not None:
                    summary = import_module(module_name).load()
                    self.stdout.write(f"{app_config.verbose_name}: {summary}")
            # The demo rewrites sections, stories and comments alike: every page may show something new.
            pagecache.content_changed(everywhere=True)

    def create_accounts(self):
        """Create the demo staff accounts once, printing each new random password a single time."""
        User = get_user_model()
        for username, (group_name, full_name) in DEMO_ACCOUNTS.items():
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Account {username!r} exists already; its password is unchanged.")
                continue
            password = secrets.token_urlsafe(12)
            first_name, last_name = full_name.split(" ", 1)
            user = User.objects.create_user(
                username,
                email=f"{username}@example.com",
                password=password,
                is_staff=True,
                first_name=first_name,
                last_name=last_name,
            )
            user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(self.style.SUCCESS(f"Account {username!r} ({group_name}) password: {password}"))
