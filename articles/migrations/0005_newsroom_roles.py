"""Give Editors their rights over authors, bylines and corrections; Moderators may look at them."""

from django.db import migrations

from newsportal.roles import EDITORS, MODERATORS, grant


def grant_roles(apps, schema_editor):
    models = ("author", "byline", "correction")
    grant(apps, EDITORS, "articles", [f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in models])
    grant(apps, MODERATORS, "articles", [f"view_{model}" for model in models])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_bylines_bodies_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
