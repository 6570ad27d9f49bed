"""A GIN index for reader search on PostgreSQL (articles/search.py).

PostgreSQL uses an expression index only for a query whose expression is identical, so the index is built from
a copy of `articles.search.document()` as it stands in this migration; tests/articles/test_search.py checks on
PostgreSQL that the search query is answered from this index, so a change to one side without the other fails.

It is not in `Article.Meta.indexes`: SQLite cannot build a GIN index, and Django would try whenever it rebuilds
the table there. It is built CONCURRENTLY, so a large production table keeps taking writes meanwhile.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "article_search_idx"


def search_index():
    document = (
        SearchVector("title", config="english", weight="A")
        + SearchVector("standfirst", config="english", weight="B")
        + SearchVector("body_html", config="english", weight="C")
    )
    return GinIndex(document, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("articles", "Article")
    schema_editor.execute(search_index().create_sql(article, schema_editor, concurrently=True), params=None)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("articles", "Article")
    schema_editor.execute(search_index().remove_sql(article, schema_editor, concurrently=True), params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("articles", "0006_reader_order_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
