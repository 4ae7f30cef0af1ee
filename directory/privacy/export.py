"""Export (GDPR articles 15 and 20): `GET /api/v1/auth/me/export`, everything the service holds
about the caller as one JSON document (schemas.ExportSchema shapes it).

SECTIONS lists, one function per part of the domain, what the caller finds in it. A new table
that names a person is one more section. Nothing of another person goes in: a practitioner's
reviews come with their texts and ratings, not with their authors' accounts or addresses.
"""

from collections.abc import Callable

from sqlalchemy import or_, select

from directory.accounts.models import User
from directory.accounts.services import me
from directory.consultations.models import Consultation
from directory.credentials.models import Certification
from directory.extensions import db
from directory.gallery.consents import consents_asked_of
from directory.gallery.models import GalleryItem
from directory.mail.services import mails_sent_to, preferences_of
from directory.practitioners.models import Practitioner
from directory.testimonials.models import (
    HelpfulVote,
    Invitation,
    Testimonial,
    TestimonialReport,
)


def _profiles(user: User) -> list[Practitioner]:
    """Every profile of the account, a soft-deleted one too (it is kept until retention)."""
    return list(db.session.scalars(select(Practitioner).where(Practitioner.user_id == user.id)))


def _profile_ids(user: User):
    return select(Practitioner.id).where(Practitioner.user_id == user.id)


def _all(statement) -> list:
    return list(db.session.scalars(statement))


class AsExported:
    """A consultation in the export of `user`: the patient's own words are theirs to get, not
    the practitioner's."""

    def __init__(self, consultation: Consultation, user: User):
        self.consultation, self.user = consultation, user

    @property
    def message(self) -> str | None:
        return self.consultation.message if self.consultation.patient_id == self.user.id else None

    def __getattr__(self, name):
        return getattr(self.consultation, name)


SECTIONS: dict[str, Callable[[User], object]] = {
    "account": me,
    "profiles": _profiles,
    "certifications": lambda user: _all(
        select(Certification).where(Certification.practitioner_id.in_(_profile_ids(user)))
    ),
    "consultations": lambda user: [
        AsExported(consultation, user)
        for consultation in _all(
            select(Consultation)
            .where(
                or_(
                    Consultation.patient_id == user.id,
                    Consultation.practitioner_id.in_(_profile_ids(user)),
                )
            )
            .order_by(Consultation.created_at)
        )
    ],
    "testimonials_written": lambda user: _all(
        select(Testimonial).where(Testimonial.author_id == user.id)
    ),
    "testimonials_received": lambda user: _all(
        select(Testimonial).where(Testimonial.practitioner_id.in_(_profile_ids(user)))
    ),
    "invitations_sent": lambda user: _all(
        select(Invitation).where(Invitation.practitioner_id.in_(_profile_ids(user)))
    ),
    "invitations_received": lambda user: (
        _all(select(Invitation).where(Invitation.email == user.email))
        if user.email_verified
        else []
    ),
    "helpful_votes": lambda user: _all(
        select(HelpfulVote).where(HelpfulVote.user_id == user.id).order_by(HelpfulVote.created_at)
    ),
    "reports_made": lambda user: _all(
        select(TestimonialReport).where(TestimonialReport.reporter_id == user.id)
    ),
    "gallery_items": lambda user: _all(
        select(GalleryItem).where(GalleryItem.practitioner_id.in_(_profile_ids(user)))
    ),
    "photo_consents": lambda user: _all(consents_asked_of(user)),
    "notification_preferences": lambda user: preferences_of(user.id),
    "mails": lambda user: mails_sent_to(user.id),
}


def export_of(user: User) -> dict:
    return {name: section(user) for name, section in SECTIONS.items()}
