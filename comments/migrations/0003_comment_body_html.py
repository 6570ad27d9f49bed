"""Store each comment's rendered HTML, and render it for the comments that exist already."""

from django.db import migrations, models

from comments.text import render_comment_body


def render_existing(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for comment in Comment.objects.filter(body_html="").only("pk", "body").iterator():
        Comment.objects.filter(pk=comment.pk).update(body_html=render_comment_body(comment.body))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_staff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
