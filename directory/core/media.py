"""The media store: one small interface, chosen by configuration.

Keys are server-generated relative paths ("public/gallery/ab12.jpg", "private/documents/...").
Only keys under public/ are ever served by the /media route, and only they have a URL
(public_url).
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


class S3MediaStore:
    """Objects in an S3-compatible bucket, so that several app servers share media."""

    def __init__(self, bucket: str, prefix: str = "", **client_options):
        import boto3  # only needed with this backend

        self.bucket = bucket
        self.prefix = prefix
        self.client = boto3.client("s3", **client_options)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type
        )

    def load(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


def init_media(app: Flask) -> None:
    config = app.config
    if config["MEDIA_STORAGE"] == "s3":
        options = {"region_name": config["S3_REGION"]}
        if config["S3_ENDPOINT_URL"]:
            options["endpoint_url"] = config["S3_ENDPOINT_URL"]
        store: MediaStore = S3MediaStore(config["S3_BUCKET"], config["S3_PREFIX"], **options)
    else:
        store = LocalMediaStore(config["MEDIA_ROOT"])
    app.extensions["media_store"] = store


def media_store() -> MediaStore:
    return current_app.extensions["media_store"]


def public_url(key: str) -> str:
    """The absolute URL of a public file: on MEDIA_BASE_URL (a CDN or bucket) when set, else on
    this API's /media route under PUBLIC_BASE_URL; never on the request's Host.
    """
    if not key.startswith(PUBLIC_PREFIX):
        raise ValueError(f"media key {key!r} is private: it has no public URL")
    config = current_app.config
    base = config["MEDIA_BASE_URL"] or config["PUBLIC_BASE_URL"] + "/media"
    return f"{base}/{key.removeprefix(PUBLIC_PREFIX)}"


@contextlib.contextmanager
def files_removed_on_failure() -> Iterator[list[str]]:
    """Collect the keys saved during a write; if the write fails, remove them.

    Save files inside the block and commit last: a failure anywhere leaves no row and no file.
    """
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        discard(*saved)
        raise


def discard(*keys: str | None) -> None:
    """Remove files that no row points to any more; a failure is logged, not raised."""
    for key in filter(None, keys):
        try:
            media_store().delete(key)
        except Exception:  # an orphan file is a smaller harm than a failed request
            log.exception("could not delete media %s", key)
