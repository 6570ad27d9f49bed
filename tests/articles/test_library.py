"""The media library: one picture for every use, processed after the save, found again, used anywhere, deleted only
when nothing shows it, its files removed only once a change has committed."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from articles import images, library, services
from articles.models import Image, LiveUpdate
from tests.factories import ArticleFactory, AuthorFactory, jpeg_upload, picture
from tests.html import select, text_of

pytestmark = pytest.mark.django_db

LIBRARY = "/admin/articles/image/"


def run_worker():
    """Run the background worker over every waiting task, once (as `manage.py worker` does in rounds).

    The real task loop, without its connection housekeeping: closing the connection of a test's transaction
    (PostgreSQL) would end the test's transaction with it.
    """
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def files_of(image):
    return images.stored_files(image.file.name, image.renditions)


def exists(name):
    return storages["default"].exists(name)


# --- Processing after the commit -----------------------------------------------------------------------------


def test_an_upload_commits_at_once_and_the_real_worker_makes_the_renditions(
    client, editor, category, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as committed:
        response = client.post(
            LIBRARY + "add/",
            {
                "file": jpeg_upload("ferry.jpg", (2400, 1350)),
                "alt_text": "The night ferry",
                "caption": "At dusk",
                "credit": "Tomas Lind",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },
        )
    assert response.status_code == 302 and len(committed) == 1  # the task is queued once the save commits
    image = Image.objects.get()
    assert image.rendition_state == "pending" and image.renditions == []  # nothing decoded inside the save
    assert image.file.name.startswith("uploads/")

    story = ArticleFactory(category=category, lead_image=image)
    assert not select(client.get(story.get_absolute_url()).content, ".story__figure")  # never the original

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    image.refresh_from_db()
    assert image.rendition_state == "ready" and [r["width"] for r in image.renditions] == [480, 960, 1600]
    assert image.file.name.startswith("library/") and all(exists(name) for name in files_of(image))
    client.logout()
    page = client.get(story.get_absolute_url()).content
    assert select(page, ".story__figure img")[0].get("alt") == "The night ferry"
    assert "At dusk" in text_of(select(page, ".story__figure figcaption")[0])


def test_nothing_is_made_when_the_save_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as committed:
        with pytest.raises(RuntimeError), transaction.atomic():
            library.image_upload(file=jpeg_upload(), alt_text="Never")
            raise RuntimeError("the editor's save failed after the upload")
    assert committed == [] and not Image.objects.exists()
    run_worker()
    assert not Image.objects.exists()


def test_a_worker_that_died_mid_rendition_is_retried(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    image = picture(processed=False)
    Image.objects.filter(pk=image.pk).update(
        processing_since=timezone.now() - timedelta(minutes=10), uploaded_at=timezone.now() - timedelta(minutes=11)
    )  # claimed by a worker that never came back
    assert library.sweep() == 1
    run_worker()
    image.refresh_from_db()
    assert image.rendition_state == "ready"


# --- Files removed after commit, never before ------------------------------------------------------------------


def test_a_replaced_file_and_its_renditions_go_after_commit_and_stay_on_rollback(django_capture_on_commit_callbacks):
    image = picture()
    old = files_of(image)
    image.file = jpeg_upload("other.jpg", (800, 600))
    with pytest.raises(RuntimeError), transaction.atomic():
        library.image_save(image=image)
        raise RuntimeError("rolled back")
    assert all(exists(name) for name in old)

    image = Image.objects.get(pk=image.pk)
    image.file = jpeg_upload("other.jpg", (800, 600))
    with django_capture_on_commit_callbacks(execute=True):
        library.image_save(image=image)
    assert not any(exists(name) for name in old)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    image.refresh_from_db()
    assert image.rendition_state == "ready" and image.width == 800


def test_a_deleted_picture_leaves_no_file_behind_and_a_rollback_keeps_them(django_capture_on_commit_callbacks):
    image = picture()
    pk, names = image.pk, files_of(image)
    with pytest.raises(RuntimeError), transaction.atomic():
        library.image_delete(image=image)
        raise RuntimeError("rolled back")
    assert all(exists(name) for name in names) and Image.objects.filter(pk=pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        library.image_delete(image=Image.objects.get(pk=pk))
    assert not any(exists(name) for name in names)


# --- One picture, many uses; no delete while in use --------------------------------------------------------------


def test_a_picture_in_use_cannot_be_deleted_and_the_refusal_says_where(client, editor, category):
    image = picture(alt_text="Harbour cranes")
    ArticleFactory(category=category, lead_image=image, title="Cranes return")
    ArticleFactory(category=category, lead_image=image, title="Cranes again")
    ArticleFactory(
        category=category,
        title="In the body",
        body=f'<p>Text.</p><figure data-picture="{image.pk}" data-size="column"></figure><p>More.</p>',
    )
    with pytest.raises(library.PictureInUse, match="lead image of 2 stories, in the body of 1"):
        library.image_delete(image=image)

    client.force_login(editor)
    refusal = client.get(f"{LIBRARY}{image.pk}/delete/").content.decode()
    assert "lead image of 2 stories, in the body of 1" in refusal
    confirmed = client.post(f"{LIBRARY}{image.pk}/delete/", {"post": "yes"})
    assert "lead image of 2 stories" in confirmed.content.decode()  # refused again, nothing deleted
    assert Image.objects.filter(pk=image.pk).exists()
    grid = client.get(LIBRARY).content
    assert "Lead image of 2 stories, in the body of 1" in text_of(select(grid, ".library-card")[0])


def test_a_picture_placed_in_the_body_renders_with_its_renditions(client, category):
    image = picture(alt_text="A map of the barrier", caption="The barrier's eight gates.", credit="Newsportal")
    story = ArticleFactory(
        category=category,
        body=f'<p>Before.</p><figure data-picture="{image.pk}" data-size="full"></figure><p>After.</p>',
    )
    assert list(story.body_images.all()) == [image]
    figure = select(client.get(story.get_absolute_url()).content, ".story__body figure")[0]
    assert "story__picture--full" in figure.get("class")
    assert select(figure, "img")[0].get("alt") == "A map of the barrier"
    assert "The barrier's eight gates." in text_of(figure)
    assert select(figure, "source")[0].get("srcset").count("w,") == 2  # three widths


def test_the_same_file_twice_is_refused_with_the_picture_to_use(client, editor):
    data = jpeg_upload("once.jpg", (300, 200), colour="teal").read()
    first = library.image_upload(file=SimpleUploadedFile("once.jpg", data), alt_text="The first one")
    client.force_login(editor)
    response = client.post(
        LIBRARY + "add/",
        {"file": SimpleUploadedFile("again.jpg", data), "alt_text": "x", "focal_x": 0.5, "focal_y": 0.5},
    )
    html = response.content.decode()
    assert "This exact file is in the library already" in html and f"/admin/articles/image/{first.pk}/change/" in html
    assert Image.objects.count() == 1


def test_every_use_points_at_one_picture(category):
    image = picture()
    story = ArticleFactory(category=category, lead_image=image)
    author = AuthorFactory(photo=image)
    LiveUpdate.objects.create(article=story, body="An update.", image=image)
    where = library.usage(image)
    assert (len(where.leads), len(where.authors), len(where.updates)) == (1, 1, 1)
    assert where.sentence() == "lead image of 1 story, photo of 1 author, in 1 live update"
    assert author.photo == story.lead_image


# --- Finding pictures again ---------------------------------------------------------------------------------------


def test_the_library_grid_searches_and_filters(client, editor, category):
    wide = picture("wide.jpg", (1600, 900), alt_text="Cranes at dusk", credit="Maya Okafor")
    picture("tall.jpg", (600, 900), alt_text="A lighthouse", caption="Kestra light", user=editor)
    ArticleFactory(category=category, lead_image=wide)
    client.force_login(editor)

    def shown(**query):
        return [
            text_of(select(card, ".library-card__alt")[0])
            for card in select(client.get(LIBRARY, query).content, ".library-card")
        ]

    assert sorted(shown()) == ["A lighthouse", "Cranes at dusk"]
    assert shown(q="kestra") == ["A lighthouse"]  # the caption
    assert shown(q="okafor") == ["Cranes at dusk"]  # the credit
    assert shown(q="tall") == ["A lighthouse"]  # the file name
    assert shown(orientation="portrait") == ["A lighthouse"]
    assert shown(orientation="landscape") == ["Cranes at dusk"]
    assert shown(use="unused") == ["A lighthouse"]
    assert shown(uploaded_by__id__exact=str(editor.pk)) == ["A lighthouse"]
    assert select(client.get(LIBRARY).content, ".library-card img[srcset]")


def test_the_chooser_offers_the_library_and_an_upload_in_one_dialog(client, editor):
    image = picture(alt_text="Cranes at dusk")
    client.force_login(editor)
    dialog = client.get(LIBRARY, {"_popup": "1", "_to_field": "id"}).content
    assert select(dialog, f'.library-card a[data-popup-opener="{image.pk}"]')
    upload_form = select(dialog, ".library-upload form")[0]
    assert "_popup=1" in upload_form.get("action") and select(upload_form, "input[type=file]")
    response = client.post(
        LIBRARY + "add/?_popup=1&_to_field=id",
        {
            "file": jpeg_upload(),
            "alt_text": "New one",
            "focal_x": 0.5,
            "focal_y": 0.5,
            "_popup": "1",
            "_to_field": "id",
        },
    )
    assert response.status_code == 200 and b"popup_response" in response.content  # hands the new id to the form


def test_the_article_form_shows_the_chosen_picture_as_a_thumbnail(client, editor, category):
    image = picture(alt_text="Cranes at dusk", caption="The port at night")
    story = ArticleFactory(category=category, lead_image=image)
    client.force_login(editor)
    chooser = select(client.get(f"/admin/articles/article/{story.pk}/change/").content, "[data-picture-chooser]")[0]
    thumb = select(chooser, "img.picture-chooser__thumb")[0]
    assert thumb.get("src").endswith("-480.jpg") and "Cranes at dusk" in text_of(chooser)
    assert select(chooser, "a.related-lookup")[0].get("href").startswith(LIBRARY)
    card = client.get(f"{LIBRARY}{image.pk}/card/").json()
    assert card == {
        "id": image.pk,
        "thumb": thumb.get("src"),
        "alt": "Cranes at dusk",
        "caption": "The port at night",
        "ready": True,
    }


# --- Focal point ---------------------------------------------------------------------------------------------------


def test_crops_keep_the_focal_point_in_frame(client, category, editor):
    image = picture(alt_text="A boat at the left edge")
    client.force_login(editor)
    form = client.get(f"{LIBRARY}{image.pk}/change/").content
    assert select(form, "[data-focal-picker] img")  # one click on it sets the point (static/js/focal-point.js)
    data = {"alt_text": image.alt_text, "caption": "", "credit": "", "focal_x": "0.18", "focal_y": "0.66"}
    assert client.post(f"{LIBRARY}{image.pk}/change/", data).status_code == 302
    other = ArticleFactory(category=category)
    ArticleFactory(category=category, lead_image=image)
    client.logout()
    thumb = select(client.get(other.get_absolute_url()).content, ".read-next__thumb")[0]
    assert {"fx-2", "fy-7"} <= set(thumb.get("class").split())  # object-position 20% 70% (static/css/pictures.css)


# --- Storage through Django's storage API only --------------------------------------------------------------------


def test_the_whole_library_works_on_a_storage_that_is_not_the_file_system(settings, client, category):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    image = picture("memory.jpg", (1200, 800), alt_text="Kept in memory")
    assert image.is_ready and all(storages["default"].exists(name) for name in files_of(image))
    story = ArticleFactory(category=category, lead_image=image)
    assert select(client.get(story.get_absolute_url()).content, ".story__figure img[srcset]")
    with transaction.atomic():
        story.lead_image = None
        services.article_save(article=story)
        library.image_delete(image=image)
    # (InMemoryStorage keeps nothing on disk: MEDIA_ROOT stays empty throughout)
    from pathlib import Path

    assert not any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
