import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Text, and_, exists, text
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from directory.accounts.models import Role, User
from directory.core.db import Timestamps, UTCDateTime, id_column, string_enum
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.testimonials.models import Testimonial


class ConsultationStatus(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# A booking in these states no longer holds its slot.
RELEASED = (ConsultationStatus.DECLINED, ConsultationStatus.CANCELLED)


# The state machine: which party may move a consultation from which status to which.
TRANSITIONS: dict[Role, set[tuple[ConsultationStatus, ConsultationStatus]]] = {
    Role.PRACTITIONER: {
        (ConsultationStatus.REQUESTED, ConsultationStatus.CONFIRMED),
        (ConsultationStatus.CONFIRMED, ConsultationStatus.COMPLETED),
        (ConsultationStatus.REQUESTED, ConsultationStatus.DECLINED),
        (ConsultationStatus.CONFIRMED, ConsultationStatus.DECLINED),
        (ConsultationStatus.CONFIRMED, ConsultationStatus.NO_SHOW),  # bookings, once started
    },
    Role.PATIENT: {
        (ConsultationStatus.REQUESTED, ConsultationStatus.CANCELLED),
        (ConsultationStatus.CONFIRMED, ConsultationStatus.CANCELLED),
    },
}


def may_move(party: Role, current: ConsultationStatus, new: ConsultationStatus) -> bool:
    return (current, new) in TRANSITIONS.get(party, set())


# Who may move a booking to another slot, and from which status.
RESCHEDULING: dict[Role, set[ConsultationStatus]] = {Role.PATIENT: {ConsultationStatus.CONFIRMED}}


def may_reschedule(party: Role, current: ConsultationStatus) -> bool:
    return current in RESCHEDULING.get(party, set())


BOOKING = text("starts_at IS NOT NULL")
BOOKED = text("starts_at IS NOT NULL AND status NOT IN ('declined', 'cancelled')")


class Consultation(Timestamps, db.Model):
    __tablename__ = "consultations"

    id: Mapped[str] = id_column()
    # Either party is null once that party's account is erased (privacy.erasure): the other
    # keeps the record, without the person.
    practitioner_id: Mapped[str | None] = mapped_column(ForeignKey("practitioners.id"))
    patient_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    treatment: Mapped[str | None] = mapped_column(ForeignKey("treatments.slug"))
    preferred_date: Mapped[date | None] = mapped_column(Date)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ConsultationStatus] = mapped_column(
        string_enum(ConsultationStatus), default=ConsultationStatus.REQUESTED
    )
    # The booked time (null for a plain request).
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the worker sent the booking's reminder (or decided none was due): once per start.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Joined: a list shows both parties' names without a query per row.
    practitioner: Mapped[Practitioner | None] = relationship(lazy="joined")
    patient: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_consultations_patient_id", "patient_id", "created_at"),
        Index("ix_consultations_practitioner_id", "practitioner_id", "created_at"),
        # One booking per slot: of simultaneous bookings (or moves) to one start, the database
        # lets exactly one in; a cancelled or declined booking frees its slot.
        Index(
            "uq_consultations_booked_slot",
            "practitioner_id",
            "starts_at",
            unique=True,
            postgresql_where=BOOKED,
            sqlite_where=BOOKED,
        ),
        # The worker's reminders and completions: confirmed bookings by start.
        Index(
            "ix_consultations_bookings_by_status",
            "status",
            "starts_at",
            postgresql_where=BOOKING,
            sqlite_where=BOOKING,
        ),
    )

    @property
    def is_booking(self) -> bool:
        return self.starts_at is not None


# Completed, and not reviewed yet: the patient may still write a testimonial about it.
Consultation.reviewable = column_property(
    and_(
        Consultation.status == ConsultationStatus.COMPLETED,
        ~exists().where(Testimonial.consultation_id == Consultation.id),
    )
)


def reviewable_when_new(consultation: Consultation) -> None:
    """Set `reviewable` of a consultation just inserted, without a query: no testimonial can
    name it yet, so its status alone decides. Every flush of it expires the value again: call
    after the last one."""
    is_completed = consultation.status == ConsultationStatus.COMPLETED
    set_committed_value(consultation, "reviewable", is_completed)
