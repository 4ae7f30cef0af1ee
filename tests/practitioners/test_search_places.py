"""Search by place: `near` resolves a name through the gazetteer, `city` finds a profile under
any name of its place, and coordinates work without a radius."""

import pytest

from tests.practitioners.test_search import haversine_km

SEARCH = "/api/v1/practitioners"
MUNICH = (48.1374, 11.5755)

# name, city as written, country, latitude, longitude
PROFILES = [
    ("Dr Anna Huber", "München", "DE", *MUNICH),
    ("Dr Ben Maier", "Munich", "DE", 48.30, 11.5755),  # 18 km north of the centre
    ("Dr Carla Wolf", "Freising", "DE", 48.4029, 11.7489),  # 32 km away
    ("Dr Dora Petit", "Paris", "FR", 48.8566, 2.3522),
    ("Dr Emil Stone", "Springfield", "US", 37.2153, -93.2982),  # Missouri, the biggest
    ("Dr Fay Lincoln", "Springfield", "US", 39.8017, -89.6436),  # Illinois
    ("Dr Gil Favre", "Genève", "CH", 46.2044, 6.1432),
    ("Dr Hal Brooks", "Geneva", "US", 41.8875, -88.3054),  # Illinois
    ("Dr Ivy Roux", "Saint-Rémy-de-Provence", "FR", 43.789, 4.832),  # too small a town
]


@pytest.fixture
def places(actors) -> dict[str, str]:
    ids = {}
    for name, city, country, lat, lng in PROFILES:
        actor = actors.practitioner_with_profile(
            full_name=name, city=city, country=country, latitude=lat, longitude=lng
        )
        ids[name] = actor.practitioner_id
    return ids


def found(client, **query) -> list[str]:
    response = client.get(SEARCH, query_string=query)
    assert response.status_code == 200, response.json
    return [item["full_name"] for item in response.json["items"]]


@pytest.mark.parametrize("near", ["Munich", "München", "munchen", "MUENCHEN", "Minga"])
def test_near_any_name_of_munich_finds_the_munich_profiles_nearest_first(client, places, near):
    assert found(client, near=near) == ["Dr Anna Huber", "Dr Ben Maier"]


@pytest.mark.parametrize("city", ["munich", "München", "MUNCHEN", "Muenchen"])
def test_city_finds_a_profile_under_any_name_of_its_place(client, places, city):
    assert sorted(found(client, city=city)) == ["Dr Anna Huber", "Dr Ben Maier"]


def test_near_carries_the_distance_from_the_place(client, places):
    items = client.get(SEARCH, query_string={"near": "München", "sort": "name"}).json["items"]

    place = (48.13743, 11.57549)  # GeoNames' point for Munich
    for item in items:
        expected = haversine_km(*place, item["latitude"], item["longitude"])
        assert item["distance_km"] == pytest.approx(expected, abs=0.01)


def test_near_uses_25_km_unless_a_radius_is_given(client, places):
    assert "Dr Carla Wolf" not in found(client, near="Munich")
    assert found(client, near="Munich", radius_km=40) == [
        "Dr Anna Huber",
        "Dr Ben Maier",
        "Dr Carla Wolf",
    ]
    assert found(client, near="Munich", radius_km=5) == ["Dr Anna Huber"]


def test_an_ambiguous_name_is_its_most_populous_place_unless_the_country_says(client, places):
    assert found(client, near="Geneva") == ["Dr Gil Favre"]
    assert found(client, near="Geneva", country="US") == ["Dr Hal Brooks"]
    assert found(client, near="Springfield") == ["Dr Emil Stone"]  # Missouri's is the biggest
    assert found(client, near="Springfield", country="US") == ["Dr Emil Stone"]


def test_city_matches_every_place_of_that_name_and_country_narrows_it(client, places):
    assert sorted(found(client, city="Springfield")) == ["Dr Emil Stone", "Dr Fay Lincoln"]
    assert sorted(found(client, city="geneva")) == ["Dr Gil Favre", "Dr Hal Brooks"]
    assert found(client, city="geneva", country="CH") == ["Dr Gil Favre"]


def test_a_city_the_gazetteer_does_not_know_is_found_by_its_spelling(client, places):
    assert found(client, city="saint-remy-de-provence") == ["Dr Ivy Roux"]
    assert found(client, city="Saint-Rémy") == []


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ({"near": "Muncen"}, "München"),
        ({"near": "Muncen", "country": "DE"}, "München"),
        ({"near": "Freisng"}, "Freising"),
    ],
)
def test_an_unknown_place_is_a_422_that_suggests_close_names(client, query, suggested):
    response = client.get(SEARCH, query_string=query)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    (message,) = response.json["errors"]["near"]
    assert suggested in message


def test_an_unknown_place_with_nothing_close_says_so(client):
    response = client.get(SEARCH, query_string={"near": "Qqqqxz", "country": "FR"})

    assert response.status_code == 422
    assert response.json["errors"]["near"] == ["No place in FR is known by this name."]


@pytest.mark.parametrize(
    "query",
    [
        {"near": "Munich", "lat": 48.1, "lng": 11.5},
        {"near": "Munich", "lat": 48.1},
        {"lat": 48.1},
        {"lng": 11.5},
        {"radius_km": 10},
        {"near": "Munich", "radius_km": 501},
        {"sort": "distance", "city": "Munich"},
    ],
)
def test_points_and_radii_are_given_whole(client, query):
    response = client.get(SEARCH, query_string=query)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_coordinates_without_a_radius_order_everyone_by_distance(client, places):
    items = client.get(SEARCH, query_string={"lat": MUNICH[0], "lng": MUNICH[1]}).json["items"]

    assert len(items) == len(PROFILES)
    distances = [item["distance_km"] for item in items]
    assert distances == sorted(distances) and distances[0] == 0
    assert items[-1]["full_name"] == "Dr Emil Stone"


def test_any_order_around_a_point_carries_distances(client, places):
    items = client.get(SEARCH, query_string={"near": "Munich", "sort": "newest"}).json["items"]

    assert [i["full_name"] for i in items] == ["Dr Ben Maier", "Dr Anna Huber"]
    assert all("distance_km" in item for item in items)


def test_a_profile_keeps_its_spelling_and_follows_its_city(client, places, actors):
    anna = places["Dr Anna Huber"]
    assert client.get(f"{SEARCH}/{anna}").json["city"] == "München"

    owner = actors.practitioner_with_profile(full_name="Dr Jo Kern", city="Munich", country="DE")
    moved = client.patch(
        f"{SEARCH}/{owner.practitioner_id}", json={"city": "Freising"}, headers=owner.headers
    )

    assert moved.status_code == 200 and moved.json["city"] == "Freising"
    assert "Dr Jo Kern" not in found(client, city="munich")
    assert "Dr Jo Kern" in found(client, city="freising")
    country_only = client.patch(
        f"{SEARCH}/{owner.practitioner_id}", json={"country": "FR"}, headers=owner.headers
    )
    assert country_only.status_code == 200
    assert "Dr Jo Kern" not in found(client, city="freising", country="DE")
    assert "Dr Jo Kern" in found(client, city="freising")  # by its spelling: no such place in FR
