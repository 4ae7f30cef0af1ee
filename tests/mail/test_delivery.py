"""The worker delivers the outbox to a real SMTP server (aiosmtpd): once, with both parts and
the contract's headers; it retries what the server refuses for a while and gives up on what it
refuses for good. The clock moves (time-machine); no test waits for a backoff."""

import email
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from directory.core.db import utcnow
from directory.extensions import db
from directory.mail.delivery import LEASE, RETRY_FOR, claim_due, parse_smtp_url
from directory.mail.models import OutboxMail, OutboxStatus
from directory.mail.outbox import MailEvent, enqueue, frontend_link
from tests.mail.conftest import unique_address, unsubscribe_url_of
from tests.reliability.services import wait_for

ROOT = Path(__file__).resolve().parents[2]


def queue(app, event=MailEvent.PASSWORD_CHANGED, to=None, **context) -> str:
    """Commit one mail; returns its id."""
    with app.app_context():
        mail = enqueue(event, to or unique_address(), {"name": "Zoé Martin"} | context)
        db.session.commit()
        return mail.id


def row(app, mail_id: str) -> OutboxMail:
    with app.app_context():
        mail = db.session.get(OutboxMail, mail_id)
        db.session.expunge(mail)
        return mail


def test_a_committed_mail_is_delivered_once_with_both_parts_and_its_headers(
    app, smtp_server, run_worker_once, make_user
):
    user = make_user()
    with app.app_context():
        link = frontend_link("/consultations/c1")
        mail = enqueue(
            MailEvent.CONSULTATION_CONFIRMED,
            user.email,
            {"name": "Zoé Martin", "link": link, "practitioner_name": "Dr Camille Durand"},
            user_id=user.id,
        )
        db.session.commit()
        mail_id, message_id = mail.id, mail.message_id
        unsubscribe_url = unsubscribe_url_of(mail.message)

    run_worker_once()
    run_worker_once()

    (message,) = smtp_server.received(user.email)
    assert message["Message-ID"] == message_id
    assert message["X-Directory-Event"] == "consultation-confirmed"
    assert message["Subject"] == "Your consultation is confirmed"
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Date"]
    assert message["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Dr Camille Durand confirmed your consultation." in text and link in text
    assert "Dr Camille Durand confirmed your consultation." in html and f'href="{link}"' in html

    sent = row(app, mail_id)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 1
    assert sent.sent_at is not None and sent.next_attempt_at is None
    assert sent.message == ""  # no link's secret kept once sent


def test_security_mails_carry_no_unsubscribe_link(app, smtp_server, run_worker_once):
    to = unique_address()
    queue(app, MailEvent.PASSWORD_RESET, to, link="http://127.0.0.1:3000/reset-password?token=t")

    run_worker_once()

    (message,) = smtp_server.received(to)
    assert message["X-Directory-Event"] == "password-reset"
    assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message


def test_a_batch_reuses_one_connection_and_every_mail_has_its_own_message_id(
    app, smtp_server, run_worker_once
):
    for _ in range(5):
        queue(app)

    run_worker_once()

    assert len(smtp_server.handler.messages) == 5
    assert len(set(smtp_server.handler.sessions)) == 1
    assert set(smtp_server.counts_by_message_id().values()) == {1}


def test_mails_wait_while_smtp_is_down_and_are_delivered_once_when_it_returns(
    app, smtp_server, run_worker_once
):
    smtp_server.stop()
    mail_ids = [queue(app) for _ in range(3)]
    start = utcnow()

    run_worker_once()
    first = row(app, mail_ids[0])
    run_worker_once()  # nothing is due yet: no new attempt

    assert first.status == OutboxStatus.PENDING and first.attempts == 1
    assert "cannot connect" in first.last_error
    assert timedelta(seconds=55) < first.next_attempt_at - start < timedelta(seconds=65)
    assert row(app, mail_ids[0]).attempts == 1

    with time_machine.travel(first.next_attempt_at + timedelta(seconds=1), tick=False):
        run_worker_once()
    second = row(app, mail_ids[0])
    assert second.attempts == 2
    assert second.next_attempt_at - first.next_attempt_at > timedelta(seconds=115)  # 2 minutes

    smtp_server.start()
    with time_machine.travel(second.next_attempt_at + timedelta(seconds=1), tick=False):
        run_worker_once()
        run_worker_once()

    assert len(smtp_server.handler.messages) == 3
    assert set(smtp_server.counts_by_message_id().values()) == {1}
    assert {row(app, mail_id).status for mail_id in mail_ids} == {OutboxStatus.SENT}


def test_a_permanent_refusal_fails_the_mail_at_once(app, smtp_server, run_worker_once):
    smtp_server.handler.answer = "550 5.1.1 No such mailbox"
    mail_id = queue(app)

    run_worker_once()
    with time_machine.travel(utcnow() + timedelta(hours=2), tick=False):
        run_worker_once()

    failed = row(app, mail_id)
    assert failed.status == OutboxStatus.FAILED and failed.attempts == 1
    assert failed.last_error.startswith("550") and failed.next_attempt_at is None
    assert smtp_server.handler.messages == []


def test_a_temporary_refusal_is_retried_with_growing_delays_for_24_hours(
    app, smtp_server, run_worker_once
):
    smtp_server.handler.answer = "451 4.3.0 Try again later"
    mail_id = queue(app)
    created = row(app, mail_id).created_at

    run_worker_once()
    attempts_at = [utcnow()]
    mail = row(app, mail_id)
    while mail.status == OutboxStatus.PENDING:
        assert mail.attempts < 60, "the retries never end"
        with time_machine.travel(mail.next_attempt_at, tick=False):
            attempts_at.append(utcnow())
            run_worker_once()
        mail = row(app, mail_id)

    delays = [b - a for a, b in zip(attempts_at, attempts_at[1:], strict=False)]
    minutes = [round(delay.total_seconds() / 60) for delay in delays]
    assert minutes[:7] == [1, 2, 4, 8, 16, 32, 60]
    assert max(minutes) == 60
    assert mail.status == OutboxStatus.FAILED and mail.last_error.startswith("451")
    assert attempts_at[-1] - created >= RETRY_FOR
    assert attempts_at[-2] - created < RETRY_FOR
    assert smtp_server.handler.messages == []


def test_a_claim_whose_worker_died_is_taken_over_after_the_lease(app, smtp_server, run_worker_once):
    mail_id = queue(app)
    with app.app_context(), db.engine.connect() as connection:
        claim_due(connection, utcnow())  # a worker claims the mail, then dies before sending it

    run_worker_once()
    assert smtp_server.handler.messages == []

    with time_machine.travel(utcnow() + LEASE + timedelta(seconds=1), tick=False):
        run_worker_once()

    assert len(smtp_server.handler.messages) == 1
    assert row(app, mail_id).status == OutboxStatus.SENT


def test_without_smtp_url_mails_are_written_as_eml_files(app, mail_dir, run_worker_once, caplog):
    assert not app.config["SMTP_URL"]
    to = unique_address()
    mail_id = queue(app, MailEvent.ACCOUNT_DELETED, to)

    with caplog.at_level("INFO", logger="directory.mail.delivery"):
        run_worker_once()

    (path,) = mail_dir.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == to and message["X-Directory-Event"] == "account-deleted"
    assert message.get_body(("html",)) is not None
    assert to in caplog.text and str(path) in caplog.text
    assert row(app, mail_id).status == OutboxStatus.SENT


def test_the_worker_purges_sent_mails_after_30_days(app, smtp_server, run_worker_once):
    old_sent, recent_sent = queue(app), queue(app)
    with app.app_context():
        for mail_id, age in ((old_sent, 31), (recent_sent, 29)):
            mail = db.session.get(OutboxMail, mail_id)
            mail.created_at = utcnow() - timedelta(days=age)
        db.session.commit()
    run_worker_once()
    pending = queue(app)
    with app.app_context():
        mail = db.session.get(OutboxMail, pending)
        mail.created_at = utcnow() - timedelta(days=40)
        mail.next_attempt_at = utcnow() + timedelta(hours=1)  # not due: stays pending
        db.session.commit()

    output = run_worker_once()

    assert "run_housekeeping" in output and "purge_old_mail" in output
    with app.app_context():
        left = set(db.session.scalars(select(OutboxMail.id)))
    assert old_sent not in left and {recent_sent, pending} <= left


def test_smtp_urls():
    plain = parse_smtp_url("smtp://127.0.0.1:2525")
    assert (plain.host, plain.port, plain.security, plain.username) == (
        "127.0.0.1",
        2525,
        "plain",
        None,
    )
    starttls = parse_smtp_url("smtp+starttls://me%40example.org:p%3Ass@mail.example.org")
    assert (starttls.port, starttls.security) == (587, "starttls")
    assert (starttls.username, starttls.password) == ("me@example.org", "p:ss")
    assert parse_smtp_url("smtps://u:p@mail.example.org").port == 465
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example.org")


def test_the_worker_refuses_a_malformed_smtp_url(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", "mail.example.org:25")
    mail_id = queue(app)

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 2 and "SMTP_URL must look like" in result.output
    assert row(app, mail_id).attempts == 0


def test_sigterm_stops_the_long_running_worker_cleanly(app, smtp_server):
    environment = os.environ | {
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMTP_URL": smtp_server.url,
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
    }
    flask = Path(sys.executable).with_name("flask")
    worker = subprocess.Popen(
        [str(flask), "--app", "wsgi", "worker", "--poll-seconds", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        queue(app)
        wait_for(lambda: len(smtp_server.handler.messages) == 1, timeout=30)
        worker.send_signal(signal.SIGTERM)
        stdout, stderr = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert worker.returncode == 0, stderr
    assert "Worker stopped: 1 sent, 0 to retry, 0 failed" in stdout
    assert "SIGTERM received" in stderr


def test_times_are_utc():
    assert utcnow().tzinfo is UTC and isinstance(utcnow(), datetime)
