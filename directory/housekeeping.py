"""Jobs that keep the database and the media store tidy: the mail worker runs them (see
directory/jobs.py), and `flask --app wsgi housekeeping` once. Each takes the clock as an
argument, so tests move time instead of waiting for it.

It sits above the feature packages: settling a pending file means asking whether any row of
any package refers to it.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from directory.accounts.tokens import purge_expired_token_records
from directory.core.db import utcnow
from directory.core.idempotency import KEPT_FOR, IdempotencyKey
from directory.core.media import reap_pending_media
from directory.credentials.models import Certification
from directory.extensions import db
from directory.gallery.models import GalleryItem

# A pending file older than this belongs to a request whose process died.
PENDING_MEDIA_AGE = timedelta(hours=1)


def media_key_referenced(key: str) -> bool:
    gallery_keys = [
        GalleryItem.before_key,
        GalleryItem.before_thumbnail_key,
        GalleryItem.after_key,
        GalleryItem.after_thumbnail_key,
    ]
    by_gallery = select(GalleryItem.id).where(or_(*(column == key for column in gallery_keys)))
    by_document = select(Certification.id).where(Certification.document_key == key)
    return db.session.scalar(by_gallery.union_all(by_document).limit(1)) is not None


def run_housekeeping(now: datetime | None = None) -> dict:
    now = now or utcnow()
    published, removed = reap_pending_media(now - PENDING_MEDIA_AGE, media_key_referenced)
    expired_keys = db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEPT_FOR)
    ).rowcount
    expired_revocations = purge_expired_token_records(now)
    db.session.commit()
    return {
        "pending_media_published": published,
        "pending_media_removed": removed,
        "idempotency_keys_expired": expired_keys,
        "token_records_expired": expired_revocations,
    }
