"""The image pipeline for public photos: decode, orient, strip every byte of metadata, resize."""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from directory.core.uploads import IMAGE_FORMATS, open_image

GALLERY_FORMATS = ("JPEG", "PNG", "WEBP")
THUMBNAIL_WIDTH = 400
_SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    content_type: str
    extension: str
    full: Rendition
    thumbnail: Rendition


def process_photo(field: str, data: bytes) -> ProcessedImage:
    """Re-encode an uploaded photo; EXIF, GPS, ICC, XMP and comments never survive."""
    source = open_image(field, data, GALLERY_FORMATS)
    fmt = source.format
    image = _without_metadata(ImageOps.exif_transpose(source), fmt)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_WIDTH, image.height or 1))
    content_type, extension = IMAGE_FORMATS[fmt]
    return ProcessedImage(content_type, extension, _encode(image, fmt), _encode(thumbnail, fmt))


def _without_metadata(image: Image.Image, fmt: str) -> Image.Image:
    """A fresh image holding the pixels only: nothing of the source's info dict is carried."""
    mode = "RGB" if fmt == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
    clean = Image.new(mode, image.size)
    clean.paste(image.convert(mode))
    return clean


def _encode(image: Image.Image, fmt: str) -> Rendition:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **_SAVE_OPTIONS[fmt])
    return Rendition(buffer.getvalue(), image.width, image.height)
