"""Uploaded files, judged by their content: never by their name or declared type."""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from directory.core.errors import InvalidInput, UnsupportedFileType

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

# Pillow format name -> (content type, file extension)
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
PDF = ("application/pdf", "pdf")

# Pillow itself refuses images above twice this (and warns above it); we refuse above it.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def open_image(field: str, data: bytes, formats: tuple[str, ...]) -> Image.Image:
    """Decode an image of an allowed format, after checking its size from the header alone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(formats))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise InvalidInput(field, f"The image is over {MAX_IMAGE_PIXELS:,} pixels.")
            image.load()  # decode every pixel: truncated or corrupt files fail here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidInput(field, f"The image is over {MAX_IMAGE_PIXELS:,} pixels.") from error
    except UnidentifiedImageError as error:
        allowed = ", ".join(formats)
        raise UnsupportedFileType(
            f"'{field}' is not an image of an allowed type ({allowed})."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidInput(field, "The image is corrupt or truncated.") from error
    return image


@dataclass(frozen=True)
class Document:
    data: bytes
    content_type: str
    extension: str


def check_document(field: str, data: bytes) -> Document:
    """A PDF (by its signature) or a JPEG or PNG (decoded); anything else is a 415."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise InvalidInput(field, "The PDF is truncated.")
        return Document(data, *PDF)
    try:
        image = open_image(field, data, ("JPEG", "PNG"))
    except UnsupportedFileType as error:
        raise UnsupportedFileType(f"'{field}' must be a PDF, JPEG or PNG file.") from error
    return Document(data, *IMAGE_FORMATS[image.format])
