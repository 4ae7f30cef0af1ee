"""Problem `type` URIs carry binding slugs, so clients never match English text; each type has
a page under /problems/."""

import pytest

from directory.core.problems import PROBLEM_TYPES
from tests.helpers import move_consultation, request_consultation

BASE = "http://127.0.0.1:8000/problems/"  # the test configuration's PUBLIC_BASE_URL


def slug(response) -> str:
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].startswith(BASE), response.json["type"]
    return response.json["type"].removeprefix(BASE)


def test_each_failure_names_its_type(client, actors, owner, patient, app):
    from datetime import timedelta

    from flask_jwt_extended import create_access_token

    with app.app_context():
        expired = create_access_token(patient.id, expires_delta=timedelta(seconds=-5))
    me = "/api/v1/auth/me"
    login = "/api/v1/auth/login"
    cases = {
        "malformed-request": client.post(login, data="{", content_type="application/json"),
        "validation-failed": client.post(login, json={"email": "x"}),
        "credentials-invalid": client.post(login, json={"email": "a@b.co", "password": "nope"}),
        "unauthenticated": client.get(me),
        "token-invalid": client.get(me, headers={"Authorization": "Bearer not.a.jwt"}),
        "token-expired": client.get(me, headers={"Authorization": f"Bearer {expired}"}),
        "forbidden": client.post("/api/v1/practitioners", json={}, headers=patient.headers),
        "not-found": client.get("/api/v1/practitioners/nobody"),
        "method-not-allowed": client.put("/api/v1/treatments"),
        "duplicate": client.post(
            "/api/v1/practitioners", json={"city": "Paris", "country": "FR"}, headers=owner.headers
        ),
    }
    consultation = request_consultation(client, patient, owner)
    assert move_consultation(client, owner, consultation["id"], "declined").status_code == 200
    cases["illegal-transition"] = client.patch(
        f"/api/v1/consultations/{consultation['id']}",
        json={"status": "confirmed"},
        headers=owner.headers,
    )
    client.post("/api/v1/auth/logout", headers=patient.headers)
    cases["token-revoked"] = client.get(me, headers=patient.headers)

    assert {name: slug(response) for name, response in cases.items()} == {
        name: name for name in cases
    }


@pytest.mark.parametrize("name", sorted(PROBLEM_TYPES))
def test_every_problem_type_has_a_page(client, name):
    response = client.get(f"/problems/{name}")

    assert response.status_code == 200
    assert response.json["type"] == BASE + name
    assert response.json["status"] == PROBLEM_TYPES[name].status
    assert response.json["description"]


def test_an_unknown_problem_type_is_a_404(client):
    assert slug(client.get("/problems/no-such-thing")) == "not-found"
