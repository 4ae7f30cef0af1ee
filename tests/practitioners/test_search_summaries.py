"""Search results are built straight from the page's rows (practitioners.search, for speed), not
dumped by marshmallow: they must be exactly what PractitionerSummarySchema makes of the profile,
for every kind of profile and search."""

import pytest

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.schemas import PractitionerSummarySchema
from tests.helpers import EVERY_DAY, publish_availability, reviewed

SEARCH = "/api/v1/practitioners"


def documented(practitioner_id: str) -> dict:
    """The profile dumped by the documented schema, from its ORM object."""
    return PractitionerSummarySchema().dump(db.session.get(Practitioner, practitioner_id))


@pytest.fixture
def profiles(client, actors, admin) -> list:
    rich = actors.practitioner_with_profile(
        full_name="Dr Élodie Marchand",
        treatments=["anti-aging", "hair-restoration", "skin-rejuvenation"],
        treatment_prices={"anti-aging": 180.5, "hair-restoration": 250},
        languages=["fr", "en", "de"],
    )
    base = f"{SEARCH}/{rich.practitioner_id}/certifications"
    body = {"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"}
    certification = client.post(
        base, json=body | {"treatments": ["anti-aging"]}, headers=rich.headers
    ).json
    verify = f"/api/v1/admin/certifications/{certification['id']}/verify"
    assert client.post(verify, headers=admin.headers).status_code == 200
    for stars in (5, 4, 4):
        reviewed(client, actors.patient(), rich, rating=stars)
    publish_availability(client, rich, **EVERY_DAY)
    bare = actors.practitioner_with_profile(
        full_name="Jan Novák",
        title=None,
        clinic_name=None,
        city="Brno",
        country="CZ",
        latitude=None,
        longitude=None,
        treatments=[],
        languages=[],
        price_from=None,
        currency="CZK",
        accepts_new_patients=False,
    )
    near = actors.practitioner_with_profile(full_name="Dr Lucie Petit", price_from=95.25)
    return [rich, bare, near]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"sort": "soonest"},
        {"sort": "price"},
        {"q": "dr"},
        {"near": "Paris", "radius_km": 100},
        {"lat": 48.85, "lng": 2.35},
        {"treatment": "anti-aging", "max_price": 200},
        {"per_page": 1, "page": 2},
    ],
    ids=repr,
)
def test_every_result_is_what_the_documented_schema_makes_of_the_profile(
    app, client, profiles, query
):
    items = client.get(SEARCH, query_string=query).json["items"]

    assert items
    with app.app_context():
        for item in items:
            expected = documented(item["id"])
            if "lat" in query or "near" in query:
                placed = expected["latitude"] is not None
                assert isinstance(item["distance_km"], float if placed else type(None))
                expected["distance_km"] = item["distance_km"]
            assert item == expected
            assert list(item) == list(expected)  # the schema's field order, too


def test_the_rich_profile_exercises_every_field(app, client, profiles):
    """The fixture above leaves no field at its empty value somewhere (else the comparison
    would not cover how that field is built)."""
    items = client.get(SEARCH, query_string={"per_page": 100}).json["items"]

    rich = next(item for item in items if item["id"] == profiles[0].practitioner_id)
    assert rich["verified"] is True
    assert rich["verified_treatments"] == ["anti-aging"]
    assert rich["treatment_prices"] == {"anti-aging": 180.5, "hair-restoration": 250.0}
    assert rich["rating"] == {"average": 4.3, "count": 3}
    assert rich["next_available"] is not None
    bare = next(item for item in items if item["id"] == profiles[1].practitioner_id)
    assert bare["latitude"] is None and bare["price_from"] is None and bare["languages"] == []


def test_a_search_around_a_point_lists_profiles_without_coordinates_last(client, profiles):
    """With no radius every profile matches; one without coordinates has no distance (it was a
    500) and comes after all those that have one, on every database."""
    items = client.get(SEARCH, query_string={"lat": 48.85, "lng": 2.35}).json["items"]

    assert [item["id"] for item in items][-1] == profiles[1].practitioner_id
    assert [item["distance_km"] is None for item in items] == [False, False, True]
