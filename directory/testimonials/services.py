"""Testimonials from verified clients only, and everything that changes them."""

import enum
import secrets
from datetime import timedelta

from sqlalchemy import Select, delete, select, update

from directory.accounts.models import User
from directory.audit.services import record
from directory.consultations.models import Consultation, ConsultationStatus
from directory.core.db import insert_ignoring_duplicates, today, utcnow
from directory.core.errors import ConflictError, InvalidInput, PermissionDenied
from directory.core.text import public_name
from directory.extensions import db
from directory.mail.outbox import enqueue, frontend_link
from directory.permissions import is_admin
from directory.practitioners.models import Practitioner
from directory.practitioners.rating_summary import WorthIt
from directory.practitioners.services import ensure_accepting_clients
from directory.testimonials import notices
from directory.testimonials.models import (
    HelpfulVote,
    Invitation,
    Testimonial,
    TestimonialReport,
    TestimonialStatus,
    Verification,
)
from directory.testimonials.rating_refresh import refresh_rating


class TestimonialSort(enum.StrEnum):
    NEWEST = "newest"
    HIGHEST = "highest"
    LOWEST = "lowest"
    HELPFUL = "helpful"


class ModerationFilter(enum.StrEnum):
    REPORTED = "reported"  # published, with reports no moderator has settled
    PUBLISHED = "published"
    HIDDEN = "hidden"


INVITATION_LIFETIME = timedelta(days=30)
NOT_A_CLIENT = (
    "Only a client of this practitioner can review them: give your completed "
    "consultation or the invitation code they sent you."
)


def invite(practitioner: Practitioner, email: str) -> Invitation:
    """A single-use code, mailed to the invited address only: the practitioner never sees it,
    so cannot use it from an address of their own."""
    ensure_accepting_clients(practitioner)
    invitation = Invitation(
        practitioner_id=practitioner.id,
        email=email,
        code=secrets.token_urlsafe(24),
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    # The review page needs the practitioner as well as the code.
    link = frontend_link("/review", code=invitation.code, practitioner=practitioner.id)
    context = {
        "name": "",
        "link": link,
        "practitioner_name": practitioner.full_name,
        "practitioner_id": practitioner.id,
        "expires_at": invitation.expires_at.isoformat(),
    }
    enqueue("invitation", email, context)
    db.session.commit()
    return invitation


def write_testimonial(
    practitioner: Practitioner,
    author: User,
    rating: int,
    title: str,
    body: str,
    treatment: str | None = None,
    consultation_id: str | None = None,
    invitation_code: str | None = None,
    **details,
) -> Testimonial:
    """A testimonial proven by the author's completed consultation or by their invitation;
    `details` are the optional aspects, worth_it, cost and treated_on."""
    _check_details(details)
    proof: dict
    if consultation_id is not None:
        consultation = _completed_consultation(practitioner, author, consultation_id)
        proof = {"verification": Verification.CONSULTATION, "consultation_id": consultation.id}
        treatment = treatment or consultation.treatment
    else:
        invitation = _usable_invitation(practitioner, author, invitation_code)
        invitation.used_at = utcnow()
        proof = {"verification": Verification.INVITATION, "invitation_id": invitation.id}
    testimonial = Testimonial(
        practitioner_id=practitioner.id,
        author_id=author.id,
        author_name=public_name(author.full_name),
        rating=rating,
        title=title,
        body=body,
        treatment=treatment,
        **proof,
        **details,
    )
    db.session.add(testimonial)
    refresh_rating(practitioner.id)
    notices.published(testimonial)
    db.session.commit()  # unique consultation_id / invitation_id: a lost race is a 409
    return testimonial


def invitations_of(practitioner: Practitioner) -> Select:
    return (
        select(Invitation)
        .where(Invitation.practitioner_id == practitioner.id)
        .order_by(Invitation.created_at.desc(), Invitation.id)
    )


def _completed_consultation(practitioner: Practitioner, author: User, consultation_id: str):
    consultation = db.session.get(Consultation, consultation_id)
    if (
        consultation is None
        or consultation.patient_id != author.id
        or consultation.practitioner_id != practitioner.id
        or consultation.status != ConsultationStatus.COMPLETED
    ):
        raise PermissionDenied(NOT_A_CLIENT)
    taken = select(Testimonial.id).where(Testimonial.consultation_id == consultation.id)
    if db.session.scalar(taken) is not None:
        raise ConflictError("This consultation has already been reviewed.")
    return consultation


def _usable_invitation(practitioner: Practitioner, author: User, code: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
    if (
        invitation is None
        or invitation.practitioner_id != practitioner.id
        or invitation.email != author.email
        or invitation.expires_at < utcnow()
    ):
        raise PermissionDenied(NOT_A_CLIENT)
    if invitation.used_at is not None:
        raise ConflictError("This invitation has already been used.")
    return invitation


def _check_details(details: dict) -> None:
    treated_on = details.get("treated_on")
    if treated_on is not None and treated_on > today():
        raise InvalidInput("treated_on", "The treatment date is in the future.")


def edit_testimonial(testimonial: Testimonial, data: dict) -> Testimonial:
    _check_details(data)
    for field, value in data.items():
        setattr(testimonial, field, value)
    refresh_rating(testimonial.practitioner_id)
    db.session.commit()
    return testimonial


def delete_testimonial(testimonial: Testimonial, actor: User) -> None:
    if is_admin(actor) and testimonial.author_id != actor.id:
        record(actor, "testimonial.delete", "testimonial", testimonial.id)
    db.session.delete(testimonial)
    refresh_rating(testimonial.practitioner_id)
    db.session.commit()


def respond(testimonial: Testimonial, body: str) -> Testimonial:
    testimonial.response_body = body
    testimonial.response_at = utcnow()
    notices.answered(testimonial)
    db.session.commit()
    return testimonial


def report(testimonial: Testimonial, reporter: User, reason: str) -> TestimonialReport:
    already = select(TestimonialReport.id).where(
        TestimonialReport.testimonial_id == testimonial.id,
        TestimonialReport.reporter_id == reporter.id,
    )
    if db.session.scalar(already) is not None:
        raise ConflictError("You have already reported this testimonial.")
    entry = TestimonialReport(testimonial_id=testimonial.id, reporter_id=reporter.id, reason=reason)
    db.session.add(entry)
    testimonial.open_reports = Testimonial.open_reports + 1  # atomic under concurrency
    db.session.commit()  # unique (testimonial, reporter): a lost race is a 409
    return entry


def hide(testimonial: Testimonial, admin: User, reason: str) -> Testimonial:
    notices.hidden(testimonial, reason)
    return _moderate(testimonial, admin, TestimonialStatus.HIDDEN, reason)


def restore(testimonial: Testimonial, admin: User) -> Testimonial:
    return _moderate(testimonial, admin, TestimonialStatus.PUBLISHED, None)


def _moderate(testimonial, admin, status: TestimonialStatus, reason: str | None) -> Testimonial:
    testimonial.status = status
    testimonial.hidden_reason = reason
    testimonial.hidden_at = utcnow() if status == TestimonialStatus.HIDDEN else None
    testimonial.open_reports = 0  # a moderator's decision settles the reports
    action = "testimonial.hide" if status == TestimonialStatus.HIDDEN else "testimonial.restore"
    record(admin, action, "testimonial", testimonial.id, **({"reason": reason} if reason else {}))
    refresh_rating(testimonial.practitioner_id)
    db.session.commit()
    return testimonial


def vote_helpful(testimonial: Testimonial, voter: User) -> dict:
    """Once per user: a second vote changes nothing. The count moves only when a vote row was
    really added, in the same statement-level atomic way under any number of voters."""
    added = db.session.execute(
        insert_ignoring_duplicates(HelpfulVote, db.session.get_bind().dialect.name).values(
            testimonial_id=testimonial.id, user_id=voter.id, created_at=utcnow()
        )
    ).rowcount
    return _count_vote(testimonial, change=added, voted=True)


def withdraw_helpful(testimonial: Testimonial, voter: User) -> dict:
    removed = db.session.execute(
        delete(HelpfulVote).where(
            HelpfulVote.testimonial_id == testimonial.id, HelpfulVote.user_id == voter.id
        )
    ).rowcount
    return _count_vote(testimonial, change=-removed, voted=False)


def _count_vote(testimonial: Testimonial, change: int, voted: bool) -> dict:
    if change:
        db.session.execute(
            update(Testimonial)
            .where(Testimonial.id == testimonial.id)
            .values(helpful_count=Testimonial.helpful_count + change)
            # updated_at stays: a vote is no edit of the testimonial.
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    db.session.refresh(testimonial)
    return {"helpful_count": testimonial.helpful_count, "voted": voted}


SORT_KEYS = {
    TestimonialSort.NEWEST: [Testimonial.created_at.desc()],
    TestimonialSort.HIGHEST: [Testimonial.rating.desc(), Testimonial.created_at.desc()],
    TestimonialSort.LOWEST: [Testimonial.rating.asc(), Testimonial.created_at.desc()],
    TestimonialSort.HELPFUL: [Testimonial.helpful_count.desc(), Testimonial.created_at.desc()],
}


def published_testimonials(
    practitioner: Practitioner,
    sort: TestimonialSort,
    rating: int | None = None,
    treatment: str | None = None,
    worth_it: WorthIt | None = None,
) -> Select:
    statement = select(Testimonial).where(
        Testimonial.practitioner_id == practitioner.id,
        Testimonial.status == TestimonialStatus.PUBLISHED,
    )
    if rating is not None:
        statement = statement.where(Testimonial.rating == rating)
    if treatment is not None:
        statement = statement.where(Testimonial.treatment == treatment)
    if worth_it is not None:
        statement = statement.where(Testimonial.worth_it == worth_it)
    return statement.order_by(*SORT_KEYS[sort], Testimonial.id)


MODERATION_FILTERS = {
    ModerationFilter.REPORTED: [
        Testimonial.status == TestimonialStatus.PUBLISHED,
        Testimonial.open_reports > 0,
    ],
    ModerationFilter.PUBLISHED: [Testimonial.status == TestimonialStatus.PUBLISHED],
    ModerationFilter.HIDDEN: [Testimonial.status == TestimonialStatus.HIDDEN],
}


def moderation_queue(status: ModerationFilter) -> Select:
    """Testimonials of live profiles in the given state, oldest first."""
    return (
        select(Testimonial)
        .join(Testimonial.practitioner)
        .where(Practitioner.deleted_at.is_(None), *MODERATION_FILTERS[status])
        .order_by(Testimonial.created_at, Testimonial.id)
    )
