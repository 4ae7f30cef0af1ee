"""Notification preferences, one-click unsubscribe, and the outbox as admins and the privacy
export see it."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, delete, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key

from directory.accounts.models import User
from directory.core.db import utcnow
from directory.core.errors import LinkExpired
from directory.extensions import db
from directory.mail.models import MailCategory, NotificationPreferences, OutboxMail, OutboxStatus

# Sent (and failed) mails are kept this long, then purged by the worker.
KEPT_FOR = timedelta(days=30)
UNSUBSCRIBE_SALT = "directory.mail.unsubscribe"


def preferences_of(user_id: str) -> dict[str, bool]:
    """{category: on?} for every category; a user who never chose has everything on."""
    stored = _stored_preferences(user_id)
    return {category.value: stored is None or stored.allows(category) for category in MailCategory}


def _stored_preferences(user_id: str) -> NotificationPreferences | None:
    """The user's row, if any: from their account where the session holds it with its
    preferences loaded (load_recipients), else read."""
    user = db.session.identity_map.get(identity_key(User, user_id))
    if user is not None and "notification_preferences" not in inspect(user).unloaded:
        return user.notification_preferences
    return db.session.get(NotificationPreferences, user_id)


def load_recipients(user_ids: Iterable[str]) -> dict[str, User]:
    """These accounts with their preferences, by id, in one query: the mails then enqueued to
    them ask the database nothing more while the caller holds them (the session keeps only
    the objects something refers to)."""
    users = db.session.scalars(
        select(User)
        .where(User.id.in_(set(user_ids)))
        .options(joinedload(User.notification_preferences))
    )
    return {user.id: user for user in users}


def allows(user_id: str, category: MailCategory) -> bool:
    return preferences_of(user_id)[category.value]


def update_preferences(user_id: str, choices: dict[str, bool]) -> dict[str, bool]:
    _upsert(user_id, choices)
    db.session.commit()
    return preferences_of(user_id)


def _upsert(user_id: str, choices: dict[str, bool]) -> None:
    """One statement, so that two concurrent first choices of a user cannot collide."""
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    values = {**choices, "updated_at": utcnow()}
    db.session.execute(
        insert(NotificationPreferences)
        .values(user_id=user_id, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: str, category: MailCategory) -> str:
    """A token that turns `category` off for that user: signed, so nothing is stored, and
    valid as long as the account and SECRET_KEY are (a link in an old mail still works)."""
    return _serializer().dumps([user_id, category.value])


def unsubscribe(token: str) -> None:
    """RFC 8058 one-click: turn off the category the token names for its user."""
    try:
        user_id, category = _serializer().loads(token)
        category = MailCategory(category)
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkExpired("This unsubscribe link is not valid.") from error
    if db.session.get(User, user_id) is None:
        raise LinkExpired("This unsubscribe link belongs to an account that no longer exists.")
    _upsert(user_id, {category.value: False})
    db.session.commit()


def outbox(status: OutboxStatus | None = None) -> Select:
    """The outbox, newest first; of one status when given."""
    statement = select(OutboxMail)
    if status is not None:
        statement = statement.where(OutboxMail.status == status)
    return statement.order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())


def mails_sent_to(user_id: str) -> list[dict]:
    """What the privacy export lists: the mails sent to a user (event, subject, date)."""
    rows = db.session.execute(
        select(OutboxMail.event, OutboxMail.subject, OutboxMail.sent_at)
        .where(OutboxMail.user_id == user_id, OutboxMail.status == OutboxStatus.SENT)
        .order_by(OutboxMail.sent_at.desc())
    )
    return [
        {"event": row.event.value, "subject": row.subject, "sent_at": row.sent_at} for row in rows
    ]


def purge_old_mail(now: datetime | None = None) -> dict:
    """A periodic job: forget sent and failed mails after KEPT_FOR (they name people)."""
    cutoff = (now or utcnow()) - KEPT_FOR
    purged = db.session.execute(
        delete(OutboxMail).where(
            OutboxMail.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            OutboxMail.created_at < cutoff,
        )
    ).rowcount
    db.session.commit()
    return {"mails_purged": purged}
