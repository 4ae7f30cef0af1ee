"""Consultation requests and their state machine."""

from datetime import date

from sqlalchemy import Select, select, update

from directory.accounts.models import Role, User
from directory.booking import services as booking
from directory.consultations import notices
from directory.consultations.models import RELEASED, Consultation, ConsultationStatus, may_move
from directory.core.db import today, utcnow
from directory.core.errors import IllegalTransition, InvalidInput
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.services import ensure_accepting_clients


def request_consultation(
    practitioner: Practitioner,
    patient: User,
    treatment: str,
    message: str,
    preferred_date: date | None = None,
) -> Consultation:
    ensure_accepting_clients(practitioner)
    if preferred_date and preferred_date < today():
        raise InvalidInput("preferred_date", "The preferred date is in the past.")
    if not practitioner.offers(treatment):
        raise InvalidInput("treatment", "This practitioner does not offer this treatment.")
    consultation = Consultation(
        practitioner=practitioner,
        patient_id=patient.id,
        treatment=treatment,
        message=message,
        preferred_date=preferred_date,
    )
    db.session.add(consultation)
    db.session.flush()
    notices.requested(consultation)
    db.session.commit()
    return consultation


def consultations_of(
    user: User, status: ConsultationStatus | None, upcoming: bool = False
) -> Select:
    """The caller's own consultations, newest first (all of them for an admin); `upcoming`:
    only confirmed bookings not yet started, soonest first (an agenda)."""
    statement = select(Consultation)
    if user.role == Role.PATIENT:
        statement = statement.where(Consultation.patient_id == user.id)
    elif user.role == Role.PRACTITIONER:
        own_profiles = select(Practitioner.id).where(Practitioner.user_id == user.id)
        statement = statement.where(Consultation.practitioner_id.in_(own_profiles))
    if status is not None:
        statement = statement.where(Consultation.status == status)
    if upcoming:
        return statement.where(
            Consultation.status == ConsultationStatus.CONFIRMED,
            Consultation.starts_at > utcnow(),
        ).order_by(Consultation.starts_at, Consultation.id)
    return statement.order_by(Consultation.created_at.desc(), Consultation.id.desc())


def change_status(consultation: Consultation, party: Role, new: ConsultationStatus) -> Consultation:
    """Move a consultation, as `party` (see permissions.party_to), along the state machine."""
    current = consultation.status
    if not may_move(party, current, new):
        raise IllegalTransition(f"A {party} cannot move a consultation from {current} to {new}.")
    if new == ConsultationStatus.NO_SHOW and not (
        consultation.is_booking and consultation.starts_at <= utcnow()
    ):
        raise IllegalTransition("Only a booking that has started can be marked no_show.")
    availability = None
    if consultation.is_booking:
        # Booking changes take the practitioner's booking lock first, always in that order.
        availability = booking.hold_bookings(consultation.practitioner_id)
    # Conditional on the status we checked: of two concurrent changes, one wins, one is a 409.
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.status == current)
        .values(status=new, updated_at=utcnow())
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise IllegalTransition("The consultation changed meanwhile; reload it.")
    db.session.refresh(consultation)
    notices.status_changed(consultation, new)
    if availability is not None and new in RELEASED:  # its slot is free again
        booking.refresh_next_available(availability, utcnow())
    db.session.commit()
    return consultation
