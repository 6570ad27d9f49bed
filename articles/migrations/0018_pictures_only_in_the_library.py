"""The picture fields copied into the library (0017) go; the library's foreign keys take their names."""

from django.db import migrations

ARTICLE_FIELDS = ["image", "image_width", "image_height", "image_alt", "image_caption", "image_credit", "image_renditions"]


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_pictures_into_the_library")]

    operations = [
        *(migrations.RemoveField("article", name) for name in ARTICLE_FIELDS),
        *(migrations.RemoveField("historicalarticle", name) for name in ARTICLE_FIELDS),
        *(migrations.RemoveField("author", name) for name in ["photo", "photo_width", "photo_height", "photo_renditions"]),
        *(
            migrations.RemoveField("liveupdate", name)
            for name in ["image", "image_width", "image_height", "image_renditions", "image_alt"]
        ),
        *(migrations.RemoveField("historicalliveupdate", name) for name in ["image", "image_width", "image_height", "image_alt"]),
        migrations.RenameField("author", "library_photo", "photo"),
        migrations.RenameField("liveupdate", "library_image", "image"),
        migrations.RenameField("historicalliveupdate", "library_image", "image"),
    ]
