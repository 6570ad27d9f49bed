"""Reporters write their own drafts and submit them; Editors review, approve and publish (articles/desk.py)."""

from django.db import migrations

from newsportal.roles import EDITORS, REPORTERS, grant


def grant_roles(apps, schema_editor):
    grant(apps, EDITORS, "articles", ["publish_article", "review_article"])
    grant(
        apps,
        REPORTERS,
        "articles",
        [
            "add_article",
            "change_article",
            "view_article",
            "add_byline",
            "change_byline",
            "delete_byline",
            "view_byline",
            "view_author",
            "view_category",
            "view_correction",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_newsroom_desk")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
