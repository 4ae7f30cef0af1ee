"""The mails each change sends: written with the change, to the right person."""

from datetime import date, timedelta

from directory.core.db import utcnow
from directory.credentials.notices import mail_expiring_and_expired
from directory.extensions import db
from tests.helpers import (
    completed_consultation,
    link_query,
    mails,
    move_consultation,
    request_consultation,
    reviewed,
)


def events(app, email) -> list[str]:
    return [mail.event for mail in mails(app, email)]


def test_a_consultation_tells_each_party_of_the_other_s_moves(app, client, owner, patient):
    consultation = request_consultation(client, patient, owner)
    assert events(app, owner.email)[-1] == "consultation-requested"

    move_consultation(client, owner, consultation["id"], "confirmed")
    assert events(app, patient.email)[-1] == "consultation-confirmed"
    move_consultation(client, patient, consultation["id"], "cancelled")
    assert events(app, owner.email)[-1] == "consultation-cancelled"

    declined = request_consultation(client, patient, owner)
    move_consultation(client, owner, declined["id"], "declined")
    assert events(app, patient.email)[-1] == "consultation-declined"


def test_a_completed_consultation_asks_the_patient_for_a_review(app, client, owner, patient):
    consultation = completed_consultation(client, patient, owner)

    assert events(app, patient.email)[-1] == "review-request"
    assert link_query(app, patient.email, "review-request") == {"consultation": consultation["id"]}


def test_testimonials_notify_the_practitioner_and_the_author(app, client, owner, patient, admin):
    testimonial = reviewed(client, patient, owner)
    assert events(app, owner.email)[-1] == "testimonial-published"

    client.put(
        f"/api/v1/testimonials/{testimonial['id']}/response",
        json={"body": "Thank you!"},
        headers=owner.headers,
    )
    assert events(app, patient.email)[-1] == "testimonial-response"
    client.post(
        f"/api/v1/admin/testimonials/{testimonial['id']}/hide",
        json={"reason": "Off topic"},
        headers=admin.headers,
    )
    assert events(app, patient.email)[-1] == "testimonial-hidden"


def test_a_refused_change_sends_nothing(app, client, owner, patient):
    consultation = request_consultation(client, patient, owner)
    before = len(mails(app))

    refused = move_consultation(client, patient, consultation["id"], "confirmed")

    assert refused.status_code == 409
    assert len(mails(app)) == before


def test_certification_decisions_and_expiry_are_mailed_once(app, client, owner, admin):
    base = f"/api/v1/practitioners/{owner.practitioner_id}/certifications"
    expires_on = date.today() + timedelta(days=40)
    certification = client.post(
        base,
        json={
            "name": "DU",
            "issuing_body": "Université",
            "issued_on": "2020-01-01",
            "expires_on": expires_on.isoformat(),
        },
        headers=owner.headers,
    ).json
    client.post(f"/api/v1/admin/certifications/{certification['id']}/verify", headers=admin.headers)
    assert events(app, owner.email)[-1] == "certification-verified"

    def run(days_later: int) -> dict:
        with app.app_context():
            sent = mail_expiring_and_expired(utcnow() + timedelta(days=days_later))
            db.session.remove()
            return sent

    assert run(0) == {"certification-expiring": 0, "certification-expired": 0}
    assert run(11) == {"certification-expiring": 1, "certification-expired": 0}
    assert run(12)["certification-expiring"] == 0  # once
    assert run(41) == {"certification-expiring": 0, "certification-expired": 1}
    assert run(42)["certification-expired"] == 0
    assert events(app, owner.email)[-2:] == ["certification-expiring", "certification-expired"]
