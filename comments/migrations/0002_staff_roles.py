"""Give Moderators their rights over comments, reports, block lists and the moderation log."""

from django.db import migrations

from newsportal.roles import MODERATORS, grant


def grant_moderators(apps, schema_editor):
    grant(
        apps,
        MODERATORS,
        "comments",
        [
            "view_comment",
            "change_comment",
            "view_report",
            "view_moderationlog",
            "add_blockedterm",
            "change_blockedterm",
            "delete_blockedterm",
            "view_blockedterm",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
