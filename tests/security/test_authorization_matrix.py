"""Who may call what: every API route, as every kind of caller, on real records.

Columns: anonymous; the client (the patient of the consultation, author of the testimonial);
another patient; another practitioner; the owner (the practitioner of the profile); an admin.
Private records of others are 404, public ones they may not change are 403.
"""

import pytest

from tests.helpers import (
    PASSWORD,
    document_form,
    gallery_form,
    send_multipart,
    unique_email,
)

ROLES = ("anonymous", "client", "other_patient", "other_practitioner", "owner", "admin")
P = "/api/v1/practitioners/<practitioner_id>"
CERT = f"{P}/certifications/<certification_id>"
T = "/api/v1/testimonials/<testimonial_id>"


def review(world):
    return {
        "rating": 5,
        "title": "Great",
        "body": "Careful, honest and effective treatment.",
        "consultation_id": world["reviewable_consultation_id"],
    }


def gallery_upload(world):
    return gallery_form()


def document_upload(world):
    return document_form()


def fixed(body):
    return lambda world: body


# method, Flask rule, JSON body (or multipart=...), expected status per role (ROLES order)
MATRIX = [
    (
        "POST",
        "/api/v1/auth/register",
        lambda w: {
            "email": unique_email(),
            "password": PASSWORD,
            "full_name": "N",
            "role": "patient",
        },
        (202, 202, 202, 202, 202, 202),
    ),
    (
        "POST",
        "/api/v1/auth/login",
        lambda w: {"email": w["actors"]["client"].email, "password": PASSWORD},
        (200, 200, 200, 200, 200, 200),
    ),
    (
        "POST",
        "/api/v1/auth/refresh",
        None,
        (401, 401, 401, 401, 401, 401),
    ),  # access tokens are refused
    ("POST", "/api/v1/auth/logout", None, (401, 204, 204, 204, 204, 204)),
    ("POST", "/api/v1/auth/logout-all", None, (401, 204, 204, 204, 204, 204)),
    ("GET", "/api/v1/auth/me", None, (401, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/auth/me", fixed({"full_name": "N"}), (401, 200, 200, 200, 200, 200)),
    # a made-up token: a link anyone may follow, expired for everyone
    ("POST", "/api/v1/auth/verify-email", fixed({"token": "x"}), (410,) * 6),
    ("POST", "/api/v1/auth/verify-email/resend", None, (401, 202, 202, 202, 202, 202)),
    ("POST", "/api/v1/auth/password/forgot", fixed({"email": "a@example.com"}), (202,) * 6),
    (
        "POST",
        "/api/v1/auth/password/reset",
        fixed({"token": "x", "password": "another long passphrase"}),
        (410,) * 6,
    ),
    (
        "POST",
        "/api/v1/auth/password/change",
        fixed({"current_password": PASSWORD, "new_password": "another long passphrase"}),
        (401, 200, 200, 200, 200, 200),
    ),
    (
        "POST",
        "/api/v1/auth/email/change",
        lambda w: {"new_email": unique_email(), "password": PASSWORD},
        (401, 202, 202, 202, 202, 202),
    ),
    ("POST", "/api/v1/auth/email/confirm", fixed({"token": "x"}), (410,) * 6),
    ("GET", "/api/v1/openapi.json", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/treatments", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/suggest", None, (422, 422, 422, 422, 422, 422)),  # anyone; q is required
    ("GET", "/api/v1/practitioners", None, (200, 200, 200, 200, 200, 200)),
    (
        "POST",
        "/api/v1/practitioners",
        fixed({"city": "Paris", "country": "FR"}),
        (401, 403, 403, 409, 409, 403),
    ),
    ("GET", P, None, (200, 200, 200, 200, 200, 200)),
    ("PATCH", P, fixed({"bio": "Updated"}), (401, 403, 403, 403, 200, 200)),
    ("DELETE", P, None, (401, 403, 403, 403, 204, 204)),
    (
        "POST",
        "/api/v1/admin/practitioners/<practitioner_id>/suspend",
        fixed({"reason": "Licence suspended by the board", "notice": "Suspended pending review"}),
        (401, 403, 403, 403, 403, 200),
    ),
    # reinstating a practitioner who is not suspended: the admin gets the illegal transition
    (
        "POST",
        "/api/v1/admin/practitioners/<practitioner_id>/reinstate",
        None,
        (401, 403, 403, 403, 403, 409),
    ),
    ("GET", f"{P}/certifications", None, (200, 200, 200, 200, 200, 200)),
    (
        "POST",
        f"{P}/certifications",
        fixed({"name": "DU", "issuing_body": "U", "issued_on": "2020-01-01"}),
        (401, 403, 403, 403, 201, 403),
    ),
    ("PATCH", CERT, fixed({"name": "DU 2"}), (401, 404, 404, 404, 200, 403)),
    ("DELETE", CERT, None, (401, 404, 404, 404, 204, 204)),
    ("PUT", f"{CERT}/document", document_upload, (401, 404, 404, 404, 200, 403)),
    ("GET", f"{CERT}/document", None, (401, 404, 404, 404, 200, 200)),
    ("GET", "/api/v1/admin/certifications", None, (401, 403, 403, 403, 403, 200)),
    (
        "POST",
        "/api/v1/admin/certifications/<certification_id>/verify",
        None,
        (401, 403, 403, 403, 403, 200),
    ),
    # the world's certification is pending: rechecking is for verified ones (409)
    (
        "POST",
        "/api/v1/admin/certifications/<certification_id>/recheck",
        None,
        (401, 403, 403, 403, 403, 409),
    ),
    (
        "POST",
        "/api/v1/admin/certifications/<certification_id>/reject",
        fixed({"reason": "Blurry"}),
        (401, 403, 403, 403, 403, 200),
    ),
    (
        "POST",
        f"{P}/consultations",
        fixed({"treatment": "anti-aging", "message": "Hello"}),
        (401, 201, 201, 403, 403, 403),
    ),
    ("GET", f"{P}/availability", None, (200, 200, 200, 200, 200, 200)),
    (
        "PUT",
        f"{P}/availability",
        fixed({"timezone": "Europe/Paris", "slot_minutes": 30, "weekly": []}),
        (401, 403, 403, 403, 200, 403),
    ),
    ("GET", f"{P}/slots", None, (422, 422, 422, 422, 422, 422)),  # anyone; from, to required
    (
        "POST",
        f"{P}/bookings",
        lambda w: {"start": w["free_slot"], "treatment": "anti-aging"},
        (401, 201, 201, 403, 403, 403),
    ),
    ("GET", "/api/v1/consultations", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/consultations/<consultation_id>", None, (401, 200, 404, 404, 200, 200)),
    # the client may only cancel: confirming is an illegal transition for them (409)
    (
        "PATCH",
        "/api/v1/consultations/<consultation_id>",
        fixed({"status": "confirmed"}),
        (401, 409, 404, 404, 200, 403),
    ),
    ("GET", f"{P}/testimonials", None, (200, 200, 200, 200, 200, 200)),
    ("POST", f"{P}/testimonials", review, (401, 201, 403, 403, 403, 403)),
    ("GET", f"{P}/invitations", None, (401, 403, 403, 403, 200, 403)),
    (
        "POST",
        f"{P}/invitations",
        fixed({"email": "client@example.com"}),
        (401, 403, 403, 403, 201, 403),
    ),
    ("PATCH", T, fixed({"rating": 4}), (401, 200, 403, 403, 403, 403)),
    ("DELETE", T, None, (401, 204, 403, 403, 403, 204)),
    ("PUT", f"{T}/response", fixed({"body": "Thank you"}), (401, 403, 403, 403, 200, 403)),
    # anyone signed in but the author (403) finds it helpful, once
    ("PUT", f"{T}/helpful", None, (401, 403, 200, 200, 200, 200)),
    ("DELETE", f"{T}/helpful", None, (401, 403, 200, 200, 200, 200)),
    ("POST", f"{T}/reports", fixed({"reason": "Spam"}), (401, 201, 201, 201, 201, 201)),
    ("GET", "/api/v1/admin/testimonials", None, (401, 403, 403, 403, 403, 200)),
    (
        "POST",
        "/api/v1/admin/testimonials/<testimonial_id>/hide",
        fixed({"reason": "Abuse"}),
        (401, 403, 403, 403, 403, 200),
    ),
    (
        "POST",
        "/api/v1/admin/testimonials/<testimonial_id>/restore",
        None,
        (401, 403, 403, 403, 403, 200),
    ),
    ("GET", f"{P}/gallery", None, (200, 200, 200, 200, 200, 200)),
    ("POST", f"{P}/gallery", gallery_upload, (401, 403, 403, 403, 201, 403)),
    ("DELETE", f"{P}/gallery/<item_id>", None, (401, 403, 403, 403, 204, 204)),
    # the mailed token is the key: the same answer for everyone (made-up tokens: 410)
    ("GET", "/api/v1/consents/<token>", None, (200,) * 6),
    (
        "GET",
        "/api/v1/consents/<token>/photos/<side>/<rendition>",
        None,
        (200,) * 6,
    ),
    ("POST", "/api/v1/consents/<token>", fixed({"decision": "granted"}), (200,) * 6),
    # the consent was asked of the client's verified address
    ("GET", "/api/v1/auth/me/consents", None, (401, 200, 200, 200, 200, 200)),
    ("DELETE", "/api/v1/auth/me/consents/<consent_id>", None, (401, 204, 404, 404, 404, 404)),
    ("GET", "/api/v1/auth/me/export", None, (401, 200, 200, 200, 200, 200)),
    ("DELETE", "/api/v1/auth/me", fixed({"password": PASSWORD}), (401, 204, 204, 204, 204, 204)),
    ("GET", "/api/v1/admin/audit-log", None, (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/v1/auth/me/notifications", None, (401, 200, 200, 200, 200, 200)),
    (
        "PUT",
        "/api/v1/auth/me/notifications",
        fixed(dict.fromkeys(("consultations", "bookings", "testimonials", "certifications"), True)),
        (401, 200, 200, 200, 200, 200),
    ),
    # anyone may call it: without the mailed token every caller gets the same 422
    ("POST", "/api/v1/notifications/unsubscribe", None, (422, 422, 422, 422, 422, 422)),
    ("GET", "/api/v1/admin/outbox", None, (401, 403, 403, 403, 403, 200)),
]
MULTIPART = {gallery_upload, document_upload}


def url_for_rule(rule: str, ids: dict) -> str:
    for name, value in ids.items():
        rule = rule.replace(f"<{name}>", value)
    return rule


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "rule", "body", "expected"), MATRIX, ids=[f"{m} {r}" for m, r, *_ in MATRIX]
)
def test_authorization(client, world, method, rule, body, expected, role):
    actor = world["actors"][role]
    headers = actor.headers if actor else {}
    url = url_for_rule(rule, world["ids"])

    if body in MULTIPART:
        response = send_multipart(client, method, url, body(world), headers)
    else:
        response = client.open(
            url, method=method, json=body(world) if body else None, headers=headers
        )

    assert response.status_code == expected[ROLES.index(role)], response.get_data(as_text=True)


def test_every_api_route_is_in_the_matrix(app):
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert routes == {(method, rule) for method, rule, *_ in MATRIX}
