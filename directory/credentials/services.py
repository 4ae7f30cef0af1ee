"""Certification use cases: what makes a profile `verified`."""

from datetime import date

from sqlalchemy import func, select

from directory.accounts.models import User
from directory.audit.services import record
from directory.core.db import utcnow
from directory.core.errors import IllegalTransition, InvalidInput, NotFoundError
from directory.core.media import discard, media_store, new_key, staged_files
from directory.core.pagination import Listing
from directory.core.uploads import check_document
from directory.credentials import notices
from directory.credentials.models import Certification, CertificationStatus
from directory.credentials.schemas import PublicCertification
from directory.extensions import db
from directory.permissions import is_admin, sees_private_records_of
from directory.practitioners.models import Practitioner

NEVER_EXPIRES = date.max


def certifications_of(practitioner: Practitioner, viewer: User | None) -> Listing:
    """Newest first. The owner and admins see every certification whole; anyone else sees the
    verified ones, without their private fields."""
    statement = (
        select(Certification)
        .where(Certification.practitioner_id == practitioner.id)
        .order_by(Certification.issued_on.desc(), Certification.id)
    )
    if sees_private_records_of(viewer, practitioner):
        return Listing(statement)
    verified = statement.where(Certification.status == CertificationStatus.VERIFIED)
    return Listing(verified, present=PublicCertification)


def add_certification(practitioner: Practitioner, data: dict) -> Certification:
    certification = Certification(practitioner=practitioner)
    _apply(certification, data)
    db.session.add(certification)
    db.session.commit()
    return certification


def update_certification(certification: Certification, data: dict) -> Certification:
    _apply(certification, data)
    _back_to_pending(certification)
    db.session.commit()
    return certification


def _apply(certification: Certification, data: dict) -> None:
    """Write `data`; a partial update is checked against the stored dates."""
    issued = data.get("issued_on", certification.issued_on)
    expires = data.get("expires_on", certification.expires_on)
    if expires is not None and expires < issued:  # also a CHECK constraint
        raise InvalidInput("expires_on", "The expiry date is before the issue date.")
    for field, value in data.items():
        setattr(certification, field, value)


def attach_document(certification: Certification, upload: bytes) -> Certification:
    document = check_document("file", upload)
    previous_key = certification.document_key
    with staged_files() as staging:
        key = new_key("private/documents", document.extension)
        staging.save(key, document.data, document.content_type)
        certification.document_key = key
        certification.document_type = document.content_type
        _back_to_pending(certification)
        db.session.commit()
    discard(previous_key)
    return certification


def document_of(certification: Certification) -> tuple[bytes, str]:
    data = media_store().load(certification.document_key) if certification.document_key else None
    if data is None:
        raise NotFoundError("This certification has no document.")
    return data, certification.document_type


def delete_certification(certification: Certification, actor: User) -> None:
    practitioner, key = certification.practitioner, certification.document_key
    if is_admin(actor):
        record(
            actor,
            "certification.delete",
            "certification",
            certification.id,
            name=certification.name,
        )
    db.session.delete(certification)
    db.session.flush()
    refresh_verified_until(practitioner)
    db.session.commit()
    discard(key)


def verify(certification: Certification, admin: User) -> Certification:
    _review(certification, admin, CertificationStatus.VERIFIED)
    record(admin, "certification.verify", "certification", certification.id)
    notices.verified(certification)
    db.session.commit()
    return certification


def reject(certification: Certification, admin: User, reason: str) -> Certification:
    _review(certification, admin, CertificationStatus.REJECTED)
    certification.rejection_reason = reason
    record(admin, "certification.reject", "certification", certification.id, reason=reason)
    notices.rejected(certification, reason)
    db.session.commit()
    return certification


def review_queue(status: CertificationStatus):
    """Oldest first, so that nobody waits forever."""
    return (
        select(Certification)
        .join(Certification.practitioner)
        .where(Certification.status == status, Practitioner.deleted_at.is_(None))
        .order_by(Certification.created_at, Certification.id)
    )


def refresh_verified_until(practitioner: Practitioner) -> None:
    """Last day a verified certification covers; the profile is verified while today <= it."""
    latest = db.session.scalar(
        select(func.max(func.coalesce(Certification.expires_on, NEVER_EXPIRES))).where(
            Certification.practitioner_id == practitioner.id,
            Certification.status == CertificationStatus.VERIFIED,
        )
    )
    practitioner.verified_until = latest


def _review(certification: Certification, admin: User, status: CertificationStatus) -> None:
    if certification.status != CertificationStatus.PENDING:
        raise IllegalTransition(
            f"Only a pending certification can be reviewed; this one is {certification.status}."
        )
    certification.status = status
    certification.reviewed_at = utcnow()
    certification.reviewed_by = admin.id
    db.session.flush()
    refresh_verified_until(certification.practitioner)


def _back_to_pending(certification: Certification) -> None:
    certification.status = CertificationStatus.PENDING
    certification.reviewed_at = certification.reviewed_by = certification.rejection_reason = None
    # A changed certification is a new one to watch for expiry.
    certification.expiring_notified_at = certification.expired_notified_at = None
    db.session.flush()
    refresh_verified_until(certification.practitioner)
