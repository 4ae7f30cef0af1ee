"""Erasure (GDPR article 17): `DELETE /api/v1/auth/me` deletes the account and the personal data
that names its holder, in one transaction; the files go after the commit.

ERASERS lists, one function per part of the domain, what each table that names a person does
when that person leaves. A new table with a user id or an email column is one more function
here: tests/privacy/test_erasure.py reads every such column from the models and fails until the
erased person is gone from it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, exists, func, or_, select, update

from directory.accounts.models import AccountToken, TokenSession, User
from directory.accounts.passwords import verify_password
from directory.audit.models import AuditEntry
from directory.consultations.models import Consultation, ConsultationStatus
from directory.core.errors import NotAuthenticated
from directory.core.idempotency import IdempotencyKey
from directory.core.media import removed_on_commit
from directory.credentials.models import Certification
from directory.credentials.services import remember_erased_credentials
from directory.extensions import db
from directory.gallery import consents
from directory.gallery.models import ConsentStatus, GalleryItem
from directory.mail.models import MailEvent, NotificationPreferences, OutboxMail
from directory.mail.outbox import enqueue
from directory.practitioners.models import LiveProfileCount, Practitioner
from directory.testimonials.models import (
    HelpfulVote,
    Invitation,
    Testimonial,
    TestimonialReport,
)
from directory.testimonials.rating_refresh import refresh_rating

OPEN = (ConsultationStatus.REQUESTED, ConsultationStatus.CONFIRMED)


@dataclass
class Erasure:
    """One person's erasure, as the erasers go: what they found to do after the rows."""

    user: User | None  # None when only profiles are erased (retention)
    # Records addressed to an email (photo consents, invitations) are the person's only once
    # they proved the address is theirs.
    address: str | None
    # Every profile of the account, live or soft-deleted.
    profiles: list[Practitioner]
    files: list[str] = field(default_factory=list)
    ratings_to_refresh: set[str] = field(default_factory=set)
    # Ids of the deleted records, which the audit log may name.
    records: set[str] = field(default_factory=set)

    @property
    def profile_ids(self) -> list[str]:
        return [profile.id for profile in self.profiles]


def erase_account(user: User, password: str) -> None:
    """Erase the account, with the password as the proof of intent; a mail confirms it."""
    if not verify_password(user.password_hash, password):
        raise NotAuthenticated("The password is wrong.")
    profiles = db.session.scalars(select(Practitioner).where(Practitioner.user_id == user.id))
    erasure = Erasure(user, user.email if user.email_verified else None, list(profiles))
    for eraser in ERASERS:
        eraser(erasure)
    for practitioner_id in erasure.ratings_to_refresh - set(erasure.profile_ids):
        refresh_rating(practitioner_id)
    address, name = user.email, user.full_name
    db.session.delete(user)
    db.session.flush()
    # After the account is gone, so that nothing links this last mail to it.
    enqueue(MailEvent.ACCOUNT_DELETED, address, {"name": name})
    with removed_on_commit(*erasure.files):
        db.session.commit()


def erase_profiles(profiles: list[Practitioner]) -> None:
    """Soft-deleted profiles past retention, erased for good with what hangs on them (the
    account stays); their files go after the commit."""
    erasure = Erasure(user=None, address=None, profiles=profiles)
    _profiles(erasure)
    _audit_details(erasure)
    with removed_on_commit(*erasure.files):
        db.session.commit()


def _photo_consents(erasure: Erasure) -> None:
    """Photos of the person in other practitioners' galleries: consent revoked, items gone."""
    if erasure.address is None:
        return
    items = db.session.scalars(
        select(GalleryItem).where(
            GalleryItem.patient_email == erasure.address,
            GalleryItem.practitioner_id.not_in(erasure.profile_ids),
        )
    )
    for item in items:
        erasure.records.add(item.id)
        erasure.files.extend(consents.forget(item, ConsentStatus.REVOKED))


def _helpful_votes_cast(erasure: Erasure) -> None:
    """The person's votes go; each review they found helpful counts one vote less."""
    theirs = HelpfulVote.user_id == erasure.user.id
    db.session.execute(
        update(Testimonial)
        .where(Testimonial.id.in_(select(HelpfulVote.testimonial_id).where(theirs)))
        .values(helpful_count=Testimonial.helpful_count - 1)
    )
    db.session.execute(delete(HelpfulVote).where(theirs))


def _testimonials_written(erasure: Erasure) -> None:
    """The person's reviews go; the ratings they counted in are recomputed."""
    written = db.session.execute(
        select(Testimonial.id, Testimonial.practitioner_id).where(
            Testimonial.author_id == erasure.user.id
        )
    ).all()
    erasure.records.update(row.id for row in written)
    erasure.ratings_to_refresh.update(row.practitioner_id for row in written)
    ids = [row.id for row in written]
    db.session.execute(delete(TestimonialReport).where(TestimonialReport.testimonial_id.in_(ids)))
    db.session.execute(delete(Testimonial).where(Testimonial.id.in_(ids)))


def _reports_made(erasure: Erasure) -> None:
    db.session.execute(
        delete(TestimonialReport).where(TestimonialReport.reporter_id == erasure.user.id)
    )


def _invitations_received(erasure: Erasure) -> None:
    if erasure.address is None:
        return
    db.session.execute(
        delete(Invitation).where(
            Invitation.email == erasure.address,
            # Used by a review that stays (written from another account): keep the proof.
            ~exists().where(Testimonial.invitation_id == Invitation.id),
        )
    )


def _consultations_as_patient(erasure: Erasure) -> None:
    """Open ones are cancelled; all lose the person, and the patient's own words."""
    mine = Consultation.patient_id == erasure.user.id
    db.session.execute(
        update(Consultation)
        .where(mine, Consultation.status.in_(OPEN))
        .values(status=ConsultationStatus.CANCELLED)
    )
    db.session.execute(update(Consultation).where(mine).values(patient_id=None, message=None))


def _profiles(erasure: Erasure) -> None:
    """A practitioner's profiles are deleted for real, with everything that hangs on them."""
    ids = erasure.profile_ids
    if not ids:
        return
    reviews = select(Testimonial.id).where(Testimonial.practitioner_id.in_(ids))
    erasure.records.update(ids)
    erasure.records.update(db.session.scalars(reviews))
    db.session.execute(
        delete(TestimonialReport).where(TestimonialReport.testimonial_id.in_(reviews))
    )
    db.session.execute(delete(Testimonial).where(Testimonial.practitioner_id.in_(ids)))
    theirs = Consultation.practitioner_id.in_(ids)
    db.session.execute(
        update(Consultation)
        .where(theirs, Consultation.status.in_(OPEN))
        .values(status=ConsultationStatus.CANCELLED)
    )
    db.session.execute(update(Consultation).where(theirs).values(practitioner_id=None))
    db.session.execute(delete(Invitation).where(Invitation.practitioner_id.in_(ids)))
    for profile in erasure.profiles:  # their credential numbers, as keyed hashes only
        remember_erased_credentials(profile)
    certifications = db.session.scalars(
        select(Certification).where(Certification.practitioner_id.in_(ids))
    ).all()
    erasure.records.update(certification.id for certification in certifications)
    erasure.files.extend(certification.document_key for certification in certifications)
    db.session.execute(delete(Certification).where(Certification.practitioner_id.in_(ids)))
    items = db.session.scalars(
        select(GalleryItem).where(GalleryItem.practitioner_id.in_(ids))
    ).all()
    erasure.records.update(item.id for item in items)
    erasure.files.extend(key for item in items for key in item.keys)
    db.session.execute(delete(GalleryItem).where(GalleryItem.practitioner_id.in_(ids)))
    listed = sum(p.deleted_at is None and p.suspended_at is None for p in erasure.profiles)
    for profile in erasure.profiles:
        # Its treatments, languages, verified treatments and schedule go with it (cascades).
        db.session.delete(profile)
    # The rows first, then the count, as every write of a profile takes their locks (the rows'
    # search words come with them, migration 0025): in the other order, an erasure and a profile
    # sharing a word could each wait for the other.
    db.session.flush()
    db.session.execute(update(LiveProfileCount).values(value=LiveProfileCount.value - listed))


def _audit_details(erasure: Erasure) -> None:
    """The audit trail keeps who did what to which record, by ids; the free text an admin wrote
    about the person's records (a rejection or suspension reason) goes."""
    if erasure.records:
        db.session.execute(
            update(AuditEntry).where(AuditEntry.target_id.in_(erasure.records)).values(detail={})
        )


def _decisions_as_admin(erasure: Erasure) -> None:
    """An admin's verifications stay; who made them is in the audit log, by id only."""
    db.session.execute(
        update(Certification)
        .where(Certification.reviewed_by == erasure.user.id)
        .values(reviewed_by=None)
    )


def _mails(erasure: Erasure) -> None:
    """Mails to the person, sent or not, at their address or one they asked to move to (the
    account-deleted mail is added after)."""
    asked_for = select(AccountToken.new_email).where(
        AccountToken.user_id == erasure.user.id, AccountToken.new_email.is_not(None)
    )
    db.session.execute(
        delete(OutboxMail).where(
            or_(
                OutboxMail.user_id == erasure.user.id,
                func.lower(OutboxMail.recipient) == erasure.user.email,
                func.lower(OutboxMail.recipient).in_(asked_for),
            )
        )
    )


def _account_records(erasure: Erasure) -> None:
    user_id = erasure.user.id
    for model in (AccountToken, TokenSession, NotificationPreferences):
        db.session.execute(delete(model).where(model.user_id == user_id))
    # Replayable answers to the person's requests (they may hold their data).
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.caller == f"account:{user_id}"))


# In an order the foreign keys accept: reviews before the consultations and invitations they
# cite, everything before the profiles and the account.
ERASERS: list[Callable[[Erasure], None]] = [
    _photo_consents,
    _helpful_votes_cast,
    _testimonials_written,
    _reports_made,
    _invitations_received,
    _consultations_as_patient,
    _profiles,
    _audit_details,
    _decisions_as_admin,
    _mails,
    _account_records,
]
