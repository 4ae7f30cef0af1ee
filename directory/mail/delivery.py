"""Delivering the outbox: claim due mails, send them over one SMTP connection (or write them as
.eml files), record the outcomes in short transactions.

Each mail is sent once with any number of workers: a worker claims a batch in one statement
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so that workers never wait for each other; SQLite has
one writer at a time, and the conditional UPDATE alone decides), which makes the batch its
own for LEASE. Outcomes are recorded as it goes, sent mails SENT_GROUP at a time: a worker
that dies (SIGKILL, a lost machine) leaves at most that many mails sent but unrecorded, which
are sent again by whoever reclaims them once the lease has run out. SIGTERM is no such death:
the worker finishes and records its batch first.

A temporary refusal (no connection, a 4xx answer) is retried after a delay that doubles from
FIRST_RETRY up to MAX_RETRY_DELAY, for RETRY_FOR after the mail was created; a 5xx answer to
the mail itself is final.
"""

import logging
import os
import secrets
import smtplib
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import Connection, or_, select, update

from directory.core.db import utcnow
from directory.extensions import db
from directory.mail.models import MailEvent, OutboxMail, OutboxStatus

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# Far longer than a batch takes; a worker gives its unsent claims back at half of it.
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
RETRY_FOR = timedelta(hours=24)
# Sent mails are recorded this many at a time, or after this long (see _Outcomes).
SENT_GROUP = 10
SENT_GROUP_SECONDS = 1.0
SMTP_TIMEOUT_SECONDS = 30
ERROR_MAX = 1000


class DeliveryError(Exception):
    """The mail was not delivered this time."""

    permanent = False


class PermanentFailure(DeliveryError):
    """The server refused this mail for good (5xx): never retried."""

    permanent = True


class TemporaryFailure(DeliveryError):
    """Try again later (4xx, the connection broke mid-mail)."""


class ServerUnavailable(TemporaryFailure):
    """No usable connection to the server: nothing more is tried in this batch."""


@dataclass(frozen=True)
class ClaimedMail:
    id: str
    event: MailEvent
    recipient: str
    subject: str
    message: str
    created_at: datetime
    attempts: int


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def add(self, other: "DeliveryReport") -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


# --- transports -------------------------------------------------------------------------------


class Transport(Protocol):
    def send(self, mail: ClaimedMail, sender: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SMTPSettings:
    host: str
    port: int
    security: str  # "plain", "starttls" or "tls"
    username: str | None = None
    password: str | None = None


SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


def parse_smtp_url(url: str) -> SMTPSettings:
    """smtp://host:port, smtp+starttls://user:password@host:587, smtps://user:password@host:465
    (user and password percent-encoded)."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(
            "SMTP_URL must look like smtp://host:port, smtp+starttls://user:password@host:587 "
            "or smtps://user:password@host:465"
        )
    security, default_port = SCHEMES[parts.scheme]
    return SMTPSettings(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _refusal(code: int, reply: bytes | str) -> DeliveryError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    error_class = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return error_class(f"{code} {text}")


class SMTPTransport:
    """One connection, opened at the first mail and reused for every mail of the batch."""

    def __init__(self, settings: SMTPSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        # gethostname, not smtplib's default getfqdn, which may wait for DNS.
        options = {"timeout": SMTP_TIMEOUT_SECONDS, "local_hostname": socket.gethostname()}
        connection = None
        try:
            if settings.security == "tls":
                context = ssl.create_default_context()
                connection = smtplib.SMTP_SSL(
                    settings.host, settings.port, context=context, **options
                )
            else:
                connection = smtplib.SMTP(settings.host, settings.port, **options)
            if settings.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
            if settings.username:
                connection.login(settings.username, settings.password or "")
        except (OSError, smtplib.SMTPException) as error:
            if connection is not None:
                connection.close()
            # Even a 5xx here (a refused login) is the server's state, not this mail's fault.
            raise ServerUnavailable(f"cannot connect to the SMTP server: {error}") from error
        return connection

    def send(self, mail: ClaimedMail, sender: str) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.sendmail(sender, [mail.recipient], mail.message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise self._refused(code, reply) from error
        except smtplib.SMTPResponseException as error:
            raise self._refused(error.smtp_code, error.smtp_error) from error
        except (smtplib.SMTPNotSupportedError, UnicodeEncodeError) as error:
            # A non-ASCII address, which this server (or smtplib's sendmail) cannot carry.
            raise PermanentFailure(f"cannot be sent as it is: {error}") from error
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            raise TemporaryFailure(f"connection lost: {error}") from error

    def _refused(self, code: int, reply: bytes | str) -> DeliveryError:
        if code == 421:  # the server closes the connection (smtplib has closed its end)
            self._drop()
        return _refusal(code, reply)

    def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except OSError:
                pass

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()


class FileTransport:
    """The embedded default: each mail becomes an .eml file under MAIL_DIR, and a log line."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def send(self, mail: ClaimedMail, sender: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{utcnow():%Y%m%dT%H%M%S}-{mail.id}.eml"
        partial = path.with_suffix(".partial")
        partial.write_text(mail.message, encoding="ascii")
        os.replace(partial, path)  # a reader never sees half a file
        log.info("mail %s to %s, %r: written to %s", mail.event, mail.recipient, mail.subject, path)

    def close(self) -> None:
        pass


def transport_from_config() -> Transport:
    config = current_app.config
    if config.get("SMTP_URL"):
        return SMTPTransport(parse_smtp_url(config["SMTP_URL"]))
    return FileTransport(config["MAIL_DIR"])


# --- the outbox -------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """1 minute after the first attempt, then 2, 4, 8... up to MAX_RETRY_DELAY."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), MAX_RETRY_DELAY)


def claim_due(
    connection: Connection, now: datetime, limit: int = BATCH_SIZE
) -> tuple[str, list[ClaimedMail]]:
    """Make up to `limit` due mails this worker's for LEASE, in a transaction of its own."""
    token = secrets.token_hex(16)
    due = (
        select(OutboxMail.id)
        .where(
            OutboxMail.status == OutboxStatus.PENDING,
            OutboxMail.next_attempt_at <= now,
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .order_by(OutboxMail.next_attempt_at)
        .limit(limit)
        # PostgreSQL: rows another worker is claiming are skipped, not waited for. SQLite
        # ignores the clause: its single writer runs the UPDATE below as a whole.
        .with_for_update(skip_locked=True)
    )
    claimed = connection.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id.in_(due.scalar_subquery()),
            # Again in the UPDATE itself: whatever another worker committed meanwhile wins.
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(claimed_until=now + LEASE, claim_token=token, attempts=OutboxMail.attempts + 1)
        .returning(
            OutboxMail.id,
            OutboxMail.event,
            OutboxMail.recipient,
            OutboxMail.subject,
            OutboxMail.message,
            OutboxMail.created_at,
            OutboxMail.attempts,
        )
    ).all()
    connection.commit()
    mails = [ClaimedMail(**row._mapping) for row in claimed]
    mails.sort(key=lambda mail: mail.created_at)
    return token, mails


def _finished(status: OutboxStatus, now: datetime, error: str | None = None) -> dict:
    # The message goes once the mail is done with: it may hold a link's secret.
    values = {
        "status": status,
        "next_attempt_at": None,
        "message": "",
        "claimed_until": None,
        "claim_token": None,
    }
    if status == OutboxStatus.SENT:
        values["sent_at"] = now
    if error is not None:
        values["last_error"] = error[:ERROR_MAX]
    return values


class _Outcomes:
    """Records what became of a batch's mails, on the worker's connection, in short
    transactions, and only while the claim is still this worker's (`token`).

    Sent mails are recorded in groups (SENT_GROUP mails, or SENT_GROUP_SECONDS): one write
    for several mails. The price: a worker that dies between sending and recording resends at
    most that group, once its lease has run out.
    """

    def __init__(self, connection: Connection, token: str, report: DeliveryReport):
        self.connection = connection
        self.token = token
        self.report = report
        self.unrecorded: list[str] = []
        self.oldest_unrecorded = 0.0

    def _claimed(self, ids: Sequence[str]):
        return update(OutboxMail).where(
            OutboxMail.id.in_(ids), OutboxMail.claim_token == self.token
        )

    def sent(self, mail: ClaimedMail) -> None:
        self.report.sent += 1
        if not self.unrecorded:
            self.oldest_unrecorded = time.monotonic()
        self.unrecorded.append(mail.id)
        if (
            len(self.unrecorded) >= SENT_GROUP
            or time.monotonic() - self.oldest_unrecorded > SENT_GROUP_SECONDS
        ):
            self.record_sent()

    def record_sent(self) -> None:
        if not self.unrecorded:
            return
        changed = self.connection.execute(
            self._claimed(self.unrecorded).values(**_finished(OutboxStatus.SENT, utcnow()))
        ).rowcount
        self.connection.commit()
        if changed != len(self.unrecorded):
            log.warning("%d sent mails had lost their claim", len(self.unrecorded) - changed)
        self.unrecorded = []

    def not_delivered(self, mails: Sequence[ClaimedMail], error: DeliveryError, now: datetime):
        """Retry later, or give up (a permanent refusal, or RETRY_FOR after creation)."""
        self.record_sent()
        for mail in mails:
            deadline = mail.created_at + RETRY_FOR
            if error.permanent or now >= deadline:
                log.warning("mail %s (%s) failed: %s", mail.id, mail.event, error)
                values = _finished(OutboxStatus.FAILED, now, str(error))
                self.report.failed += 1
            else:
                values = {
                    "next_attempt_at": min(now + retry_delay(mail.attempts), deadline),
                    "last_error": str(error)[:ERROR_MAX],
                    "claimed_until": None,
                    "claim_token": None,
                }
                self.report.retried += 1
            self.connection.execute(self._claimed([mail.id]).values(**values))
        self.connection.commit()

    def give_back(self, mails: Sequence[ClaimedMail]) -> None:
        """Unclaim mails not tried: due again at once, for any worker, no attempt counted."""
        self.record_sent()
        self.connection.execute(
            self._claimed([mail.id for mail in mails]).values(
                claimed_until=None, claim_token=None, attempts=OutboxMail.attempts - 1
            )
        )
        self.connection.commit()


def deliver_due(
    now: datetime | None = None, limit: int = BATCH_SIZE, transport: Transport | None = None
) -> DeliveryReport:
    """Claim one batch of due mails and deliver it. The report's `claimed` is 0 when nothing
    was due."""
    now = now or utcnow()
    transport = transport or transport_from_config()  # a bad SMTP_URL fails before any claim
    # One connection for the whole batch: no pool check-out (and liveness ping) per mail.
    with db.engine.connect() as connection:
        token, mails = claim_due(connection, now, limit)
        report = DeliveryReport(claimed=len(mails))
        if mails:
            _deliver(connection, token, mails, transport, report, now)
    return report


def _deliver(
    connection: Connection,
    token: str,
    mails: list[ClaimedMail],
    transport: Transport,
    report: DeliveryReport,
    now: datetime,
) -> None:
    sender = parseaddr(current_app.config["MAIL_FROM"])[1]  # the envelope's
    outcomes = _Outcomes(connection, token, report)
    started = time.monotonic()
    try:
        for index, mail in enumerate(mails):
            if time.monotonic() - started > LEASE.total_seconds() / 2:
                # A slow server: stop well before another worker may take these over.
                outcomes.give_back(mails[index:])
                break
            try:
                transport.send(mail, sender)
            except ServerUnavailable as error:
                log.warning("SMTP unavailable for %d mails: %s", len(mails) - index, error)
                outcomes.not_delivered(mails[index:], error, now)
                break
            except DeliveryError as error:
                outcomes.not_delivered([mail], error, now)
            else:
                outcomes.sent(mail)
        outcomes.record_sent()
    finally:
        transport.close()
    log.info("outbox batch: %s", report)


def deliver_all_due(limit: int = BATCH_SIZE) -> DeliveryReport:
    """Batches until nothing is due (mails to retry later are not due)."""
    total = DeliveryReport()
    while True:
        report = deliver_due(limit=limit)
        total.add(report)
        if report.claimed < limit:
            return total
