"""The media store: one small interface, chosen by configuration.

Keys are server-generated relative paths ("public/gallery/ab12.jpg", "private/documents/...").
Only keys under public/ are ever served by the /media route.
"""

import contextlib
import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

PUBLIC_PREFIX = "public/"
log = logging.getLogger(__name__)


class MediaStore(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def load(self, key: str) -> bytes | None: ...

    def delete(self, key: str) -> None: ...


def new_key(folder: str, extension: str) -> str:
    """A server-generated, unguessable key: user-supplied names never reach the store."""
    return f"{folder}/{secrets.token_urlsafe(18)}.{extension}"


class LocalMediaStore:
    """Files under MEDIA_ROOT; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: str):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path | None:
        path = (self.root / key).resolve()
        return path if path.is_relative_to(self.root) and path != self.root else None

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        if path is None:
            raise ValueError(f"invalid media key {key!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def load(self, key: str) -> bytes | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        return path.read_bytes()

    def delete(self, key: str) -> None:
        path = self._path(key)
        if path is not None:
            path.unlink(missing_ok=True)


def init_media(app: Flask) -> None:
    app.extensions["media_store"] = LocalMediaStore(app.config["MEDIA_ROOT"])


def media_store() -> MediaStore:
    return current_app.extensions["media_store"]


@contextlib.contextmanager
def files_removed_on_failure() -> Iterator[list[str]]:
    """Collect the keys saved during a write; if the write fails, remove them.

    Save files inside the block and commit last: a failure anywhere leaves no row and no file.
    """
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for key in saved:
            discard(key)
        raise


def discard(key: str | None) -> None:
    """Remove a file that no row points to any more; a failure is logged, not raised."""
    if not key:
        return
    try:
        media_store().delete(key)
    except OSError:
        log.exception("could not delete media %s", key)
