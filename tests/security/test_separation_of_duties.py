"""Nobody verifies or moderates their own records, even an admin who owns a profile (an
account made admin by hand in the database: the API and create-admin never make one)."""

from directory.accounts.models import Role, User
from directory.extensions import db
from tests.helpers import reviewed


def _make_admin(app, actor) -> None:
    with app.app_context():
        db.session.get(User, actor.id).role = Role.ADMIN
        db.session.commit()


def test_an_admin_never_verifies_their_own_certification(app, client, owner):
    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    body = {"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"}
    certification = client.post(f"{base}/certifications", json=body, headers=owner.headers).json
    _make_admin(app, owner)

    for action, body in (("verify", None), ("reject", {"reason": "mine"})):
        response = client.post(
            f"/api/v1/admin/certifications/{certification['id']}/{action}",
            json=body,
            headers=owner.headers,
        )
        assert response.status_code == 403, action


def test_an_admin_never_moderates_reviews_of_their_own_profile(app, client, owner, patient):
    testimonial = reviewed(client, patient, owner, rating=1)
    _make_admin(app, owner)

    hide = client.post(
        f"/api/v1/admin/testimonials/{testimonial['id']}/hide",
        json={"reason": "I dislike it"},
        headers=owner.headers,
    )

    assert hide.status_code == 403
    listed = client.get(f"/api/v1/practitioners/{owner.practitioner_id}/testimonials").json
    assert [item["id"] for item in listed["items"]] == [testimonial["id"]]
