import io
from datetime import date, timedelta

import pytest

from tests.helpers import PDF_BYTES, image_bytes, send_multipart

TODAY = date.today()


def certs_url(practitioner_id: str) -> str:
    return f"/api/v1/practitioners/{practitioner_id}/certifications"


def cert_body(**overrides) -> dict:
    return {
        "name": "Diplôme universitaire de mésothérapie",
        "issuing_body": "Université Paris Cité",
        "credential_number": "DU-2019-0042",
        "issued_on": "2019-06-30",
        "expires_on": None,
    } | overrides


def add_cert(client, owner, **overrides) -> dict:
    response = client.post(
        certs_url(owner.practitioner_id), json=cert_body(**overrides), headers=owner.headers
    )
    assert response.status_code == 201, response.json
    return response.json


def verify(client, admin, cert_id):
    return client.post(f"/api/v1/admin/certifications/{cert_id}/verify", headers=admin.headers)


def profile(client, owner) -> dict:
    return client.get(f"/api/v1/practitioners/{owner.practitioner_id}").json


def upload(
    client, actor, practitioner_id, cert_id, data: bytes, filename="scan.pdf", mimetype=None
):
    return send_multipart(
        client,
        "PUT",
        f"{certs_url(practitioner_id)}/{cert_id}/document",
        {"file": (io.BytesIO(data), filename, mimetype)},
        actor.headers,
    )


def test_a_new_certification_is_pending_with_every_field(client, owner):
    cert = add_cert(client, owner)

    assert cert["status"] == "pending"
    assert cert["has_document"] is False
    assert cert["expired"] is False
    assert cert["credential_number"] == "DU-2019-0042"
    assert {
        "id",
        "name",
        "issuing_body",
        "issued_on",
        "expires_on",
        "reviewed_at",
        "rejection_reason",
        "created_at",
    } <= set(cert)


def test_expiry_before_issue_is_a_422(client, owner):
    response = client.post(
        certs_url(owner.practitioner_id),
        json=cert_body(issued_on="2020-01-01", expires_on="2019-01-01"),
        headers=owner.headers,
    )

    assert response.status_code == 422
    assert "expires_on" in response.json["errors"]


@pytest.mark.parametrize(
    "field", ["status", "id", "reviewed_at", "rejection_reason", "has_document"]
)
def test_server_fields_are_read_only(client, owner, field):
    response = client.post(
        certs_url(owner.practitioner_id),
        json=cert_body(**{field: "verified"}),
        headers=owner.headers,
    )

    assert response.status_code == 422


def test_the_whole_lifecycle_makes_and_unmakes_verified(client, owner, admin, actors):
    cert = add_cert(client, owner)
    assert upload(client, owner, owner.practitioner_id, cert["id"], PDF_BYTES).json["has_document"]

    queue = client.get("/api/v1/admin/certifications", headers=admin.headers).json
    assert [c["id"] for c in queue["items"]] == [cert["id"]]

    verified = verify(client, admin, cert["id"])
    assert verified.status_code == 200
    assert verified.json["status"] == "verified" and verified.json["reviewed_at"]
    assert profile(client, owner)["verified"] is True
    search = client.get("/api/v1/practitioners", query_string={"verified": "true"}).json
    assert [p["id"] for p in search["items"]] == [owner.practitioner_id]

    # Any edit sends it back to pending, and the profile is no longer verified.
    edited = client.patch(
        f"{certs_url(owner.practitioner_id)}/{cert['id']}",
        json={"name": "DU (renamed)"},
        headers=owner.headers,
    )
    assert edited.json["status"] == "pending" and edited.json["reviewed_at"] is None
    assert profile(client, owner)["verified"] is False

    rejected = client.post(
        f"/api/v1/admin/certifications/{cert['id']}/reject",
        json={"reason": "Unreadable scan"},
        headers=admin.headers,
    )
    assert rejected.json["status"] == "rejected"
    assert rejected.json["rejection_reason"] == "Unreadable scan"
    assert profile(client, owner)["verified"] is False

    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [(e["action"], e["target_id"], e["actor_id"]) for e in log] == [
        ("certification.reject", cert["id"], admin.id),
        ("certification.verify", cert["id"], admin.id),
    ]
    assert log[0]["detail"] == {"reason": "Unreadable scan"}


def test_a_new_document_sends_a_verified_certification_back_to_pending(client, owner, admin):
    cert = add_cert(client, owner)
    verify(client, admin, cert["id"])

    response = upload(client, owner, owner.practitioner_id, cert["id"], image_bytes("PNG"), "x.png")

    assert response.json["status"] == "pending"
    assert profile(client, owner)["verified"] is False


@pytest.mark.parametrize(
    ("expires_on", "verified"),
    [
        (TODAY - timedelta(days=1), False),
        (TODAY, True),
        (TODAY + timedelta(days=1), True),
        (None, True),
    ],
)
def test_verified_holds_only_until_the_expiry_date(client, owner, admin, expires_on, verified):
    cert = add_cert(
        client, owner, issued_on="2015-01-01", expires_on=expires_on and expires_on.isoformat()
    )

    verify(client, admin, cert["id"])

    assert profile(client, owner)["verified"] is verified
    search = client.get(
        "/api/v1/practitioners", query_string={"verified": str(verified).lower()}
    ).json
    assert owner.practitioner_id in [p["id"] for p in search["items"]]
    listed = client.get(certs_url(owner.practitioner_id)).json["items"][0]
    assert listed["expired"] is (not verified)


def test_one_unexpired_verified_certification_is_enough(client, owner, admin):
    old = add_cert(client, owner, issued_on="2010-01-01", expires_on="2012-01-01")
    current = add_cert(client, owner)
    verify(client, admin, old["id"])
    verify(client, admin, current["id"])

    assert profile(client, owner)["verified"] is True
    client.delete(f"{certs_url(owner.practitioner_id)}/{current['id']}", headers=owner.headers)
    assert profile(client, owner)["verified"] is False


def test_the_public_sees_verified_certifications_only_without_private_fields(
    client, owner, admin, actors
):
    pending = add_cert(client, owner, name="Pending one")
    shown = add_cert(client, owner, name="Verified one")
    upload(client, owner, owner.practitioner_id, shown["id"], PDF_BYTES)
    verify(client, admin, shown["id"])
    stranger = actors.patient()

    for headers in ({}, stranger.headers):
        items = client.get(certs_url(owner.practitioner_id), headers=headers).json["items"]
        assert [c["name"] for c in items] == ["Verified one"]
        assert not {"credential_number", "rejection_reason", "has_document", "document"} & set(
            items[0]
        )
    detail = profile(client, owner)
    assert [c["name"] for c in detail["certifications"]] == ["Verified one"]
    assert "credential_number" not in detail["certifications"][0]
    for viewer in (owner, admin):
        items = client.get(certs_url(owner.practitioner_id), headers=viewer.headers).json["items"]
        assert {c["id"] for c in items} == {pending["id"], shown["id"]}
        assert "credential_number" in items[0]


def test_documents_are_served_to_the_owner_and_admins_only(client, owner, admin, actors):
    cert = add_cert(client, owner)
    upload(client, owner, owner.practitioner_id, cert["id"], PDF_BYTES)
    verify(client, admin, cert["id"])
    url = f"{certs_url(owner.practitioner_id)}/{cert['id']}/document"

    for viewer in (owner, admin):
        response = client.get(url, headers=viewer.headers)
        assert response.status_code == 200
        assert response.data == PDF_BYTES
        assert response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for stranger in (actors.patient(), actors.practitioner_with_profile()):
        assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.get(url).status_code == 401


def test_a_certification_without_document_has_none_to_download(client, owner):
    cert = add_cert(client, owner)

    response = client.get(
        f"{certs_url(owner.practitioner_id)}/{cert['id']}/document", headers=owner.headers
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "mimetype", "status"),
    [
        (b"<html><script>alert(1)</script></html>", "scan.pdf", "application/pdf", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "scan.png", "image/png", 415),
        (image_bytes("GIF"), "scan.png", "image/png", 415),
        (image_bytes("WEBP"), "scan.jpg", "image/jpeg", 415),
        (b"%PDF-1.4 truncated", "scan.pdf", "application/pdf", 422),
        (image_bytes("PNG")[:60], "scan.png", "image/png", 422),
        (b"", "scan.pdf", "application/pdf", 422),
    ],
)
def test_documents_are_judged_by_content(client, owner, data, filename, mimetype, status):
    cert = add_cert(client, owner)

    response = upload(client, owner, owner.practitioner_id, cert["id"], data, filename, mimetype)

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert (
        client.get(
            f"{certs_url(owner.practitioner_id)}/{cert['id']}/document", headers=owner.headers
        ).status_code
        == 404
    )


def test_a_jpeg_named_like_a_pdf_is_accepted_as_a_jpeg(client, owner):
    cert = add_cert(client, owner)

    upload(
        client,
        owner,
        owner.practitioner_id,
        cert["id"],
        image_bytes("JPEG"),
        "scan.pdf",
        "application/pdf",
    )

    response = client.get(
        f"{certs_url(owner.practitioner_id)}/{cert['id']}/document", headers=owner.headers
    )
    assert response.mimetype == "image/jpeg"


def test_a_document_over_10_mb_is_a_413(client, owner):
    cert = add_cert(client, owner)
    big = PDF_BYTES[:-7] + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n"

    assert upload(client, owner, owner.practitioner_id, cert["id"], big).status_code == 413


def test_a_missing_file_field_is_a_422(client, owner):
    cert = add_cert(client, owner)

    response = client.put(
        f"{certs_url(owner.practitioner_id)}/{cert['id']}/document",
        data={"other": "x"},
        headers=owner.headers,
        content_type="multipart/form-data",
    )

    assert response.status_code == 422


def test_only_the_owner_adds_edits_and_uploads(client, owner, admin, actors):
    cert = add_cert(client, owner)
    item = f"{certs_url(owner.practitioner_id)}/{cert['id']}"
    other = actors.practitioner_with_profile()
    patient = actors.patient()

    for actor in (other, patient, admin):
        assert (
            client.post(
                certs_url(owner.practitioner_id), json=cert_body(), headers=actor.headers
            ).status_code
            == 403
        )
    # A pending certification is private: others are told it does not exist.
    for actor in (other, patient):
        assert client.patch(item, json={"name": "x"}, headers=actor.headers).status_code == 404
        assert client.delete(item, headers=actor.headers).status_code == 404
        assert (
            upload(client, actor, owner.practitioner_id, cert["id"], PDF_BYTES).status_code == 404
        )
    assert client.patch(item, json={"name": "x"}, headers=admin.headers).status_code == 403
    # Once verified it is public: others may see it but not change it.
    verify(client, admin, cert["id"])
    for actor in (other, patient):
        assert client.patch(item, json={"name": "x"}, headers=actor.headers).status_code == 403
        assert client.delete(item, headers=actor.headers).status_code == 403


def test_a_certification_is_reachable_only_under_its_own_practitioner(client, owner, actors):
    cert = add_cert(client, owner)
    other = actors.practitioner_with_profile()

    response = client.patch(
        f"{certs_url(other.practitioner_id)}/{cert['id']}",
        json={"name": "x"},
        headers=other.headers,
    )

    assert response.status_code == 404


def test_an_admin_deletion_is_audited(client, owner, admin):
    cert = add_cert(client, owner)

    assert (
        client.delete(
            f"{certs_url(owner.practitioner_id)}/{cert['id']}", headers=admin.headers
        ).status_code
        == 204
    )

    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [(e["action"], e["target_id"]) for e in log] == [("certification.delete", cert["id"])]


def test_an_owner_deletion_is_not_an_admin_action(client, owner, admin):
    cert = add_cert(client, owner)

    client.delete(f"{certs_url(owner.practitioner_id)}/{cert['id']}", headers=owner.headers)

    assert client.get("/api/v1/admin/audit-log", headers=admin.headers).json["total"] == 0


def test_reviews_are_for_pending_certifications_only(client, owner, admin):
    cert = add_cert(client, owner)
    verify(client, admin, cert["id"])

    assert verify(client, admin, cert["id"]).status_code == 409
    reject = client.post(
        f"/api/v1/admin/certifications/{cert['id']}/reject",
        json={"reason": "x"},
        headers=admin.headers,
    )
    assert reject.status_code == 409


def test_a_rejection_needs_a_reason(client, owner, admin):
    cert = add_cert(client, owner)

    response = client.post(
        f"/api/v1/admin/certifications/{cert['id']}/reject", json={}, headers=admin.headers
    )

    assert response.status_code == 422
    assert "reason" in response.json["errors"]


def test_the_queue_is_oldest_first_and_filters_by_status(client, admin, actors):
    first_owner, second_owner = (
        actors.practitioner_with_profile(),
        actors.practitioner_with_profile(),
    )
    first = add_cert(client, first_owner)
    second = add_cert(client, second_owner)
    third = add_cert(client, first_owner)
    verify(client, admin, third["id"])

    pending = client.get(
        "/api/v1/admin/certifications", query_string={"status": "pending"}, headers=admin.headers
    )
    verified = client.get(
        "/api/v1/admin/certifications", query_string={"status": "verified"}, headers=admin.headers
    )

    assert [c["id"] for c in pending.json["items"]] == [first["id"], second["id"]]
    assert [c["id"] for c in verified.json["items"]] == [third["id"]]
    assert pending.json["items"][0]["practitioner_id"] == first_owner.practitioner_id
    bad = client.get(
        "/api/v1/admin/certifications", query_string={"status": "lost"}, headers=admin.headers
    )
    assert bad.status_code == 422


def test_unknown_certifications_are_404(client, admin, owner):
    assert verify(client, admin, "nope").status_code == 404
    assert (
        client.patch(
            f"{certs_url(owner.practitioner_id)}/nope", json={"name": "x"}, headers=owner.headers
        ).status_code
        == 404
    )


def test_an_unknown_form_field_beside_the_document_is_a_422(client, owner):
    cert = add_cert(client, owner)

    response = send_multipart(
        client,
        "PUT",
        f"{certs_url(owner.practitioner_id)}/{cert['id']}/document",
        {"file": (io.BytesIO(PDF_BYTES), "d.pdf", None), "status": "verified"},
        owner.headers,
    )

    assert response.status_code == 422
    assert "status" in response.json["errors"]
