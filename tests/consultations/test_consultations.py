from datetime import date, timedelta

import pytest

from tests.helpers import move_consultation, request_consultation


def test_a_patient_requests_a_consultation(client, patient, owner):
    consultation = request_consultation(
        client, patient, owner, preferred_date=(date.today() + timedelta(days=7)).isoformat()
    )

    assert consultation["status"] == "requested"
    assert consultation["practitioner_id"] == owner.practitioner_id
    assert consultation["patient_id"] == patient.id
    assert len(consultation["id"]) >= 16  # not guessable by counting


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"treatment": "botox-party"}, "treatment"),
        ({"treatment": "cellulite"}, "treatment"),  # not offered by this practitioner
        ({"preferred_date": "2001-01-01"}, "preferred_date"),
        ({"preferred_date": "tomorrow"}, "preferred_date"),
        ({"status": "completed"}, "status"),
        ({"treatment": None}, "treatment"),
        ({"message": ""}, "message"),
    ],
)
def test_invalid_requests_are_422(client, patient, owner, body, field):
    response = client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/consultations",
        json={"treatment": "anti-aging", "message": "Hello"} | body,
        headers=patient.headers,
    )

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_only_patients_request_consultations(client, owner, actors):
    url = f"/api/v1/practitioners/{owner.practitioner_id}/consultations"

    assert client.post(url, json={}).status_code == 401
    for actor in (actors.practitioner(), actors.admin()):
        assert client.post(url, json={}, headers=actor.headers).status_code == 403


def test_only_the_two_parties_and_admins_see_a_consultation(client, patient, owner, actors):
    consultation = request_consultation(client, patient, owner)
    url = f"/api/v1/consultations/{consultation['id']}"

    for actor in (patient, owner, actors.admin()):
        assert client.get(url, headers=actor.headers).status_code == 200
    for actor in (actors.patient(), actors.practitioner_with_profile()):
        assert client.get(url, headers=actor.headers).status_code == 404
        assert move_consultation(client, actor, consultation["id"], "cancelled").status_code == 404
    assert client.get(url).status_code == 401


def test_lists_are_scoped_to_the_caller_newest_first(client, patient, owner, actors):
    first = request_consultation(client, patient, owner)
    second = request_consultation(client, patient, owner)
    elsewhere = request_consultation(client, actors.patient(), actors.practitioner_with_profile())
    admin = actors.admin()

    def ids(actor, **query):
        response = client.get("/api/v1/consultations", headers=actor.headers, query_string=query)
        return [c["id"] for c in response.json["items"]]

    assert ids(patient) == [second["id"], first["id"]]
    assert ids(owner) == [second["id"], first["id"]]
    assert set(ids(admin)) == {first["id"], second["id"], elsewhere["id"]}
    assert ids(patient, status="completed") == []


@pytest.mark.parametrize(
    ("path", "who", "allowed"),
    [
        (["confirmed"], "practitioner", True),
        (["confirmed", "completed"], "practitioner", True),
        (["declined"], "practitioner", True),
        (["confirmed", "declined"], "practitioner", True),
        (["cancelled"], "patient", True),
        (["confirmed", "cancelled"], "patient", True),
        (["completed"], "practitioner", False),
        (["cancelled"], "practitioner", False),
        (["confirmed"], "patient", False),
        (["completed"], "patient", False),
        (["declined"], "patient", False),
        (["requested"], "practitioner", False),
    ],
)
def test_the_state_machine(client, patient, owner, path, who, allowed):
    consultation = request_consultation(client, patient, owner)
    actors = {"patient": patient, "practitioner": owner}
    *before, last = path
    for status in before:
        actor = patient if status == "cancelled" else owner
        assert move_consultation(client, actor, consultation["id"], status).status_code == 200

    response = move_consultation(client, actors[who], consultation["id"], last)

    assert response.status_code == (200 if allowed else 409)
    if allowed:
        assert response.json["status"] == last


@pytest.mark.parametrize("final", ["completed", "declined", "cancelled"])
def test_final_states_are_final(client, patient, owner, final):
    consultation = request_consultation(client, patient, owner)
    steps = {"completed": ["confirmed", "completed"], "declined": ["declined"], "cancelled": []}
    for status in steps[final]:
        move_consultation(client, owner, consultation["id"], status)
    if final == "cancelled":
        move_consultation(client, patient, consultation["id"], "cancelled")

    for actor, status in [
        (owner, "confirmed"),
        (patient, "cancelled"),
        (owner, "completed"),
    ]:
        assert move_consultation(client, actor, consultation["id"], status).status_code == 409


def test_an_admin_sees_but_does_not_move_consultations(client, patient, owner, actors):
    consultation = request_consultation(client, patient, owner)

    response = move_consultation(client, actors.admin(), consultation["id"], "confirmed")

    assert response.status_code == 403


def test_an_unknown_status_is_a_422(client, patient, owner):
    consultation = request_consultation(client, patient, owner)

    assert move_consultation(client, owner, consultation["id"], "teleported").status_code == 422


@pytest.mark.parametrize("body", [{}, {"treatment": "anti-aging"}, {"message": "Hello"}, None])
def test_a_request_needs_a_treatment_and_a_message(client, patient, owner, body):
    url = f"/api/v1/practitioners/{owner.practitioner_id}/consultations"

    response = client.post(url, json=body, headers=patient.headers)

    assert response.status_code == 422
    assert client.get("/api/v1/consultations", headers=patient.headers).json["total"] == 0


def test_items_name_the_other_party(client, actors):
    patient = actors.patient(full_name="Claire Anne Fontaine")
    owner = actors.practitioner_with_profile(
        full_name="Dr Camille Durand", clinic_name="Clinique Lumière", city="Lyon"
    )
    request_consultation(client, patient, owner)

    for actor in (patient, owner):
        item = client.get("/api/v1/consultations", headers=actor.headers).json["items"][0]
        assert item["practitioner"] == {
            "id": owner.practitioner_id,
            "full_name": "Dr Camille Durand",
            "clinic_name": "Clinique Lumière",
            "city": "Lyon",
        }
        assert item["patient"] == {"id": patient.id, "name": "Claire Anne Fontaine"}
        assert item["starts_at"] is None and item["ends_at"] is None


def test_reviewable_while_completed_and_not_yet_reviewed(client, patient, owner):
    from tests.helpers import post_testimonial

    consultation = request_consultation(client, patient, owner)
    url = f"/api/v1/consultations/{consultation['id']}"
    assert consultation["reviewable"] is False
    for status in ("confirmed", "completed"):
        move_consultation(client, owner, consultation["id"], status)
    assert client.get(url, headers=patient.headers).json["reviewable"] is True

    post_testimonial(client, patient, owner, consultation_id=consultation["id"])

    assert client.get(url, headers=patient.headers).json["reviewable"] is False
