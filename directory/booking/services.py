"""Availability and booking use cases, free of HTTP.

Every change to a practitioner's bookings first takes that practitioner's booking lock
(`hold_bookings`): the checks that follow (the slot is free, the patient holds fewer than
MAX_UPCOMING bookings) then see every booking committed before, and no other booking of this
practitioner commits meanwhile. The unique index on (practitioner, start) of live bookings
(consultations.models) is the database's own guarantee beneath it: of any number of
simultaneous bookings of one slot, exactly one gets in.
"""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ScalarSelect, Select, func, select, update
from sqlalchemy.exc import IntegrityError

from directory.accounts.models import Role, User
from directory.booking import slots
from directory.booking.models import Availability
from directory.consultations import notices
from directory.consultations.models import (
    RELEASED,
    Consultation,
    ConsultationStatus,
    may_reschedule,
    reviewable_when_new,
)
from directory.core.db import commit_as_flushed, utcnow
from directory.core.errors import (
    BookingLimitReached,
    IllegalTransition,
    InvalidInput,
    NotBookable,
    SlotUnavailable,
)
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.services import ensure_accepting_clients

MAX_UPCOMING = 3  # upcoming bookings of one patient with one practitioner
SLOT_TAKEN = "This slot was taken meanwhile."
REMINDER_BEFORE = timedelta(hours=24)


def set_availability(practitioner: Practitioner, data: dict) -> Availability:
    """Publish (or replace) the practitioner's schedule. Bookings are kept as they are, even
    those outside the new hours: a schedule change never drops an appointment."""
    availability = hold_bookings(practitioner.id)
    if availability is None:
        availability = Availability(practitioner_id=practitioner.id)
        db.session.add(availability)
    for name, value in data.items():
        setattr(availability, name, value)
    db.session.flush()
    refresh_next_available(availability, utcnow())
    db.session.commit()
    return availability


def hold_bookings(practitioner_id: str) -> Availability | None:
    """Take the practitioner's booking lock until the transaction ends; their availability,
    or None if they publish none. The lock is a write (of nothing), not a SELECT ... FOR
    UPDATE, so that SQLite takes its writer lock at once too, before the checks read."""
    return db.session.execute(
        update(Availability)
        .where(Availability.practitioner_id == practitioner_id)
        .values(updated_at=Availability.updated_at)
        .returning(Availability),
        execution_options={"populate_existing": True},  # as read under the lock
    ).scalar_one_or_none()


def free_slots(availability: Availability, first: date, last: date) -> list[slots.Slot]:
    """The slots of the local days first..last that a patient may book now."""
    schedule = availability.schedule
    now = utcnow()
    earliest, latest = schedule.bookable_window(now)
    taken = _taken(availability.practitioner_id, earliest, latest + schedule.step)
    return list(slots.free_slots(schedule, first, last, now, taken))


def book(
    practitioner: Practitioner,
    patient: User,
    start: datetime,
    treatment: str,
    message: str | None = None,
) -> Consultation:
    """A confirmed consultation in the free slot that begins at `start`."""
    ensure_accepting_clients(practitioner)
    if not practitioner.offers(treatment):
        raise InvalidInput("treatment", "This practitioner does not offer this treatment.")
    availability = hold_bookings(practitioner.id)
    if availability is None:
        raise NotBookable("This practitioner takes no bookings.")
    now = utcnow()
    slot = _bookable(availability, start, now, "start")
    # Both checks in one round trip; the limit is the answer where both fail.
    upcoming, overlapping = db.session.execute(
        select(
            _upcoming_bookings(patient.id, practitioner.id, now),
            _overlapping(practitioner.id, slot).exists(),
        )
    ).one()
    if upcoming >= MAX_UPCOMING:
        raise BookingLimitReached(
            f"You already hold {MAX_UPCOMING} upcoming bookings with this practitioner."
        )
    if overlapping:
        raise SlotUnavailable(SLOT_TAKEN)
    consultation = Consultation(
        practitioner=practitioner,
        patient=patient,
        treatment=treatment,
        message=message,
        status=ConsultationStatus.CONFIRMED,
        starts_at=slot.start.astimezone(UTC),  # as the column reads it back (commit_as_flushed)
        ends_at=slot.end.astimezone(UTC),
        reminded_at=_reminded_at(slot.start, now),
    )
    db.session.add(consultation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SlotUnavailable(SLOT_TAKEN) from None
    notices.booked(consultation)
    refresh_next_available(availability, now)
    db.session.flush()
    reviewable_when_new(consultation)
    # Served as made, with both parties' names: no transaction to read them back.
    commit_as_flushed(db.session(), consultation, practitioner, patient)
    return consultation


def move(consultation: Consultation, party: Role, start: datetime) -> Consultation:
    """Move a booking to the free slot that begins at `start`, at once: the old slot is free
    again only if the move succeeds."""
    current = consultation.status
    now = utcnow()
    if not consultation.is_booking or not may_reschedule(party, current):
        raise IllegalTransition(f"A {party} cannot move a {current} consultation.")
    if consultation.starts_at <= now:
        raise IllegalTransition("This booking has started: it can no longer be moved.")
    availability = hold_bookings(consultation.practitioner_id)
    if availability is None:
        raise NotBookable("This practitioner takes no bookings any more.")
    slot = _bookable(availability, start, now, "starts_at")
    if slot.start == consultation.starts_at:
        db.session.rollback()  # nothing to move: release the lock
        return consultation
    _check_free(consultation.practitioner_id, slot, moving=consultation.id)
    previous = consultation.starts_at
    # Conditional on what we checked: a concurrent cancellation or move wins, this is a 409.
    try:
        moved = db.session.execute(
            update(Consultation)
            .where(
                Consultation.id == consultation.id,
                Consultation.status == current,
                Consultation.starts_at == previous,
            )
            .values(
                starts_at=slot.start,
                ends_at=slot.end,
                reminded_at=_reminded_at(slot.start, now),
                updated_at=now,
            )
        ).rowcount
    except IntegrityError:
        db.session.rollback()
        raise SlotUnavailable(SLOT_TAKEN) from None
    if moved != 1:
        db.session.rollback()
        raise IllegalTransition("The consultation changed meanwhile; reload it.")
    db.session.refresh(consultation)
    notices.booking_moved(consultation, previous)
    refresh_next_available(availability, now)
    db.session.commit()
    return consultation


def refresh_next_available(availability: Availability, now: datetime) -> None:
    """Compute the profile's next_available again, and when the clock alone will change it
    (slots.outlook). In the caller's transaction."""
    schedule = availability.schedule
    earliest, latest = schedule.bookable_window(now)
    taken = _taken(availability.practitioner_id, earliest, latest + schedule.step)
    next_available, availability.refresh_due_at = slots.outlook(schedule, now, taken)
    # Not an edit of the profile: its updated_at stays (updated_since syncs edits). Written only
    # when it moved (most bookings take a later slot): next_available is indexed, so every
    # write of the row adds an entry to each index of practitioners.
    db.session.execute(
        update(Practitioner)
        .where(
            Practitioner.id == availability.practitioner_id,
            Practitioner.next_available.is_distinct_from(next_available),
        )
        .values(next_available=next_available, updated_at=Practitioner.updated_at)
    )


def refresh_due_availability(now: datetime) -> dict:
    """The worker's job: next_available of each practitioner whose slot has moved into the
    notice period, or whose horizon has reached a new slot. Each under its booking lock, so
    that two workers, or a worker and a booking, never interleave."""
    due = db.session.scalars(
        select(Availability.practitioner_id).where(Availability.refresh_due_at <= now)
    ).all()
    db.session.rollback()
    refreshed = 0
    for practitioner_id in due:
        availability = hold_bookings(practitioner_id)
        if availability is not None:  # else its profile was erased meanwhile
            refresh_next_available(availability, now)
            refreshed += 1
        db.session.commit()
    return {"next_available_refreshed": refreshed}


def _bookable(availability: Availability, start: datetime, now: datetime, field: str) -> slots.Slot:
    try:
        return slots.bookable_slot(availability.schedule, start, now)
    except slots.NotBookableSlot as refusal:
        raise InvalidInput(field, str(refusal)) from None


def _check_free(practitioner_id: str, slot: slots.Slot, moving: str) -> None:
    """The slot a booking moves to is free but for the booking itself (_overlapping)."""
    overlapping = _overlapping(practitioner_id, slot).where(Consultation.id != moving)
    if db.session.scalar(overlapping.limit(1)) is not None:
        raise SlotUnavailable(SLOT_TAKEN)


def _overlapping(practitioner_id: str, slot: slots.Slot) -> Select:
    """The live bookings that overlap the slot, which make it unavailable: one at the same
    start (the unique index would refuse it too), or one cut on an older grid of the
    schedule."""
    return select(Consultation.id).where(
        Consultation.practitioner_id == practitioner_id,
        Consultation.starts_at < slot.end,
        Consultation.ends_at > slot.start,
        Consultation.status.not_in(RELEASED),
    )


def _taken(practitioner_id: str, after: datetime, before: datetime) -> list[tuple]:
    """The (start, end) of the practitioner's live bookings that overlap [after, before)."""
    rows = db.session.execute(
        select(Consultation.starts_at, Consultation.ends_at).where(
            Consultation.practitioner_id == practitioner_id,
            Consultation.starts_at < before,
            Consultation.ends_at > after,
            Consultation.status.not_in(RELEASED),
        )
    )
    return [tuple(row) for row in rows]


def _upcoming_bookings(patient_id: str, practitioner_id: str, now: datetime) -> ScalarSelect:
    """How many upcoming bookings the patient holds with the practitioner."""
    return (
        select(func.count())
        .where(
            Consultation.patient_id == patient_id,
            Consultation.practitioner_id == practitioner_id,
            Consultation.status == ConsultationStatus.CONFIRMED,
            Consultation.starts_at > now,
        )
        .scalar_subquery()
    )


def _reminded_at(start: datetime, now: datetime) -> datetime | None:
    """A booking made (or moved) less than a day ahead needs no reminder: its confirmation
    is one. Marked as reminded, the worker leaves it alone."""
    return now if start - now <= REMINDER_BEFORE else None
