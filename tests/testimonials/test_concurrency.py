"""Parallel writes through the real stack: the rating and the unique rules stay exact."""

from concurrent.futures import ThreadPoolExecutor

from directory.accounts.models import User
from directory.extensions import db
from tests.helpers import completed_consultation, post_testimonial, review_body

WRITERS = 8


def in_parallel(app, requests):
    """Run each (method, url, kwargs) from its own client, all at once."""

    def send(request):
        method, url, kwargs = request
        return getattr(app.test_client(), method)(url, **kwargs)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def test_parallel_testimonials_keep_the_rating_exact(app, client, actors):
    practitioner = actors.practitioner_with_profile()
    stars = [(i % 5) + 1 for i in range(WRITERS)]
    requests = []
    for rating in stars:
        patient = actors.patient()
        consultation = completed_consultation(client, patient, practitioner)
        body = review_body(rating=rating, consultation_id=consultation["id"])
        url = f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials"
        requests.append(("post", url, {"json": body, "headers": patient.headers}))

    responses = in_parallel(app, requests)

    assert [r.status_code for r in responses] == [201] * WRITERS
    summary = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}").json["rating"]
    assert summary["count"] == WRITERS
    assert summary["average"] == round(sum(stars) / WRITERS, 1)
    assert summary["distribution"] == {str(s): stars.count(s) for s in range(1, 6)}


def test_parallel_edits_and_deletes_keep_the_rating_exact(app, client, actors):
    practitioner = actors.practitioner_with_profile()
    written = []
    for _ in range(WRITERS):
        patient = actors.patient()
        consultation = completed_consultation(client, patient, practitioner)
        response = post_testimonial(
            client, patient, practitioner, consultation_id=consultation["id"]
        )
        written.append((patient, response.json["id"]))
    requests = [
        ("delete", f"/api/v1/testimonials/{tid}", {"headers": patient.headers})
        if i % 2
        else (
            "patch",
            f"/api/v1/testimonials/{tid}",
            {"json": {"rating": 1}, "headers": patient.headers},
        )
        for i, (patient, tid) in enumerate(written)
    ]

    responses = in_parallel(app, requests)

    assert all(r.status_code in (200, 204) for r in responses)
    summary = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}").json["rating"]
    assert summary["count"] == WRITERS // 2
    assert summary["distribution"]["1"] == WRITERS // 2 and summary["average"] == 1.0


def test_the_same_consultation_posted_in_parallel_gives_one_testimonial(app, client, actors):
    practitioner = actors.practitioner_with_profile()
    patient = actors.patient()
    consultation = completed_consultation(client, patient, practitioner)
    body = review_body(consultation_id=consultation["id"])
    url = f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials"

    responses = in_parallel(
        app, [("post", url, {"json": body, "headers": patient.headers})] * WRITERS
    )

    assert sorted(r.status_code for r in responses) == [201] + [409] * (WRITERS - 1)
    summary = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}").json["rating"]
    assert summary["count"] == 1


def test_parallel_registrations_of_one_email_give_one_account(app):
    body = {
        "email": "race@example.com",
        "password": "a-long-password",
        "full_name": "R",
        "role": "patient",
    }

    responses = in_parallel(app, [("post", "/api/v1/auth/register", {"json": body})] * WRITERS)

    # Every one gets the same answer (registration reveals nothing); one account exists.
    assert {r.status_code for r in responses} == {202}
    with app.app_context():
        assert db.session.query(User).filter_by(email="race@example.com").count() == 1
