"""How a profile's reviews came about, counted from the records themselves (never stored, so
never out of step): a practitioner who invites only happy clients shows many invitations
beside few completed consultations."""

from datetime import timedelta
from functools import cache

from sqlalchemy import Select, bindparam, func, select

from directory.consultations.models import Consultation, ConsultationStatus
from directory.core.db import UTCDateTime, utcnow
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
    values = {"practitioner_id": practitioner_id, "since": utcnow() - RECENT}
    return db.session.execute(_counts(), values).one()._asdict()


@cache
def _counts() -> Select:
    """The counts of a profile (parameters `practitioner_id`, `since`), built once: building
    it took longer than running it, on every profile page."""
    practitioner_id, since = bindparam("practitioner_id"), bindparam("since", type_=UTCDateTime)

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
    return select(*(c.label(name) for name, c in counts.items()))
