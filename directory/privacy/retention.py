"""Retention (GDPR storage limitation): a periodic job of the worker (directory/jobs.py) that
forgets what no longer serves its purpose. Sent mails are purged by mail.services.purge_old_mail
and expired tokens by the housekeeping job; this one does the rest."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, or_, select

from directory.accounts.models import AccountToken
from directory.core.db import utcnow
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.privacy.erasure import erase_profiles
from directory.testimonials.models import Invitation, Testimonial

# A few profiles per round: each erasure is a transaction of its own, kept short.
PROFILES_PER_ROUND = 20


def apply_retention(now: datetime | None = None) -> dict:
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS"])
    expired_profiles = list(
        db.session.scalars(
            select(Practitioner)
            .where(Practitioner.deleted_at < cutoff)
            .order_by(Practitioner.deleted_at)
            .limit(PROFILES_PER_ROUND)
        )
    )
    if expired_profiles:
        erase_profiles(expired_profiles)
    # A used link is refused without its row, as an unknown one is.
    spent_tokens = db.session.execute(
        delete(AccountToken).where(AccountToken.used_at.is_not(None))
    ).rowcount
    spent_invitations = db.session.execute(
        delete(Invitation).where(
            or_(Invitation.used_at.is_not(None), Invitation.expires_at < now),
            # A used invitation is the proof of the review it allowed: kept while the review is.
            ~exists().where(Testimonial.invitation_id == Invitation.id),
        )
    ).rowcount
    db.session.commit()
    return {
        "profiles_erased": len(expired_profiles),
        "spent_tokens_purged": spent_tokens,
        "invitations_purged": spent_invitations,
    }
