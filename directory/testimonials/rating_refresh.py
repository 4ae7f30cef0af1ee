"""The rating summary on each profile, recomputed in the transaction of every testimonial change.

Recomputing (rather than adding and subtracting) keeps it exact by construction. Concurrent
writers are serialised on the practitioner row: PostgreSQL locks it (FOR NO KEY UPDATE) before the
aggregate runs; SQLite has a single writer, and each caller has written before calling here.
"""

from sqlalchemy import func, select

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.rating_summary import rating_summary
from directory.testimonials.models import Testimonial, TestimonialStatus


def refresh_rating(practitioner_id: str) -> None:
    db.session.flush()
    practitioner = db.session.scalar(
        select(Practitioner)
        .where(Practitioner.id == practitioner_id)
        # NO KEY UPDATE: serialises rating writers, yet stays compatible with the KEY SHARE
        # locks that inserting a testimonial (its foreign key) takes on this row.
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    counts = dict(
        db.session.execute(
            select(Testimonial.rating, func.count())
            .where(
                Testimonial.practitioner_id == practitioner_id,
                Testimonial.status == TestimonialStatus.PUBLISHED,
            )
            .group_by(Testimonial.rating)
        ).all()
    )
    for column, value in rating_summary(counts).items():
        setattr(practitioner, column, value)
