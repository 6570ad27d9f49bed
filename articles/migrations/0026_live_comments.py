"""An editor's switch: readers are offered new comments without reloading (always on a live page)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0025_article_comment_count'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='live_comments',
            field=models.BooleanField(default=False, help_text='Readers with the page open are offered new comments without reloading (always on a live page).', verbose_name='offer new comments as they are published'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='live_comments',
            field=models.BooleanField(default=False, help_text='Readers with the page open are offered new comments without reloading (always on a live page).', verbose_name='offer new comments as they are published'),
        ),
    ]
