"""v2 credentials: what each covers (kind, country, treatments), verified for one profile at a
time, the conflicts an admin sees, rechecks, and verified_treatments / verified_for."""

from datetime import timedelta

import pytest
import time_machine

from directory.core.db import today, utcnow
from directory.credentials.models import Certification
from directory.extensions import db
from tests.credentials.test_certifications import cert_body, certs_url
from tests.helpers import PASSWORD

ADMIN_QUEUE = "/api/v1/admin/certifications"


def add(client, owner, **overrides) -> dict:
    response = client.post(
        certs_url(owner.practitioner_id), json=cert_body(**overrides), headers=owner.headers
    )
    assert response.status_code == 201, response.json
    return response.json


def act(client, admin, certification, action):
    return client.post(f"{ADMIN_QUEUE}/{certification['id']}/{action}", headers=admin.headers)


def profile(client, owner) -> dict:
    return client.get(f"/api/v1/practitioners/{owner.practitioner_id}").json


def search(client, **query) -> list[str]:
    return [p["id"] for p in client.get("/api/v1/practitioners", query_string=query).json["items"]]


def test_a_certification_says_what_it_covers_and_where(client, owner):
    cert = add(client, owner, treatments=["hair-restoration", "anti-aging"])

    assert cert["kind"] == "certification"
    assert cert["country"] == "FR"  # the profile's, unless given
    assert cert["treatments"] == ["anti-aging", "hair-restoration"]
    assert cert["last_checked_on"] is None

    license = add(client, owner, kind="license", country="BE", credential_number="INAMI-1")
    assert (license["kind"], license["country"], license["treatments"]) == ("license", "BE", [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "license", "treatments": ["anti-aging"]}, "treatments"),
        ({"kind": "diploma"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"treatments": ["no-such-treatment"]}, "treatments"),
        ({"last_checked_on": "2026-01-01"}, "last_checked_on"),
    ],
)
def test_bad_credential_fields_are_a_422(client, owner, body, field):
    response = client.post(
        certs_url(owner.practitioner_id), json=cert_body(**body), headers=owner.headers
    )

    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_verified_treatments_come_from_verified_unexpired_certifications(client, owner, admin):
    expires = today() + timedelta(days=10)
    lasting = add(client, owner, treatments=["anti-aging"], credential_number="A-1")
    expiring = add(
        client,
        owner,
        treatments=["hair-restoration"],
        credential_number="B-2",
        expires_on=expires.isoformat(),
    )
    add(client, owner, treatments=["cellulite"], credential_number="C-3")  # stays pending
    act(client, admin, lasting, "verify")
    act(client, admin, expiring, "verify")

    assert profile(client, owner)["verified_treatments"] == ["anti-aging", "hair-restoration"]
    hit = client.get("/api/v1/practitioners").json["items"][0]
    assert hit["verified_treatments"] == ["anti-aging", "hair-restoration"]
    assert search(client, verified_for="hair-restoration") == [owner.practitioner_id]
    assert search(client, verified_for="cellulite") == []

    with time_machine.travel(utcnow() + timedelta(days=11), tick=False):
        assert profile(client, owner)["verified_treatments"] == ["anti-aging"]
        # Search statements are partly built once: their date is read when they run.
        hit = client.get("/api/v1/practitioners").json["items"][0]
        assert hit["verified_treatments"] == ["anti-aging"]
        assert search(client, verified_for="hair-restoration") == []
        assert search(client, verified_for="anti-aging") == [owner.practitioner_id]


def test_an_edit_sends_the_treatments_back_to_pending(client, owner, admin):
    cert = add(client, owner, treatments=["anti-aging"])
    act(client, admin, cert, "verify")

    client.patch(
        f"{certs_url(owner.practitioner_id)}/{cert['id']}",
        json={"treatments": ["anti-aging", "cellulite"]},
        headers=owner.headers,
    )

    assert profile(client, owner)["verified_treatments"] == []
    assert search(client, verified_for="anti-aging") == []


def test_verified_for_needs_a_known_treatment(client):
    response = client.get("/api/v1/practitioners", query_string={"verified_for": "nope"})

    assert response.status_code == 422
    assert "verified_for" in response.json["errors"]


def test_verify_and_recheck_set_the_public_last_checked_on(client, actors, owner, admin):
    cert = add(client, owner)
    assert act(client, admin, cert, "recheck").status_code == 409  # pending: nothing to recheck

    verified = act(client, admin, cert, "verify").json
    assert verified["last_checked_on"] == today().isoformat()

    later = today() + timedelta(days=200)
    with time_machine.travel(utcnow() + timedelta(days=200), tick=False):
        admin.access_token = actors.login(admin.email)["access_token"]  # the old one expired
        rechecked = act(client, admin, cert, "recheck")
        log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert rechecked.status_code == 200
    assert rechecked.json["last_checked_on"] == later.isoformat()
    assert log[0]["action"] == "certification.recheck"
    public = client.get(certs_url(owner.practitioner_id)).json["items"][0]
    assert public["last_checked_on"] == later.isoformat()
    assert "credential_number" not in public


def test_one_credential_is_verified_for_one_profile_only(client, actors, owner, admin):
    other = actors.practitioner_with_profile()
    mine = add(client, owner, kind="license", credential_number="RPPS 1010-2020")
    theirs = add(client, other, kind="license", credential_number="rpps-10102020")
    elsewhere = add(client, other, kind="license", credential_number="RPPS10102020", country="BE")

    assert act(client, admin, mine, "verify").status_code == 200
    refused = act(client, admin, theirs, "verify")

    assert refused.status_code == 409
    assert refused.json["type"].endswith("/problems/duplicate")
    assert act(client, admin, elsewhere, "verify").status_code == 200  # another country
    # A renewal on the same profile is no conflict.
    renewal = add(client, owner, kind="license", credential_number="RPPS-1010-2020")
    assert act(client, admin, renewal, "verify").status_code == 200


def test_a_number_freed_by_an_edit_can_be_verified_elsewhere(client, actors, owner, admin):
    other = actors.practitioner_with_profile()
    mine = add(client, owner, credential_number="N-77")
    theirs = add(client, other, credential_number="N-77")
    act(client, admin, mine, "verify")

    client.patch(
        f"{certs_url(owner.practitioner_id)}/{mine['id']}",
        json={"credential_number": "N-78"},
        headers=owner.headers,
    )

    assert act(client, admin, theirs, "verify").status_code == 200


def queued(client, admin, certification) -> dict:
    items = client.get(ADMIN_QUEUE, headers=admin.headers).json["items"]
    return next(item for item in items if item["id"] == certification["id"])


def test_the_queue_shows_other_profiles_holding_the_same_number(client, actors, owner, admin):
    other = actors.practitioner_with_profile(full_name="Dr Other")
    mine = add(client, owner, credential_number="SFM-2024-118")
    theirs = add(client, other, credential_number="sfm 2024 118")
    unrelated = add(client, other, credential_number="SFM-2024-119")

    conflicts = queued(client, admin, theirs)["conflicts"]

    assert conflicts == {
        "profiles": [
            {
                "practitioner_id": owner.practitioner_id,
                "full_name": "Dr Camille Durand",
                "certification_id": mine["id"],
                "status": "pending",
                "deleted": False,
            }
        ],
        "erased": False,
    }
    assert queued(client, admin, unrelated)["conflicts"] == {"profiles": [], "erased": False}


def erase_account(client, actor):
    return client.delete("/api/v1/auth/me", json={"password": PASSWORD}, headers=actor.headers)


def test_the_queue_says_when_a_number_belonged_to_an_erased_profile(
    app, client, actors, owner, admin
):
    add(client, owner, kind="license", credential_number="GMC 7654321")
    newcomer = actors.practitioner_with_profile()
    claimed = add(client, newcomer, kind="license", credential_number="gmc-7654321")
    other_kind = add(client, newcomer, credential_number="GMC 7654321")

    assert erase_account(client, owner).status_code == 204
    with app.app_context():
        stored = db.session.execute(db.select(db.text("digest FROM erased_credentials"))).all()
        numbers = db.session.scalars(db.select(Certification.credential_number)).all()
    assert len(stored) == 1 and "GMC" not in stored[0][0]  # a keyed hash, never the number
    assert numbers.count("GMC 7654321") == 1  # the newcomer's; the erased profile's are gone

    assert queued(client, admin, claimed)["conflicts"]["erased"] is True
    assert queued(client, admin, other_kind)["conflicts"]["erased"] is False


def test_an_erased_profile_frees_its_verified_numbers(app, client, actors, owner, admin):
    mine = add(client, owner, credential_number="FREE-1")
    act(client, admin, mine, "verify")
    newcomer = actors.practitioner_with_profile()
    theirs = add(client, newcomer, credential_number="FREE-1")

    assert act(client, admin, theirs, "verify").status_code == 409
    assert erase_account(client, owner).status_code == 204

    assert act(client, admin, theirs, "verify").status_code == 200


def test_two_profiles_verified_at_once_give_one_holder(app, client, actors, admin):
    from tests.testimonials.test_concurrency import in_parallel

    owners = [actors.practitioner_with_profile() for _ in range(4)]
    certs = [add(client, owner, credential_number="RACE-1") for owner in owners]
    url = ADMIN_QUEUE + "/{}/verify"

    responses = in_parallel(
        app, [("post", url.format(c["id"]), {"headers": admin.headers}) for c in certs]
    )

    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    verified = [p for p in owners if profile(client, p)["verified"]]
    assert len(verified) == 1
