import pytest

from tests.helpers import (
    completed_consultation,
    link_query,
    move_consultation,
    post_testimonial,
    request_consultation,
    reviewed,
)


def invite(client, owner, email):
    """An invitation, with the code the invited person finds in the mail (never in the API)."""
    response = client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/invitations",
        json={"email": email},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.json
    assert "code" not in response.json
    mailed = link_query(client.application, email, "invitation")
    assert mailed["practitioner"] == owner.practitioner_id
    return response.json | {"code": mailed["code"]}


def listed(client, owner, **query) -> list[dict]:
    response = client.get(
        f"/api/v1/practitioners/{owner.practitioner_id}/testimonials", query_string=query
    )
    assert response.status_code == 200, response.json
    return response.json["items"]


def rating(client, owner) -> dict:
    return client.get(f"/api/v1/practitioners/{owner.practitioner_id}").json["rating"]


def test_a_completed_consultation_lets_the_patient_review(client, patient, owner):
    testimonial = reviewed(client, patient, owner, rating=4)

    assert testimonial["verification"] == "consultation"
    assert testimonial["author_name"] == "Claire F."
    assert testimonial["treatment"] == "anti-aging"  # from the consultation
    assert testimonial["response"] is None
    assert "author_id" not in testimonial and "email" not in str(testimonial)
    assert [t["id"] for t in listed(client, owner)] == [testimonial["id"]]
    assert rating(client, owner) == {
        "average": 4.0,
        "count": 1,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
        "aspects": {"results": None, "communication": None, "value": None},
        "worth_it": {"yes": 0, "no": 0, "not_sure": 0},
    }


@pytest.mark.parametrize("steps", [[], ["confirmed"], ["declined"]])
def test_an_unfinished_consultation_is_not_enough(client, patient, owner, steps):
    consultation = request_consultation(client, patient, owner)
    for status in steps:
        move_consultation(client, owner, consultation["id"], status)

    response = post_testimonial(client, patient, owner, consultation_id=consultation["id"])

    assert response.status_code == 403


def test_someone_elses_consultation_is_refused(client, patient, owner, actors):
    other_patient = actors.patient()
    consultation = completed_consultation(client, other_patient, owner)

    response = post_testimonial(client, patient, owner, consultation_id=consultation["id"])

    assert response.status_code == 403


def test_a_consultation_with_another_practitioner_is_refused(client, patient, owner, actors):
    other = actors.practitioner_with_profile()
    consultation = completed_consultation(client, patient, other)

    response = post_testimonial(client, patient, owner, consultation_id=consultation["id"])

    assert response.status_code == 403


def test_no_proof_at_all_is_a_422_and_an_unknown_one_a_403(client, patient, owner):
    assert post_testimonial(client, patient, owner).status_code == 422
    assert post_testimonial(client, patient, owner, consultation_id="nope").status_code == 403
    assert post_testimonial(client, patient, owner, invitation_code="nope").status_code == 403


def test_one_testimonial_per_consultation(client, patient, owner):
    consultation = completed_consultation(client, patient, owner)
    assert (
        post_testimonial(client, patient, owner, consultation_id=consultation["id"]).status_code
        == 201
    )

    again = post_testimonial(client, patient, owner, consultation_id=consultation["id"])

    assert again.status_code == 409
    assert rating(client, owner)["count"] == 1


def test_an_invitation_lets_its_addressee_review_once(client, patient, owner):
    invitation = invite(client, owner, patient.email.upper())
    assert invitation["email"] == patient.email
    assert len(invitation["code"]) >= 24

    first = post_testimonial(client, patient, owner, invitation_code=invitation["code"])
    again = post_testimonial(client, patient, owner, invitation_code=invitation["code"])

    assert first.status_code == 201
    assert first.json["verification"] == "invitation"
    assert again.status_code == 409


def test_an_invitation_for_another_email_or_practitioner_is_refused(client, patient, owner, actors):
    for_someone_else = invite(client, owner, "someone-else@example.com")
    other = actors.practitioner_with_profile()
    for_other_practitioner = invite(client, other, patient.email)

    assert (
        post_testimonial(
            client, patient, owner, invitation_code=for_someone_else["code"]
        ).status_code
        == 403
    )
    assert (
        post_testimonial(
            client, patient, owner, invitation_code=for_other_practitioner["code"]
        ).status_code
        == 403
    )


def test_an_expired_invitation_is_refused(app, client, patient, owner):
    from datetime import timedelta

    from directory.core.db import utcnow
    from directory.extensions import db
    from directory.testimonials.models import Invitation

    invitation = invite(client, owner, patient.email)
    with app.app_context():  # 30 days later
        stored = db.session.query(Invitation).filter_by(code=invitation["code"]).one()
        stored.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

    response = post_testimonial(client, patient, owner, invitation_code=invitation["code"])

    assert response.status_code == 403


def test_a_failed_attempt_does_not_use_the_invitation(client, patient, owner):
    invitation = invite(client, owner, patient.email)

    bad = post_testimonial(
        client, patient, owner, invitation_code=invitation["code"], body="too short"
    )
    good = post_testimonial(client, patient, owner, invitation_code=invitation["code"])

    assert bad.status_code == 422
    assert good.status_code == 201


def test_invitations_are_issued_by_the_owner_only(client, owner, actors):
    url = f"/api/v1/practitioners/{owner.practitioner_id}/invitations"

    assert client.post(url, json={"email": "a@example.com"}).status_code == 401
    for actor in (actors.patient(), actors.practitioner_with_profile(), actors.admin()):
        assert (
            client.post(url, json={"email": "a@example.com"}, headers=actor.headers).status_code
            == 403
        )
    assert client.post(url, json={"email": "nope"}, headers=owner.headers).status_code == 422


@pytest.mark.parametrize("role", ["practitioner", "admin"])
def test_practitioners_and_admins_cannot_post_testimonials(client, owner, actors, role):
    actor = actors.admin() if role == "admin" else actors.practitioner_with_profile()

    assert post_testimonial(client, actor, owner, invitation_code="x").status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rating", 0),
        ("rating", 6),
        ("rating", 4.5),
        ("rating", "5"),
        ("body", "x" * 19),
        ("body", "x" * 5001),
        ("title", ""),
        ("treatment", "botox-party"),
    ],
)
def test_invalid_testimonials_are_422(client, patient, owner, field, value):
    consultation = completed_consultation(client, patient, owner)

    response = post_testimonial(
        client, patient, owner, consultation_id=consultation["id"], **{field: value}
    )

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_text_is_stored_as_plain_text(client, patient, owner):
    body = "<script>alert('x')</script> is shown as text, never run as HTML."

    testimonial = reviewed(client, patient, owner, body=body)

    assert testimonial["body"] == body
    assert listed(client, owner)[0]["body"] == body


def test_the_author_edits_and_the_rating_follows(client, patient, owner, actors):
    testimonial = reviewed(client, patient, owner, rating=5)
    url = f"/api/v1/testimonials/{testimonial['id']}"

    edited = client.patch(
        url, json={"rating": 2, "title": "Changed my mind"}, headers=patient.headers
    )

    assert edited.status_code == 200
    assert edited.json["rating"] == 2
    assert rating(client, owner)["distribution"]["2"] == 1
    assert (
        client.patch(url, json={"verification": "invitation"}, headers=patient.headers).status_code
        == 422
    )
    for actor in (actors.patient(), owner, actors.admin()):
        assert client.patch(url, json={"rating": 1}, headers=actor.headers).status_code == 403


def test_the_author_or_an_admin_deletes(client, owner, actors):
    first = reviewed(client, actors.patient(), owner)
    author = actors.patient()
    second = reviewed(client, author, owner)
    admin = actors.admin()

    assert (
        client.delete(
            f"/api/v1/testimonials/{second['id']}", headers=actors.patient().headers
        ).status_code
        == 403
    )
    assert (
        client.delete(f"/api/v1/testimonials/{second['id']}", headers=owner.headers).status_code
        == 403
    )
    assert (
        client.delete(f"/api/v1/testimonials/{second['id']}", headers=author.headers).status_code
        == 204
    )
    assert (
        client.delete(f"/api/v1/testimonials/{first['id']}", headers=admin.headers).status_code
        == 204
    )

    assert listed(client, owner) == []
    assert rating(client, owner)["count"] == 0
    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [(e["action"], e["target_id"]) for e in log] == [("testimonial.delete", first["id"])]


def test_the_reviewed_practitioner_responds_once_replaceably(client, patient, owner, actors):
    testimonial = reviewed(client, patient, owner)
    url = f"/api/v1/testimonials/{testimonial['id']}/response"

    first = client.put(url, json={"body": "Thank you!"}, headers=owner.headers)
    second = client.put(url, json={"body": "Thank you, Claire."}, headers=owner.headers)

    assert first.status_code == second.status_code == 200
    assert second.json["response"]["body"] == "Thank you, Claire."
    assert listed(client, owner)[0]["response"]["body"] == "Thank you, Claire."
    assert (
        client.put(
            url, json={"body": "x"}, headers=actors.practitioner_with_profile().headers
        ).status_code
        == 403
    )
    assert client.put(url, json={"body": "x"}, headers=patient.headers).status_code == 403
    assert client.put(url, json={}, headers=owner.headers).status_code == 422


def test_reports_are_once_per_user_and_fill_the_moderation_queue(client, patient, owner, actors):
    testimonial = reviewed(client, patient, owner)
    url = f"/api/v1/testimonials/{testimonial['id']}/reports"
    reporter = actors.patient()
    admin = actors.admin()

    first = client.post(url, json={"reason": "Looks fake"}, headers=reporter.headers)
    again = client.post(url, json={"reason": "Really fake"}, headers=reporter.headers)

    assert first.status_code == 201
    assert first.json["testimonial_id"] == testimonial["id"]
    assert again.status_code == 409
    assert client.post(url, json={"reason": "x"}).status_code == 401
    assert client.post(url, json={}, headers=owner.headers).status_code == 422
    queue = client.get(
        "/api/v1/admin/testimonials", query_string={"status": "reported"}, headers=admin.headers
    )
    assert [(t["id"], t["open_reports"]) for t in queue.json["items"]] == [(testimonial["id"], 1)]


def test_hide_and_restore_move_lists_and_rating_and_are_audited(client, owner, actors):
    kept = reviewed(client, actors.patient(), owner, rating=5)
    target = reviewed(client, actors.patient(), owner, rating=1)
    admin = actors.admin()
    client.post(
        f"/api/v1/testimonials/{target['id']}/reports",
        json={"reason": "abusive"},
        headers=admin.headers,
    )

    hidden = client.post(
        f"/api/v1/admin/testimonials/{target['id']}/hide",
        json={"reason": "Abusive"},
        headers=admin.headers,
    )

    assert hidden.status_code == 200
    assert hidden.json["status"] == "hidden"
    assert [t["id"] for t in listed(client, owner)] == [kept["id"]]
    assert rating(client, owner)["count"] == 1 and rating(client, owner)["average"] == 5.0
    assert client.get("/api/v1/admin/testimonials", headers=admin.headers).json["items"] == []
    # A hidden testimonial no longer exists for the public.
    url = f"/api/v1/testimonials/{target['id']}/reports"
    assert (
        client.post(url, json={"reason": "x"}, headers=actors.patient().headers).status_code == 404
    )

    restored = client.post(
        f"/api/v1/admin/testimonials/{target['id']}/restore", headers=admin.headers
    )

    assert restored.json["status"] == "published"
    assert rating(client, owner) == {
        "average": 3.0,
        "count": 2,
        "distribution": {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1},
        "aspects": {"results": None, "communication": None, "value": None},
        "worth_it": {"yes": 0, "no": 0, "not_sure": 0},
    }
    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [e["action"] for e in log] == ["testimonial.restore", "testimonial.hide"]
    assert log[1]["detail"] == {"reason": "Abusive"}


def test_lists_sort_and_filter(client, owner, actors):
    low = reviewed(client, actors.patient(), owner, rating=2)
    high = reviewed(client, actors.patient(), owner, rating=5)
    middle = reviewed(client, actors.patient(), owner, rating=4)

    assert [t["id"] for t in listed(client, owner)] == [middle["id"], high["id"], low["id"]]
    assert [t["id"] for t in listed(client, owner, sort="highest")] == [
        high["id"],
        middle["id"],
        low["id"],
    ]
    assert [t["id"] for t in listed(client, owner, sort="lowest")] == [
        low["id"],
        middle["id"],
        high["id"],
    ]
    assert [t["id"] for t in listed(client, owner, rating=4)] == [middle["id"]]
    assert listed(client, owner, treatment="cellulite") == []
    assert len(listed(client, owner, treatment="anti-aging")) == 3
    bad = client.get(
        f"/api/v1/practitioners/{owner.practitioner_id}/testimonials",
        query_string={"sort": "best"},
    )
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("full_name", "author_name"),
    [
        ("   ", "A client"),
        ("\u3000", "A client"),
        ("B" * 100, "B" * 40),
        ("A" * 81 + " Zed", "A" * 40 + " Z."),
        ("\u202eReversed\u202c Name", "Reversed N."),
    ],
)
def test_any_name_gives_a_short_author_name(client, owner, actors, full_name, author_name):
    testimonial = reviewed(client, actors.patient(full_name=full_name), owner)

    assert testimonial["author_name"] == author_name


def test_invitations_are_mailed_and_listed_without_codes(client, owner, patient):
    invite(client, owner, patient.email)
    invite(client, owner, "friend@example.com")

    listed_invitations = client.get(
        f"/api/v1/practitioners/{owner.practitioner_id}/invitations", headers=owner.headers
    ).json

    assert [i["email"] for i in listed_invitations["items"]] == [
        "friend@example.com",
        patient.email,
    ]
    assert all("code" not in item for item in listed_invitations["items"])
    assert all(item["used"] is False for item in listed_invitations["items"])


def test_an_invitation_cannot_be_used_by_an_unverified_account(client, owner, actors):
    unverified = actors.patient(verified=False)
    invitation = invite(client, owner, unverified.email)

    response = post_testimonial(client, unverified, owner, invitation_code=invitation["code"])

    assert response.status_code == 403
    assert response.json["type"].endswith("/problems/email-unverified")
