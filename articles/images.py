"""Lead images and author photos: check an upload, store a clean copy, make renditions for `srcset`.

Every upload is checked before anything reaches media storage: its size in bytes (the limit comes from settings),
that Pillow recognises it as JPEG, PNG or WebP, its shape and size in pixels (Pillow's decompression-bomb limit
and ours), the memory its decoder will need (estimated from the header, per format: `decoding_bytes`), all before
a pixel is decoded, and that it decodes completely (a truncated file fails here, not later on a reader's screen).
What is stored is re-encoded from the pixels alone, turned upright by its EXIF orientation: EXIF (camera, GPS
location), XMP and comments never reach storage. Only an RGB colour profile is kept, so colours stay right.
"""

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


def clean_upload(upload) -> SimpleUploadedFile:
    """Check an uploaded image and return a clean, upright copy without metadata, or raise ValidationError."""
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s. Export a smaller version and upload that."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between one and two times its pixel limit; we refuse those images too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in FORMATS:
                    raise ValidationError(
                        _("This is a %(format)s file. Upload a JPEG, PNG or WebP image."),
                        code="image_format",
                        params={"format": image.format},
                    )
                _check_pixels(*image.size)  # from the header, before anything is decoded
                source_format = image.format
                # JPEG can decode at 1/2, 1/4 or 1/8 scale: ask for the smallest that is still large enough.
                image.draft(image.mode, (STORED_MAX_SIDE, STORED_MAX_SIDE))
                _check_decoding_memory(image)  # what decoding will cost, from the header and the draft size
                image.load()  # the first frame only: an animation is stored as its first still
                clean = _strip(_bounded(image))
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
    extension, content_type = FORMATS[source_format]
    stem = slugify(PurePosixPath(upload.name or "image").stem)[:80] or "image"
    return SimpleUploadedFile(f"{stem}.{extension}", _encode(clean, source_format), content_type=content_type)


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


def make_renditions(field_file, widths=RENDITION_WIDTHS) -> list[dict]:
    """Store WebP and JPEG copies of a stored image at each width (never upscaled) and describe them.

    Returns `[{"width": 480, "height": 270, "webp": name, "jpeg": name}, …]`, narrowest first, for the
    model's `…_renditions` field; `articles_tags.picture` turns it into `<picture>` with srcset and sizes.
    """
    storage = field_file.storage
    with field_file.open("rb"), Image.open(field_file) as image:
        image.load()
        source = image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB")
        if image.info.get("icc_profile"):
            source.info["icc_profile"] = image.info["icc_profile"]
    path = PurePosixPath(field_file.name)
    renditions = []
    for width in sorted({min(width, source.width) for width in widths}):
        entry = {"width": width, "height": max(1, round(source.height * width / source.width))}
        for image_format, key in (("WEBP", "webp"), ("JPEG", "jpeg")):
            name = str(path.parent / "renditions" / f"{path.stem}-{width}.{FORMATS[image_format][0]}")
            entry[key] = storage.save(name, ContentFile(_encode(source, image_format, width)))
        renditions.append(entry)
    return renditions
