"""The bylines and bodies that existed before the newsroom tools are carried over by the data migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("articles", "0002_staff_roles")]
AFTER = [("articles", "0005_newsroom_roles")]


@pytest.fixture
def back_to_latest_schema():
    """Leave the test database at the latest migrations, whatever this test migrated to, for the tests after it."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_bylines_become_authors_and_bodies_get_html_and_a_first_revision(back_to_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Category = old_apps.get_model("articles", "Category")
    Article = old_apps.get_model("articles", "Article")
    section = Category.objects.create(name="World News", slug="world-news")
    common = {"category": section, "status": "published", "published_at": timezone.now(), "standfirst": "Teaser."}
    Article.objects.create(title="Joint", slug="joint", byline="Maya Okafor and Tomas Lind", body="A.\n\nB.", **common)
    Article.objects.create(
        title="Trio", slug="trio", byline="Aisha Raman, Tomas Lind & Owen Hartley", body="", **common
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Article = new_apps.get_model("articles", "Article")
    Author = new_apps.get_model("articles", "Author")

    def credits(slug):
        bylines = Article.objects.get(slug=slug).bylines.order_by("position")
        return list(bylines.values_list("author__name", flat=True))

    assert credits("joint") == ["Maya Okafor", "Tomas Lind"]
    assert credits("trio") == ["Aisha Raman", "Tomas Lind", "Owen Hartley"]
    assert Author.objects.filter(slug="tomas-lind").count() == 1
    joint = Article.objects.get(slug="joint")
    assert joint.byline == "" and joint.body_html == "<p>A.</p>\n<p>B.</p>\n"
    revision = new_apps.get_model("articles", "HistoricalArticle").objects.get(id=joint.pk)
    assert revision.title == "Joint"
    assert new_apps.get_model("articles", "HistoricalByline").objects.filter(history=revision).count() == 2
