"""Property-based contract testing of every operation in our own OpenAPI document.

Schemathesis generates valid and invalid requests for each operation, sent as each role to
real records, and checks: no 5xx, responses (status, content type, headers, body) conform to
the document, and invalid data is rejected. Not checked: that every schema-valid request is
accepted, since some rules cannot be said in JSON Schema (a treatment slug must exist, a
country code must be a real one).
"""

import io
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from directory import create_app
from directory.config import TestingConfig
from tests.helpers import PDF_BYTES, completed_consultation, image_bytes, send_multipart

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "20"))


class SpecOnly(TestingConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # the document does not depend on data


schema = schemathesis.openapi.from_dict(
    create_app(SpecOnly).test_client().get("/api/v1/openapi.json").json
)
schema.config.generation.update(modes=list(GenerationMode))


@pytest.fixture
def world(client, actors) -> dict:
    """Real records for path parameters, and a signed-in actor for each role."""
    owner = actors.practitioner_with_profile()
    patient = actors.patient()
    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    certification = client.post(
        f"{base}/certifications",
        json={"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"},
        headers=owner.headers,
    ).json
    send_multipart(
        client,
        "PUT",
        f"{base}/certifications/{certification['id']}/document",
        {"file": (io.BytesIO(PDF_BYTES), "d.pdf", "application/pdf")},
        owner.headers,
    )
    consultation = completed_consultation(client, patient, owner)
    testimonial = client.post(
        f"{base}/testimonials",
        json={
            "rating": 4,
            "title": "Good",
            "body": "A careful practitioner, visible results.",
            "consultation_id": consultation["id"],
        },
        headers=patient.headers,
    ).json
    gallery = {"treatment": "anti-aging", "sessions": "2", "weeks_elapsed": "4", "consent": "true"}
    for side in ("before", "after"):
        gallery[side] = (io.BytesIO(image_bytes("JPEG")), f"{side}.jpg", "image/jpeg")
    item = send_multipart(client, "POST", f"{base}/gallery", gallery, owner.headers).json
    return {
        "path": {
            "practitioner_id": owner.practitioner_id,
            "certification_id": certification["id"],
            "consultation_id": consultation["id"],
            "testimonial_id": testimonial["id"],
            "item_id": item["id"],
        },
        "actors": {"patient": patient, "practitioner": owner, "admin": actors.admin()},
    }


@pytest.mark.parametrize("role", ["anonymous", "patient", "practitioner", "admin"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_honours_the_contract(case, role, app, world):
    for name in case.path_parameters or {}:
        if name in world["path"]:
            case.path_parameters[name] = world["path"][name]
    actor = world["actors"].get(role)
    headers = actor.headers if actor else {}

    # Requests go to this test's app in-process, including the probes some checks add.
    case.operation.schema.app = case.operation.app = app
    case.call_and_validate(
        headers=headers,
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
