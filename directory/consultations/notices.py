"""The mails a consultation's changes send, written into the same transaction as the change.
Bookings are consultations; their mails are the booking-* ones."""

from datetime import datetime
from zoneinfo import ZoneInfo

from directory.accounts.models import User
from directory.booking.models import Availability
from directory.consultations.models import RELEASED, Consultation, ConsultationStatus
from directory.extensions import db
from directory.mail.outbox import enqueue, frontend_link
from directory.mail.services import load_recipients


def _owner_of(consultation: Consultation) -> User:
    return db.session.get(User, consultation.practitioner.user_id)


def _local(consultation: Consultation, moment: datetime | None) -> str | None:
    """A booked time as the practitioner's clock shows it (what both parties go by)."""
    if moment is None:
        return None
    availability = db.session.get(Availability, consultation.practitioner_id)
    if availability is not None:
        moment = moment.astimezone(ZoneInfo(availability.timezone))
    return moment.isoformat()


def _context(consultation: Consultation, name: str) -> dict:
    return {
        "name": name,
        "practitioner_name": consultation.practitioner.full_name,
        "patient_name": consultation.patient.full_name,
        "treatment": consultation.treatment,
        "starts_at": _local(consultation, consultation.starts_at),
    }


def _link(consultation: Consultation) -> str:
    return frontend_link(f"/consultations/{consultation.id}")


def _tell_patient(event: str, consultation: Consultation) -> None:
    patient = consultation.patient
    context = _context(consultation, patient.full_name) | {
        "other_party": consultation.practitioner.full_name,
        "link": _link(consultation),
    }
    enqueue(event, patient.email, context, user_id=patient.id)


def _tell_practitioner(
    event: str, consultation: Consultation, owner: User | None = None, **extra
) -> None:
    owner = owner or _owner_of(consultation)
    context = _context(consultation, owner.full_name) | {
        "other_party": consultation.patient.full_name,
        "link": _link(consultation),
    }
    enqueue(event, owner.email, context | extra, user_id=owner.id)


def booked(consultation: Consultation) -> None:
    # Both recipients with their preferences in one query; the two mails in one INSERT (no
    # look-up left to flush the first).
    owner_id = consultation.practitioner.user_id
    recipients = load_recipients([consultation.patient_id, owner_id])
    with db.session.no_autoflush:
        _tell_patient("booking-confirmed", consultation)
        _tell_practitioner("booking-confirmed", consultation, owner=recipients[owner_id])


def booking_moved(consultation: Consultation, previous_start: datetime) -> None:
    """Only the patient moves a booking: the practitioner is told."""
    _tell_practitioner(
        "booking-moved",
        consultation,
        previous_starts_at=_local(consultation, previous_start),
    )


def booking_reminder(consultation: Consultation) -> None:
    _tell_patient("booking-reminder", consultation)


def requested(consultation: Consultation) -> None:
    owner = _owner_of(consultation)
    context = _context(consultation, owner.full_name) | {
        "message": consultation.message,
        "link": frontend_link(f"/consultations/{consultation.id}"),
    }
    enqueue("consultation-requested", owner.email, context, user_id=owner.id)


def status_changed(consultation: Consultation, new: ConsultationStatus) -> None:
    """Tell the other party. A booking cancelled by the patient or declined by the
    practitioner is a `booking-cancelled` to the other one; otherwise as a request."""
    if consultation.is_booking and new in RELEASED:
        if new == ConsultationStatus.CANCELLED:
            _tell_practitioner("booking-cancelled", consultation)
        else:
            _tell_patient("booking-cancelled", consultation)
        return
    if new == ConsultationStatus.NO_SHOW:
        return
    _request_status_changed(consultation, new)


def _request_status_changed(consultation: Consultation, new: ConsultationStatus) -> None:
    """Tell the other party: the patient of a confirmation, a decline or a completion (with a
    link to review), the practitioner of a cancellation."""
    patient = consultation.patient
    to_patient = {
        ConsultationStatus.CONFIRMED: "consultation-confirmed",
        ConsultationStatus.DECLINED: "consultation-declined",
        ConsultationStatus.COMPLETED: "review-request",
    }
    if new in to_patient:
        link = (
            frontend_link("/review", consultation=consultation.id)
            if new == ConsultationStatus.COMPLETED
            else frontend_link(f"/consultations/{consultation.id}")
        )
        context = _context(consultation, patient.full_name) | {"link": link}
        enqueue(to_patient[new], patient.email, context, user_id=patient.id)
    elif new == ConsultationStatus.CANCELLED:
        owner = _owner_of(consultation)
        context = _context(consultation, owner.full_name) | {
            "other_party": patient.full_name,
            "link": frontend_link(f"/consultations/{consultation.id}"),
        }
        enqueue("consultation-cancelled", owner.email, context, user_id=owner.id)
