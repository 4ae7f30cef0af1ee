"""Consultation requests and their state machine."""

from sqlalchemy import Select, select, update

from directory.accounts.models import Role, User
from directory.consultations.models import Consultation, ConsultationStatus
from directory.core.db import today, utcnow
from directory.core.errors import ConflictError, InvalidInput, NotFoundError, PermissionDenied
from directory.core.permissions import ensure_party_to, is_owner
from directory.extensions import db
from directory.practitioners.models import Practitioner

S = ConsultationStatus
# Who may move a consultation from which status to which.
TRANSITIONS = {
    Role.PRACTITIONER: {
        (S.REQUESTED, S.CONFIRMED),
        (S.CONFIRMED, S.COMPLETED),
        (S.REQUESTED, S.DECLINED),
        (S.CONFIRMED, S.DECLINED),
    },
    Role.PATIENT: {(S.REQUESTED, S.CANCELLED), (S.CONFIRMED, S.CANCELLED)},
}


def request_consultation(practitioner: Practitioner, patient: User, data: dict) -> Consultation:
    if data.get("preferred_date") and data["preferred_date"] < today():
        raise InvalidInput("preferred_date", "The preferred date is in the past.")
    if data.get("treatment") and data["treatment"] not in practitioner.treatments:
        raise InvalidInput("treatment", "This practitioner does not offer this treatment.")
    consultation = Consultation(practitioner=practitioner, patient_id=patient.id, **data)
    db.session.add(consultation)
    db.session.commit()
    return consultation


def visible_consultation(consultation_id: str, user: User) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFoundError("No such consultation.")
    ensure_party_to(user, consultation)
    return consultation


def consultations_of(user: User, status: ConsultationStatus | None) -> Select:
    """The caller's own consultations, newest first (all of them for an admin)."""
    statement = select(Consultation)
    if user.role == Role.PATIENT:
        statement = statement.where(Consultation.patient_id == user.id)
    elif user.role == Role.PRACTITIONER:
        own_profiles = select(Practitioner.id).where(Practitioner.user_id == user.id)
        statement = statement.where(Consultation.practitioner_id.in_(own_profiles))
    if status is not None:
        statement = statement.where(Consultation.status == status)
    return statement.order_by(Consultation.created_at.desc(), Consultation.id.desc())


def change_status(consultation: Consultation, user: User, new: ConsultationStatus) -> Consultation:
    if is_owner(user, consultation.practitioner):
        role = Role.PRACTITIONER
    elif consultation.patient_id == user.id:
        role = Role.PATIENT
    else:
        raise PermissionDenied("Only the patient or the practitioner may change a consultation.")
    current = consultation.status
    if (current, new) not in TRANSITIONS[role]:
        raise ConflictError(f"A {role} cannot move a consultation from {current} to {new}.")
    # Conditional on the status we checked: of two concurrent changes, one wins, one is a 409.
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.status == current)
        .values(status=new, updated_at=utcnow())
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise ConflictError("The consultation changed meanwhile; reload it.")
    db.session.commit()
    db.session.refresh(consultation)
    return consultation
