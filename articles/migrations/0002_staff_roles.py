"""Create the Editors and Moderators groups with their rights over articles and categories."""

from django.db import migrations

from newsportal.roles import EDITORS, MODERATORS, grant


def create_roles(apps, schema_editor):
    everything = [f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in ("article", "category")]
    grant(apps, EDITORS, "articles", everything)
    grant(apps, MODERATORS, "articles", ["view_article", "view_category"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
