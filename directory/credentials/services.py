"""Certification use cases: what makes a profile `verified`, and for which treatments."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, select, tuple_

from directory.accounts.models import User
from directory.audit.services import record
from directory.core.db import insert_ignoring_duplicates, today, utcnow
from directory.core.errors import ConflictError, IllegalTransition, InvalidInput, NotFoundError
from directory.core.media import discard, media_store, new_key, staged_files
from directory.core.pagination import Listing
from directory.core.uploads import check_document
from directory.credentials import notices
from directory.credentials.models import (
    Certification,
    CertificationStatus,
    CertificationTreatment,
    CredentialKind,
    ErasedCredential,
    VerifiedCredential,
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
    holder = _holder_of(certification)
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


def _holder_of(certification: Certification) -> str | None:
    """The id of the profile this credential is verified for, if any."""
    if certification.number_key is None:
        return None
    return db.session.scalar(
        select(VerifiedCredential.practitioner_id).where(
            VerifiedCredential.kind == certification.kind,
            VerifiedCredential.country == certification.country,
            VerifiedCredential.number_key == certification.number_key,
        )
    )


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
        conflicts = conflicts_of(answer["items"])
        answer["items"] = [QueuedCertification(c, conflicts[c.id]) for c in answer["items"]]
        return answer


class QueuedCertification:
    """A certification in the admin queue, with its `conflicts`."""

    def __init__(self, certification: Certification, conflicts: dict):
        self._certification = certification
        self.conflicts = conflicts

    def __getattr__(self, name: str):
        return getattr(self._certification, name)


def conflicts_of(certifications: list[Certification]) -> dict[str, dict]:
    """For each certification, the other profiles that hold the same (kind, country, number),
    and whether an erased profile held it."""
    numbered = [c for c in certifications if c.number_key is not None]
    conflicts = {c.id: {"profiles": [], "erased": False} for c in certifications}
    if not numbered:
        return conflicts
    credential = tuple_(Certification.kind, Certification.country, Certification.number_key)
    holders = db.session.execute(
        select(
            Certification.id,
            Certification.kind,
            Certification.country,
            Certification.number_key,
            Certification.status,
            Certification.practitioner_id,
            Practitioner.full_name,
            Practitioner.deleted_at,
        )
        .join(Certification.practitioner)
        .where(credential.in_([(c.kind.value, c.country, c.number_key) for c in numbered]))
        .order_by(Certification.created_at, Certification.id)
    ).all()
    erased = set(
        db.session.scalars(
            select(ErasedCredential.digest).where(
                ErasedCredential.digest.in_([erased_digest(c) for c in numbered])
            )
        )
    )
    for certification in numbered:
        conflicts[certification.id] = {
            "profiles": [
                {
                    "practitioner_id": holder.practitioner_id,
                    "full_name": holder.full_name,
                    "certification_id": holder.id,
                    "status": holder.status,
                    "deleted": holder.deleted_at is not None,
                }
                for holder in holders
                if (holder.kind, holder.country, holder.number_key)
                == (certification.kind, certification.country, certification.number_key)
                and holder.practitioner_id != certification.practitioner_id
            ],
            "erased": erased_digest(certification) in erased,
        }
    return conflicts


def remember_erased_credentials(practitioner: Practitioner) -> None:
    """Before a profile is erased: keep a keyed hash of each of its credential numbers, so that
    the admin queue can say a number belonged to an erased profile (and nothing else: the
    number cannot be read back), and free the numbers for other profiles. In the caller's
    transaction; the erasure commits it."""
    db.session.execute(
        delete(VerifiedCredential).where(VerifiedCredential.practitioner_id == practitioner.id)
    )
    digests = {
        erased_digest(certification)
        for certification in db.session.scalars(
            select(Certification).where(
                Certification.practitioner_id == practitioner.id,
                Certification.number_key.is_not(None),
            )
        )
    }
    dialect = db.session.get_bind().dialect.name
    for digest in digests:
        db.session.execute(
            insert_ignoring_duplicates(ErasedCredential, dialect).values(
                digest=digest, erased_at=utcnow()
            )
        )


def erased_digest(certification: Certification) -> str:
    """HMAC-SHA256, keyed with the app's secret, of the normalised (kind, country, number)."""
    credential = "\x1f".join((certification.kind, certification.country, certification.number_key))
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, credential.encode(), hashlib.sha256).hexdigest()


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
    _refresh_claims(practitioner, verified)


def _refresh_claims(practitioner: Practitioner, verified: tuple) -> None:
    """Claim the profile's verified numbers, release the others. A number another profile
    claims fails the insert: a 409 (IntegrityError), the loser of a race included."""
    credential = (Certification.kind, Certification.country, Certification.number_key)
    held = {
        tuple(row)
        for row in db.session.execute(
            select(*credential).where(*verified, Certification.number_key.is_not(None))
        )
    }
    claimed = {
        (claim.kind, claim.country, claim.number_key): claim
        for claim in db.session.scalars(
            select(VerifiedCredential).where(VerifiedCredential.practitioner_id == practitioner.id)
        )
    }
    for key, claim in claimed.items():
        if key not in held:
            db.session.delete(claim)
    for kind, country, key in held - claimed.keys():
        db.session.add(
            VerifiedCredential(
                kind=kind, country=country, number_key=key, practitioner_id=practitioner.id
            )
        )
    db.session.flush()


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
