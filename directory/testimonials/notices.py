"""The mails a testimonial's life sends, written into the same transaction as the change."""

from directory.accounts.models import User
from directory.extensions import db
from directory.mail.outbox import enqueue, frontend_link
from directory.testimonials.models import Testimonial


def _link(testimonial: Testimonial) -> str:
    return frontend_link(
        f"/practitioners/{testimonial.practitioner_id}", testimonial=testimonial.id
    )


def published(testimonial: Testimonial) -> None:
    """The reviewed practitioner hears of a new testimonial (and may answer it)."""
    owner = db.session.get(User, testimonial.practitioner.user_id)
    context = {
        "name": owner.full_name,
        "patient_name": testimonial.author_name,
        "rating": testimonial.rating,
        "link": _link(testimonial),
    }
    enqueue("testimonial-published", owner.email, context, user_id=owner.id)


def answered(testimonial: Testimonial) -> None:
    author = db.session.get(User, testimonial.author_id)
    context = {
        "name": author.full_name,
        "practitioner_name": testimonial.practitioner.full_name,
        "link": _link(testimonial),
    }
    enqueue("testimonial-response", author.email, context, user_id=author.id)


def hidden(testimonial: Testimonial, reason: str) -> None:
    author = db.session.get(User, testimonial.author_id)
    context = {
        "name": author.full_name,
        "practitioner_name": testimonial.practitioner.full_name,
        "reason": reason,
    }
    enqueue("testimonial-hidden", author.email, context, user_id=author.id)
