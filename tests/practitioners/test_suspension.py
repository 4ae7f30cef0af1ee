"""An admin suspends a practitioner (a licence suspended, say): the profile keeps its page with
a public notice, leaves search, suggestions and facets, and takes no new client."""

import pytest

from tests.helpers import book, profile_body, publish_availability, request_consultation

NOTICE = "Suspended while the medical board reviews this practitioner's licence."
REASON = "Board letter 2026-118: licence suspended for three months."


def suspend(client, admin, owner, **body):
    return client.post(
        f"/api/v1/admin/practitioners/{owner.practitioner_id}/suspend",
        json={"reason": REASON, "notice": NOTICE} | body,
        headers=admin.headers,
    )


def reinstate(client, admin, owner):
    return client.post(
        f"/api/v1/admin/practitioners/{owner.practitioner_id}/reinstate", headers=admin.headers
    )


def search(client, **query) -> dict:
    return client.get("/api/v1/practitioners", query_string=query).json


def test_a_suspended_profile_keeps_its_page_with_the_notice(client, owner, admin):
    response = suspend(client, admin, owner)

    assert response.status_code == 200, response.json
    assert response.json["suspension"]["notice"] == NOTICE
    public = client.get(f"/api/v1/practitioners/{owner.practitioner_id}").json
    assert public["suspension"]["notice"] == NOTICE
    assert public["suspension"]["since"].endswith("+00:00")
    assert REASON not in str(public)


def test_the_reason_goes_to_the_audit_log_only(client, owner, admin):
    suspend(client, admin, owner)
    reinstate(client, admin, owner)

    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]

    assert [entry["action"] for entry in log[:2]] == [
        "practitioner.reinstate",
        "practitioner.suspend",
    ]
    assert log[1]["detail"] == {"reason": REASON}
    assert log[1]["target_id"] == owner.practitioner_id


def test_suspended_profiles_leave_search_suggestions_and_facets(client, actors, owner, admin):
    other = actors.practitioner_with_profile(full_name="Dr Other Durand")
    before = search(client, facets="country")
    assert before["total"] == 2 and before["facets"]["country"] == [{"value": "FR", "count": 2}]

    suspend(client, admin, owner)

    for query in ({}, {"q": "durand"}, {"city": "Paris"}, {"facets": "country"}):
        answer = search(client, **query)
        assert [p["id"] for p in answer["items"]] == [other.practitioner_id], query
        assert answer["total"] == 1
    assert search(client, facets="country")["facets"]["country"] == [{"value": "FR", "count": 1}]
    suggested = client.get("/api/v1/suggest", query_string={"q": "durand"}).json
    assert [p["id"] for p in suggested["practitioners"]] == [other.practitioner_id]

    reinstate(client, admin, owner)

    assert search(client)["total"] == 2
    assert len(client.get("/api/v1/suggest?q=durand").json["practitioners"]) == 2


def test_a_suspended_practitioner_takes_no_new_client(client, patient, owner, admin):
    publish_availability(client, owner)
    suspend(client, admin, owner)

    consultation = client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/consultations",
        json={"treatment": "anti-aging", "message": "Hello"},
        headers=patient.headers,
    )
    invitation = client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/invitations",
        json={"email": "client@example.com"},
        headers=owner.headers,
    )

    booking = book(client, patient, owner, "2030-01-07T09:00:00+01:00")

    for refused in (consultation, invitation, booking):
        assert refused.status_code == 409
        assert refused.json["type"].endswith("/problems/practitioner-suspended")
    reinstate(client, admin, owner)
    assert request_consultation(client, patient, owner)["status"] == "requested"


def test_suspending_twice_or_reinstating_an_active_one_is_illegal(client, owner, admin):
    assert reinstate(client, admin, owner).status_code == 409
    suspend(client, admin, owner)

    again = suspend(client, admin, owner)

    assert again.status_code == 409
    assert again.json["type"].endswith("/problems/illegal-transition")
    assert search(client)["total"] == 0  # counted out once only


def test_deleting_and_restoring_a_suspended_profile_keeps_the_count(client, owner, admin):
    suspend(client, admin, owner)
    client.delete(f"/api/v1/practitioners/{owner.practitioner_id}", headers=owner.headers)
    assert search(client)["total"] == 0

    back = client.post("/api/v1/practitioners", json=profile_body(), headers=owner.headers)

    assert back.json["suspension"]["notice"] == NOTICE  # a suspension outlives the deletion
    assert search(client)["total"] == 0
    reinstate(client, admin, owner)
    assert search(client)["total"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({"notice": ""}, "notice"), ({"reason": None}, "reason"), ({"extra": 1}, "extra")],
)
def test_a_suspension_needs_a_reason_and_a_notice(client, owner, admin, body, field):
    response = suspend(client, admin, owner, **body)

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_suspending_and_deleting_at_once_counts_each_profile_out_once(app, client, actors, admin):
    from tests.testimonials.test_concurrency import in_parallel

    owners = [actors.practitioner_with_profile() for _ in range(4)]
    requests = []
    for owner in owners:
        profile_url = f"/api/v1/practitioners/{owner.practitioner_id}"
        requests.append(("delete", profile_url, {"headers": owner.headers}))
        requests.append(
            (
                "post",
                f"/api/v1/admin/practitioners/{owner.practitioner_id}/suspend",
                {"json": {"reason": REASON, "notice": NOTICE}, "headers": admin.headers},
            )
        )

    responses = in_parallel(app, requests)

    assert {r.status_code for r in responses} <= {200, 204, 404, 409}
    assert search(client)["total"] == 0
    assert search(client, country="FR")["total"] == 0
