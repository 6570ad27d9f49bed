"""Every existing picture (lead images, author photos, live-update pictures) becomes a picture of the media library,
with its alt text, caption, credit and renditions, and each use points at it. Files stay where they are, so
nothing a reader sees changes; revisions point at the same pictures, so comparing and restoring keep working."""

import hashlib
import posixpath

from django.core.files.storage import default_storage
from django.db import migrations
from django.utils import timezone


def checksum(name):
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:  # the file is gone: the picture keeps its place, with no checksum to compare
        return ""
    return digest.hexdigest()


def into_the_library(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    pictures = {}

    def picture(name, *, width, height, renditions, uploaded_at, alt="", caption="", credit=""):
        if not name:
            return None
        if name not in pictures:
            pictures[name] = Image.objects.create(
                file=name,
                width=width,
                height=height,
                original_name=posixpath.basename(name),
                alt_text=alt,
                caption=caption,
                credit=credit,
                checksum=checksum(name),
                renditions=renditions or [],
                rendition_state="ready" if renditions else "pending",
                uploaded_at=uploaded_at,
            )
        return pictures[name]

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(image="").order_by("pk"):  # a file used twice: the first one's words
        article.lead_image = picture(
            article.image.name,
            width=article.image_width,
            height=article.image_height,
            renditions=article.image_renditions,
            uploaded_at=article.created_at,
            alt=article.image_alt,
            caption=article.image_caption,
            credit=article.image_credit,
        )
        article.save(update_fields=["lead_image"])
    Author = apps.get_model("articles", "Author")
    for author in Author.objects.exclude(photo="").order_by("pk"):
        author.library_photo = picture(
            author.photo.name,
            width=author.photo_width,
            height=author.photo_height,
            renditions=author.photo_renditions,
            uploaded_at=timezone.now(),
            alt=f"Portrait of {author.name}",
        )
        author.save(update_fields=["library_photo"])
    LiveUpdate = apps.get_model("articles", "LiveUpdate")
    for update in LiveUpdate.objects.exclude(image="").order_by("pk"):
        update.library_image = picture(
            update.image.name,
            width=update.image_width,
            height=update.image_height,
            renditions=update.image_renditions,
            uploaded_at=update.published_at,
            alt=update.image_alt,
        )
        update.save(update_fields=["library_image"])
    # Revisions name the same pictures; a revision's picture that no longer exists anywhere is left out.
    for model, field in (("HistoricalArticle", "lead_image"), ("HistoricalLiveUpdate", "library_image")):
        for revision in apps.get_model("articles", model).objects.exclude(image=""):
            name = getattr(revision.image, "name", revision.image)
            if name in pictures:
                setattr(revision, f"{field}_id", pictures[name].pk)
                revision.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_media_library")]

    operations = [migrations.RunPython(into_the_library, migrations.RunPython.noop)]
