"""Show or change the newsroom's site settings from a shell, for an operator without the admin (scripts, an
incident, the benchmark): `manage.py site_settings` lists them; `manage.py site_settings rate_limit=10` changes one,
checked like the admin form would, and kept in the settings' history.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsportal.models import SiteSettings
from newsportal.sitesettings import site_settings


class Command(BaseCommand):
    help = "Show the site settings, or change them: site_settings name=value [name=value …]"

    def add_arguments(self, parser):
        parser.add_argument("changes", nargs="*", metavar="name=value")

    def handle(self, *args, changes, **options):
        row = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON).first() or site_settings()
        names = {field.name: field for field in SiteSettings._meta.concrete_fields if field.name != "id"}
        for change in changes:
            name, _, text = change.partition("=")
            if name not in names or not _:
                raise CommandError(f"{change!r}: expected name=value with one of {', '.join(names)}")
            try:
                setattr(row, name, names[name].formfield().clean(text))
            except ValidationError as error:
                raise CommandError(f"{name}: {' '.join(error.messages)}") from None
        if changes:
            try:
                row.full_clean()
            except ValidationError as error:
                problems = (f"{key}: {' '.join(value)}" for key, value in error.message_dict.items())
                raise CommandError("\n".join(problems)) from None
            row._change_reason = "manage.py site_settings " + " ".join(changes)
            row.save()
        for name in names:
            self.stdout.write(f"{name}={getattr(row, name)}")
