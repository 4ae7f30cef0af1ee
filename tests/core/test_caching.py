"""Public answers are cacheable and revalidated with ETags; answers that depend on the caller
are private; tokens and private records are never stored."""

import pytest

from tests.helpers import request_consultation


@pytest.fixture
def public_urls(owner, client):
    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    return [
        "/api/v1/practitioners",
        base,
        f"{base}/certifications",
        f"{base}/testimonials",
        f"{base}/gallery",
        "/api/v1/treatments",
        "/problems/not-found",
    ]


def test_public_gets_carry_an_etag_and_a_public_max_age(client, public_urls):
    for url in public_urls:
        response = client.get(url)

        assert response.status_code == 200, url
        assert response.headers["ETag"], url
        directives = response.headers["Cache-Control"]
        assert directives.startswith("public, max-age="), url
        max_age = int(directives.rsplit("=", 1)[1])
        assert 0 < max_age <= (3600 if "treatments" in url else 300), url


def test_a_matching_if_none_match_is_a_304_without_body(client, public_urls):
    for url in public_urls:
        etag = client.get(url).headers["ETag"]

        revalidated = client.get(url, headers={"If-None-Match": etag})

        assert revalidated.status_code == 304, url
        assert revalidated.data == b""
        assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_a_change_changes_the_etag(client, owner):
    url = f"/api/v1/practitioners/{owner.practitioner_id}"
    before = client.get(url).headers["ETag"]

    client.patch(url, json={"bio": "A new biography."}, headers=owner.headers)

    assert client.get(url, headers={"If-None-Match": before}).status_code == 200


def test_answers_to_a_signed_in_caller_are_private(client, owner, public_urls):
    for url in public_urls:
        response = client.get(url, headers=owner.headers)

        assert response.headers["Cache-Control"].startswith("private"), url
        assert "ETag" not in response.headers


def test_tokens_and_private_records_are_never_stored(client, owner, patient):
    consultation = request_consultation(client, patient, owner)
    login = client.post("/api/v1/auth/login", json={"email": patient.email, "password": "x" * 12})
    responses = [
        login,
        client.get("/api/v1/auth/me", headers=patient.headers),
        client.get("/api/v1/consultations", headers=patient.headers),
        client.get(f"/api/v1/consultations/{consultation['id']}", headers=patient.headers),
    ]
    for response in responses:
        assert response.headers["Cache-Control"] == "no-store", response.request.path
