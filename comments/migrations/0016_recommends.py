"""Readers' recommends: one row per reader and comment, and each comment's count as last written down."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0025_article_comment_count'),
        ('comments', '0015_newsroom_replies'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='recommend_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='recommends'),
        ),
        migrations.CreateModel(
            name='Recommendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reader_key', models.CharField(help_text='A one-way hash, not an address.', max_length=64, verbose_name='reader')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recommended')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='comments.comment')),
            ],
            options={
                'verbose_name': 'recommendation',
                'verbose_name_plural': 'recommendations',
                'indexes': [models.Index(fields=['article', 'reader_key'], name='recommendation_readers_idx')],
                'constraints': [models.UniqueConstraint(fields=('comment', 'reader_key'), name='one_recommendation_per_reader')],
            },
        ),
    ]
