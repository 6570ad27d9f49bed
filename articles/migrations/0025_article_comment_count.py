"""Every story keeps its published comment count (comments 0014 fills it; comments.services keeps it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0024_site_pages'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='comment_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='published comments'),
        ),
    ]
