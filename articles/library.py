"""The media library's writes: upload, edit, replace and delete a picture, and its processing after the save.

A save never decodes pixels: the upload is checked from its header (`images.check_upload`), stored as sent, and
the save commits at once. After the commit the background worker decodes it (`process`): a clean, upright copy
without metadata takes the upload's place and the renditions are cut. Pages show a picture from the moment its
renditions exist (`Image.is_ready`); until then they show none, never the full-size original. Files a change
leaves behind (a replaced upload, a deleted picture, the raw upload once cleaned) are removed after the commit,
so a rolled-back change keeps every file it would have removed. Everything goes through Django's storage API.
"""

import logging
import posixpath
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from newsportal import pagecache
from newsportal.roles import staff_name

from . import images
from .models import Article, Image, LiveUpdate

logger = logging.getLogger(__name__)
State = Image.RenditionState
# A claim older than this belongs to a worker that died mid-rendition: the picture is processed again.
ABANDONED_AFTER = timedelta(minutes=5)
# A picture still pending this long had its task lost (an outage between the commit and the enqueue).
LOST_AFTER = timedelta(seconds=30)


class PictureInUse(ValidationError):
    """A picture cannot be deleted while something shows it; the message says where."""


# --- Writes ----------------------------------------------------------------------------------------------------


@transaction.atomic
def image_upload(*, file, user=None, alt_text="", caption="", credit="", focal=(0.5, 0.5)) -> Image:
    """Add an uploaded picture to the library, checked from its header; its renditions follow after commit.

    Raises ValidationError for a file we do not take, and for a file the library holds already (naming it).
    """
    images.check_upload(file)
    digest = images.checksum(file)
    refuse_duplicate(digest)
    image = Image(
        file=file,
        original_name=(file.name or "")[:255],
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        focal_x=focal[0],
        focal_y=focal[1],
        checksum=digest,
        uploaded_by=user,
    )
    image.save()
    transaction.on_commit(lambda: process_later(image.pk))
    return image


def refuse_duplicate(digest, *, besides=None):
    """Refuse a file the library holds already: the editor is pointed at the picture to use instead."""
    same = Image.objects.filter(checksum=digest).exclude(pk=besides).select_related("uploaded_by").first()
    if same is None:
        return
    url = reverse("admin:articles_image_change", args=[same.pk])
    who = staff_name(same.uploaded_by) if same.uploaded_by else _("someone")
    raise ValidationError(
        format_html(
            _('This exact file is in the library already: <a href="{}">{}</a>, uploaded by {} on {}. Use it.'),
            url,
            same,
            who,
            date_format(timezone.localtime(same.uploaded_at), "j M Y"),
        ),
        code="duplicate",
    )


@transaction.atomic
def image_save(*, image: Image) -> Image:
    """Save an edited picture (its words, focal point, or a new file in its place).

    A new file is checked from its header and processed after commit; the old file and its renditions are removed
    once the change has committed. Pages showing the picture are fresh at once.
    """
    before = Image.objects.filter(pk=image.pk).values("file", "renditions").first()
    replaced = before is not None and not image.file._committed
    if replaced:
        images.check_upload(image.file)
        image.checksum = images.checksum(image.file)
        refuse_duplicate(image.checksum, besides=image.pk)
        image.original_name = (image.file.name or "")[:255]
        image.rendition_state, image.renditions, image.rendition_error = State.PENDING, [], ""
        image.processing_since = None
    image.save()
    if replaced:
        remove_after_commit(image.file.storage, images.stored_files(before["file"], before["renditions"]))
        transaction.on_commit(lambda: process_later(image.pk))
    pages_showing_changed(image)
    return image


@transaction.atomic
def image_delete(*, image: Image) -> None:
    """Delete a picture nothing uses (else PictureInUse, saying where); its files go after commit."""
    where = usage(image)
    if where.total:
        raise PictureInUse(
            _("“%(picture)s” cannot be deleted: it is the %(where)s. Choose another picture there first.")
            % {"picture": image, "where": where.sentence()},
            code="in_use",
        )
    files = images.stored_files(image.file.name, image.renditions)
    storage = image.file.storage
    image.delete()
    remove_after_commit(storage, files)


def remove_after_commit(storage, names):
    """Remove stored files once the transaction commits (never, if it rolls back)."""

    def remove():
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # gone already, or the store refuses: the library does not depend on it
                logger.warning("Could not remove %s from media storage", name, exc_info=True)

    transaction.on_commit(remove)


# --- Processing, by the background worker ----------------------------------------------------------------------


@task()
def process_image(image_id: int) -> None:
    """Decode a new picture of the media library and cut its renditions (the worker runs this)."""
    process(image_id)


def process_later(image_id):
    """Ask the worker to process a picture; if the queue is away, the worker's sweep (`sweep`) will."""
    try:
        process_image.enqueue(image_id)
    except Exception:  # noqa: BLE001 - the picture stays pending; the sweep hands it on
        logger.warning("Could not queue picture %s; the worker's sweep will", image_id, exc_info=True)


def claim(image_id):
    """Take a pending picture for processing; return it, or None when it is done, gone or in other hands."""
    now = timezone.now()
    free = Image.objects.filter(pk=image_id, rendition_state=State.PENDING)
    free = free.filter(processing_since__isnull=True) | free.filter(processing_since__lt=now - ABANDONED_AFTER)
    if not free.update(processing_since=now):
        return None
    return Image.objects.get(pk=image_id)


def process(image_id) -> None:
    """Decode a stored upload, store its clean copy and renditions, and let pages show it (or record why not)."""
    image = claim(image_id)
    if image is None:
        return
    storage, raw = image.file.storage, image.file.name
    try:
        with storage.open(raw, "rb") as source:
            clean, image_format = images.decode(source)
    except (ValidationError, OSError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else _("The file is missing.")
        Image.objects.filter(pk=image.pk, file=raw).update(
            rendition_state=State.FAILED, rendition_error=message, processing_since=None
        )
        return
    folder = f"library/{timezone.localtime(image.uploaded_at):%Y/%m}"
    name = posixpath.join(folder, images.clean_name(image.original_name or raw, image_format))
    stored, renditions = images.store_clean(storage, name, clean, image_format)
    with transaction.atomic():
        done = Image.objects.filter(pk=image.pk, file=raw).update(
            file=stored,
            width=clean.width,
            height=clean.height,
            renditions=renditions,
            rendition_state=State.READY,
            rendition_error="",
            processing_since=None,
        )
        if done:
            remove_after_commit(storage, [raw])
            image.refresh_from_db()
            pages_showing_changed(image)
        else:  # replaced or deleted meanwhile: what was made is nobody's
            remove_after_commit(storage, images.stored_files(stored, renditions))


def sweep() -> int:
    """Hand the worker every picture that waits without a task (lost in an outage) or whose worker died."""
    now = timezone.now()
    waiting = Image.objects.filter(rendition_state=State.PENDING, uploaded_at__lt=now - LOST_AFTER)
    stuck = waiting.filter(processing_since__isnull=True) | waiting.filter(processing_since__lt=now - ABANDONED_AFTER)
    count = 0
    for image_id in stuck.values_list("pk", flat=True):
        process_later(image_id)
        count += 1
    return count


# --- Where a picture is used -----------------------------------------------------------------------------------


class Usage:
    """Where a picture shows: stories it leads, is the social picture of or sits in the body of, authors, updates."""

    def __init__(self, image):
        self.leads = list(Article.objects.filter(lead_image=image).only("pk", "title", "slug"))
        self.shares = list(Article.objects.filter(social_image=image).only("pk", "title", "slug"))
        self.bodies = list(Article.objects.filter(body_images=image).only("pk", "title", "slug"))
        self.authors = list(image.portrait_of.only("pk", "name"))
        self.updates = list(LiveUpdate.objects.filter(image=image).select_related("article").only("pk", "article"))

    @property
    def total(self):
        return len(self.leads) + len(self.shares) + len(self.bodies) + len(self.authors) + len(self.updates)

    def stories(self):
        """The stories that show the picture, each once (a lead image may also sit in the body)."""
        return list({story.pk: story for story in [*self.leads, *self.shares, *self.bodies]}.values())

    def sentence(self):
        return usage_sentence(
            leads=len(self.leads),
            shares=len(self.shares),
            bodies=len(self.bodies),
            authors=len(self.authors),
            updates=len(self.updates),
        )


def usage_sentence(*, leads, shares, bodies, authors, updates) -> str:
    """Say where a picture is used, as in "lead image of 2 stories, in the body of 1"."""
    parts = []
    if leads:
        parts.append(ngettext("lead image of %d story", "lead image of %d stories", leads) % leads)
    if shares:
        parts.append(ngettext("social picture of %d story", "social picture of %d stories", shares) % shares)
    if bodies:
        parts.append(_("in the body of %d") % bodies)
    if authors:
        parts.append(ngettext("photo of %d author", "photo of %d authors", authors) % authors)
    if updates:
        parts.append(ngettext("in %d live update", "in %d live updates", updates) % updates)
    return ", ".join(parts) or _("not used")


def usage(image) -> Usage:
    return Usage(image)


def pages_showing_changed(image):
    """Make stale the pages that show this picture: its stories (and the lists), its authors', its live pages."""
    showing = Q(lead_image=image) | Q(social_image=image) | Q(body_images=image)
    slugs = {article.slug for article in Article.objects.live().filter(showing).only("slug")}
    if slugs or image.portrait_of.exists():
        pagecache.content_changed(*slugs)
    for update in LiveUpdate.objects.filter(image=image).select_related("article"):
        pagecache.story_changed(update.article)
