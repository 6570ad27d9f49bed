"""On SQLite: the FTS5 search index with the Porter stemmer, filled from the articles (articles/search.py).

PostgreSQL has its own full-text index (migration 0007); there this migration does nothing.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from articles.search import plain_text

    Article = apps.get_model("articles", "Article")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_fts USING fts5("
        "title, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO articles_article_fts (rowid, title, standfirst, body) VALUES (%s, %s, %s, %s)",
            [
                (article.pk, article.title, article.standfirst, plain_text(article.body_html))
                for article in Article.objects.only("pk", "title", "standfirst", "body_html").iterator()
            ],
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_article_fts")


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_read_counts")]

    operations = [migrations.RunPython(create_index, drop_index)]
