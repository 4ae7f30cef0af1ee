"""Patient-held photo consent: nothing is public until the patient in the photos says yes, and
a no (at once or later, or silence for 30 days) deletes the item and every file of it."""

from datetime import timedelta
from pathlib import Path

import time_machine

from directory.core.db import utcnow
from directory.gallery.consents import lapse_unanswered_requests
from tests.helpers import consent_token, gallery_form, mails, send_multipart


def gallery_url(owner) -> str:
    return f"/api/v1/practitioners/{owner.practitioner_id}/gallery"


def stored_files(app) -> set[str]:
    root = Path(app.config["MEDIA_ROOT"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def ask(client, owner, **fields) -> tuple[dict, str]:
    """Upload a pair for the patient at `patient_email`: the item and the mailed token."""
    form = gallery_form(**fields)
    response = send_multipart(client, "POST", gallery_url(owner), form, owner.headers)
    assert response.status_code == 201, response.json
    return response.json, consent_token(client.application, form["patient_email"])


def local(url: str) -> str:
    return url.removeprefix("http://localhost")


def decide(client, token, decision):
    return client.post(f"/api/v1/consents/{token}", json={"decision": decision})


def test_a_pending_item_is_invisible_and_its_files_unreachable(client, app, owner, actors):
    before = stored_files(app)
    item, token = ask(client, owner)

    assert item["consent"] == {"status": "requested", "granted_at": None}
    assert item["before"]["url"] is None and item["after"]["thumbnail_url"] is None
    assert client.get(gallery_url(owner)).json["total"] == 0
    other = actors.practitioner_with_profile()
    assert client.get(gallery_url(owner), headers=other.headers).json["total"] == 0
    assert (
        client.delete(f"{gallery_url(owner)}/{item['id']}", headers=other.headers).status_code
        == 404
    )
    new_files = stored_files(app) - before
    assert len(new_files) == 4 and all(name.startswith("private/gallery/") for name in new_files)
    for name in new_files:  # under any spelling /media knows
        assert client.get(f"/media/{name.removeprefix('private/')}").status_code == 404
        assert client.get(f"/media/{name}").status_code == 404
    assert client.get(gallery_url(owner), headers=owner.headers).json["total"] == 1


def test_the_patient_sees_exactly_what_would_be_published_without_an_account(client, owner):
    item, token = ask(client, owner, caption="Four sessions")

    asked = client.get(f"/api/v1/consents/{token}")

    assert asked.status_code == 200, asked.json
    assert asked.headers["Cache-Control"] == "no-store"
    body = asked.json
    assert (body["id"], body["status"], body["caption"]) == (
        item["id"],
        "requested",
        "Four sessions",
    )
    assert body["practitioner"]["id"] == owner.practitioner_id
    for side in ("before", "after"):
        for rendition in ("url", "thumbnail_url"):
            photo = client.get(local(body[side][rendition]))
            assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
            assert "no-store" in photo.headers["Cache-Control"]
    assert client.get("/api/v1/consents/not-a-token").status_code == 410


def test_granted_consent_publishes_the_item_and_its_images(client, owner):
    item, token = ask(client, owner)

    granted = decide(client, token, "granted")

    assert granted.status_code == 200, granted.json
    assert granted.json["status"] == "granted" and granted.json["granted_at"]
    public = client.get(gallery_url(owner)).json["items"]
    assert [i["id"] for i in public] == [item["id"]]
    assert public[0]["consent"]["status"] == "granted"
    for side in ("before", "after"):
        assert client.get(local(public[0][side]["url"])).status_code == 200
        assert client.get(local(public[0][side]["thumbnail_url"])).status_code == 200


def test_declining_deletes_the_item_and_every_file_and_tells_the_practitioner(client, app, owner):
    before = stored_files(app)
    item, token = ask(client, owner)

    declined = decide(client, token, "declined")

    assert declined.status_code == 200 and declined.json["status"] == "declined"
    assert stored_files(app) == before
    assert client.get(gallery_url(owner), headers=owner.headers).json["total"] == 0
    assert [m.event for m in mails(app, owner.email, "gallery-consent-declined")] == [
        "gallery-consent-declined"
    ]
    assert client.get(f"/api/v1/consents/{token}").status_code == 410


def test_revoking_later_unpublishes_at_once_media_urls_404(client, app, owner):
    before = stored_files(app)
    item, token = ask(client, owner)
    decide(client, token, "granted")
    public = client.get(gallery_url(owner)).json["items"][0]

    with time_machine.travel(utcnow() + timedelta(days=400), tick=False):  # never expires
        revoked = decide(client, token, "revoked")

    assert revoked.status_code == 200 and revoked.json["status"] == "revoked"
    for side in ("before", "after"):
        for rendition in ("url", "thumbnail_url"):
            assert client.get(local(public[side][rendition])).status_code == 404
    assert stored_files(app) == before
    assert client.get(gallery_url(owner)).json["total"] == 0
    assert mails(app, owner.email, "gallery-consent-declined")


def test_a_patient_with_an_account_lists_and_revokes_their_consents(client, app, owner, actors):
    patient = actors.patient()
    item, token = ask(client, owner, patient_email=patient.email)
    decide(client, token, "granted")
    ask(client, owner)  # asked of someone else

    listed = client.get("/api/v1/auth/me/consents", headers=patient.headers)

    assert listed.status_code == 200 and listed.headers["Cache-Control"] == "no-store"
    assert [(c["id"], c["status"]) for c in listed.json["items"]] == [(item["id"], "granted")]
    other = actors.patient()
    consent = f"/api/v1/auth/me/consents/{item['id']}"
    assert client.delete(consent, headers=other.headers).status_code == 404
    assert client.delete(consent, headers=patient.headers).status_code == 204
    assert client.get(gallery_url(owner)).json["total"] == 0
    assert client.get("/api/v1/auth/me/consents", headers=patient.headers).json["total"] == 0


def test_an_unverified_account_sees_no_consent_asked_of_its_address(client, owner, actors):
    patient = actors.patient(verified=False)
    item, _ = ask(client, owner, patient_email=patient.email)

    assert client.get("/api/v1/auth/me/consents", headers=patient.headers).json["total"] == 0
    consent = f"/api/v1/auth/me/consents/{item['id']}"
    assert client.delete(consent, headers=patient.headers).status_code == 404


def test_a_request_unanswered_for_30_days_lapses_with_its_files(client, app, owner):
    before = stored_files(app)
    ask(client, owner)
    answered, token = ask(client, owner)
    decide(client, token, "granted")

    with app.app_context():
        assert (
            lapse_unanswered_requests(utcnow() + timedelta(days=29))["consent_requests_lapsed"] == 0
        )
        summary = lapse_unanswered_requests(utcnow() + timedelta(days=31))

    assert summary["consent_requests_lapsed"] == 1
    listed = client.get(gallery_url(owner), headers=owner.headers).json["items"]
    assert [i["id"] for i in listed] == [answered["id"]]
    assert len(stored_files(app) - before) == 4  # the granted item's files only


def test_a_bad_decision_is_a_422_naming_the_field(client, owner):
    _, token = ask(client, owner)

    for body in ({"decision": "requested"}, {"decision": "maybe"}, {}):
        response = client.post(f"/api/v1/consents/{token}", json=body)
        assert response.status_code == 422 and "decision" in response.json["errors"]


def test_simultaneous_grants_and_revocations_leave_no_item_and_no_file(app, client, owner):
    from concurrent.futures import ThreadPoolExecutor

    before = stored_files(app)
    _, token = ask(client, owner)
    decisions = ["granted", "revoked"] * 4

    def send(decision):
        return decide(app.test_client(), token, decision).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, decisions))

    # Whatever the order, a revocation comes last or finds nothing left to publish.
    assert set(statuses) <= {200, 410} and 200 in statuses
    assert client.get(gallery_url(owner), headers=owner.headers).json["total"] == 0
    assert stored_files(app) == before


def test_a_revocation_between_a_grant_and_its_files_leaves_no_file(app, client, owner):
    """The grant's row is committed before its files leave pending/: a revocation that comes in
    that moment finds the row but not yet the files, and must still leave none behind."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    before = stored_files(app)
    _, token = ask(client, owner)
    revocations = []

    def revoke_in_between(session):  # from another thread: a request of its own
        with ThreadPoolExecutor(max_workers=1) as other:
            revoking = other.submit(decide, app.test_client(), token, "revoked")
            revocations.append(revoking.result().status_code)

    event.listen(Session, "after_commit", revoke_in_between, once=True)
    try:
        granted = decide(client, token, "granted")
    finally:
        if event.contains(Session, "after_commit", revoke_in_between):
            event.remove(Session, "after_commit", revoke_in_between)

    assert revocations == [200]
    assert granted.status_code == 410
    assert client.get(gallery_url(owner), headers=owner.headers).json["total"] == 0
    assert stored_files(app) == before


def test_on_s3_a_revocation_removes_every_object_thumbnails_included(config_class):
    import boto3
    from moto import mock_aws

    from directory import create_app
    from tests.helpers import ActorFactory

    class S3Config(config_class):
        MEDIA_STORAGE = "s3"
        S3_BUCKET = "directory-media"
        S3_PREFIX = "test/"

    with mock_aws():
        bucket = boto3.client("s3", region_name="us-east-1")
        bucket.create_bucket(Bucket="directory-media")
        app = create_app(S3Config)
        client = app.test_client()
        owner = ActorFactory(app, client).practitioner_with_profile()

        def objects() -> set[str]:
            listing = bucket.list_objects_v2(Bucket="directory-media")
            return {entry["Key"] for entry in listing.get("Contents", [])}

        _, token = ask(client, owner)
        assert {key.rsplit("/", 1)[0] for key in objects()} == {"test/private/gallery"}
        decide(client, token, "granted")
        assert len(objects()) == 4
        assert {key.rsplit("/", 1)[0] for key in objects()} == {"test/public/gallery"}
        public = client.get(gallery_url(owner)).json["items"][0]

        assert decide(client, token, "revoked").status_code == 200

        assert objects() == set()
        assert client.get(local(public["after"]["thumbnail_url"])).status_code == 404
