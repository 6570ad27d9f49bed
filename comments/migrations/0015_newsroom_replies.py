"""Comments the newsroom writes: the badge, and the byline (author page) they appear under."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0025_article_comment_count'),
        ('comments', '0014_count_published_comments'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='byline',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.author', verbose_name='byline'),
        ),
        migrations.AddField(
            model_name='comment',
            name='from_newsroom',
            field=models.BooleanField(default=False, verbose_name='from the newsroom'),
        ),
    ]
