"""Moderators see commenters (and set how far they are trusted) and the outgoing e-mails (and send again)."""

from django.db import migrations

from newsportal.roles import MODERATORS, grant


def grant_moderators(apps, schema_editor):
    grant(
        apps,
        MODERATORS,
        "comments",
        ["view_commenter", "change_commenter", "view_outgoingemail", "change_outgoingemail"],
    )


class Migration(migrations.Migration):
    dependencies = [("comments", "0008_trusted_commenters_and_outgoing_email")]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
