import enum
import re
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.db import ID_LENGTH, Timestamps, UTCDateTime, id_column, string_enum, today
from directory.extensions import db
from directory.practitioners.models import Practitioner


class CertificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class CredentialKind(enum.StrEnum):
    LICENSE = "license"  # the legal right to practise, issued by a regulator
    CERTIFICATION = "certification"  # training in treatments


class Certification(Timestamps, db.Model):
    __tablename__ = "certifications"

    id: Mapped[str] = id_column()
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("practitioners.id"))
    name: Mapped[str] = mapped_column(String(200))
    issuing_body: Mapped[str] = mapped_column(String(200))
    credential_number: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[CredentialKind] = mapped_column(
        string_enum(CredentialKind),
        default=CredentialKind.CERTIFICATION,
        server_default=CredentialKind.CERTIFICATION.value,
    )
    country: Mapped[str] = mapped_column(String(2))  # where it is valid
    # The number as two spellings of it compare (see number_key): what may be verified for
    # one profile only.
    number_key: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CertificationStatus] = mapped_column(
        string_enum(CertificationStatus), default=CertificationStatus.PENDING
    )
    # Key in the media store, under private/: never served by /media.
    document_key: Mapped[str | None] = mapped_column(String(200))
    document_type: Mapped[str | None] = mapped_column(String(50))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # The day an admin last confirmed it (verify, recheck): public.
    last_checked_on: Mapped[date | None] = mapped_column(Date)
    # When the expiry mails went out (each is sent once).
    expiring_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expired_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practitioner: Mapped[Practitioner] = relationship()
    treatment_links: Mapped[list["CertificationTreatment"]] = relationship(
        cascade="all, delete-orphan",
        order_by="CertificationTreatment.treatment_slug",
        lazy="selectin",
    )

    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="expiry_after_issue"),
        Index("ix_certifications_practitioner_id", "practitioner_id", "status"),
        Index("ix_certifications_status_created_at", "status", "created_at", "id"),
        Index("ix_certifications_number_key", "number_key"),
    )

    @property
    def treatments(self) -> list[str]:
        return [link.treatment_slug for link in self.treatment_links]

    @treatments.setter
    def treatments(self, slugs: list[str]) -> None:
        self.treatment_links = [CertificationTreatment(treatment_slug=s) for s in slugs]

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < today()

    @property
    def has_document(self) -> bool:
        return self.document_key is not None


class CertificationTreatment(db.Model):
    """A treatment a certification covers (a license covers none in particular)."""

    __tablename__ = "certification_treatments"

    certification_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("certifications.id", ondelete="CASCADE"), primary_key=True
    )
    treatment_slug: Mapped[str] = mapped_column(ForeignKey("treatments.slug"), primary_key=True)


class VerifiedCredential(db.Model):
    """Which profile a credential is verified for: one at a time, whatever the race (the
    primary key says so), while one profile may hold it on several certifications (a renewal).
    Kept by services.refresh_verified_until; a deleted profile keeps its claim, since it can
    come back with its certifications."""

    __tablename__ = "verified_credentials"

    kind: Mapped[CredentialKind] = mapped_column(string_enum(CredentialKind), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    number_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    practitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )


class ErasedCredential(db.Model):
    """A credential of an erased profile, kept as a keyed hash of its (kind, country, number)
    for one purpose only: to tell admins that a number they are asked to verify belonged to
    an erased profile (PRIVACY.md). The number itself cannot be read back."""

    __tablename__ = "erased_credentials"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)


_NOT_SIGNIFICANT = re.compile(r"[\s\-./_]+")


def number_key(number: str | None) -> str | None:
    """`FR-123 456` and `fr123456` are one number: case, spaces and punctuation aside."""
    if number is None:
        return None
    return _NOT_SIGNIFICANT.sub("", number).upper() or None
