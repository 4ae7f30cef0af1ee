import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.db import Timestamps, UTCDateTime, id_column, string_enum, utcnow
from directory.extensions import db
from directory.practitioners.models import Practitioner


class Invitation(db.Model):
    """A single-use code a practitioner gives a client, valid for one email for 30 days."""

    __tablename__ = "invitations"

    id: Mapped[str] = id_column()
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("practitioners.id"))
    email: Mapped[str] = mapped_column(String(254))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def used(self) -> bool:
        return self.used_at is not None


class Verification(enum.StrEnum):
    CONSULTATION = "consultation"
    INVITATION = "invitation"


class TestimonialStatus(enum.StrEnum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class Testimonial(Timestamps, db.Model):
    __tablename__ = "testimonials"

    id: Mapped[str] = id_column()
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("practitioners.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(80))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    treatment: Mapped[str | None] = mapped_column(ForeignKey("treatments.slug"))
    verification: Mapped[Verification] = mapped_column(string_enum(Verification))
    # One testimonial per consultation and per invitation, enforced here (NULLs never collide).
    consultation_id: Mapped[str | None] = mapped_column(ForeignKey("consultations.id"), unique=True)
    invitation_id: Mapped[str | None] = mapped_column(ForeignKey("invitations.id"), unique=True)
    status: Mapped[TestimonialStatus] = mapped_column(
        string_enum(TestimonialStatus), default=TestimonialStatus.PUBLISHED
    )
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reports not yet settled by a moderator (hide or restore settles them).
    open_reports: Mapped[int] = mapped_column(Integer, default=0)

    practitioner: Mapped[Practitioner] = relationship()

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint(
            "(consultation_id IS NULL) != (invitation_id IS NULL)", name="one_verification"
        ),
        Index("ix_testimonials_practitioner_id", "practitioner_id", "status", "created_at"),
        Index("ix_testimonials_open_reports", "open_reports", "created_at"),
    )

    @property
    def response(self) -> dict | None:
        if self.response_body is None:
            return None
        return {"body": self.response_body, "created_at": self.response_at}


class TestimonialReport(db.Model):
    __tablename__ = "testimonial_reports"

    id: Mapped[str] = id_column()
    testimonial_id: Mapped[str] = mapped_column(ForeignKey("testimonials.id", ondelete="CASCADE"))
    reporter_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("testimonial_id", "reporter_id"),)
