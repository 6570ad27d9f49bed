"""The pixels of the media library: every bad upload gets a form error (or, found only when decoding, an error on
the picture) and leaves nothing in media storage; processed pictures are upright and carry no EXIF; renditions feed
srcset/sizes, with the small ones in lists; decoding stays within bounded memory for every format."""

import struct
import zlib
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from articles import images, library
from articles.models import Image as LibraryImage
from tests.factories import ArticleFactory, picture
from tests.html import fragment, select

pytestmark = pytest.mark.django_db


def encoded(size=(400, 300), image_format="JPEG", noise=False, **save_options):
    """Return the bytes of an image; `noise` makes it incompressible (so cutting it really cuts pixels)."""
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, "teal")
    output = BytesIO()
    image.save(output, image_format, **save_options)
    return output.getvalue()


def upload(data, name="lead.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_claiming(width, height):
    """Return a tiny PNG whose header claims width × height pixels: a decompression bomb in miniature."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def stored_files(settings):
    media = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


LIBRARY_ADD = "/admin/articles/image/add/"


def upload_to_library(client, image, alt_text="A picture"):
    """Send the library's upload form, as an editor does."""
    data = {"file": image, "alt_text": alt_text, "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"}
    return client.post(LIBRARY_ADD, data)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not-an-image", "This file is not an image we can read"),
        ("bomb", "more pixels than we can safely process"),
        ("too-many-pixels", "images may have at most 0.01 megapixels"),
        ("too-large", "images may be at most 2.0\u00a0KB"),
        ("wrong-format", "This is a GIF file. Upload a JPEG, PNG or WebP image."),
    ],
)
def test_bad_upload_gets_a_form_error_and_stores_nothing(client, editor, settings, case, message):
    settings.IMAGE_UPLOAD_MAX_BYTES = 2048 if case == "too-large" else settings.IMAGE_UPLOAD_MAX_BYTES
    settings.IMAGE_UPLOAD_MAX_PIXELS = 10_000 if case == "too-many-pixels" else settings.IMAGE_UPLOAD_MAX_PIXELS
    files = {
        "not-an-image": lambda: upload(b"Dear editor, this is a letter, not a picture.\n" * 20, "letter.jpg"),
        "bomb": lambda: upload(png_claiming(100_000, 100_000), "bomb.png", "image/png"),
        "too-many-pixels": lambda: upload(encoded((200, 200))),
        "too-large": lambda: upload(encoded(noise=True)),
        "wrong-format": lambda: upload(encoded((20, 20), "GIF"), "animation.gif", "image/gif"),
    }
    client.force_login(editor)
    response = upload_to_library(client, files[case]())
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 400]
    assert not LibraryImage.objects.exists()
    assert stored_files(settings) == []


def test_uploads_between_one_and_two_times_pillows_limit_are_refused_too(client, editor, monkeypatch):
    # Pillow only warns there; a warning must not let the image through.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50_000)
    client.force_login(editor)
    response = upload_to_library(client, upload(encoded((300, 300))))
    assert "more pixels than we can safely process" in response.content.decode()


def test_a_truncated_file_is_a_clear_error_on_the_picture_never_a_broken_page(client, editor, category, settings):
    """The header passes, so the save succeeds; decoding (after the commit, in the worker) finds the file cut off."""
    damaged = library.image_upload(file=upload(encoded(noise=True)[:6000], "cut.jpg"), alt_text="Cut off")
    library.process(damaged.pk)
    damaged.refresh_from_db()
    assert damaged.rendition_state == "failed" and "incomplete" in damaged.rendition_error
    story = ArticleFactory(category=category, lead_image=damaged)
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200 and not select(page.content, ".story__figure")
    client.force_login(editor)
    admin_page = client.get(f"/admin/articles/image/{damaged.pk}/change/").content.decode()
    assert "This image file is incomplete" in admin_page


def gps_photo():
    """Return a JPEG as a phone writes it: sideways pixels with orientation 6, camera make, GPS position, comment."""
    image = Image.new("RGB", (300, 200), "blue")
    image.paste((220, 0, 0), (0, 0, 150, 200))  # left half red: after turning upright it is the top half
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SnoopCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    output = BytesIO()
    image.save(output, "JPEG", exif=exif, comment=b"taken at the secret source's flat")
    return output.getvalue()


def test_a_processed_picture_is_upright_and_keeps_no_exif_or_location(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        picture_ = library.image_upload(file=upload(gps_photo(), "IMG_0042.JPG"), alt_text="A street")
    with django_capture_on_commit_callbacks(execute=True):
        library.process(picture_.pk)
    picture_.refresh_from_db()
    media = Path(settings.MEDIA_ROOT)
    stored = [media / name for name in images.stored_files(picture_.file.name, picture_.renditions)]
    for path in stored:
        raw = path.read_bytes()
        assert b"SnoopCam" not in raw and b"secret source" not in raw and b"Exif" not in raw, path.name
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert image.width < image.height, path.name  # turned upright: portrait
    with Image.open(media / picture_.file.name) as image:
        rgb = image.convert("RGB")
        assert (picture_.width, picture_.height) == (200, 300)
        assert rgb.getpixel((100, 20))[0] > 150 and rgb.getpixel((100, 280))[2] > 150  # red on top, blue below
    assert picture_.file.name.startswith("library/") and picture_.file.name.endswith(".jpg")
    assert stored_files(settings) == sorted(str(path.relative_to(media)) for path in stored)  # the upload is gone


def test_renditions_keep_aspect_ratio_and_never_upscale(settings):
    wide = library.image_upload(file=upload(encoded((2000, 1000), "PNG"), "wide.png"), alt_text="Wide")
    library.process(wide.pk)
    wide.refresh_from_db()
    media = Path(settings.MEDIA_ROOT)
    assert [(r["width"], r["height"]) for r in wide.renditions] == [(480, 240), (960, 480), (1600, 800)]
    for rendition in wide.renditions:
        for key, image_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with Image.open(media / rendition[key]) as image:
                assert image.format == image_format
                assert image.size == (rendition["width"], rendition["height"])
    small = library.image_upload(file=upload(encoded((600, 400)), "small.jpg"), alt_text="Small")
    library.process(small.pk)
    small.refresh_from_db()
    assert [(r["width"], r["height"]) for r in small.renditions] == [(480, 320), (600, 400)]


def test_pages_use_srcset_and_lists_use_the_small_renditions(client, category):
    lead = picture("harbour.jpg", size=(2000, 1000), alt_text="Harbour at dawn")
    story = ArticleFactory(category=category, lead_image=lead)
    other = ArticleFactory(category=category)
    names = {r["width"]: r for r in lead.renditions}

    page = client.get(story.get_absolute_url()).content.decode()
    webp = ", ".join(f"/media/{names[w]['webp']} {w}w" for w in (480, 960, 1600))
    assert f'<source type="image/webp" srcset="{webp}" sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)">' in page
    assert f'src="/media/{names[1600]["jpeg"]}"' in page and 'alt="Harbour at dawn"' in page
    assert 'width="1600" height="800"' in page

    read_next = fragment(client.get(other.get_absolute_url()).content, ".read-next")
    assert f"/media/{names[480]['webp']} 480w" in read_next
    assert names[960]["webp"] not in read_next and names[1600]["jpeg"] not in read_next

    # The section's page opens with its newest story big; the older one below is a thumbnail.
    other.lead_image = lead
    other.published_at = story.published_at - timedelta(hours=1)
    other.save()
    listing = client.get(story.category.get_absolute_url()).content
    assert names[1600]["jpeg"] in fragment(listing, ".lead")
    (thumbnail,) = select(listing, ".list > .teaser img")
    assert f"/media/{names[480]['jpeg']} 480w" in thumbnail.get("srcset") and names[960]["jpeg"] not in thumbnail.get(
        "srcset"
    )


MEMORY_PROBE = """
import os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from articles import images
upload = SimpleUploadedFile("largest.png", open(sys.argv[1], "rb").read(), content_type="image/png")
with Image.open(images.clean_upload(upload)) as stored:
    corner = stored.convert("RGB").getpixel((0, 0))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, *stored.size, str(corner).replace(" ", ""))
"""


def largest_side(settings, image_format, mode, animated=False):
    """Return the side of the largest square image of this format and mode that the upload checks accept."""
    import math

    side = math.isqrt(settings.IMAGE_UPLOAD_MAX_PIXELS)
    per_pixel = images.BYTES_PER_PIXEL.get(mode, 4) * images.DECODER_OVERHEAD[image_format]
    per_pixel *= images.ANIMATION_OVERHEAD if animated else 1
    if image_format == "JPEG":  # decoded at half size or less (draft), so the pixel limit is what binds
        return side
    return min(side, math.isqrt(int(settings.IMAGE_DECODE_MAX_BYTES / per_pixel)))


def animated_webp(path, side):
    frames = [Image.new("RGBA", (side, side), colour) for colour in ((20, 40, 90, 200), (200, 40, 20, 255))]
    frames[0].save(path, "WEBP", save_all=True, append_images=frames[1:], duration=100, lossless=True)


# Every accepted format at the largest size it is accepted at: lossy and lossless, with alpha, and animated.
LARGEST = {
    "png-rgb": ("PNG", "RGB", {}),
    "png-rgba": ("PNG", "RGBA", {}),
    "png-palette": ("PNG", "P", {}),
    "jpeg": ("JPEG", "RGB", {"quality": 80}),
    "jpeg-cmyk": ("JPEG", "CMYK", {"quality": 80}),
    "webp-lossy": ("WEBP", "RGB", {"quality": 50}),
    "webp-lossless-alpha": ("WEBP", "RGBA", {"lossless": True}),
    "webp-animated": ("WEBP", "RGBA", "animated"),
}


@pytest.mark.parametrize("kind", LARGEST, ids=LARGEST)
def test_the_largest_accepted_image_is_processed_in_bounded_memory(tmp_path, settings, kind):
    """A few hundred kilobytes can decode to hundreds of megabytes: measured in a fresh process, per format."""
    import subprocess
    import sys

    image_format, mode, options = LARGEST[kind]
    side = largest_side(settings, image_format, mode, animated=options == "animated")
    path = tmp_path / f"largest.{image_format.lower()}"
    if options == "animated":
        animated_webp(path, side)
    else:
        colour = 40 if mode == "P" else (20, 40, 90, 200)[: len(mode)]
        Image.new(mode, (side, side), colour).save(path, image_format, **options)
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    peak_mb, width, height = map(int, probe.stdout.split()[:3])
    assert peak_mb < 400, f"{kind} {side}×{side} peaked at {peak_mb} MB"
    assert (width, height) == (2400, 2400)  # stored no larger than the widest rendition needs
    if options == "animated":
        assert probe.stdout.split()[3] == "(20,40,90)"  # the first frame is what is stored


@pytest.mark.parametrize(
    "size, message",
    [
        ((1, 50_000_000), "no side may exceed"),
        ((16385, 100), "no side may exceed"),
        ((4000, 150), "more than 20 times"),
    ],
)
def test_shapes_no_camera_makes_are_refused_from_the_header(size, message):
    """A PNG header can claim any size; refused before a pixel is decoded (the file here is a few bytes)."""
    header = png_header(*size)
    with pytest.raises(ValidationError, match=message):
        images.clean_upload(SimpleUploadedFile("odd.png", header, content_type="image/png"))


def test_a_webp_too_costly_to_decode_is_refused_before_decoding(settings):
    side = largest_side(settings, "WEBP", "RGBA") + 200
    buffer = BytesIO()
    Image.new("RGB", (side, side), (20, 40, 90)).save(buffer, "WEBP", quality=10)
    assert buffer.tell() < 300_000  # small on disk, huge in memory
    with pytest.raises(ValidationError, match="reading it would take about"):
        images.clean_upload(SimpleUploadedFile("huge.webp", buffer.getvalue(), content_type="image/webp"))


def png_header(width, height):
    """Return a PNG claiming this size in its header, with a few bytes of pixel data after it."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
