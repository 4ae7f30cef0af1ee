"""The mails about a practitioner's certifications: admins' decisions, and expiry."""

from datetime import datetime, timedelta

from sqlalchemy import select, update

from directory.accounts.models import User
from directory.credentials.models import Certification, CertificationStatus
from directory.extensions import db
from directory.mail.outbox import enqueue, frontend_link

EXPIRY_NOTICE = timedelta(days=30)


def _tell_owner(event: str, certification: Certification, **context) -> None:
    owner = db.session.get(User, certification.practitioner.user_id)
    context = {
        "name": owner.full_name,
        "certification_name": certification.name,
        "expires_on": certification.expires_on.isoformat() if certification.expires_on else None,
        "link": frontend_link(f"/practitioners/{certification.practitioner_id}/certifications"),
    } | context
    enqueue(event, owner.email, context, user_id=owner.id)


def verified(certification: Certification) -> None:
    _tell_owner("certification-verified", certification)


def rejected(certification: Certification, reason: str) -> None:
    _tell_owner("certification-rejected", certification, reason=reason)


def mail_expiring_and_expired(now: datetime) -> dict:
    """The worker's periodic job: `certification-expiring` 30 days before a verified
    certification's expiry, `certification-expired` on its first day past it; each once
    (a conditional update claims it, so that two workers never both send it)."""
    today = now.date()
    sent = {"certification-expiring": 0, "certification-expired": 0}
    due = {
        "certification-expiring": (
            Certification.expiring_notified_at,
            Certification.expires_on.between(today, today + EXPIRY_NOTICE),
        ),
        "certification-expired": (
            Certification.expired_notified_at,
            Certification.expires_on < today,
        ),
    }
    for event, (notified_at, window) in due.items():
        candidates = db.session.scalars(
            select(Certification).where(
                Certification.status == CertificationStatus.VERIFIED,
                notified_at.is_(None),
                window,
            )
        ).all()
        for certification in candidates:
            claimed = db.session.execute(
                update(Certification)
                .where(Certification.id == certification.id, notified_at.is_(None))
                .values({notified_at: now})
            ).rowcount
            if claimed and certification.practitioner.deleted_at is None:
                _tell_owner(event, certification)
                sent[event] += 1
            db.session.commit()
    return sent
