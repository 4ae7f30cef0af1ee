"""The single-use tokens of emailed links: email verification, password reset, email change."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from directory.accounts.models import AccountToken, LinkPurpose, User
from directory.core.db import utcnow
from directory.core.errors import LinkExpired
from directory.extensions import db

LIFETIMES = {
    LinkPurpose.VERIFY_EMAIL: timedelta(hours=48),
    LinkPurpose.RESET_PASSWORD: timedelta(hours=1),
    LinkPurpose.CHANGE_EMAIL: timedelta(hours=48),
}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, purpose: LinkPurpose, new_email: str | None = None) -> str:
    """A fresh token for the link (the caller mails it and commits). Earlier unused tokens of
    the same purpose stop working: only the latest link counts."""
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=digest(token),
            new_email=new_email,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def redeem(token: str, purpose: LinkPurpose) -> AccountToken:
    """Spend a token: unknown, used, expired or of another purpose is a 410. Conditional on
    being unused, so that two concurrent uses cannot both succeed."""
    record = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == digest(token), AccountToken.purpose == purpose
        )
    )
    now = utcnow()
    if record is None or record.used_at is not None or record.expires_at < now:
        raise LinkExpired("This link is unknown, used or expired; ask for a new one.")
    spent = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == record.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if spent != 1:
        raise LinkExpired("This link has just been used.")
    return record
