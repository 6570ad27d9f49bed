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
    assert joint.byline == "" and joint.body_html == "<p>A.</p><p>B.</p>"
    revision = new_apps.get_model("articles", "HistoricalArticle").objects.get(id=joint.pk)
    assert revision.title == "Joint"
    assert new_apps.get_model("articles", "HistoricalByline").objects.filter(history=revision).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_pictures_move_into_the_library_with_their_words(back_to_latest_schema, settings, tmp_path):
    """Lead images, author photos and live-update pictures become library pictures: same files, same alt text,
    caption, credit and renditions, one picture for a file used twice, and revisions point at them."""
    from django.core.files.storage import default_storage

    before, after = [("articles", "0015_desk_roles")], [("articles", "0018_pictures_only_in_the_library")]
    settings.MEDIA_ROOT = tmp_path
    default_storage.save("articles/2026/11/harbour.jpg", __import__("io").BytesIO(b"\xff\xd8\xffharbour"))
    renditions = [
        {
            "width": 480,
            "height": 270,
            "webp": "articles/2026/11/renditions/harbour-480.webp",
            "jpeg": "articles/2026/11/renditions/harbour-480.jpg",
        }
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Category = old_apps.get_model("articles", "Category")
    Article = old_apps.get_model("articles", "Article")
    section = Category.objects.create(name="World News", slug="world-news")
    common = {"category": section, "status": "published", "published_at": timezone.now(), "body": "Text."}
    lead = Article.objects.create(
        title="Harbour",
        slug="harbour",
        image="articles/2026/11/harbour.jpg",
        image_width=1200,
        image_height=675,
        image_alt="Cranes at dusk",
        image_caption="The port at night.",
        image_credit="Newsportal",
        image_renditions=renditions,
        **common,
    )
    Article.objects.create(
        title="Again",
        slug="again",
        image="articles/2026/11/harbour.jpg",
        image_alt="Cranes",
        image_renditions=renditions,
        **common,
    )
    Article.objects.create(title="Plain", slug="plain", **common)
    old_apps.get_model("articles", "HistoricalArticle").objects.create(
        id=lead.pk,
        title="Harbour",
        slug="harbour",
        image="articles/2026/11/harbour.jpg",
        category_id=section.pk,
        status="published",
        body="Text.",
        history_date=timezone.now(),
        history_type="~",
        version=1,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    Author = old_apps.get_model("articles", "Author")
    Author.objects.create(
        name="Maya Okafor", slug="maya-okafor", photo="authors/2026/maya.jpg", photo_width=480, photo_height=480
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    Image = new_apps.get_model("articles", "Image")
    Article = new_apps.get_model("articles", "Article")
    harbour = Article.objects.get(slug="harbour").lead_image
    assert (harbour.file.name, harbour.alt_text, harbour.caption, harbour.credit) == (
        "articles/2026/11/harbour.jpg",
        "Cranes at dusk",
        "The port at night.",
        "Newsportal",
    )
    assert harbour.renditions == renditions and harbour.rendition_state == "ready"
    assert (harbour.width, harbour.height) == (1200, 675) and len(harbour.checksum) == 64
    assert Article.objects.get(slug="again").lead_image_id == harbour.pk  # one file, one picture
    assert Article.objects.get(slug="plain").lead_image is None
    photo = new_apps.get_model("articles", "Author").objects.get().photo
    assert photo.file.name == "authors/2026/maya.jpg" and photo.rendition_state == "pending"  # the worker cuts them
    revision = new_apps.get_model("articles", "HistoricalArticle").objects.get(id=lead.pk)
    assert revision.lead_image_id == harbour.pk
    assert Image.objects.count() == 2
