import time

import pytest

from tests.helpers import PASSWORD, link_query, mailed_link, mails, unique_email

REGISTER = "/api/v1/auth/register"
VERIFY = "/api/v1/auth/verify-email"


def body(**overrides):
    return {
        "email": unique_email(),
        "password": PASSWORD,
        "full_name": "Léa Martin",
        "role": "patient",
    } | overrides


@pytest.mark.parametrize("role", ["patient", "practitioner"])
def test_registering_mails_a_verification_link_and_reveals_nothing(app, client, role):
    details = body(role=role)
    response = client.post(REGISTER, json=details)

    assert response.status_code == 202
    assert set(response.json) == {"detail"}
    assert "password" not in response.text and "argon2" not in response.text
    [mail] = mails(app, details["email"])
    assert mail.event == "email-verification"
    assert mailed_link(app, details["email"], mail.event).startswith(
        "http://127.0.0.1:3000/verify-email?token="
    )


def test_registering_as_admin_is_rejected(client):
    response = client.post(REGISTER, json=body(role="admin"))

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "role" in response.json["errors"]


def test_a_known_address_gets_the_same_answer_and_its_owner_a_mail(app, client):
    email = unique_email()
    first = client.post(REGISTER, json=body(email=email))

    again = client.post(REGISTER, json=body(email=email.upper(), full_name="Intruder"))

    assert again.status_code == first.status_code == 202
    assert again.json == first.json
    assert [m.event for m in mails(app, email)] == ["email-verification", "registration-attempt"]


def test_a_known_and_a_new_address_take_similar_time(client):
    """Both hash the password: no timing oracle for which addresses have accounts."""
    known = unique_email()
    client.post(REGISTER, json=body(email=known))

    def timed(email: str) -> float:
        start = time.perf_counter()
        client.post(REGISTER, json=body(email=email))
        return time.perf_counter() - start

    known_times = sorted(timed(known) for _ in range(5))
    new_times = sorted(timed(unique_email()) for _ in range(5))
    median_known, median_new = known_times[2], new_times[2]
    assert median_known > 0.3 * median_new and median_new > 0.3 * median_known


def test_email_is_stored_lower_case(client, actors):
    actor = actors.patient(email="Mixed.Case@Example.COM")

    assert actor.email == "mixed.case@example.com"
    me = client.get("/api/v1/auth/me", headers=actor.headers).json
    assert me["email"] == "mixed.case@example.com" and me["email_verified"] is True


@pytest.mark.parametrize(
    "password",
    ["1234567890", "qwertyuiop", "manchester", "PASSWORD123"],
)
def test_common_passwords_are_refused(client, password):
    response = client.post(REGISTER, json=body(password=password))

    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_a_password_containing_the_email_local_part_is_refused(client):
    response = client.post(
        REGISTER, json=body(email="claire.fontaine@example.com", password="Claire.Fontaine-2026")
    )

    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_verification_links_are_single_use_and_expire(app, client):
    from datetime import timedelta

    import time_machine

    first, second = body(), body()
    for details in (first, second):
        client.post(REGISTER, json=details)
    token = link_query(app, first["email"], "email-verification")["token"]
    late = link_query(app, second["email"], "email-verification")["token"]

    assert client.post(VERIFY, json={"token": token}).status_code == 200
    used = client.post(VERIFY, json={"token": token})
    assert used.status_code == 410 and used.json["type"].endswith("/problems/link-expired")
    assert client.post(VERIFY, json={"token": "made-up"}).status_code == 410
    with time_machine.travel(timedelta(hours=49)):
        assert client.post(VERIFY, json={"token": late}).status_code == 410


def test_an_unverified_account_reads_but_does_not_act_for_others(client, actors, owner):
    unverified = actors.patient(verified=False)
    url = f"/api/v1/practitioners/{owner.practitioner_id}/consultations"

    refused = client.post(
        url, json={"treatment": "anti-aging", "message": "Hi"}, headers=unverified.headers
    )

    assert refused.status_code == 403
    assert refused.json["type"].endswith("/problems/email-unverified")
    assert client.get("/api/v1/consultations", headers=unverified.headers).status_code == 200
    assert client.get("/api/v1/auth/me", headers=unverified.headers).json["email_verified"] is False


def test_resend_mails_a_fresh_link_and_the_old_one_stops_working(app, client, actors):
    unverified = actors.patient(verified=False)
    old = link_query(app, unverified.email, "email-verification")["token"]

    response = client.post("/api/v1/auth/verify-email/resend", headers=unverified.headers)

    assert response.status_code == 202
    new = link_query(app, unverified.email, "email-verification")["token"]
    assert new != old
    assert client.post(VERIFY, json={"token": old}).status_code == 410
    assert client.post(VERIFY, json={"token": new}).json["email_verified"] is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "short"),
        ("password", "x" * 129),
        ("email", "not-an-email"),
        ("full_name", ""),
        ("role", "doctor"),
    ],
)
def test_invalid_fields_are_422_with_the_field_named(client, field, value):
    response = client.post(REGISTER, json=body(**{field: value}))

    assert response.status_code == 422
    assert field in response.json["errors"]


@pytest.mark.parametrize("field", ["id", "created_at", "is_admin"])
def test_read_only_and_unknown_fields_are_rejected(client, field):
    response = client.post(REGISTER, json=body(**{field: "x"}))

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_missing_fields_are_listed(client):
    response = client.post(REGISTER, json={})

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"email", "password", "full_name", "role"}
