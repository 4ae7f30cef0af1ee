"""The outbox and the recipients' notification preferences."""

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.core.db import UTCDateTime, id_column, string_enum, utcnow
from directory.extensions import db


class MailEvent(enum.StrEnum):
    """Why a mail is sent: the contract's binding event names (`X-Directory-Event`)."""

    EMAIL_VERIFICATION = "email-verification"
    REGISTRATION_ATTEMPT = "registration-attempt"
    PASSWORD_RESET = "password-reset"
    PASSWORD_CHANGED = "password-changed"
    EMAIL_CHANGE_CONFIRM = "email-change-confirm"
    EMAIL_CHANGE_NOTICE = "email-change-notice"
    ACCOUNT_DELETED = "account-deleted"
    INVITATION = "invitation"
    CONSULTATION_REQUESTED = "consultation-requested"
    CONSULTATION_CONFIRMED = "consultation-confirmed"
    CONSULTATION_DECLINED = "consultation-declined"
    CONSULTATION_CANCELLED = "consultation-cancelled"
    REVIEW_REQUEST = "review-request"
    TESTIMONIAL_PUBLISHED = "testimonial-published"
    TESTIMONIAL_RESPONSE = "testimonial-response"
    TESTIMONIAL_HIDDEN = "testimonial-hidden"
    CERTIFICATION_VERIFIED = "certification-verified"
    CERTIFICATION_REJECTED = "certification-rejected"
    CERTIFICATION_EXPIRING = "certification-expiring"
    CERTIFICATION_EXPIRED = "certification-expired"
    GALLERY_CONSENT_REQUEST = "gallery-consent-request"
    GALLERY_CONSENT_DECLINED = "gallery-consent-declined"
    BOOKING_CONFIRMED = "booking-confirmed"
    BOOKING_REMINDER = "booking-reminder"
    BOOKING_MOVED = "booking-moved"
    BOOKING_CANCELLED = "booking-cancelled"


class MailCategory(enum.StrEnum):
    """What a recipient can turn off (PUT /auth/me/notifications)."""

    CONSULTATIONS = "consultations"
    BOOKINGS = "bookings"
    TESTIMONIALS = "testimonials"
    CERTIFICATIONS = "certifications"


_BY_CATEGORY = {
    MailCategory.CONSULTATIONS: (
        MailEvent.CONSULTATION_REQUESTED,
        MailEvent.CONSULTATION_CONFIRMED,
        MailEvent.CONSULTATION_DECLINED,
        MailEvent.CONSULTATION_CANCELLED,
    ),
    MailCategory.BOOKINGS: (
        MailEvent.BOOKING_CONFIRMED,
        MailEvent.BOOKING_REMINDER,
        MailEvent.BOOKING_MOVED,
        MailEvent.BOOKING_CANCELLED,
    ),
    MailCategory.TESTIMONIALS: (
        MailEvent.REVIEW_REQUEST,
        MailEvent.TESTIMONIAL_PUBLISHED,
        MailEvent.TESTIMONIAL_RESPONSE,
        MailEvent.TESTIMONIAL_HIDDEN,
    ),
    MailCategory.CERTIFICATIONS: (
        MailEvent.CERTIFICATION_VERIFIED,
        MailEvent.CERTIFICATION_REJECTED,
        MailEvent.CERTIFICATION_EXPIRING,
        MailEvent.CERTIFICATION_EXPIRED,
    ),
}
# Events in no category are always sent: security, verification, invitations to people who
# may have no account, and photo consent (a patient's right over their images).
CATEGORY_OF: dict[MailEvent, MailCategory | None] = {event: None for event in MailEvent} | {
    event: category for category, events in _BY_CATEGORY.items() for event in events
}


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt (or being sent right now)
    SENT = "sent"
    FAILED = "failed"  # refused for good (5xx), or still refused 24 hours after creation


class OutboxMail(db.Model):
    """A mail, rendered when its cause commits, delivered (at least once, almost always
    exactly once) by the worker."""

    __tablename__ = "mail_outbox"

    id: Mapped[str] = id_column()
    # Not a database enum: new events need no migration.
    event: Mapped[MailEvent] = mapped_column(string_enum(MailEvent, length=40))
    recipient: Mapped[str] = mapped_column(String(254))
    # The account it was sent to: kept null when none, and when the account is erased.
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(255))
    # The whole RFC 5322 message (message.py), composed at enqueue time and sent as it is.
    # Emptied once the mail is sent or failed: a link's secret (a reset token...) lives no
    # longer than it must in the database.
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Null once sent or failed.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A worker's claim: the mail is its own until `claimed_until`; after that (the worker
    # died) any worker may claim it again. `claim_token` tells the claims apart.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        # The worker's question: which pending mails are due?
        Index("ix_mail_outbox_due", "status", "next_attempt_at"),
        # The admin list (by status, newest first), and the purge of old mail.
        Index("ix_mail_outbox_status_created_at", "status", "created_at", "id"),
        Index("ix_mail_outbox_user_id", "user_id"),
    )


class NotificationPreferences(db.Model):
    """A user's choices; no row means everything on."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    consultations: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    bookings: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    testimonials: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    certifications: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def allows(self, category: MailCategory) -> bool:
        return getattr(self, category.value)


# An account's choices, read with it (mail.services.load_recipients: several in one query).
# View-only: rows are written by an upsert and go with their account (ON DELETE CASCADE).
User.notification_preferences = relationship(NotificationPreferences, uselist=False, viewonly=True)
