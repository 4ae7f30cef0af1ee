"""Recovery and account changes: forgotten and changed passwords, a new email address."""

from datetime import timedelta

import time_machine

from tests.helpers import PASSWORD, link_query, mails, unique_email

ME = "/api/v1/auth/me"
LOGIN = "/api/v1/auth/login"
NEW_PASSWORD = "a brand new passphrase"


def login(client, email, password):
    return client.post(LOGIN, json={"email": email, "password": password})


def test_a_forgotten_password_is_reset_through_the_mailed_link(app, client, patient):
    elsewhere = login(client, patient.email, PASSWORD).json

    forgot = client.post("/api/v1/auth/password/forgot", json={"email": patient.email})
    token = link_query(app, patient.email, "password-reset")["token"]
    reset = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD}
    )

    assert forgot.status_code == 202 and reset.status_code == 204
    assert login(client, patient.email, PASSWORD).status_code == 401
    assert login(client, patient.email, NEW_PASSWORD).status_code == 200
    for token_ in (patient.access_token, elsewhere["access_token"]):
        assert client.get(ME, headers={"Authorization": f"Bearer {token_}"}).status_code == 401
    assert [m.event for m in mails(app, patient.email)][-1] == "password-changed"
    again = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "yet another one!"}
    )
    assert again.status_code == 410


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, patient):
    known = client.post("/api/v1/auth/password/forgot", json={"email": patient.email})
    unknown_email = unique_email()
    unknown = client.post("/api/v1/auth/password/forgot", json={"email": unknown_email})

    assert unknown.status_code == known.status_code == 202
    assert unknown.json == known.json
    assert mails(app, unknown_email) == []


def test_a_reset_link_expires_after_an_hour(app, client, patient):
    client.post("/api/v1/auth/password/forgot", json={"email": patient.email})
    token = link_query(app, patient.email, "password-reset")["token"]

    with time_machine.travel(timedelta(minutes=61)):
        response = client.post(
            "/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD}
        )

    assert response.status_code == 410


def test_reset_tokens_are_stored_hashed(app, client, patient):
    from directory.accounts.models import AccountToken
    from directory.extensions import db

    client.post("/api/v1/auth/password/forgot", json={"email": patient.email})
    token = link_query(app, patient.email, "password-reset")["token"]

    with app.app_context():
        stored = [row.token_hash for row in db.session.query(AccountToken)]
    assert token not in stored and all(len(digest) == 64 for digest in stored)


def test_changing_the_password_revokes_older_tokens_and_gives_a_new_pair(app, client, patient):
    elsewhere = login(client, patient.email, PASSWORD).json

    response = client.post(
        "/api/v1/auth/password/change",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=patient.headers,
    )

    assert response.status_code == 200
    fresh = {"Authorization": f"Bearer {response.json['access_token']}"}
    assert client.get(ME, headers=fresh).status_code == 200
    for old in (patient.access_token, elsewhere["access_token"]):
        assert client.get(ME, headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert mails(app, patient.email)[-1].event == "password-changed"


def test_a_wrong_current_password_is_a_401(client, patient):
    response = client.post(
        "/api/v1/auth/password/change",
        json={"current_password": "not the password", "new_password": NEW_PASSWORD},
        headers=patient.headers,
    )

    assert response.status_code == 401
    assert response.json["type"].endswith("/problems/credentials-invalid")
    assert client.get(ME, headers=patient.headers).status_code == 200


def test_an_email_change_waits_for_the_new_address(app, client, patient):
    new_email = unique_email("moved")

    asked = client.post(
        "/api/v1/auth/email/change",
        json={"new_email": new_email, "password": PASSWORD},
        headers=patient.headers,
    )

    assert asked.status_code == 202
    assert client.get(ME, headers=patient.headers).json["email"] == patient.email
    assert mails(app, patient.email)[-1].event == "email-change-notice"
    token = link_query(app, new_email, "email-change-confirm")["token"]
    confirmed = client.post("/api/v1/auth/email/confirm", json={"token": token})
    assert confirmed.status_code == 200
    assert confirmed.json["email"] == new_email and confirmed.json["email_verified"] is True
    assert login(client, new_email, PASSWORD).status_code == 200
    assert login(client, patient.email, PASSWORD).status_code == 401


def test_an_address_taken_meanwhile_is_a_409(app, client, patient, actors):
    wanted = unique_email("wanted")
    client.post(
        "/api/v1/auth/email/change",
        json={"new_email": wanted, "password": PASSWORD},
        headers=patient.headers,
    )
    token = link_query(app, wanted, "email-change-confirm")["token"]
    actors.patient(email=wanted)

    response = client.post("/api/v1/auth/email/confirm", json={"token": token})

    assert response.status_code == 409
    assert client.get(ME, headers=patient.headers).json["email"] == patient.email
