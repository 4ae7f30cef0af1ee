"""Certification use cases: what makes a profile `verified`, and for which treatments."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from directory.accounts.models import User
from directory.audit.services import record
from directory.core.db import today, utcnow
from directory.core.errors import ConflictError, IllegalTransition, InvalidInput, NotFoundError
from directory.core.media import discard, media_store, new_key, staged_files
from directory.core.pagination import Listing
from directory.core.uploads import check_document
from directory.credentials import claims, notices
from directory.credentials.models import (
    Certification,
    CertificationStatus,
    CertificationTreatment,
    CredentialKind,
    number_key,
)
from directory.credentials.schemas import PublicCertification
from directory.extensions import db
from directory.permissions import is_admin, sees_private_records_of
from directory.practitioners.models import Practitioner, VerifiedTreatment

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
    """Valid, unless it says otherwise, in the profile's country."""
    certification = Certification(practitioner=practitioner, country=practitioner.country)
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
    kind = data.get("kind", certification.kind or CredentialKind.CERTIFICATION)
    treatments = data.get("treatments", certification.treatments)
    if kind == CredentialKind.LICENSE and treatments:
        raise InvalidInput(
            "treatments", "A license is the right to practise: it covers no treatment of its own."
        )
    for field, value in data.items():
        setattr(certification, field, value)
    certification.number_key = number_key(certification.credential_number)


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
    """Verified for this profile only: the same credential verified on another profile is a
    409 (and VerifiedCredential's primary key settles two admins verifying at once)."""
    holder = claims.holder_of(certification)
    if holder not in (None, certification.practitioner_id):
        raise ConflictError(
            f"This {certification.kind} number is verified on another profile ({holder})."
        )
    _review(certification, admin, CertificationStatus.VERIFIED)
    certification.last_checked_on = today()
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


def recheck(certification: Certification, admin: User) -> Certification:
    """An admin confirmed a verified certification again (with its issuer, a register...)."""
    if certification.status != CertificationStatus.VERIFIED:
        raise IllegalTransition(
            f"Only a verified certification can be rechecked; this one is {certification.status}."
        )
    certification.last_checked_on = today()
    record(admin, "certification.recheck", "certification", certification.id)
    db.session.commit()
    return certification


@dataclass(frozen=True)
class ReviewQueue:
    """The verification queue, oldest first so that nobody waits forever; each item with its
    conflicts, found for the whole page at once (two statements, whatever its size)."""

    status: CertificationStatus

    def page(self, page: int, per_page: int) -> dict:
        statement = (
            select(Certification)
            .join(Certification.practitioner)
            .where(Certification.status == self.status, Practitioner.deleted_at.is_(None))
            .order_by(Certification.created_at, Certification.id)
        )
        answer = Listing(statement).page(page, per_page)
        conflicts = claims.conflicts_of(answer["items"])
        answer["items"] = [QueuedCertification(c, conflicts[c.id]) for c in answer["items"]]
        return answer


class QueuedCertification:
    """A certification in the admin queue, with its `conflicts`."""

    def __init__(self, certification: Certification, conflicts: dict):
        self._certification = certification
        self.conflicts = conflicts

    def __getattr__(self, name: str):
        return getattr(self._certification, name)


def remember_erased_credentials(practitioner: Practitioner) -> None:
    """Account erasure calls this before it deletes a profile: the profile's numbers are freed
    for other profiles, and remembered as keyed hashes only, so that the admin queue can say a
    number belonged to an erased profile (PRIVACY.md). In the caller's transaction."""
    claims.release(practitioner)
    claims.remember_erased(practitioner)


def refresh_verified_until(practitioner: Practitioner) -> None:
    """Last day a verified certification covers, overall and per treatment (the profile is
    verified, for a treatment, while today <= it); and the credentials verified for it."""
    verified = (
        Certification.practitioner_id == practitioner.id,
        Certification.status == CertificationStatus.VERIFIED,
    )
    last_day = func.max(func.coalesce(Certification.expires_on, NEVER_EXPIRES))
    practitioner.verified_until = db.session.scalar(select(last_day).where(*verified))
    _refresh_verified_treatments(practitioner, verified, last_day)
    claims.refresh(practitioner, verified)


def _refresh_verified_treatments(practitioner: Practitioner, verified: tuple, last_day) -> None:
    per_treatment = dict(
        db.session.execute(
            select(CertificationTreatment.treatment_slug, last_day)
            .join(Certification)
            .where(*verified)
            .group_by(CertificationTreatment.treatment_slug)
        ).all()
    )
    kept = {link.treatment_slug: link for link in practitioner.verified_treatment_links}
    links = []
    for slug, until in sorted(per_treatment.items()):
        link = kept.get(slug) or VerifiedTreatment(treatment_slug=slug)
        link.verified_until = until
        links.append(link)
    practitioner.verified_treatment_links = links


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
