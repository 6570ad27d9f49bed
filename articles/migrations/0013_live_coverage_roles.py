"""Editors post, edit and withdraw live updates (withdrawing keeps the row: no delete right); Moderators do not."""

from django.db import migrations

from newsportal.roles import EDITORS, grant


def grant_roles(apps, schema_editor):
    grant(apps, EDITORS, "articles", ["add_liveupdate", "change_liveupdate", "view_liveupdate"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_live_coverage")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
