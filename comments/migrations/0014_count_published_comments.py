"""Fill the new Article.comment_count (articles 0025) with each story's published comments, as
`comments.services.discussions_changed` keeps it from now on."""

from django.db import migrations
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_published_comments(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    # Comment.objects.public() of this migration's time: approved, and replies only under an approved parent.
    public = Comment.objects.filter(status="approved").filter(Q(parent__isnull=True) | Q(parent__status="approved"))
    per_article = public.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk")).values("n")
    Article.objects.update(comment_count=Coalesce(Subquery(per_article), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0025_article_comment_count"),
        ("comments", "0013_comment_sender_time_index"),
    ]

    operations = [migrations.RunPython(count_published_comments, migrations.RunPython.noop)]
