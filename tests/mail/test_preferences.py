"""Notification preferences and one-click unsubscribe, over HTTP."""

from urllib.parse import parse_qs, urlsplit

from directory.extensions import db
from directory.mail.models import MailCategory
from directory.mail.outbox import MailEvent, enqueue
from directory.mail.services import unsubscribe_token
from tests.mail.conftest import unsubscribe_url_of

URL = "/api/v1/auth/me/notifications"
ALL_ON = {"consultations": True, "bookings": True, "testimonials": True, "certifications": True}


def test_everything_is_on_until_the_user_chooses(client, patient):
    response = client.get(URL, headers=patient.headers)

    assert response.status_code == 200
    assert response.json == ALL_ON
    assert response.headers["Cache-Control"] == "no-store"


def test_a_user_turns_categories_off_and_on(client, patient):
    choice = ALL_ON | {"bookings": False, "testimonials": False}

    put = client.put(URL, json=choice, headers=patient.headers)
    again = client.put(URL, json=choice | {"bookings": True}, headers=patient.headers)

    assert put.status_code == 200 and put.json == choice
    assert again.json == choice | {"bookings": True}
    assert client.get(URL, headers=patient.headers).json == choice | {"bookings": True}


def test_preferences_are_one_users_own(client, actors):
    first, second = actors.patient(), actors.patient()

    client.put(URL, json=ALL_ON | {"consultations": False}, headers=first.headers)

    assert client.get(URL, headers=second.headers).json == ALL_ON


def test_the_whole_object_is_required_and_nothing_else(client, patient):
    missing = client.put(URL, json={"bookings": False}, headers=patient.headers)
    unknown = client.put(URL, json=ALL_ON | {"security": False}, headers=patient.headers)
    not_boolean = client.put(URL, json=ALL_ON | {"bookings": "maybe"}, headers=patient.headers)

    assert missing.status_code == unknown.status_code == not_boolean.status_code == 422
    assert set(missing.json["errors"]) == {"consultations", "testimonials", "certifications"}


def test_preferences_need_a_token(client):
    assert client.get(URL).status_code == 401
    assert client.put(URL, json=ALL_ON).status_code == 401


def unsubscribe_link_token(app, user_id: str, email: str, event: MailEvent) -> str:
    with app.app_context():
        mail = enqueue(event, email, {"name": "Zoé"}, user_id=user_id)
        db.session.commit()
        return parse_qs(urlsplit(unsubscribe_url_of(mail.message)).query)["token"][0]


def test_one_click_unsubscribe_turns_that_mails_category_off(app, client, patient):
    token = unsubscribe_link_token(app, patient.id, patient.email, MailEvent.BOOKING_REMINDER)

    # As a mail client sends it (RFC 8058): a form body, no credentials.
    response = client.post(
        f"/api/v1/notifications/unsubscribe?token={token}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 204
    assert client.get(URL, headers=patient.headers).json == ALL_ON | {"bookings": False}
    with app.app_context():
        assert enqueue(MailEvent.BOOKING_CONFIRMED, patient.email, {}, user_id=patient.id) is None
        assert enqueue(MailEvent.CONSULTATION_CONFIRMED, patient.email, {}, user_id=patient.id)


def test_unsubscribing_twice_is_harmless(app, client, patient):
    token = unsubscribe_link_token(app, patient.id, patient.email, MailEvent.REVIEW_REQUEST)
    url = f"/api/v1/notifications/unsubscribe?token={token}"

    assert client.post(url).status_code == client.post(url).status_code == 204
    assert client.get(URL, headers=patient.headers).json == ALL_ON | {"testimonials": False}


def test_an_unknown_or_tampered_token_is_a_gone_link(app, client, patient):
    token = unsubscribe_link_token(app, patient.id, patient.email, MailEvent.BOOKING_REMINDER)

    for bad in ("nonsense", token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        response = client.post(f"/api/v1/notifications/unsubscribe?token={bad}")
        assert response.status_code == 410
        assert response.mimetype == "application/problem+json"
        assert response.json["type"].endswith("/problems/link-expired")
    assert client.get(URL, headers=patient.headers).json == ALL_ON


def test_a_token_of_an_erased_account_is_a_gone_link(app, client, make_user):
    user = make_user()
    with app.app_context():
        token = unsubscribe_token(user.id, MailCategory.CERTIFICATIONS)
        db.session.delete(db.session.merge(user))
        db.session.commit()

    response = client.post(f"/api/v1/notifications/unsubscribe?token={token}")

    assert response.status_code == 410


def test_unsubscribe_needs_its_token(client):
    response = client.post("/api/v1/notifications/unsubscribe")

    assert response.status_code == 422 and "token" in response.json["errors"]
