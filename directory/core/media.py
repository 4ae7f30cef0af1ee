"""The media store: one small interface, chosen by configuration.

Keys are server-generated relative paths ("public/gallery/ab12.jpg", "private/documents/...").
Only keys under public/ are ever served by the /media route, and only they have a URL
(public_url). A file is first written under pending/ and moved to its key once the row that
refers to it is committed (staged_files): a process that dies in between leaves only pending/
files, never served, which the housekeeping job removes.
"""

import contextlib
import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

PUBLIC_PREFIX = "public/"
PENDING_PREFIX = "pending/"
log = logging.getLogger(__name__)


class MediaStore(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def load(self, key: str) -> bytes | None: ...

    def delete(self, key: str) -> None: ...

    def move(self, key: str, new_key: str) -> None: ...

    def keys_older_than(self, prefix: str, cutoff: datetime) -> Iterator[str]: ...


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
        if path is None:
            return None
        try:  # not checked first: a concurrent request may remove it in between
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def delete(self, key: str) -> None:
        path = self._path(key)
        if path is not None:
            path.unlink(missing_ok=True)

    def move(self, key: str, new_key: str) -> None:
        source, target = self._path(key), self._path(new_key)
        if source is None or target is None:
            raise ValueError(f"invalid media key {key!r} or {new_key!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Ages count from the move, as on S3 (a copy is a new object): the reaper gives a file
        # moved under pending/ its full hour. Touched first, so that a move fails only before
        # the file has moved.
        os.utime(source)
        os.replace(source, target)  # atomic on one file system

    def keys_older_than(self, prefix: str, cutoff: datetime) -> Iterator[str]:
        folder = self._path(prefix)
        if folder is None or not folder.is_dir():
            return
        for path in folder.rglob("*"):
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            if path.is_file() and modified < cutoff:
                yield path.relative_to(self.root).as_posix()


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

    def move(self, key: str, new_key: str) -> None:
        source = {"Bucket": self.bucket, "Key": self.prefix + key}
        self.client.copy_object(Bucket=self.bucket, Key=self.prefix + new_key, CopySource=source)
        self.delete(key)

    def keys_older_than(self, prefix: str, cutoff: datetime) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                if item["LastModified"] < cutoff:
                    yield item["Key"].removeprefix(self.prefix)


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


class Staging:
    """The files of one write, saved under pending/ until their row is committed."""

    def __init__(self):
        self.keys: list[str] = []

    def save(self, key: str, data: bytes, content_type: str) -> None:
        media_store().save(PENDING_PREFIX + key, data, content_type)
        self.keys.append(key)


@contextlib.contextmanager
def staged_files() -> Iterator[Staging]:
    """Save files with `staging.save(key, ...)` inside the block and commit the row last.

    If the block fails, its files are removed: no row and no file. If it succeeds, each file
    moves to its key. If the process dies on the way, only pending/ files remain, which
    /media never serves and `reap_pending_media` settles an hour later.
    """
    staging = Staging()
    try:
        yield staging
    except BaseException:
        discard(*(PENDING_PREFIX + key for key in staging.keys))
        raise
    store = media_store()
    for key in staging.keys:
        # Not there: a removal that committed meanwhile took it (removed_on_commit).
        _move_unless_gone(store, PENDING_PREFIX + key, key)


@contextlib.contextmanager
def removed_on_commit(*keys: str | None) -> Iterator[None]:
    """Delete rows that refer to `keys` inside the block, and commit last: the files are gone.

    They move under pending/ first (never served from that moment); if the block fails they
    move back. After it, they are deleted; if that fails, no row refers to them any more and
    `reap_pending_media` removes them within the hour.

    A file not found may belong to a row committed by a write whose files are still leaving
    pending/ (staged_files): after the commit it is removed from both places, pending/ first,
    so that a move in between finds nothing to move or leaves a file this removes.
    """
    store = media_store()
    moved: list[str] = []
    in_flight: list[str] = []
    try:
        for key in filter(None, keys):
            if _move_unless_gone(store, key, PENDING_PREFIX + key, may_arrive=True):
                moved.append(key)
            else:
                in_flight.append(key)
        yield
    except BaseException:
        for key in moved:
            store.move(PENDING_PREFIX + key, key)
        raise
    discard(*(PENDING_PREFIX + key for key in moved + in_flight), *in_flight)


def _move_unless_gone(store: MediaStore, key: str, new_key: str, may_arrive=False) -> bool:
    """Move a file; False if it is not there (a concurrent request moved or removed it).

    A file that a removal looks for `may_arrive` just after it was found missing: a staged
    file leaving pending/ reaches its key once. It is moved then (or found gone again).
    """
    try:
        store.move(key, new_key)
    except Exception:
        if store.load(key) is None:
            return False
        if not may_arrive:
            raise
        return _move_unless_gone(store, key, new_key)
    return True


def reap_pending_media(cutoff: datetime, is_referenced) -> tuple[int, int]:
    """Settle pending files written before `cutoff` by a process that died: publish those whose
    row was committed (`is_referenced(key)`), remove the others. Returns (published, removed)."""
    store = media_store()
    published = removed = 0
    for pending in list(store.keys_older_than(PENDING_PREFIX, cutoff)):
        key = pending.removeprefix(PENDING_PREFIX)
        if is_referenced(key):
            store.move(pending, key)
            published += 1
        else:
            discard(pending)
            removed += 1
    return published, removed


def discard(*keys: str | None) -> None:
    """Remove files that no row points to any more; a failure is logged, not raised."""
    for key in filter(None, keys):
        try:
            media_store().delete(key)
        except Exception:  # an orphan file is a smaller harm than a failed request
            log.exception("could not delete media %s", key)
