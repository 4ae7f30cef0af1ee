"""Uploaded files, judged by their content: never by their name or declared type."""

from dataclasses import dataclass

from directory.core.errors import InvalidInput, UnsupportedFileType
from directory.core.images import IMAGE_FORMATS, open_image

__all__ = ["IMAGE_FORMATS", "MAX_UPLOAD_BYTES", "Document", "check_document"]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF = ("application/pdf", "pdf")
DOCUMENT_IMAGE_FORMATS = ("JPEG", "PNG")  # a multi-picture JPEG (MPO) is a JPEG here


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
        image = open_image(field, data, DOCUMENT_IMAGE_FORMATS)
    except UnsupportedFileType as error:
        raise UnsupportedFileType(f"'{field}' must be a PDF, JPEG or PNG file.") from error
    with image:
        try:
            image.load()  # decode every pixel: truncated or corrupt files fail here
        except (OSError, SyntaxError, ValueError) as error:
            raise InvalidInput(field, "The image is corrupt or truncated.") from error
    return Document(data, *IMAGE_FORMATS["JPEG" if image.format == "MPO" else image.format])
