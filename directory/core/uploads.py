"""Uploaded files, judged by their content: never by their name or declared type."""

from dataclasses import dataclass

from directory.core.errors import InvalidInput, UnsupportedFileType
from directory.core.images import IMAGE_FORMATS, clean_image

__all__ = [
    "IMAGE_CONTENT_TYPES",
    "IMAGE_FORMATS",
    "MAX_UPLOAD_BYTES",
    "Document",
    "check_document",
]

# The Content-Type of a stored image, by the extension of its key.
IMAGE_CONTENT_TYPES = {
    extension: content_type for content_type, extension in IMAGE_FORMATS.values()
}

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF = ("application/pdf", "pdf")
DOCUMENT_IMAGE_FORMATS = ("JPEG", "PNG")  # a multi-picture JPEG (MPO) is a JPEG here
# A person reads these: an A4 page keeps about 220 dpi (photos are published at 2048).
DOCUMENT_LONG_SIDE = 2560


@dataclass(frozen=True)
class Document:
    data: bytes
    content_type: str
    extension: str


def check_document(field: str, data: bytes) -> Document:
    """A PDF (by its signature), kept as it is; or a JPEG or PNG, decoded and re-encoded
    without its metadata (a scan taken with a phone carries its GPS position). Anything else
    is a 415."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise InvalidInput(field, "The PDF is truncated.")
        return Document(data, *PDF)
    try:
        image = clean_image(field, data, DOCUMENT_IMAGE_FORMATS, DOCUMENT_LONG_SIDE)
    except UnsupportedFileType as error:
        raise UnsupportedFileType(f"'{field}' must be a PDF, JPEG or PNG file.") from error
    return Document(image.rendition.data, image.content_type, image.extension)
