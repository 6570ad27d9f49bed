"""Editors run the media library; Reporters upload and describe pictures (they delete none)."""

from django.db import migrations

from newsportal.roles import EDITORS, REPORTERS, grant


def grant_roles(apps, schema_editor):
    grant(apps, EDITORS, "articles", ["add_image", "change_image", "delete_image", "view_image"])
    grant(apps, REPORTERS, "articles", ["add_image", "change_image", "view_image"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_pictures_only_in_the_library")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
