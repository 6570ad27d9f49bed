"""Site settings: the comment order readers see first, and how late recommend counts may show."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsportal', '0004_edge_purges'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsitesettings',
            name='default_comment_order',
            field=models.CharField(choices=[('picks', 'Editor’s picks first'), ('best', 'Best'), ('oldest', 'Oldest first'), ('newest', 'Newest first')], default='picks', max_length=10, verbose_name='comments first shown'),
        ),
        migrations.AddField(
            model_name='historicalsitesettings',
            name='recommend_lag_seconds',
            field=models.PositiveSmallIntegerField(default=60, help_text="Readers' recommends show on pages at most this late; a reader sees their own at once.", validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(3600)], verbose_name='recommend counts shown within (seconds)'),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='default_comment_order',
            field=models.CharField(choices=[('picks', 'Editor’s picks first'), ('best', 'Best'), ('oldest', 'Oldest first'), ('newest', 'Newest first')], default='picks', max_length=10, verbose_name='comments first shown'),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='recommend_lag_seconds',
            field=models.PositiveSmallIntegerField(default=60, help_text="Readers' recommends show on pages at most this late; a reader sees their own at once.", validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(3600)], verbose_name='recommend counts shown within (seconds)'),
        ),
    ]
