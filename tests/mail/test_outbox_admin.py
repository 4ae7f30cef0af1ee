"""GET /api/v1/admin/outbox: what the outbox holds, for admins only."""

from datetime import timedelta

from directory.core.db import utcnow
from directory.extensions import db
from directory.mail.models import OutboxMail, OutboxStatus
from directory.mail.outbox import MailEvent, enqueue
from tests.mail.conftest import unique_address

URL = "/api/v1/admin/outbox"
FIELDS = {
    "id",
    "event",
    "to",
    "subject",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
    "next_attempt_at",
}


def queue_mails(app) -> dict[OutboxStatus, str]:
    """A pending, a sent and a failed mail, created a minute apart (the failed one last)."""
    ids = {}
    with app.app_context():
        for minutes, status in enumerate(OutboxStatus):
            mail = enqueue(MailEvent.PASSWORD_CHANGED, unique_address(), {"name": "Zoé"})
            db.session.flush()
            mail.created_at = utcnow() - timedelta(minutes=10 - minutes)
            if status == OutboxStatus.SENT:
                mail.status, mail.sent_at, mail.next_attempt_at = status, utcnow(), None
            if status == OutboxStatus.FAILED:
                mail.status, mail.next_attempt_at = status, None
                mail.last_error, mail.attempts = "550 5.1.1 No such mailbox", 1
            ids[status] = mail.id
        db.session.commit()
    return ids


def test_admins_see_the_outbox_newest_first(app, client, admin):
    ids = queue_mails(app)

    response = client.get(URL, headers=admin.headers)

    assert response.status_code == 200
    page = response.json
    assert [item["id"] for item in page["items"]] == [
        ids[OutboxStatus.FAILED],
        ids[OutboxStatus.SENT],
        ids[OutboxStatus.PENDING],
    ]
    assert (page["page"], page["per_page"], page["total"], page["pages"]) == (1, 20, 3, 1)
    failed = page["items"][0]
    assert set(failed) == FIELDS
    assert failed["status"] == "failed" and failed["event"] == "password-changed"
    assert failed["last_error"].startswith("550") and failed["next_attempt_at"] is None
    assert "@example.org" in failed["to"] and failed["subject"] == "Your password was changed"


def test_the_outbox_is_filtered_by_status(app, client, admin):
    ids = queue_mails(app)

    for status in OutboxStatus:
        response = client.get(URL, query_string={"status": status.value}, headers=admin.headers)
        assert [item["id"] for item in response.json["items"]] == [ids[status]]
    assert client.get(URL, query_string={"status": "lost"}, headers=admin.headers).status_code == (
        422
    )


def test_the_outbox_is_paginated(app, client, admin):
    queue_mails(app)

    response = client.get(URL, query_string={"per_page": 2, "page": 2}, headers=admin.headers)

    assert len(response.json["items"]) == 1 and response.json["pages"] == 2


def test_only_admins_see_the_outbox(app, client, patient, owner):
    queue_mails(app)

    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=patient.headers).status_code == 403
    assert client.get(URL, headers=owner.headers).status_code == 403


def test_the_outbox_list_costs_the_same_statements_for_1_and_for_many(
    app, client, admin, count_statements
):
    queue_mails(app)
    one = count_statements(
        lambda: client.get(URL, query_string={"per_page": 1}, headers=admin.headers)
    )
    many = count_statements(lambda: client.get(URL, headers=admin.headers))

    assert one == many
    with app.app_context():
        assert db.session.query(OutboxMail).count() == 3
