"""One credential, one profile: which profile a `(kind, country, number)` is verified for, what
an admin sees before verifying it (other holders, numbers of erased profiles), and the keyed
hashes that remember the numbers of erased profiles (PRIVACY.md)."""

import hashlib
import hmac

from flask import current_app
from sqlalchemy import delete, select, tuple_

from directory.core.db import insert_ignoring_duplicates, utcnow
from directory.credentials.models import Certification, ErasedCredential, VerifiedCredential
from directory.extensions import db
from directory.practitioners.models import Practitioner


def holder_of(certification: Certification) -> str | None:
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


def refresh(practitioner: Practitioner, verified: tuple) -> None:
    """Claim the numbers of the profile's `verified` certifications, release the others. A
    number another profile claims fails the insert: a 409 (IntegrityError), the loser of a
    race included."""
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


def release(practitioner: Practitioner) -> None:
    """Every number the profile holds is free for other profiles."""
    db.session.execute(
        delete(VerifiedCredential).where(VerifiedCredential.practitioner_id == practitioner.id)
    )


def remember_erased(practitioner: Practitioner) -> None:
    """A keyed hash of each of the profile's credential numbers, whatever their status."""
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
    """HMAC-SHA256, keyed with the app's secret, of the normalised (kind, country, number): it
    matches the same number again, yet cannot be read back, nor tested without the key."""
    credential = "\x1f".join((certification.kind, certification.country, certification.number_key))
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, credential.encode(), hashlib.sha256).hexdigest()


def conflicts_of(certifications: list[Certification]) -> dict[str, dict]:
    """For each certification, the other profiles that hold the same (kind, country, number),
    in any status, and whether an erased profile held it: two statements for any number."""
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
        same = (certification.kind, certification.country, certification.number_key)
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
                if (holder.kind, holder.country, holder.number_key) == same
                and holder.practitioner_id != certification.practitioner_id
            ],
            "erased": erased_digest(certification) in erased,
        }
    return conflicts
