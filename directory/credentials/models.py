import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.db import Timestamps, UTCDateTime, id_column, string_enum, today
from directory.extensions import db
from directory.practitioners.models import Practitioner


class CertificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Certification(Timestamps, db.Model):
    __tablename__ = "certifications"

    id: Mapped[str] = id_column()
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("practitioners.id"))
    name: Mapped[str] = mapped_column(String(200))
    issuing_body: Mapped[str] = mapped_column(String(200))
    credential_number: Mapped[str | None] = mapped_column(String(100))
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
    # When the expiry mails went out (each is sent once).
    expiring_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expired_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practitioner: Mapped[Practitioner] = relationship()

    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="expiry_after_issue"),
        Index("ix_certifications_practitioner_id", "practitioner_id", "status"),
        Index("ix_certifications_status_created_at", "status", "created_at", "id"),
    )

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < today()

    @property
    def has_document(self) -> bool:
        return self.document_key is not None
