"""Move existing data into the newsroom tools: bylines become Author credits, bodies get their rendered HTML,
and every article gets a first revision, so the first edit after this migration can already be undone."""

import re

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

# "Maya Okafor and Tomas Lind", "A, B and C", "A & B"
BYLINE_SEPARATORS = re.compile(r"\s*(?:,|\band\b|&)\s*")


def forwards(apps, schema_editor):
    from articles.richtext import render_markdown

    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    Byline = apps.get_model("articles", "Byline")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    HistoricalByline = apps.get_model("articles", "HistoricalByline")
    tracked = [field.attname for field in HistoricalArticle._meta.fields if not field.attname.startswith("history_")]

    for article in Article.objects.all().iterator():
        names = [name for name in BYLINE_SEPARATORS.split(article.byline or "") if name.strip()]
        for position, name in enumerate(names):
            slug = slugify(name)[:120]
            if not slug:
                continue
            author, _ = Author.objects.get_or_create(slug=slug, defaults={"name": name.strip()[:120]})
            Byline.objects.get_or_create(article=article, author=author, defaults={"position": position})
        if article.bylines.exists():
            article.byline = ""  # now the authors; the credit line is only for stories without one
        article.body_html = render_markdown(article.body)
        article.save(update_fields=["byline", "body_html"])

        revision = HistoricalArticle.objects.create(
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Before revision history was kept",
            **{name: getattr(article, name) for name in tracked},
        )
        HistoricalByline.objects.bulk_create(
            HistoricalByline(history=revision, id=byline.id, article_id=article.id, author_id=byline.author_id,
                             position=byline.position)
            for byline in article.bylines.all()
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_newsroom_tools")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
