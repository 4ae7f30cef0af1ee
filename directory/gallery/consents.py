"""Patient-held photo consent: the patient in the photos decides, through a mailed link.

An uploaded item waits under private/ (never served by /media) until the patient grants
consent; then its files are copied under public/ and it is listed. Declining, revoking (with
the same link, at any later time, or from the patient's account) and letting 30 days pass all
end the same way: the item and every file of it are deleted at once.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, select, update

from directory.accounts.links import digest
from directory.accounts.models import User
from directory.core.db import utcnow
from directory.core.errors import LinkExpired, NotFoundError
from directory.core.media import discard, media_store, new_key, removed_on_commit, staged_files
from directory.core.uploads import IMAGE_CONTENT_TYPES
from directory.extensions import db
from directory.gallery.models import (
    KEY_COLUMNS,
    SIDES,
    ConsentDecision,
    ConsentStatus,
    GalleryItem,
)
from directory.mail.outbox import MailEvent, enqueue, frontend_link

PUBLISHED_FOLDER = "public/gallery"
# Waiting for consent: the /media route serves public/ only.
AWAITING_FOLDER = "private/gallery"
ANSWER_WITHIN = timedelta(days=30)
RENDITIONS = {"full": "key", "thumbnail": "thumbnail_key"}


@dataclass(frozen=True)
class Decision:
    """The consent after a decision: a declined or revoked item no longer exists, so the
    answer is built from what it was."""

    id: str
    status: ConsentStatus
    granted_at: datetime | None
    practitioner_id: str
    treatment: str
    caption: str | None


@dataclass(frozen=True)
class ConsentRequest:
    """What the patient is shown: the item, and its photos (`before`, `after`: url,
    thumbnail_url, width, height) at URLs that work with the link's token alone."""

    item: GalleryItem
    before: dict
    after: dict

    def __getattr__(self, name: str):
        return getattr(self.item, name)


def ask(item: GalleryItem, patient_email: str) -> None:
    """Mail the consent request (the caller commits): only the link's holder decides."""
    token = secrets.token_urlsafe(32)
    item.patient_email = patient_email
    item.consent_status = ConsentStatus.REQUESTED
    item.consent_token_hash = digest(token)
    item.consent_requested_at = utcnow()
    practitioner = item.practitioner
    context = {
        "practitioner_name": practitioner.full_name,
        "treatment": item.treatment,
        "caption": item.caption,
        "link": frontend_link("/photo-consent", token=token),
    }
    enqueue(MailEvent.GALLERY_CONSENT_REQUEST, patient_email, context)


def item_for_token(token: str) -> GalleryItem:
    """The item a mailed link asks about; once it is gone (declined, revoked, lapsed, deleted)
    the link is a 410, like every other used link."""
    item = db.session.scalar(
        select(GalleryItem).where(GalleryItem.consent_token_hash == digest(token))
    )
    if item is None:
        raise LinkExpired("This photo consent request no longer exists: the photos are deleted.")
    return item


def photo_of(item: GalleryItem, side: str, rendition: str) -> tuple[bytes, str]:
    """A photo as the patient sees it before deciding (exactly what would be published), and
    its content type."""
    if side not in SIDES or rendition not in RENDITIONS:
        raise NotFoundError("No such photo.")
    key = getattr(item, f"{side}_{RENDITIONS[rendition]}")
    data = media_store().load(key)
    if data is None:
        raise NotFoundError("No such photo.")
    return data, IMAGE_CONTENT_TYPES[key.rpartition(".")[2]]


def decide(item: GalleryItem, decision: ConsentDecision) -> Decision:
    """The patient's answer: granted publishes the item (again a no-op when granted already);
    declined and revoked delete it. Deciding on a granted item is only ever revoking."""
    if decision == ConsentDecision.GRANTED:
        if item.consent_status != ConsentStatus.GRANTED:
            item = _publish(item)
        return _decision(item, ConsentStatus.GRANTED)
    if decision == ConsentDecision.DECLINED and item.consent_status != ConsentStatus.GRANTED:
        return withdraw(item, ConsentStatus.DECLINED)
    return withdraw(item, ConsentStatus.REVOKED)  # a "no" after a "yes" withdraws it


def withdraw(item: GalleryItem, decision: ConsentStatus = ConsentStatus.REVOKED) -> Decision:
    """Delete the item at once, and with it every file of it; tell the practitioner."""
    answer = _decision(item, decision)
    with removed_on_commit(*forget(item, decision)):
        db.session.commit()
    return answer


def forget(item: GalleryItem, decision: ConsentStatus) -> list[str]:
    """Delete the item's row and mail its practitioner, in the caller's transaction; return the
    keys of its files, for the caller to remove once committed (core.media.removed_on_commit).

    The keys are those of the row as deleted: a grant that committed meanwhile moved them."""
    owner = db.session.get(User, item.practitioner.user_id)
    deleted = db.session.execute(
        delete(GalleryItem)
        .where(GalleryItem.id == item.id)
        .returning(*(getattr(GalleryItem, column) for column in KEY_COLUMNS))
    ).one_or_none()
    if deleted is None:  # of two decisions at once, one deletes
        raise LinkExpired("The photos have just been deleted.")
    context = {"name": owner.full_name, "treatment": item.treatment, "decision": decision.value}
    enqueue(MailEvent.GALLERY_CONSENT_DECLINED, owner.email, context, user_id=owner.id)
    return list(deleted)


class _DecidedMeanwhile(Exception):
    """Another decision on the item committed first."""


def _publish(item: GalleryItem) -> GalleryItem:
    """Copy the files under public/ and commit the row that names them; only then remove the
    private copies. A process that dies on the way leaves pending/ copies that the reaper
    publishes (row committed) or removes (not), and the row always names files that exist."""
    item_id, private_keys = item.id, item.keys
    store = media_store()
    try:
        with staged_files() as staging:
            public_keys = {}
            for column, private_key in zip(KEY_COLUMNS, private_keys, strict=True):
                extension = private_key.rpartition(".")[2]
                public_keys[column] = new_key(PUBLISHED_FOLDER, extension)
                data = store.load(private_key)
                if data is None:  # a decision committed first removed it
                    raise _DecidedMeanwhile
                staging.save(public_keys[column], data, IMAGE_CONTENT_TYPES[extension])
            # Conditional: a concurrent grant or revocation that committed first wins, and
            # these copies are discarded with the block.
            published = db.session.execute(
                update(GalleryItem)
                .where(
                    GalleryItem.id == item_id,
                    GalleryItem.consent_status == ConsentStatus.REQUESTED,
                )
                .values(
                    consent_status=ConsentStatus.GRANTED,
                    consent_granted_at=utcnow(),
                    **public_keys,
                )
            ).rowcount
            if published != 1:
                raise _DecidedMeanwhile
            db.session.commit()
    except _DecidedMeanwhile:
        db.session.rollback()
        public_keys = {}  # removed with the block already: another decision won
    else:
        discard(*private_keys)
    granted = db.session.get(GalleryItem, item_id, populate_existing=True)
    if granted is None:  # revoked meanwhile, perhaps before these files left pending/
        discard(*public_keys.values())
        raise LinkExpired("The photos have just been deleted.")
    return granted


def _decision(item: GalleryItem, status: ConsentStatus) -> Decision:
    return Decision(
        id=item.id,
        status=status,
        granted_at=item.consent_granted_at if status == ConsentStatus.GRANTED else None,
        practitioner_id=item.practitioner_id,
        treatment=item.treatment,
        caption=item.caption,
    )


def consents_asked_of(user: User) -> Select:
    """The consents asked of the user's address, newest first: none until it is verified (an
    unverified account does not prove the address is theirs)."""
    statement = select(GalleryItem).order_by(
        GalleryItem.consent_requested_at.desc(), GalleryItem.id
    )
    if not user.email_verified:
        return statement.where(False)
    return statement.where(GalleryItem.patient_email == user.email)


def lapse_unanswered_requests(now: datetime | None = None) -> dict:
    """A periodic job: requests unanswered for 30 days lapse; the item and its files go."""
    cutoff = (now or utcnow()) - ANSWER_WITHIN
    # Conditional: a patient who grants at this very moment keeps the item.
    lapsed = db.session.execute(
        delete(GalleryItem)
        .where(
            GalleryItem.consent_status == ConsentStatus.REQUESTED,
            GalleryItem.consent_requested_at < cutoff,
        )
        .returning(*(getattr(GalleryItem, column) for column in KEY_COLUMNS))
    ).all()
    db.session.commit()
    discard(*(key for keys in lapsed for key in keys))
    return {"consent_requests_lapsed": len(lapsed)}
