"""Export: one JSON document with everything about the caller, and nothing of anyone else."""

import json

from tests.helpers import published_gallery_item, request_consultation, reviewed


def export(client, actor):
    return client.get("/api/v1/auth/me/export", headers=actor.headers)


def test_a_patient_gets_their_records_and_nothing_of_others(client, app, actors):
    patient, stranger = actors.patient(), actors.patient()
    practitioner = actors.practitioner_with_profile()
    written = reviewed(client, patient, practitioner)
    reviewed(client, stranger, practitioner)
    consultation = request_consultation(client, patient, practitioner, message="My own words")
    published_gallery_item(app, client, practitioner, patient_email=patient.email)

    response = export(client, patient)

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.json
    assert data["account"]["email"] == patient.email
    assert [t["id"] for t in data["testimonials_written"]] == [written["id"]]
    assert {c["id"]: c["message"] for c in data["consultations"]}[consultation["id"]] == (
        "My own words"
    )
    assert [c["status"] for c in data["photo_consents"]] == ["granted"]
    assert data["profiles"] == data["testimonials_received"] == data["gallery_items"] == []
    assert {m["event"] for m in data["mails"]} <= {"email-verification"}
    assert data["notification_preferences"]["consultations"] is True
    text = json.dumps(data)
    assert stranger.id not in text and stranger.email not in text
    assert "password" not in text and "argon2" not in text


def test_a_practitioner_gets_reviews_texts_and_ratings_not_patients_emails(client, app, actors):
    practitioner, patient = actors.practitioner_with_profile(), actors.patient()
    review = reviewed(client, patient, practitioner, rating=4)
    invited = "invited-person@example.com"
    client.post(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/invitations",
        json={"email": invited},
        headers=practitioner.headers,
    )
    item = published_gallery_item(app, client, practitioner, patient_email=patient.email)

    data = export(client, practitioner).json

    assert [p["id"] for p in data["profiles"]] == [practitioner.practitioner_id]
    received = data["testimonials_received"]
    assert [(t["id"], t["rating"], t["body"]) for t in received] == [
        (review["id"], 4, review["body"])
    ]
    assert len(data["invitations_sent"]) == 1 and [g["id"] for g in data["gallery_items"]] == [
        item["id"]
    ]
    assert [c["message"] for c in data["consultations"]] == [None]  # the patient's words
    text = json.dumps(data)
    for other in (patient.email, invited, patient.id):
        assert other not in text
