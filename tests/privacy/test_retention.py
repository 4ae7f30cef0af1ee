"""Retention: the worker forgets what no longer serves its purpose, after the configured days
(the clock is moved, never waited for)."""

from datetime import timedelta

from sqlalchemy import func, select

from directory.accounts.models import AccountToken
from directory.core.db import utcnow
from directory.extensions import db
from directory.jobs import PERIODIC_JOBS
from directory.mail.models import OutboxMail, OutboxStatus
from directory.practitioners.models import Practitioner
from directory.privacy.retention import apply_retention
from directory.testimonials.models import Invitation
from tests.helpers import profile_body, published_gallery_item


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_worker_runs_retention_and_lapses_consent_requests():
    names = {job.__name__ for job in PERIODIC_JOBS}
    assert {"apply_retention", "lapse_unanswered_requests", "purge_old_mail"} <= names


def test_a_soft_deleted_profile_is_erased_after_retention_days(client, app, actors, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 7)
    owner = actors.practitioner_with_profile()
    published_gallery_item(app, client, owner)
    profile = Practitioner.id == owner.practitioner_id
    client.delete(f"/api/v1/practitioners/{owner.practitioner_id}", headers=owner.headers)
    days = 7

    with app.app_context():
        assert apply_retention(utcnow() + timedelta(days=days - 1))["profiles_erased"] == 0
    assert count(app, Practitioner, profile) == 1
    with app.app_context():
        assert apply_retention(utcnow() + timedelta(days=days + 1))["profiles_erased"] == 1

    assert count(app, Practitioner, profile) == 0
    again = client.post("/api/v1/practitioners", json=profile_body(), headers=owner.headers)
    assert again.status_code == 201 and again.json["id"] != owner.practitioner_id


def test_spent_tokens_and_used_or_expired_invitations_are_purged(client, app, actors):
    owner = actors.practitioner_with_profile()  # its verification link is spent
    client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/invitations",
        json={"email": "someone@example.com"},
        headers=owner.headers,
    )
    assert count(app, AccountToken, AccountToken.used_at.is_not(None)) >= 1

    with app.app_context():
        apply_retention(utcnow())
    assert count(app, AccountToken, AccountToken.used_at.is_not(None)) == 0
    assert count(app, Invitation) == 1  # still valid
    with app.app_context():
        apply_retention(utcnow() + timedelta(days=31))
    assert count(app, Invitation) == 0


def test_sent_mails_are_purged_after_30_days(app, actors):
    from directory.mail.services import purge_old_mail

    actors.patient()
    with app.app_context():
        for mail in db.session.scalars(select(OutboxMail)):
            mail.status, mail.sent_at, mail.next_attempt_at = OutboxStatus.SENT, utcnow(), None
        db.session.commit()
        assert purge_old_mail(utcnow() + timedelta(days=29))["mails_purged"] == 0
        assert purge_old_mail(utcnow() + timedelta(days=31))["mails_purged"] >= 1
    assert count(app, OutboxMail) == 0


def test_the_worker_erases_expired_profiles_and_their_files_when_the_days_have_passed(
    client, app, actors, runner, monkeypatch, tmp_path
):
    from pathlib import Path

    import time_machine

    monkeypatch.setitem(app.config, "RETENTION_DAYS", 7)
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path))  # the worker delivers too
    root = Path(app.config["MEDIA_ROOT"])
    files = {p for p in root.rglob("*") if p.is_file()}
    owner = actors.practitioner_with_profile()
    published_gallery_item(app, client, owner)
    client.delete(f"/api/v1/practitioners/{owner.practitioner_id}", headers=owner.headers)

    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert count(app, Practitioner, Practitioner.id == owner.practitioner_id) == 0
    assert {p for p in root.rglob("*") if p.is_file()} == files
