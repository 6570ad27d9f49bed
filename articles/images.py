"""The pixels of the media library: check an upload, decode it to a clean copy, make renditions for `srcset`.

An upload is checked before it is stored, from its header alone (`check_upload`, milliseconds): its size in bytes,
that Pillow recognises it as JPEG, PNG or WebP, its shape and size in pixels (Pillow's decompression-bomb limit and
ours) and the memory its decoder will need (`decoding_bytes`, per format). Decoding every pixel takes seconds, so
it happens after the save commits, in the background worker (`decode`, `store_clean`; `articles.services`
runs them): a damaged or truncated file is found there and shown on the picture in the admin. What is kept is
re-encoded from the pixels alone, turned upright by its EXIF orientation: EXIF (camera, GPS location), XMP and
comments are gone. Only an RGB colour profile is kept, so colours stay right. Files go through Django's storage
API only, so the library works the same on local disk and on an S3-compatible store.
"""

import contextlib
import hashlib
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → (file extension, content type) of the formats we accept and store.
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
# Widths of the renditions made for srcset; none is wider than the original.
RENDITION_WIDTHS = (480, 960, 1600)
# The stored original is no larger than this on its long side: room above the widest rendition, and a bound on
# the memory every later step needs (a 7,000 × 7,000 upload is scaled down right after it is decoded).
STORED_MAX_SIDE = 2400
SMALL_RENDITION_WIDTH = 480
# Shapes no camera makes, refused from the header: a "1 × 50,000,000" PNG is an attack, not a panorama.
MAX_SIDE = 16384  # WebP's own limit; JPEG and PNG allow more, no photo needs it
MAX_ASPECT_RATIO = 20
# How Pillow holds a decoded pixel in each mode (three-band images take four bytes), and what each format's decoder
# needs beyond that (its buffers, alpha), measured as peak memory over pixel bytes (tests/articles/test_images.py).
BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
DECODER_OVERHEAD = {"JPEG": 1.6, "PNG": 1.25, "WEBP": 4.5}
ANIMATION_OVERHEAD = 2.0  # an animation's decoder keeps a canvas and the previous frame beside the first one
JPEG_QUALITY = 85
WEBP_QUALITY = 80


def check_upload(upload) -> None:
    """Check an upload from its header alone, in milliseconds: size, format, shape, pixels and decoding memory.

    What an editor's save does before storing the file (raising ValidationError with a message for them); the
    slow part, decoding every pixel, happens after the save commits (`decode`, run by the background worker).
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s. Export a smaller version and upload that."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    with _reading():
        with Image.open(upload) as image:
            _check_header(image)
    upload.seek(0)


def clean_upload(upload) -> SimpleUploadedFile:
    """Check an uploaded image and return a clean, upright copy without metadata, or raise ValidationError."""
    check_upload(upload)
    clean, source_format = decode(upload)
    content_type = FORMATS[source_format][1]
    return SimpleUploadedFile(clean_name(upload.name, source_format), _encode(clean, source_format), content_type)


def decode(source) -> tuple[Image.Image, str]:
    """Decode a checked picture completely and return it upright, no larger than STORED_MAX_SIDE, without any
    metadata but its colour profile, with its format; raise ValidationError for a damaged or truncated file."""
    with _reading():
        with Image.open(source) as image:
            _check_header(image)  # again: the stored file is what is decoded, whatever was checked before
            source_format = image.format
            image.load()  # the first frame only: an animation is stored as its first still
            return _strip(_bounded(image)), source_format


def _check_header(image: Image.Image) -> None:
    """Refuse, from the header, what we do not decode; prepare JPEG's reduced decoding (`draft`)."""
    if image.format not in FORMATS:
        raise ValidationError(
            _("This is a %(format)s file. Upload a JPEG, PNG or WebP image."),
            code="image_format",
            params={"format": image.format},
        )
    _check_pixels(*image.size)
    # JPEG can decode at 1/2, 1/4 or 1/8 scale: ask for the smallest that is still large enough.
    image.draft(image.mode, (STORED_MAX_SIDE, STORED_MAX_SIDE))
    _check_decoding_memory(image)  # what decoding will cost, from the header and the draft size


@contextlib.contextmanager
def _reading():
    """Turn whatever Pillow raises on a bad file into a ValidationError an editor can act on."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between one and two times its pixel limit; we refuse those images too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("This image has more pixels than we can safely process. Upload a smaller image."), code="image_bomb"
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP image."), code="not_an_image"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if "truncated" in str(error).lower():
            raise ValidationError(
                _("This image file is incomplete (cut off before its end). Export it again and upload the new file."),
                code="image_truncated",
            ) from error
        raise ValidationError(
            _("This image file is damaged and cannot be read. Export it again and upload the new file."),
            code="image_damaged",
        ) from error


def _check_pixels(width: int, height: int) -> None:
    longest, shortest = max(width, height), max(1, min(width, height))
    if longest > MAX_SIDE or longest / shortest > MAX_ASPECT_RATIO:
        raise ValidationError(
            _(
                "This image is %(width)d × %(height)d pixels: no side may exceed %(side)d pixels, nor be more "
                "than %(ratio)d times the other. Crop or resize it and upload it again."
            ),
            code="image_shape",
            params={"width": width, "height": height, "side": MAX_SIDE, "ratio": MAX_ASPECT_RATIO},
        )
    limit = settings.IMAGE_UPLOAD_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            _("This image is %(width)d × %(height)d pixels; images may have at most %(megapixels)s megapixels."),
            code="image_bomb",
            params={"width": width, "height": height, "megapixels": f"{limit / 1_000_000:g}"},
        )


def decoding_bytes(image: Image.Image) -> int:
    """Estimate the memory decoding this (opened, not yet loaded) image takes, from its header alone.

    The pixels as Pillow holds them (`image.size` is the draft size for a JPEG decoded at a fraction of its
    size), times what the format's decoder and our reduction add on top, as measured for each format:
    libwebp decodes into a buffer of its own and hands Pillow a copy (about 4.5 × the pixels); PNG and JPEG
    decode into the image itself.
    """
    width, height = image.size
    overhead = DECODER_OVERHEAD.get(image.format, 4.0) * (ANIMATION_OVERHEAD if is_animated(image) else 1)
    return int(width * height * BYTES_PER_PIXEL.get(image.mode, 4) * overhead)


def is_animated(image: Image.Image) -> bool:
    """Whether the image has several frames; only its first is ever decoded and stored."""
    return getattr(image, "n_frames", 1) > 1


def _check_decoding_memory(image: Image.Image) -> None:
    needed = decoding_bytes(image)
    limit = settings.IMAGE_DECODE_MAX_BYTES
    if needed > limit:
        raise ValidationError(
            _(
                "This %(format)s image is %(width)d × %(height)d pixels; reading it would take about %(needed)s of "
                "memory, more than the %(limit)s we allow. Upload it as a JPEG, or with fewer pixels."
            ),
            code="image_memory",
            params={
                "format": image.format,
                "width": image.width,
                "height": image.height,
                "needed": filesizeformat(needed),
                "limit": filesizeformat(limit),
            },
        )


def _bounded(image: Image.Image) -> Image.Image:
    """Return the image no larger than STORED_MAX_SIDE, releasing the full-size pixels as early as possible.

    A box reduction by a whole factor comes first, band by band: Pillow's reduce and resize make a (premultiplied)
    copy of a whole image with transparency, which at full size would double the memory of a large upload.
    """
    factor = max(image.size) // STORED_MAX_SIDE
    if factor >= 2:
        width, height = image.size
        # Palette and other modes that cannot be reduced become RGB(A) band by band, never as a whole.
        mode = image.mode if image.mode in ("L", "LA", "RGB", "RGBA") else "RGBA" if _has_alpha(image) else "RGB"
        reduced = Image.new(mode, (width // factor, height // factor))
        reduced.info = image.info.copy()
        band = factor * 256
        for top in range(0, reduced.height * factor, band):
            piece = image.crop((0, top, reduced.width * factor, min(top + band, reduced.height * factor)))
            reduced.paste(piece.convert(mode).reduce(factor), (0, top // factor))
        image.close()  # the full-size pixels go now, not when the request ends
        image = reduced
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _strip(image: Image.Image) -> Image.Image:
    """Return the image upright, as a new image built from its pixels only (no EXIF, XMP or comments)."""
    upright = ImageOps.exif_transpose(image)
    converted = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
    clean = Image.frombytes(converted.mode, converted.size, converted.tobytes())
    if image.mode in ("RGB", "RGBA") and image.info.get("icc_profile"):
        clean.info["icc_profile"] = image.info["icc_profile"]
    return clean


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _encode(image: Image.Image, image_format: str, width: int | None = None) -> bytes:
    """Return the image (scaled to `width` when given) encoded as `image_format`, with no metadata but colour."""
    if width and width < image.width:
        image = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
    options = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    if image_format == "JPEG":
        if image.mode == "RGBA":
            # JPEG has no transparency: put the image on white rather than let Pillow drop to black.
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif image_format == "WEBP":
        options.update(quality=WEBP_QUALITY, method=4)
    else:
        options.update(optimize=True)
    output = BytesIO()
    image.save(output, image_format, **options)
    return output.getvalue()


def store_clean(storage, name: str, clean: Image.Image, image_format: str, widths=RENDITION_WIDTHS):
    """Store a decoded picture (as `name`, in its format) and its renditions through `storage` alone.

    Returns (stored name, renditions): `[{"width": 480, "height": 270, "webp": name, "jpeg": name}, …]`,
    narrowest first and never upscaled, for `{% picture %}` to turn into srcset and sizes.
    """
    stored = storage.save(name, ContentFile(_encode(clean, image_format)))
    source = clean.convert("RGBA" if clean.mode in ("RGBA", "LA", "PA") else "RGB")
    if clean.info.get("icc_profile"):
        source.info["icc_profile"] = clean.info["icc_profile"]
    path = PurePosixPath(stored)
    renditions = []
    for width in sorted({min(width, source.width) for width in widths}):
        entry = {"width": width, "height": max(1, round(source.height * width / source.width))}
        for rendition_format, key in (("WEBP", "webp"), ("JPEG", "jpeg")):
            rendition = str(path.parent / "renditions" / f"{path.stem}-{width}.{FORMATS[rendition_format][0]}")
            entry[key] = storage.save(rendition, ContentFile(_encode(source, rendition_format, width)))
        renditions.append(entry)
    return stored, renditions


def stored_files(name: str, renditions: list) -> list[str]:
    """Return every file a stored picture occupies: the picture and each rendition in each format."""
    return [name, *(entry[key] for entry in renditions for key in ("webp", "jpeg"))]


def checksum(upload) -> str:
    """Return the SHA-256 of an upload's bytes (to find the same file uploaded twice)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def clean_name(filename: str, image_format: str) -> str:
    """Return a safe file name for a stored picture: the upload's name as a slug, the format's extension."""
    stem = slugify(PurePosixPath(filename or "image").stem)[:80] or "image"
    return f"{stem}.{FORMATS[image_format][0]}"
