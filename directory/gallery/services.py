"""Gallery uploads: both images and the row are stored whole, or nothing is."""

from sqlalchemy import Select, select

from directory.accounts.models import User
from directory.audit.services import record
from directory.core.images import process_photo
from directory.core.media import discard, new_key, staged_files
from directory.extensions import db
from directory.gallery import consents
from directory.gallery.models import SIDES, ConsentStatus, GalleryItem
from directory.permissions import is_admin
from directory.practitioners.models import Practitioner


def upload(
    practitioner: Practitioner, images: dict[str, bytes], patient_email: str, details: dict
) -> GalleryItem:
    """A before/after pair (`images` by side, `details` the item's fields), kept private and
    unlisted until the patient at `patient_email` grants consent through the mailed link."""
    # Every check (size, type, pixels, decoding) passes before anything is written.
    photos = {side: process_photo(side, images[side]) for side in SIDES}
    item = GalleryItem(practitioner=practitioner, **details)
    with staged_files() as staging:
        for side, photo in photos.items():
            for kind, rendition in (("key", photo.full), ("thumbnail_key", photo.thumbnail)):
                key = new_key(consents.AWAITING_FOLDER, photo.extension)
                staging.save(key, rendition.data, photo.content_type)
                setattr(item, f"{side}_{kind}", key)
            setattr(item, f"{side}_width", photo.full.width)
            setattr(item, f"{side}_height", photo.full.height)
        db.session.add(item)
        consents.ask(item, patient_email)
        db.session.commit()
    return item


def remove(item: GalleryItem, actor: User) -> None:
    """The row goes first; then its files, which nothing points to any more."""
    keys = item.keys
    if is_admin(actor):
        record(actor, "gallery_item.delete", "gallery_item", item.id)
    db.session.delete(item)
    db.session.commit()
    discard(*keys)


def gallery_of(practitioner: Practitioner, treatment: str | None, every_status: bool) -> Select:
    """Newest first: granted items only, unless `every_status` (the owner and admins)."""
    statement = select(GalleryItem).where(GalleryItem.practitioner_id == practitioner.id)
    if not every_status:
        statement = statement.where(GalleryItem.consent_status == ConsentStatus.GRANTED)
    if treatment:
        statement = statement.where(GalleryItem.treatment == treatment)
    return statement.order_by(GalleryItem.created_at.desc(), GalleryItem.id)
