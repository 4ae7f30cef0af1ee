"""A typed client generated from the served document (API.md: "Generating a client with
openapi-python-client must give no warning, and its models must parse every documented response
of the running API"): generated without a warning, it drives a patient's visit to the app, and
every answer parses into its model, never the problem model."""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.helpers import (
    PASSWORD,
    consent_token,
    gallery_form,
    link_query,
    published_gallery_item,
    reviewed,
    send_multipart,
    unique_email,
)

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "practitioner_directory_api_client"
# No post hooks: they only format the generated code. A certification's document is a PDF, a
# JPEG or a PNG (a consent photo also a WebP), which the generator reads as bytes only when
# told so.
CONFIG = """\
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
  image/jpeg: application/octet-stream
  image/png: application/octet-stream
  image/webp: application/octet-stream
"""
BASE_URL = "http://localhost"


@pytest.fixture(scope="module")
def generated(app, tmp_path_factory) -> Iterator[ModuleType]:
    """The client package, generated from the document the app serves, and imported."""
    workspace = tmp_path_factory.mktemp("client")
    document = workspace / "openapi.json"
    document.write_bytes(app.test_client().get("/api/v1/openapi.json").data)
    config = workspace / "config.yaml"
    config.write_text(CONFIG)

    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(workspace / "client"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(workspace / "client"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(workspace / "client"))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def operation(tag: str, operation_id: str) -> ModuleType:
    """An operation's module in the generated client: api/<tag>/<operationId in snake_case>."""
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")


def test_a_patients_visit_parses_into_the_generated_models(generated, app, client, actors):
    owner = actors.practitioner_with_profile()
    gallery = f"/api/v1/practitioners/{owner.practitioner_id}/gallery"
    published_gallery_item(app, client, owner)
    asked = gallery_form()
    assert send_multipart(client, "POST", gallery, asked, owner.headers).status_code == 201
    reviewed(client, actors.patient(), owner)
    models = importlib.import_module(f"{PACKAGE}.models")
    transport = {"transport": httpx.WSGITransport(app=app)}
    anonymous = generated.Client(base_url=BASE_URL, httpx_args=transport)

    def parsed(tag: str, operation_id: str, expected: type, status: int = 200, **kwargs):
        response = operation(tag, operation_id).sync_detailed(**kwargs)
        assert response.status_code == status, response.content
        assert isinstance(response.parsed, expected), response.content
        return response.parsed

    email = unique_email("patient")
    new_account = models.Register(
        email=email,
        password=PASSWORD,
        full_name="Claire Fontaine",
        role=models.RegistrationRole.PATIENT,
    )
    parsed("accounts", "register", models.Accepted, 202, client=anonymous, body=new_account)
    token = link_query(app, email, "email-verification")["token"]
    verified = parsed(
        "accounts", "verify_email", models.Me, client=anonymous, body=models.Token(token=token)
    )
    assert verified.role == models.Role.PATIENT and verified.email_verified

    near_paris = {"lat": 48.85, "lng": 2.35, "radius_km": 10}
    found = parsed(
        "practitioners",
        "search_practitioners",
        models.SearchPage,
        client=anonymous,
        **near_paris,
    )
    assert [hit.id for hit in found.items] == [owner.practitioner_id]
    assert found.items[0].distance_km < 10
    profile_id = found.items[0].id
    profile = parsed(
        "practitioners",
        "get_profile",
        models.Practitioner,
        client=anonymous,
        practitioner_id=profile_id,
    )
    assert profile.rating.count == 1
    testimonials = parsed(
        "testimonials",
        "list_testimonials",
        models.TestimonialPage,
        client=anonymous,
        practitioner_id=profile_id,
    )
    assert testimonials.items[0].response is None
    items = parsed(
        "gallery",
        "list_gallery_items",
        models.GalleryItemPage,
        client=anonymous,
        practitioner_id=profile_id,
    )
    assert items.items[0].before.url.startswith(app.config["PUBLIC_BASE_URL"])
    consent = parsed(
        "gallery",
        "get_consent_request",
        models.ConsentRequest,
        client=anonymous,
        token=consent_token(app, asked["patient_email"]),
    )
    assert consent.status == models.ConsentStatus.REQUESTED
    assert consent.before.thumbnail_url.startswith(app.config["PUBLIC_BASE_URL"])
    missing = parsed(
        "practitioners",
        "get_profile",
        models.Problem,
        404,
        client=anonymous,
        practitioner_id="none",
    )
    assert missing.status == 404

    tokens = parsed(
        "accounts",
        "login",
        models.TokenPair,
        client=anonymous,
        body=models.Login(email=email, password=PASSWORD),
    )
    patient = generated.AuthenticatedClient(
        base_url=BASE_URL, token=tokens.access_token, httpx_args=transport
    )
    me = parsed("accounts", "get_me", models.Me, client=patient)
    assert me.practitioner_id is None
    request = models.ConsultationRequest(
        treatment="anti-aging", message="Hello", preferred_date=date(2030, 1, 15)
    )
    consultation = parsed(
        "consultations",
        "request_consultation",
        models.Consultation,
        201,
        client=patient,
        practitioner_id=profile_id,
        body=request,
    )
    assert consultation.status == models.ConsultationStatus.REQUESTED
    mine = parsed("consultations", "list_consultations", models.ConsultationPage, client=patient)
    assert [item.id for item in mine.items] == [consultation.id]

    refresher = generated.AuthenticatedClient(
        base_url=BASE_URL, token=tokens.refresh_token, httpx_args=transport
    )
    assert parsed("accounts", "refresh_tokens", models.TokenPair, client=refresher).refresh_token
