"""The mails a consultation's changes send, written into the same transaction as the change."""

from directory.accounts.models import User
from directory.consultations.models import Consultation, ConsultationStatus
from directory.extensions import db
from directory.mail.outbox import enqueue, frontend_link


def _owner_of(consultation: Consultation) -> User:
    return db.session.get(User, consultation.practitioner.user_id)


def _context(consultation: Consultation, name: str) -> dict:
    return {
        "name": name,
        "practitioner_name": consultation.practitioner.full_name,
        "patient_name": consultation.patient.full_name,
        "treatment": consultation.treatment,
        "starts_at": consultation.starts_at.isoformat() if consultation.starts_at else None,
    }


def requested(consultation: Consultation) -> None:
    owner = _owner_of(consultation)
    context = _context(consultation, owner.full_name) | {
        "message": consultation.message,
        "link": frontend_link(f"/consultations/{consultation.id}"),
    }
    enqueue("consultation-requested", owner.email, context, user_id=owner.id)


def status_changed(consultation: Consultation, new: ConsultationStatus) -> None:
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
