"""Demo categories, authors and articles, with lead images drawn by Pillow. Idempotent: keyed on slugs.

Articles go through `articles.services` like an editor's save, so the demo shows the newsroom tools at work:
a body with a library picture and a video embed, image renditions, two authors on one story, a correction and an
update, a pinned lead, a pinned top story and a breaking-news banner that expires by itself.
"""

import hashlib
import math
from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageColor, ImageDraw

from . import desk, library, live, popularity, richtext, services
from .demo_data import ARTICLES, AUTHORS, CATEGORIES, CORRECTIONS, IN_REVIEW, LIVE_COVERAGE
from .models import Article, Author, Category, Correction, LiveUpdate, ReadCount
from .models import Image as LibraryImage
from .richtext import clean_body

# The demo reporter's account, made by the `demo` command before the content.
DEMO_REPORTER = "reporter"

IMAGE_SIZE = (1200, 675)
PHOTO_SIZE = (480, 480)


def _mix(colour, other, amount):
    """Blend two RGB colours: 0 gives `colour`, 1 gives `other`."""
    return tuple(round(a + (b - a) * amount) for a, b in zip(colour, other, strict=True))


def draw_illustration(colour, seed):
    """Return the JPEG bytes of an abstract 16:9 landscape in shades of `colour`: a sky that lightens towards
    the horizon, a low sun and three ridges, each ridge darker and nearer. `seed` varies the shapes."""
    width, height = IMAGE_SIZE
    base = ImageColor.getrgb(colour) if isinstance(colour, str) else tuple(colour)
    image = Image.new("RGB", IMAGE_SIZE, base)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # the sky: pale at the horizon, the tint at the top
        draw.line([(0, y), (width, y)], fill=_mix(base, (250, 244, 232), 0.85 * y / height))
    sun_x = 180 + (seed * 211) % (width - 360)
    sun_y = 200 + (seed * 53) % 120
    draw.ellipse([sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70], fill=_mix(base, (255, 236, 200), 0.9))
    for layer in range(3):
        shade = _mix(base, (20, 20, 28), 0.25 + layer * 0.22)
        level = height * (0.55 + layer * 0.13)
        amplitude = 55 - layer * 12
        phase = seed * 0.7 + layer * 1.9
        ridge = [
            (x, level - amplitude * math.sin(x / (170 + layer * 40) + phase) - 18 * math.sin(x / 47 + phase * 2))
            for x in range(0, width + 8, 8)
        ]
        draw.polygon([(0, height), *ridge, (width, height)], fill=shade)
    output = BytesIO()
    image.save(output, "JPEG", quality=84)
    return output.getvalue()


def draw_portrait(colour):
    """Return the JPEG bytes of an abstract head-and-shoulders silhouette on `colour` (no real person)."""
    image = Image.new("RGB", PHOTO_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse([165, 90, 315, 250], fill=(235, 228, 216))
    draw.ellipse([95, 280, 385, 560], fill=(235, 228, 216))
    output = BytesIO()
    image.save(output, "JPEG", quality=85)
    return output.getvalue()


def library_picture(name, data, *, alt_text, caption="", credit=""):
    """Put a demo picture into the media library as an editor's upload goes in, and process it at once (as the
    worker would a moment later), so the demo's pages show it straight away. A picture already there is reused."""
    same = LibraryImage.objects.filter(checksum=hashlib.sha256(data).hexdigest()).first()
    if same is not None:
        return same
    image = library.image_upload(
        file=SimpleUploadedFile(name, data, content_type="image/jpeg"),
        alt_text=alt_text,
        caption=caption,
        credit=credit,
    )
    library.process(image.pk)
    image.refresh_from_db()
    return image


def load():
    """Create or update the demo categories, authors, articles and notes; return a one-line summary."""
    now = timezone.now()
    categories = {}
    for position, data in enumerate(CATEGORIES):
        categories[data["slug"]], _ = Category.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"], "description": data["description"], "position": position}
        )
    authors = {}
    for data in AUTHORS:
        author = Author.objects.filter(slug=data["slug"]).first() or Author(slug=data["slug"])
        author.name, author.bio = data["name"], data["bio"]
        if not author.photo:
            author.photo = library_picture(
                f"{data['slug']}.jpg", draw_portrait(data["colour"]), alt_text=f"Portrait of {data['name']}"
            )
        authors[author.name] = services.author_save(author=author)

    for seed, data in enumerate(ARTICLES):
        article = Article.objects.filter(slug=data["slug"]).first() or Article(slug=data["slug"])
        status = Article.Status.DRAFT if data["status"] == "draft" else Article.Status.PUBLISHED
        if article.pk and not desk.between(article.status, status):
            status = article.status  # moved on the desk since (sent back for changes, say): leave it there
        article.title = data["title"]
        article.standfirst = data["standfirst"]
        body = with_clock_times(with_pictures(data, seed), data, now)
        article.body = richtext.markdown_to_html(body)  # the demo's texts are in Markdown
        article.credit_line = ""
        article.category = categories[data["category"]]
        article.status = status
        article.published_at = None if status == Article.Status.DRAFT else now - timedelta(hours=data["hours_ago"])
        article.pinned_lead = data["featured"]
        article.top_story_rank = data.get("top_story_rank")
        article.is_breaking = "breaking_hours" in data
        article.breaking_until = now + timedelta(hours=data["breaking_hours"]) if article.is_breaking else None
        if not article.lead_image:
            article.lead_image = library_picture(
                f"{data['slug']}.jpg",
                draw_illustration(data["colour"], seed),
                alt_text=data["image_alt"],
                caption=data["image_caption"],
                credit=data["image_credit"],
            )
        credited = [authors[name] for name in data["authors"]]
        services.article_save(article=article, authors=credited, reason="Demo content loaded")

    for data in CORRECTIONS:
        article = Article.objects.get(slug=data["article"])
        Correction.objects.update_or_create(
            article=article,
            text=data["text"],
            defaults={
                "kind": data["kind"],
                "created_at": article.published_at + timedelta(minutes=data["minutes_after"]),
            },
        )
    start_demo_live_page()
    submit_demo_story(categories[IN_REVIEW["category"]])
    record_demo_reads()
    return f"{len(categories)} categories, {len(authors)} authors, {len(ARTICLES)} articles, {len(CORRECTIONS)} notes"


def with_clock_times(body, data, now):
    """Write a demo text's clock times (`{peak}`) for the moment the demo loads, rounded down to five minutes, so the
    story agrees with its own timestamps at any hour."""
    for name, minutes_ago in data.get("clock", {}).items():
        moment = timezone.localtime(now - timedelta(minutes=minutes_ago))
        body = body.replace(f"{{{name}}}", f"{moment.hour:02d}:{moment.minute - moment.minute % 5:02d}")
    return body


def with_pictures(data, seed):
    """Return a demo text in Markdown with its `image:<key>` pictures drawn, in the library, and placed by id."""
    body = data["body"]
    for number, (key, picture) in enumerate(data.get("body_pictures", {}).items(), start=1):
        image = library_picture(
            f"{data['slug']}-{key}.jpg",
            draw_illustration(picture["colour"], seed * 10 + number),
            alt_text=picture["alt"],
            caption=picture["caption"],
            credit=picture["credit"],
        )
        body = body.replace(f"(image:{key} ", f"(image:{image.pk} ").replace(f"(image:{key})", f"(image:{image.pk})")
    return body


def submit_demo_story(category):
    """Put a reporter's story on the review queue, written and submitted by the demo reporter (once)."""
    reporter = get_user_model().objects.filter(username=DEMO_REPORTER).first()
    if reporter is None or Article.objects.filter(slug=IN_REVIEW["slug"]).exists():
        return
    fields = {name: IN_REVIEW[name] for name in ("title", "slug", "standfirst", "credit_line")}
    fields["body"] = richtext.markdown_to_html(IN_REVIEW["body"])
    article = Article(category=category, **fields)
    article.lead_image = library_picture(
        f"{IN_REVIEW['slug']}.jpg",
        draw_illustration(IN_REVIEW["colour"], 7),
        alt_text=IN_REVIEW["image_alt"],
        caption=IN_REVIEW["image_caption"],
        credit=IN_REVIEW["image_credit"],
    )
    services.article_save(article=article, user=reporter, authors=[])
    article.status = Article.Status.IN_REVIEW
    services.article_save(article=article, user=reporter, note=IN_REVIEW["note"])


def record_demo_reads():
    """Give Most read something to show: a few hours of invented page views, most for the breaking story."""
    window = popularity.current_window() - 1
    stories = list(Article.objects.live().order_by("-is_breaking", "-published_at")[:8])
    rows = [
        ReadCount(article=story, window_start=popularity.window_start(window - hour * 6), views=(9 - rank) * 40 + hour)
        for rank, story in enumerate(stories)
        for hour in range(3)
    ]
    popularity.record(rows)


def start_demo_live_page():
    """Run the storm story as a live page, with key points and the updates since it started.

    Every load puts the coverage back at the same distance from now (the demo's own updates are posted afresh; any
    an editor added are left alone), so its times agree with the story's at whatever hour `demo` runs.
    """
    article = Article.objects.get(slug=LIVE_COVERAGE["article"])
    now = timezone.now()
    article.live_from = now - timedelta(hours=LIVE_COVERAGE["started_hours_ago"])
    article.key_points = richtext.markdown_to_html(LIVE_COVERAGE["key_points"])
    services.article_save(article=article, reason="Demo live coverage")
    demo_bodies = {clean_body(richtext.markdown_to_html(text)) for _m, _h, text, _k, _p in LIVE_COVERAGE["updates"]}
    for posted_before in article.live_updates.all():
        if posted_before.body in demo_bodies:
            live.update_delete(update=posted_before)
    for minutes, headline, text, key, pinned in LIVE_COVERAGE["updates"]:
        update = LiveUpdate(
            article=article,
            headline=headline,
            body=richtext.markdown_to_html(text),
            is_key=key,
            is_pinned=pinned,
            author_name="Maya Okafor",
            published_at=now - timedelta(minutes=minutes),
        )
        live.update_save(update=update)
