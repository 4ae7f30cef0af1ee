"""How a profile's reviews came about, counted from the records themselves (never stored, so
never out of step): a practitioner who invites only happy clients shows many invitations
beside few completed consultations."""

from datetime import timedelta

from sqlalchemy import func, select

from directory.consultations.models import Consultation, ConsultationStatus
from directory.core.db import utcnow
from directory.extensions import db
from directory.testimonials.models import (
    Invitation,
    Testimonial,
    TestimonialStatus,
    Verification,
)

RECENT = timedelta(days=365)


def review_integrity(practitioner_id: str) -> dict[str, int]:
    """The profile's review_integrity: one statement of counts."""
    since = utcnow() - RECENT

    def counted(model, *conditions):
        return (
            select(func.count())
            .select_from(model)
            .where(model.practitioner_id == practitioner_id, *conditions)
            .scalar_subquery()
        )

    published = Testimonial.status == TestimonialStatus.PUBLISHED
    counts = {
        "testimonials_from_consultations": counted(
            Testimonial, published, Testimonial.verification == Verification.CONSULTATION
        ),
        "testimonials_from_invitations": counted(
            Testimonial, published, Testimonial.verification == Verification.INVITATION
        ),
        "invitations_sent_12_months": counted(Invitation, Invitation.created_at >= since),
        # A consultation's last change is its completion: nothing moves a completed one.
        "consultations_completed_12_months": counted(
            Consultation,
            Consultation.status == ConsultationStatus.COMPLETED,
            Consultation.updated_at >= since,
        ),
        "hidden_12_months": counted(
            Testimonial,
            Testimonial.status == TestimonialStatus.HIDDEN,
            Testimonial.hidden_at >= since,
        ),
    }
    row = db.session.execute(select(*(c.label(name) for name, c in counts.items()))).one()
    return row._asdict()
