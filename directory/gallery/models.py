"""Before/after galleries: practitioners' treatment results, published with the consent of the
patient in the photos, which the patient holds (asked by mail, revocable at any time)."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.db import UTCDateTime, id_column, string_enum, utcnow
from directory.extensions import db
from directory.practitioners.models import Practitioner

SIDES = ("before", "after")
# The columns that name an item's four files: each side, full and thumbnail.
KEY_COLUMNS = tuple(f"{side}_{kind}" for side in SIDES for kind in ("key", "thumbnail_key"))


class ConsentStatus(enum.StrEnum):
    """Where a patient's consent stands. Only requested and granted items exist: a declined or
    revoked one is deleted with its files at once."""

    REQUESTED = "requested"
    GRANTED = "granted"
    DECLINED = "declined"
    REVOKED = "revoked"


class ConsentDecision(enum.StrEnum):
    """What the patient may answer (POST /consents/{token})."""

    GRANTED = "granted"
    DECLINED = "declined"
    REVOKED = "revoked"


class GalleryItem(db.Model):
    __tablename__ = "gallery_items"

    id: Mapped[str] = id_column()
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("practitioners.id"))
    treatment: Mapped[str] = mapped_column(ForeignKey("treatments.slug"))
    caption: Mapped[str | None] = mapped_column(Text)
    sessions: Mapped[int] = mapped_column(Integer)
    weeks_elapsed: Mapped[int] = mapped_column(Integer)
    # The patient asked, by mail; null once the patient's account is erased (the item went
    # with it) and for items published before consent was patient-held.
    patient_email: Mapped[str | None] = mapped_column(String(254), index=True)
    consent_status: Mapped[ConsentStatus] = mapped_column(
        string_enum(ConsentStatus), default=ConsentStatus.REQUESTED
    )
    # Only the SHA-256 of the mailed link's token: a leaked table decides nothing.
    consent_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    consent_requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    before_key: Mapped[str] = mapped_column(String(200))
    before_thumbnail_key: Mapped[str] = mapped_column(String(200))
    before_width: Mapped[int] = mapped_column(Integer)
    before_height: Mapped[int] = mapped_column(Integer)
    after_key: Mapped[str] = mapped_column(String(200))
    after_thumbnail_key: Mapped[str] = mapped_column(String(200))
    after_width: Mapped[int] = mapped_column(Integer)
    after_height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("sessions >= 1", name="sessions_positive"),
        CheckConstraint("weeks_elapsed >= 0", name="weeks_not_negative"),
        Index("ix_gallery_items_practitioner_id", "practitioner_id", "created_at"),
        # The lapse job's question: which requests are older than 30 days?
        Index("ix_gallery_items_consent", "consent_status", "consent_requested_at"),
    )

    practitioner: Mapped[Practitioner] = relationship()

    @property
    def consent(self) -> dict:
        return {"status": self.consent_status, "granted_at": self.consent_granted_at}

    @property
    def keys(self) -> list[str]:
        return [getattr(self, column) for column in KEY_COLUMNS]

    def image(self, side: str) -> dict:
        return {
            "key": getattr(self, f"{side}_key"),
            "thumbnail_key": getattr(self, f"{side}_thumbnail_key"),
            "width": getattr(self, f"{side}_width"),
            "height": getattr(self, f"{side}_height"),
        }

    @property
    def before(self) -> dict:
        return self.image("before")

    @property
    def after(self) -> dict:
        return self.image("after")
