"""How the rest of the app sends mail: `enqueue` in the transaction of the change that causes
it, with links made by `frontend_link`.

    from directory.mail.outbox import MailEvent, enqueue, frontend_link

    enqueue(
        MailEvent.PASSWORD_RESET,
        user.email,
        {"name": user.full_name, "link": frontend_link("/reset-password", token=token)},
        user_id=user.id,
    )
    db.session.commit()  # the caller's commit: no commit, no mail

The worker (`flask --app wsgi worker`) delivers what committed; templates.py lists the
context keys each mail uses.
"""

from email.utils import make_msgid, parseaddr
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import select

from directory.accounts.models import User
from directory.core.db import utcnow
from directory.extensions import db
from directory.mail.message import compose
from directory.mail.models import CATEGORY_OF, MailCategory, MailEvent, OutboxMail
from directory.mail.services import allows, unsubscribe_token
from directory.mail.templates import render

__all__ = ["MailCategory", "MailEvent", "OutboxMail", "enqueue", "frontend_link"]

MAX_ADDRESS_LENGTH = 254


def frontend_link(path: str, **query) -> str:
    """`{FRONTEND_URL}{path}?{query}`: an absolute link for a mail (None values left out)."""
    base = current_app.config["FRONTEND_URL"].rstrip("/")
    path = path if path.startswith("/") else f"/{path}"
    parameters = {name: value for name, value in query.items() if value is not None}
    return f"{base}{path}?{urlencode(parameters)}" if parameters else f"{base}{path}"


def enqueue(event: str, to: str, context: dict, *, user_id: str | None = None) -> OutboxMail | None:
    """Add a mail to the caller's transaction (not committed here: it exists only if the
    caller's change commits). None when the recipient turned this kind of mail off.

    `event` is a MailEvent (or its value); `context` has `name` (the recipient's name, or
    nothing for a greeting without one), `link` when the mail has one (absolute: see
    frontend_link), and the keys templates.py lists. `user_id`: the recipient's account, when
    the caller knows it; otherwise the account with that address, if any. Its preferences
    apply, and the privacy export lists the mail.
    """
    event = MailEvent(event)
    to = _checked_address(to)
    category = CATEGORY_OF[event]
    unsubscribe_url = None
    # These queries flush the caller's pending changes, as any query would: an account made
    # (or erased) earlier in the same transaction is then seen as it will be.
    user_id = user_id or _account_of(to)
    if category is not None and user_id is not None:
        if not allows(user_id, category):
            return None
        unsubscribe_url = frontend_link("/unsubscribe", token=unsubscribe_token(user_id, category))
    rendered = render(event, context, unsubscribe_url)
    sender = current_app.config["MAIL_FROM"]
    message_id = make_msgid(domain=_domain_of(sender))
    created_at = utcnow()
    mail = OutboxMail(
        event=event,
        recipient=to,
        user_id=user_id,
        subject=rendered.subject,
        message_id=message_id,
        message=compose(event, sender, to, rendered, message_id, created_at, unsubscribe_url),
        created_at=created_at,
        next_attempt_at=created_at,
    )
    db.session.add(mail)
    return mail


def _checked_address(to: str) -> str:
    """A programming error (not a user's) when it is not a plain address: raise at once, in
    the caller's request, rather than fail in the worker."""
    address = to.strip() if isinstance(to, str) else ""
    if (
        "@" not in address
        or len(address) > MAX_ADDRESS_LENGTH
        or any(char in address for char in "\r\n<>,")
    ):
        raise ValueError(f"not a recipient address: {to!r}")
    return address


def _account_of(address: str) -> str | None:
    # Addresses are stored lower-cased (accounts.models.User.email).
    return db.session.scalar(select(User.id).where(User.email == address.lower()))


def _domain_of(sender: str) -> str:
    # An explicit domain: make_msgid would otherwise resolve this host's name (DNS) each time.
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"
