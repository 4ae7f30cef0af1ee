"""The rating summary on each profile, recomputed in the transaction of every testimonial change.

Recomputing (rather than adding and subtracting) keeps it exact by construction: the stars, the
aspects and the worth-it answers alike. Concurrent writers are serialised on the practitioner
row: PostgreSQL locks it (FOR NO KEY UPDATE) before the aggregates run; SQLite has a single
writer, and each caller has written before calling here.
"""

from sqlalchemy import case, func, select

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.rating_summary import ASPECTS, WorthIt, rating_summary
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
    published = (
        Testimonial.practitioner_id == practitioner_id,
        Testimonial.status == TestimonialStatus.PUBLISHED,
    )
    counts = dict(
        db.session.execute(
            select(Testimonial.rating, func.count()).where(*published).group_by(Testimonial.rating)
        ).all()
    )
    for column, value in rating_summary(counts).items():
        setattr(practitioner, column, value)
    for column, value in _besides_the_stars(published).items():
        setattr(practitioner, column, value or 0)  # SUM over no row is NULL


def _besides_the_stars(published: tuple) -> dict:
    """Each aspect's sum and count, and the count of each worth-it answer: one statement."""
    columns = {}
    for aspect in ASPECTS:
        given = getattr(Testimonial, f"aspect_{aspect}")
        columns[f"aspect_{aspect}_sum"] = func.sum(given)
        columns[f"aspect_{aspect}_count"] = func.count(given)
    for answer in WorthIt:
        columns[f"worth_it_{answer}"] = func.sum(case((Testimonial.worth_it == answer, 1), else_=0))
    row = db.session.execute(
        select(*(value.label(name) for name, value in columns.items())).where(*published)
    ).one()
    return row._asdict()
