"""Demo categories and articles, with lead images drawn by Pillow. Idempotent: keyed on slugs."""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from .demo_data import ARTICLES, CATEGORIES
from .models import Article, Category

IMAGE_SIZE = (1200, 675)


def draw_illustration(colour, seed):
    """Return the JPEG bytes of an abstract 16:9 illustration tinted with `colour`."""
    image = Image.new("RGB", IMAGE_SIZE, colour)
    draw = ImageDraw.Draw(image)
    width, height = IMAGE_SIZE
    for step in range(12):
        shade = 255 - step * 12
        offset = (seed * 37 + step * 53) % width
        draw.ellipse(
            [offset - 220, height - step * 60 - 200, offset + 220, height - step * 60 + 200],
            outline=(shade, shade, shade),
            width=3,
        )
    draw.rectangle([0, height - 90, width, height], fill=(0, 0, 0))
    output = BytesIO()
    image.save(output, "JPEG", quality=82)
    return output.getvalue()


def load():
    """Create or update the demo categories and articles; return a one-line summary."""
    now = timezone.now()
    categories = {}
    for position, data in enumerate(CATEGORIES):
        categories[data["slug"]], _ = Category.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"], "description": data["description"], "position": position}
        )
    for seed, data in enumerate(ARTICLES):
        status = Article.Status.DRAFT if data["status"] == "draft" else Article.Status.PUBLISHED
        article, created = Article.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "standfirst": data["standfirst"],
                "body": data["body"],
                "byline": data["byline"],
                "category": categories[data["category"]],
                "status": status,
                "published_at": None if status == Article.Status.DRAFT else now - timedelta(hours=data["hours_ago"]),
                "is_featured": data["featured"],
                "image_alt": data["image_alt"],
                "image_caption": data["image_caption"],
                "image_credit": data["image_credit"],
            },
        )
        if not article.image:
            article.image.save(f"{data['slug']}.jpg", ContentFile(draw_illustration(data["colour"], seed)))
    return f"{len(categories)} categories, {len(ARTICLES)} articles"
