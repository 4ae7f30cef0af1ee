"""v2 testimonials: aspects, worth_it, cost and treated_on; what the rating makes of them;
helpful votes; and how a profile's reviews came about (review_integrity)."""

from datetime import timedelta

import pytest
import time_machine

from directory.core.db import today, utcnow
from tests.helpers import completed_consultation, post_testimonial, reviewed

DETAILS = {
    "aspects": {"results": 4, "communication": 5, "value": 3},
    "worth_it": "yes",
    "cost": {"amount": 450, "currency": "eur"},
    "treated_on": "2026-09-14",
}


def profile(client, owner) -> dict:
    return client.get(f"/api/v1/practitioners/{owner.practitioner_id}").json


def listed(client, owner, **query) -> list[dict]:
    url = f"/api/v1/practitioners/{owner.practitioner_id}/testimonials"
    return client.get(url, query_string=query).json["items"]


def helpful(client, actor, testimonial, method="put"):
    url = f"/api/v1/testimonials/{testimonial['id']}/helpful"
    return client.open(url, method=method.upper(), headers=actor.headers)


def test_a_testimonial_says_how_it_went_what_it_cost_and_when(client, patient, owner):
    testimonial = reviewed(client, patient, owner, **DETAILS)

    assert testimonial["aspects"] == DETAILS["aspects"]
    assert testimonial["worth_it"] == "yes"
    assert testimonial["cost"] == {"amount": 450.0, "currency": "EUR"}
    assert testimonial["treated_on"] == "2026-09-14"
    assert testimonial["helpful_count"] == 0
    assert listed(client, owner)[0]["aspects"] == DETAILS["aspects"]


def test_the_details_are_optional(client, patient, owner):
    testimonial = reviewed(client, patient, owner)

    assert testimonial["aspects"] == {"results": None, "communication": None, "value": None}
    assert testimonial["worth_it"] is testimonial["cost"] is testimonial["treated_on"] is None


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"aspects": {"results": 6}}, "aspects"),
        ({"aspects": {"results": 4.5}}, "aspects"),
        ({"aspects": {"kindness": 5}}, "aspects"),
        ({"worth_it": "maybe"}, "worth_it"),
        ({"cost": {"amount": 100}}, "cost"),
        ({"cost": {"amount": 100, "currency": "XXQ"}}, "cost"),
        ({"cost": {"amount": -1, "currency": "EUR"}}, "cost"),
        ({"treated_on": (today() + timedelta(days=1)).isoformat()}, "treated_on"),
        ({"helpful_count": 10}, "helpful_count"),
    ],
)
def test_bad_details_are_a_422_naming_the_field(client, patient, owner, details, field):
    consultation = completed_consultation(client, patient, owner)

    response = post_testimonial(
        client, patient, owner, consultation_id=consultation["id"], **details
    )

    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_the_rating_averages_each_aspect_and_counts_worth_it(client, actors, owner, admin):
    reviews = [
        {"rating": 5, "aspects": {"results": 5, "communication": 4}, "worth_it": "yes"},
        {"rating": 4, "aspects": {"results": 4, "value": 2}, "worth_it": "yes"},
        {"rating": 2, "aspects": {"results": 2}, "worth_it": "no"},
        {"rating": 3},
    ]
    written = [reviewed(client, actors.patient(), owner, **review) for review in reviews]

    rating = profile(client, owner)["rating"]
    assert rating["aspects"] == {"results": 3.7, "communication": 4.0, "value": 2.0}
    assert rating["worth_it"] == {"yes": 2, "no": 1, "not_sure": 0}

    # Hidden testimonials leave the aspects too, as they leave the stars.
    hide = f"/api/v1/admin/testimonials/{written[2]['id']}/hide"
    client.post(hide, json={"reason": "Off-topic"}, headers=admin.headers)
    rating = profile(client, owner)["rating"]
    assert rating["aspects"]["results"] == 4.5
    assert rating["worth_it"] == {"yes": 2, "no": 0, "not_sure": 0}


@pytest.mark.parametrize("cost", [{}, {"amount": 10}, {"currency": "EUR"}])
def test_an_edit_gives_a_whole_cost_or_none(client, patient, owner, cost):
    testimonial = reviewed(client, patient, owner)

    response = client.patch(
        f"/api/v1/testimonials/{testimonial['id']}", json={"cost": cost}, headers=patient.headers
    )

    assert response.status_code == 422
    assert "cost" in response.json["errors"]


def test_an_edit_of_the_details_moves_the_rating(client, patient, owner):
    testimonial = reviewed(client, patient, owner, **DETAILS)

    response = client.patch(
        f"/api/v1/testimonials/{testimonial['id']}",
        json={"aspects": {"results": 2}, "worth_it": "not_sure", "cost": None},
        headers=patient.headers,
    )

    assert response.status_code == 200, response.json
    assert response.json["aspects"] == {"results": 2, "communication": None, "value": None}
    assert response.json["cost"] is None
    rating = profile(client, owner)["rating"]
    assert rating["aspects"] == {"results": 2.0, "communication": None, "value": None}
    assert rating["worth_it"] == {"yes": 0, "no": 0, "not_sure": 1}


def test_the_list_filters_by_worth_it(client, actors, owner):
    yes = reviewed(client, actors.patient(), owner, worth_it="yes")
    reviewed(client, actors.patient(), owner, worth_it="no")
    reviewed(client, actors.patient(), owner)

    assert [t["id"] for t in listed(client, owner, worth_it="yes")] == [yes["id"]]
    assert (
        client.get(
            f"/api/v1/practitioners/{owner.practitioner_id}/testimonials?worth_it=maybe"
        ).status_code
        == 422
    )


def test_a_helpful_vote_counts_once_per_user(client, actors, patient, owner):
    testimonial = reviewed(client, patient, owner)
    reader = actors.patient()

    first = helpful(client, reader, testimonial)
    again = helpful(client, reader, testimonial)

    assert first.status_code == again.status_code == 200
    assert first.json == again.json == {"helpful_count": 1, "voted": True}
    assert helpful(client, owner, testimonial).json == {"helpful_count": 2, "voted": True}
    assert listed(client, owner)[0]["helpful_count"] == 2

    withdrawn = helpful(client, reader, testimonial, "delete")
    assert withdrawn.json == {"helpful_count": 1, "voted": False}
    assert helpful(client, reader, testimonial, "delete").json == {
        "helpful_count": 1,
        "voted": False,
    }


def test_authors_cannot_find_their_own_testimonial_helpful(client, patient, owner):
    testimonial = reviewed(client, patient, owner)

    response = helpful(client, patient, testimonial)

    assert response.status_code == 403
    assert listed(client, owner)[0]["helpful_count"] == 0


def test_a_vote_needs_a_verified_email(client, actors, patient, owner):
    testimonial = reviewed(client, patient, owner)

    response = helpful(client, actors.patient(verified=False), testimonial)

    assert response.status_code == 403
    assert response.json["type"].endswith("/problems/email-unverified")


def test_the_most_helpful_come_first(client, actors, owner):
    older, newer, most = (reviewed(client, actors.patient(), owner) for _ in range(3))
    for _ in range(2):
        helpful(client, actors.patient(), most)
    helpful(client, actors.patient(), older)

    ids = [t["id"] for t in listed(client, owner, sort="helpful")]

    assert ids == [most["id"], older["id"], newer["id"]]


def integrity(client, owner) -> dict:
    return profile(client, owner)["review_integrity"]


def test_review_integrity_counts_how_the_reviews_came_about(client, actors, owner, admin):
    assert integrity(client, owner) == {
        "testimonials_from_consultations": 0,
        "testimonials_from_invitations": 0,
        "invitations_sent_12_months": 0,
        "consultations_completed_12_months": 0,
        "hidden_12_months": 0,
    }
    hidden = reviewed(client, actors.patient(), owner)
    reviewed(client, actors.patient(), owner)
    client.post(
        f"/api/v1/admin/testimonials/{hidden['id']}/hide",
        json={"reason": "Abuse"},
        headers=admin.headers,
    )
    for n in range(3):
        client.post(
            f"/api/v1/practitioners/{owner.practitioner_id}/invitations",
            json={"email": f"happy-{n}@example.com"},
            headers=owner.headers,
        )

    assert integrity(client, owner) == {
        "testimonials_from_consultations": 1,
        "testimonials_from_invitations": 0,
        "invitations_sent_12_months": 3,
        "consultations_completed_12_months": 2,
        "hidden_12_months": 1,
    }
    with time_machine.travel(utcnow() + timedelta(days=366), tick=False):
        later = integrity(client, owner)
    assert later["testimonials_from_consultations"] == 1  # published ones count for ever
    assert later["invitations_sent_12_months"] == later["consultations_completed_12_months"] == 0
    assert later["hidden_12_months"] == 0


def test_an_invited_review_counts_as_one(client, app, actors, owner):
    from tests.helpers import link_query

    patient = actors.patient()
    client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/invitations",
        json={"email": patient.email},
        headers=owner.headers,
    )
    code = link_query(app, patient.email, "invitation")["code"]

    response = post_testimonial(client, patient, owner, invitation_code=code)

    assert response.status_code == 201, response.json
    assert integrity(client, owner)["testimonials_from_invitations"] == 1
