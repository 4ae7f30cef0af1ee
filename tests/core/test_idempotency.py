"""POSTs that create accept an Idempotency-Key: a retry creates nothing new."""

import os
import threading

import pytest

from directory.consultations.models import Consultation
from directory.extensions import db
from tests.helpers import gallery_form, send_multipart

BODY = {"treatment": "anti-aging", "message": "First visit?"}


def consultations_url(owner) -> str:
    return f"/api/v1/practitioners/{owner.practitioner_id}/consultations"


def count_consultations(app) -> int:
    with app.app_context():
        return db.session.query(Consultation).count()


def test_a_retry_with_the_same_key_replays_the_first_answer(app, client, owner, patient):
    headers = patient.headers | {"Idempotency-Key": "order-42"}

    first = client.post(consultations_url(owner), json=BODY, headers=headers)
    again = client.post(consultations_url(owner), json=BODY, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Location"] == first.headers["Location"]
    assert count_consultations(app) == 1


def test_without_a_key_each_post_creates(app, client, owner, patient):
    for _ in range(2):
        assert (
            client.post(consultations_url(owner), json=BODY, headers=patient.headers).status_code
            == 201
        )

    assert count_consultations(app) == 2


def test_the_same_key_with_another_body_is_a_422(client, owner, patient):
    headers = patient.headers | {"Idempotency-Key": "k1"}
    client.post(consultations_url(owner), json=BODY, headers=headers)

    other = client.post(consultations_url(owner), json=BODY | {"message": "x"}, headers=headers)

    assert other.status_code == 422
    assert other.json["type"].endswith("/problems/idempotency-key-reused")


def test_keys_belong_to_their_caller(app, client, owner, patient, actors):
    key = {"Idempotency-Key": "shared-key"}
    client.post(consultations_url(owner), json=BODY, headers=patient.headers | key)

    other = client.post(consultations_url(owner), json=BODY, headers=actors.patient().headers | key)

    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert count_consultations(app) == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\there"])
def test_a_malformed_key_is_a_422(client, owner, patient, key):
    response = client.post(
        consultations_url(owner), json=BODY, headers=patient.headers | {"Idempotency-Key": key}
    )

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["errors"]


def test_a_validation_error_is_replayed_too(app, client, owner, patient):
    headers = patient.headers | {"Idempotency-Key": "bad-body"}
    first = client.post(consultations_url(owner), json={"nope": 1}, headers=headers)
    again = client.post(consultations_url(owner), json={"nope": 1}, headers=headers)

    assert first.status_code == again.status_code == 422
    assert again.headers["Idempotent-Replayed"] == "true"


def test_an_upload_retried_with_a_new_multipart_boundary_is_the_same_request(app, client, owner):
    url = f"/api/v1/practitioners/{owner.practitioner_id}/gallery"
    headers = owner.headers | {"Idempotency-Key": "upload-1"}
    form = gallery_form()
    first = send_multipart(client, "POST", url, form, headers)
    same = gallery_form(patient_email=form["patient_email"])  # same images and fields
    again = send_multipart(client, "POST", url, same, headers)

    assert first.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert client.get(url, headers=owner.headers).json["total"] == 1


def test_twenty_concurrent_requests_with_one_key_create_exactly_one(app, owner, patient):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer at a time)")
    headers = patient.headers | {"Idempotency-Key": "double-click"}
    statuses: list[int] = []
    start = threading.Barrier(20)

    def post() -> None:
        client = app.test_client()
        start.wait()
        response = client.post(consultations_url(owner), json=BODY, headers=headers)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert count_consultations(app) == 1
    assert set(statuses) <= {201, 409} and 201 in statuses
