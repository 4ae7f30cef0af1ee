from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.db import UTCDateTime, id_column, utcnow
from directory.extensions import db

SIDES = ("before", "after")


class GalleryItem(db.Model):
    __tablename__ = "gallery_items"

    id: Mapped[str] = id_column()
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("practitioners.id"))
    treatment: Mapped[str] = mapped_column(ForeignKey("treatments.slug"))
    caption: Mapped[str | None] = mapped_column(Text)
    sessions: Mapped[int] = mapped_column(Integer)
    weeks_elapsed: Mapped[int] = mapped_column(Integer)
    # The practitioner declared that the patient agreed in writing, at this time.
    consent_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
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
    )

    @property
    def keys(self) -> list[str]:
        return [
            getattr(self, f"{side}_{kind}") for side in SIDES for kind in ("key", "thumbnail_key")
        ]

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
