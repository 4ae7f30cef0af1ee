"""Parallel writes through the real stack: the rating and the unique rules stay exact."""

from concurrent.futures import ThreadPoolExecutor

from directory.accounts.models import User
from directory.extensions import db
from tests.helpers import completed_consultation, post_testimonial, review_body, reviewed

WRITERS = 8
VOTERS = 50


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


def test_parallel_testimonials_keep_the_aspects_and_worth_it_exact(app, client, actors):
    practitioner = actors.practitioner_with_profile()
    answers = ["yes", "no", "not_sure", "yes"]
    requests = []
    for i in range(WRITERS):
        patient = actors.patient()
        consultation = completed_consultation(client, patient, practitioner)
        details = {"aspects": {"results": (i % 5) + 1}, "worth_it": answers[i % 4]}
        body = review_body(consultation_id=consultation["id"], **details)
        url = f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials"
        requests.append(("post", url, {"json": body, "headers": patient.headers}))

    responses = in_parallel(app, requests)

    assert [r.status_code for r in responses] == [201] * WRITERS
    rating = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}").json["rating"]
    results = [(i % 5) + 1 for i in range(WRITERS)]
    assert rating["aspects"]["results"] == round(sum(results) / WRITERS, 1)
    given = [answers[i % 4] for i in range(WRITERS)]
    assert rating["worth_it"] == {answer: given.count(answer) for answer in answers}


def test_helpful_count_is_exact_under_many_parallel_votes(app, client, actors):
    practitioner = actors.practitioner_with_profile()
    testimonial = reviewed(client, actors.patient(), practitioner)
    url = f"/api/v1/testimonials/{testimonial['id']}/helpful"
    voters = [actors.patient() for _ in range(VOTERS)]
    # Each voter votes twice at once: the second vote of each changes nothing.
    votes = [("put", url, {"headers": voter.headers}) for voter in voters for _ in range(2)]

    responses = in_parallel(app, votes)

    assert {r.status_code for r in responses} == {200}
    listed = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials")
    assert listed.json["items"][0]["helpful_count"] == VOTERS

    withdrawals = in_parallel(app, [("delete", url, {"headers": v.headers}) for v in voters[:20]])

    assert {r.status_code for r in withdrawals} == {200}
    listed = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials")
    assert listed.json["items"][0]["helpful_count"] == VOTERS - 20


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
