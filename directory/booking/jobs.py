"""The worker's booking jobs (listed in directory/jobs.py): reminders, completions, and
next_available as time passes (booking.services.refresh_due_availability).

Each mail is claimed by a conditional update before it is written, in the same transaction:
two workers never both send it, and a worker that dies before its commit leaves it for the
next round.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update

from directory.booking.services import REMINDER_BEFORE
from directory.consultations import notices
from directory.consultations.models import Consultation, ConsultationStatus
from directory.core.db import utcnow
from directory.extensions import db

# A booking neither cancelled nor marked no_show is completed this long after its end, so
# that a practitioner cannot keep a client from reviewing by never completing it.
COMPLETED_AFTER = timedelta(hours=1)


def remind_upcoming_bookings(now: datetime) -> dict:
    """`booking-reminder` to the patient about 24 hours before the start, once."""
    due = db.session.scalars(
        select(Consultation.id).where(
            Consultation.status == ConsultationStatus.CONFIRMED,
            Consultation.starts_at.between(now, now + REMINDER_BEFORE),
            Consultation.reminded_at.is_(None),
        )
    ).all()
    sent = _claim_each(
        due,
        still=(Consultation.reminded_at.is_(None),),
        values={"reminded_at": now, "updated_at": Consultation.updated_at},
        then=notices.booking_reminder,
    )
    return {"booking_reminders": sent}


def complete_past_bookings(now: datetime) -> dict:
    """Bookings still confirmed an hour after their end become completed, and the patient is
    asked for a review (`review-request`)."""
    due = db.session.scalars(
        select(Consultation.id).where(
            Consultation.status == ConsultationStatus.CONFIRMED,
            # Implied by the end, and what the index reads.
            Consultation.starts_at <= now - COMPLETED_AFTER,
            Consultation.ends_at <= now - COMPLETED_AFTER,
        )
    ).all()
    completed = _claim_each(
        due,
        still=(),
        values={"status": ConsultationStatus.COMPLETED, "updated_at": utcnow()},
        then=lambda done: notices.status_changed(done, ConsultationStatus.COMPLETED),
    )
    return {"bookings_completed": completed}


def _claim_each(due: list[str], still: tuple, values: dict, then) -> int:
    """Each due booking, still confirmed (and `still` so), claimed by a conditional update so
    that two workers never both act on one; `then` runs on each claimed one, and each commits
    on its own. How many were claimed."""
    claimed = 0
    for consultation_id in due:
        updated = db.session.execute(
            update(Consultation)
            .where(
                Consultation.id == consultation_id,
                Consultation.status == ConsultationStatus.CONFIRMED,
                *still,
            )
            .values(**values)
        ).rowcount
        if updated:
            consultation = db.session.get(Consultation, consultation_id)
            db.session.refresh(consultation)
            then(consultation)
            claimed += 1
        db.session.commit()
    return claimed
