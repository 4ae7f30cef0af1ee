import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.db import ID_LENGTH, Timestamps, UTCDateTime, id_column, string_enum, utcnow
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.rating_summary import ASPECTS, WorthIt


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

    # A profile's invitations: its list (newest first) and review_integrity's count.
    __table_args__ = (Index("ix_invitations_practitioner_id", "practitioner_id", "created_at"),)

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
    # When a moderator last hid it (review_integrity counts the last 12 months).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reports not yet settled by a moderator (hide or restore settles them).
    open_reports: Mapped[int] = mapped_column(Integer, default=0)
    # What patients of aesthetic treatments ask besides the stars.
    aspect_results: Mapped[int | None] = mapped_column(Integer)
    aspect_communication: Mapped[int | None] = mapped_column(Integer)
    aspect_value: Mapped[int | None] = mapped_column(Integer)
    worth_it: Mapped[WorthIt | None] = mapped_column(string_enum(WorthIt))
    cost_amount: Mapped[float | None] = mapped_column(Numeric(10, 2, asdecimal=False))
    cost_currency: Mapped[str | None] = mapped_column(String(3))
    treated_on: Mapped[date | None] = mapped_column(Date)
    # Votes in testimonial_helpful_votes, counted here as each vote row comes and goes.
    helpful_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    practitioner: Mapped[Practitioner] = relationship()

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint(
            "(consultation_id IS NULL) != (invitation_id IS NULL)", name="one_verification"
        ),
        *(
            CheckConstraint(f"aspect_{aspect} BETWEEN 1 AND 5", name=f"aspect_{aspect}_range")
            for aspect in ASPECTS
        ),
        CheckConstraint("cost_amount >= 0", name="cost_not_negative"),
        CheckConstraint(
            "(cost_amount IS NULL) = (cost_currency IS NULL)", name="cost_with_currency"
        ),
        CheckConstraint("helpful_count >= 0", name="helpful_count_not_negative"),
        Index("ix_testimonials_practitioner_id", "practitioner_id", "status", "created_at"),
        Index("ix_testimonials_open_reports", "open_reports", "created_at"),
    )

    @property
    def response(self) -> dict | None:
        if self.response_body is None:
            return None
        return {"body": self.response_body, "created_at": self.response_at}

    @property
    def aspects(self) -> dict[str, int | None]:
        return {aspect: getattr(self, f"aspect_{aspect}") for aspect in ASPECTS}

    @aspects.setter
    def aspects(self, ratings: dict[str, int]) -> None:
        """Every aspect from `ratings` (none when left out)."""
        for aspect in ASPECTS:
            setattr(self, f"aspect_{aspect}", ratings.get(aspect))

    @property
    def cost(self) -> dict | None:
        if self.cost_amount is None:
            return None
        return {"amount": self.cost_amount, "currency": self.cost_currency}

    @cost.setter
    def cost(self, cost: dict | None) -> None:
        self.cost_amount = None if cost is None else cost["amount"]
        self.cost_currency = None if cost is None else cost["currency"]


class TestimonialReport(db.Model):
    __tablename__ = "testimonial_reports"

    id: Mapped[str] = id_column()
    testimonial_id: Mapped[str] = mapped_column(ForeignKey("testimonials.id", ondelete="CASCADE"))
    reporter_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("testimonial_id", "reporter_id"),)


class HelpfulVote(db.Model):
    """One user found one testimonial helpful: at most once (the primary key says so)."""

    __tablename__ = "testimonial_helpful_votes"

    testimonial_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("testimonials.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("users.id"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_testimonial_helpful_votes_user_id", "user_id"),)
